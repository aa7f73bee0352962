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
SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "BOOLEAN", "year": "INTEGER", "date": "DATE",
             "datetime": "DATETIME"}  # everything else: TEXT. DATE keeps ISO text (not a number) and tells readers its type
README_SHEET = "说明"
FTS_NOTE = ("每张有文字的表都有全文检索表 <表名>_fts（SQLite FTS5，trigram 分词），例如 "
            "SELECT rowid FROM services_fts WHERE services_fts MATCH '最低生活保障'。trigram 按连续三个字索引，"
            "查询词至少要 3 个字；1–2 个字的词（如“低保”）请用 LIKE：SELECT * FROM services WHERE name LIKE '%低保%' OR aliases LIKE '%低保%'。")
SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what Excel reads as the start of a formula when it opens a CSV file
PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")  # -5 stays a number


def inert(cell: str) -> str:
    """A cell as text Excel will not run: a leading apostrophe before a formula sign (Excel's own mark for “this is text”)."""
    return "'" + cell if cell.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(cell) else cell


def inert_csv(raw: bytes) -> bytes:
    """The CSV with every formula-looking cell made inert; the same bytes when there is none."""
    rows = _cells(raw)
    safe = [[inert(c) for c in row] for row in rows]
    if safe == rows:
        return raw
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(safe)
    return out.getvalue().encode("utf-8")


class FixedZip(zipfile.ZipFile):
    """A ZipFile whose entries all carry one fixed date and mode, so the archive's bytes are reproducible. A date before
    1980 (a build outside git of a version not yet published: SOURCE_DATE_EPOCH 0) is written as 1980-01-01, the
    earliest a ZIP entry can carry."""

    def __init__(self, file, date: datetime.date):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        date = max(date, datetime.date(1980, 1, 1))
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
    if data != BOM + raw and _cells(data[len(BOM):]) != _cells(raw):  # quoting may differ, the cells may not
        raise ValueError("csvformat --add-bom 改动了 CSV 单元格的内容。")
    return data


