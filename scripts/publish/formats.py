"""Write one data package in the formats researchers use: typed tables in → file bytes out.

CSV (the package's own bytes), Excel CSV (csvkit `csvformat --add-bom`; a cell that Excel would run as a formula gets a
leading apostrophe, so Excel shows it as text), XLSX (openpyxl), JSON (records typed by
frictionless from the Table Schema), SQLite (one table per resource, keys declared) and ZIP. Every writer is pure
and reproducible: the same package gives the same bytes (ZIP entries and workbook properties carry the release date).
"""
import csv
import datetime
import hashlib
import io
import json
import re
import signal
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from csvkit.utilities.csvformat import CSVFormat
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

BOM = b"\xef\xbb\xbf"
SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}  # everything else: TEXT
SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what Excel reads as the start of a formula when it opens a CSV file
PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")  # -5 stays a number


def inert(cell: str) -> str:
    """A cell as text Excel will not run: a leading apostrophe before a formula sign (Excel's own mark for “this is text”)."""
    return "'" + cell if cell.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(cell) else cell


def inert_csv(raw: bytes) -> bytes:
    """The CSV with every formula-looking cell made inert; the same bytes when there is none."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    safe = [[inert(c) for c in row] for row in rows]
    if safe == rows:
        return raw
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(safe)
    return out.getvalue().encode("utf-8")


class FixedZip(zipfile.ZipFile):
    """A ZipFile whose entries all carry one fixed date and mode, so the archive's bytes are reproducible."""

    def __init__(self, file, date: datetime.date):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self.fixed = (date.year, date.month, date.day, 0, 0, 0)

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, self.fixed)
            name.compress_type = zipfile.ZIP_DEFLATED
            name.create_system = 3
            name.external_attr = 0o644 << 16
        super().writestr(name, data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """openpyxl writes sheets from temporary files: take their bytes, never their modification time."""
        with open(filename, "rb") as f:
            self.writestr(arcname or Path(filename).name, f.read())


def excel_csv(raw: bytes) -> bytes:
    """UTF-8 with BOM, written by csvkit's `csvformat --add-bom`, formula-looking cells inert; refuses if csvformat changed
    anything but the BOM."""
    raw = inert_csv(raw)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.csv"
        source.write_bytes(raw)
        buffer = io.BytesIO()
        out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
        previous = signal.getsignal(signal.SIGPIPE)
        try:
            CSVFormat(["--add-bom", str(source)], output_file=out).run()
        finally:
            # csvkit sets SIGPIPE to its default action, meant for shell pipes; in a long-lived process (the in-process
            # build, a server, the test run) a later write to a closed socket would then kill the whole process.
            signal.signal(signal.SIGPIPE, previous)
        out.flush()
        data = buffer.getvalue()
    if data != BOM + raw:
        raise ValueError("csvformat --add-bom 改动了 CSV 的内容（除开头的 BOM 外应逐字节相同）。")
    return data


def records_json(rows: list[dict]) -> bytes:
    """An array of records; types from the Table Schema (numbers, null, arrays), never guessed."""
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def cell_value(field: dict, value):
    """A typed value as one spreadsheet or database cell: lists joined by the field's delimiter, dates as dates."""
    if value is None:
        return None
    if isinstance(value, list):
        return field.get("delimiter", ",").join(str(v) for v in value)
    if field.get("type") == "date":
        return datetime.date.fromisoformat(value)
    return value


def xlsx(resource: dict, rows: list[dict], date: datetime.date) -> bytes:
    """One sheet: the Chinese field titles as header, cells typed; text is always stored as text, never as a formula."""
    fields = resource["schema"]["fields"]
    wb = Workbook()
    ws = wb.active
    ws.title = (resource.get("title") or resource["name"]).translate(SHEET_FORBIDDEN)[:31]
    for col, f in enumerate(fields, 1):
        ws.cell(1, col).value = f.get("title") or f["name"]
        ws.cell(1, col).data_type = "s"
    for r, row in enumerate(rows, 2):
        for col, f in enumerate(fields, 1):
            value = cell_value(f, row.get(f["name"]))
            cell = ws.cell(r, col)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # "=…" would otherwise become a formula
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    stamp = datetime.datetime(date.year, date.month, date.day)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = None
    buffer = io.BytesIO()
    with FixedZip(buffer, date) as archive:
        ExcelWriter(wb, archive).write_data()
    return buffer.getvalue()


def sqlite(resources: list[dict], tables: dict[str, list[dict]]) -> bytes:
    """One table per resource, primary and foreign keys declared; lists stored as the CSV text, dates as ISO text."""
    con = sqlite3.connect(":memory:")
    for res in resources:
        schema = res["schema"]
        cols = [f'"{f["name"]}" {SQL_TYPES.get(f.get("type"), "TEXT")}' + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
                for f in schema["fields"]]
        if schema.get("primaryKey"):
            cols.append(f"PRIMARY KEY ({_names(schema['primaryKey'])})")
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            cols.append(f"FOREIGN KEY ({_names(fk['fields'])}) REFERENCES \"{ref.get('resource') or res['name']}\" ({_names(ref['fields'])})")
        con.execute(f'CREATE TABLE "{res["name"]}" (\n  ' + ",\n  ".join(cols) + "\n)")
        fields = schema["fields"]
        marks = ", ".join("?" for _ in fields)
        con.executemany(f'INSERT INTO "{res["name"]}" VALUES ({marks})',
                        [[_sql(f, row.get(f["name"])) for f in fields] for row in tables[res["name"]]])
    con.commit()
    data = con.serialize()
    con.close()
    return data


def _names(names) -> str:
    return ", ".join(f'"{n}"' for n in ([names] if isinstance(names, str) else names))


def _sql(field: dict, value):
    value = cell_value(field, value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if field.get("type") == "number" and value is not None:
        return float(value)
    return value


def zip_package(files: dict[str, bytes], date: datetime.date) -> bytes:
    """The files, in the given order, with one fixed date."""
    buffer = io.BytesIO()
    with FixedZip(buffer, date) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256sums(files: dict[str, bytes]) -> bytes:
    """`sha256sum -c` format, sorted by file name."""
    return "".join(f"{sha256(files[n])}  {n}\n" for n in sorted(files)).encode("utf-8")