def _cells(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


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


def xlsx(resource: dict, rows: list[dict], date: datetime.date, terms: list[tuple[str, str]] = ()) -> bytes:
    """The table's sheet: the Chinese field titles as header, cells typed; text is always stored as text, never as a
    formula. Then a sheet 说明 with `terms` (licence, source, version …), which the document properties carry too."""
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
    if terms:
        notes = wb.create_sheet(README_SHEET if ws.title != README_SHEET else README_SHEET + "_")
        for r, (label, text) in enumerate([("表", f"{resource.get('title', '')}（{resource['name']}）")] + list(terms), 1):
            for col, value in enumerate((label, text), 1):
                notes.cell(r, col).value = value
                notes.cell(r, col).data_type = "s"
        notes.column_dimensions["A"].width = 16
        notes.column_dimensions["B"].width = 100
    said = dict(terms)
    stamp = datetime.datetime(date.year, date.month, date.day)
    props = wb.properties
    props.created = props.modified = stamp
    props.creator = said.get("发布者") or None
    props.lastModifiedBy = None
    props.title = resource.get("title") or resource["name"]
    props.subject = said.get("数据集")
    props.identifier = said.get("标识")
    props.version = said.get("版本")
    props.language = "zh-CN"
    props.description = "；".join(f"{k}：{v}" for k, v in terms if k in ("许可协议", "原文出处", "网址")) or None
    return workbook_bytes(wb, date)


def workbook_bytes(wb: Workbook, date: datetime.date) -> bytes:
    """A workbook as reproducible .xlsx bytes: created and modified on `date`, every zip entry dated `date`.
    Used for the downloads and for the office's templates alike. The project writes no formula: a cell whose text
    starts with "=" (openpyxl reads that as a formula) is written as the text it is, so data never becomes a live
    formula (=HYPERLINK(…), =cmd|…) in a workbook the site offers."""
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.data_type = "s"
    stamp = datetime.datetime(date.year, date.month, date.day)
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    with FixedZip(buffer, date) as archive:
        ExcelWriter(wb, archive).write_data()
    return buffer.getvalue()


def _label(schema: dict) -> str | None:
    """The column that names a row (as datasette picks it): `name` or `title`, else the first text column that is
    neither a key nor a reference."""
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    for n in ("name", "title"):
        if n in names:
            return n
    keys = set(_listed(schema.get("primaryKey"))) | {c for fk in schema.get("foreignKeys", []) for c in _listed(fk["fields"])}
    return next((f["name"] for f in fields if f.get("type", "string") == "string" and f["name"] not in keys), None)


def sqlite(resources: list[dict], tables: dict[str, list[dict]], terms: list[tuple[str, str]] = ()) -> bytes:
    """A database for analysis: one table per resource (types, primary and foreign keys as declared); each list field
    also as a link table <table>_<field> (one row per item, with its position); an index on every foreign key column;
    a full-text table <table>_fts (FTS5, trigram tokenizer) for each table with text; a view <table>_labelled adding
    the label of every referenced row; `columns` (every column's title and description) and `meta` (licence, source,
    version, how to search)."""
    con = sqlite3.connect(":memory:")
    by_name = {r["name"]: r for r in resources}
    indexes, searchable = [], []
    for res in resources:
        schema, name = res["schema"], res["name"]
        fields = schema["fields"]
        cols = [f'"{f["name"]}" {SQL_TYPES.get(f.get("type"), "TEXT")}' + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
                for f in fields]
        if schema.get("primaryKey"):
            cols.append(f"PRIMARY KEY ({_names(schema['primaryKey'])})")
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            cols.append(f"FOREIGN KEY ({_names(fk['fields'])}) REFERENCES \"{ref.get('resource') or name}\" ({_names(ref['fields'])})")
            indexes.append((name, _listed(fk["fields"])))
        con.execute(f'CREATE TABLE "{name}" (\n  ' + ",\n  ".join(cols) + "\n)")
        marks = ", ".join("?" for _ in fields)
        con.executemany(f'INSERT INTO "{name}" VALUES ({marks})', [[_sql(f, row.get(f["name"])) for f in fields] for row in tables[name]])
        pk = _listed(schema.get("primaryKey"))
        for f in fields:
            if f.get("type") != "list" or len(pk) != 1:
                continue
            link, ref = f"{name}_{f['name']}", by_name.get(f.get("references"))
            ref_pk = _listed(ref["schema"].get("primaryKey")) if ref else []
            item = SQL_TYPES.get(f.get("itemType"), "TEXT")
            con.execute(f'CREATE TABLE "{link}" (\n  "{name}_{pk[0]}" TEXT NOT NULL REFERENCES "{name}" ("{pk[0]}"),\n'
                        f'  "position" INTEGER NOT NULL,\n  "value" {item} NOT NULL'
                        + (f' REFERENCES "{ref["name"]}" ("{ref_pk[0]}")' if len(ref_pk) == 1 else "")
                        + f',\n  PRIMARY KEY ("{name}_{pk[0]}", "position")\n)')
            con.executemany(f'INSERT INTO "{link}" VALUES (?, ?, ?)',
                            [(row[pk[0]], i, v) for row in tables[name] for i, v in enumerate(row.get(f["name"]) or [], 1)])
            indexes += [(link, [f"{name}_{pk[0]}"])] + ([(link, ["value"])] if len(ref_pk) == 1 else [])
        text = [f["name"] for f in fields if f.get("type", "string") in ("string", "list") and f["name"] not in pk]
        if text:
            searchable.append((name, text))
    for table, columns in indexes:
        con.execute(f'CREATE INDEX "{table}_{"_".join(columns)}" ON "{table}" ({_names(columns)})')
    for name, text in searchable:
        con.execute(f'CREATE VIRTUAL TABLE "{name}_fts" USING fts5({_names(text)}, content="{name}", tokenize="trigram")')
        con.execute(f'INSERT INTO "{name}_fts" ("{name}_fts") VALUES (\'rebuild\')')
    for res in resources:
        keys = res["schema"].get("foreignKeys", [])
        joins, extra = [], []
        for i, fk in enumerate(keys):
            cols, ref = _listed(fk["fields"]), fk["reference"]
            target = by_name.get(ref.get("resource") or res["name"])
            label = _label(target["schema"]) if target and len(cols) == 1 else None
            if label:
                joins.append(f'LEFT JOIN "{target["name"]}" AS r{i} ON r{i}."{_listed(ref["fields"])[0]}" = t."{cols[0]}"')
                extra.append(f'r{i}."{label}" AS "{cols[0]}_label"')
        if joins:
            con.execute(f'CREATE VIEW "{res["name"]}_labelled" AS SELECT t.*, {", ".join(extra)} FROM "{res["name"]}" AS t ' + " ".join(joins))
    con.execute('CREATE TABLE "columns" ("table_name" TEXT NOT NULL, "column_name" TEXT NOT NULL, "title" TEXT, "description" TEXT,'
                ' "type" TEXT, PRIMARY KEY ("table_name", "column_name"))')
    con.executemany('INSERT INTO "columns" VALUES (?, ?, ?, ?, ?)', [(r["name"], f["name"], f.get("title"), f.get("description"), f.get("type", "string"))
                                                                      for r in resources for f in r["schema"]["fields"]])
    con.execute('CREATE TABLE "meta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)')
    con.executemany('INSERT INTO "meta" VALUES (?, ?)', list(terms) + [("全文检索", FTS_NOTE)])
    con.commit()
    data = con.serialize()
    con.close()
    return data


def _names(names) -> str:
    return ", ".join(f'"{n}"' for n in _listed(names))


def _listed(names) -> list:
    return [names] if isinstance(names, str) else list(names or [])


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
