"""Import an Excel sheet into the package: FILE.xlsx (one header row of Chinese titles) → datapackage/<resource>.csv.

The data sheet is the first one, unless a later sheet's header fits the table and the first's does not (a 说明 or cover
sheet placed first). .xlsx and .xlsm are read with openpyxl (it also sees formats and formulas); .xls and .ods with
python-calamine (values only).

The header is mapped to the schema's fields through each field's `title` (the field names are accepted too), so no
hand-kept list of columns exists. Every cell is read as text exactly as it is shown: leading zeros stay, nothing is
type-guessed. Problems in the sheet (a merged or two-row header, unknown, missing or repeated columns, full-width
digits in number columns, a number stored in percent or date format, a formula without a result) are reported in Chinese with
the sheet's column letter and row, and the CSV is then left untouched. A formula whose result was imported and an empty
row that was skipped are said as notes. Otherwise the canonical CSV (sorted, LF, trimmed, schema column order) is written
and the whole package is validated; the validator's row numbers are then said as the workbook's rows (the rows the
clerk has open), not the sorted CSV's. Exit 0 when the package has no problems, 1 otherwise.
"""
import argparse
import csv
import datetime
import difflib
import io
import json
import re
import sys
from dataclasses import dataclass, field as default
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter as letter
from openpyxl.utils.datetime import to_excel

from .guard import hold, snapshot
from .normalise import canonical, canonical_rows, decode, field_for_label, label_key
from ..paths import DESCRIPTOR
from ..validate import problems as package_problems
from ..validate.problem import Problem
from ..validate.rules import FULLWIDTH

FIX_FORMULA = "确认这就是要公开的内容；最好把公式换成数值（复制这一格，再“选择性粘贴 → 数值”），以免以后跟着别的格子变化。"


def text(value) -> str:
    """One cell as the text Excel shows for it; numbers without a spurious “.0”, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


@dataclass
class Sheet:
    """A sheet as text cells, with what the text alone does not show."""
    name: str
    rows: list[list[str]]
    merged: list[tuple[int, int, str]] = default(default_factory=list)  # (first row, first column, "A1:C1")
    percent: dict[tuple[int, int], float] = default(default_factory=dict)  # (row, column) → stored value of a %-formatted number
    formulas: dict[tuple[int, int], str] = default(default_factory=dict)  # (row, column) → the formula ("=SUM(…)")
    dates: dict[tuple[int, int], float] = default(default_factory=dict)  # (row, column) → the number a date-formatted cell holds
    index: int = 0  # which sheet of the workbook (0: the first)
    sheets: int = 1  # how many sheets the workbook has


@dataclass
class Imported:
    """A sheet mapped to a resource: the records in sheet order, the sheet row of each, the column letter of each field."""
    where: str
    resource: dict
    records: list[dict] = default(default_factory=list)
    sheet_rows: list[int] = default(default_factory=list)
    letters: dict[str, str] = default(default_factory=dict)
    problems: list[Problem] = default(default_factory=list)
    notes: list[Problem] = default(default_factory=list)

    def csv_row_to_sheet_row(self) -> dict[int, int]:
        """Row of the canonical CSV (header = 1) → row of the workbook."""
        return {n: self.sheet_rows[i] for n, (i, _) in enumerate(canonical_rows(self.records, self.resource), start=2)}


def best_sheet(names: list[str], tops: list[list[str]], fits) -> int:
    """The index of the sheet whose first two rows hold the most column names (`fits`: header labels → how many are
    columns of the table); the first sheet when none holds two, or when `fits` is None. A sheet placed before the data
    (a 说明 sheet, a cover) is then passed over."""
    if fits is None or len(names) < 2:
        return 0
    scores = [fits({label_key(c) for c in top if c.strip()}) for top in tops]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return best if scores[best] >= 2 else 0


def read_sheet(path: Path, fits=None) -> Sheet:
    """The workbook's data sheet (the first one, or the one whose header fits: best_sheet): the values Excel last
    computed, and separately its formulas, percent and date formats."""
    book = load_workbook(path, data_only=True)
    tops = [[text(c) for row in ws.iter_rows(max_row=2, values_only=True) for c in row] for ws in book.worksheets]
    index = best_sheet(book.sheetnames, tops, fits)
    values = book.worksheets[index]
    formulas = load_workbook(path).worksheets[index]
    rows, percent, dates = [], {}, {}
    for r, cells in enumerate(values.iter_rows(), start=1):
        rows.append([text(c.value) for c in cells])
        for c in cells:
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and "%" in str(c.number_format):
                percent[(c.row, c.column)] = c.value
            elif isinstance(c.value, (datetime.date, datetime.time)):
                dates[(c.row, c.column)] = to_excel(c.value)
    found = {(c.row, c.column): str(c.value) for row in formulas.iter_rows() for c in row if c.data_type == "f"}
    width = max((i + 1 for row in rows for i, c in enumerate(row) if c.strip()), default=0)
    width = max([width] + [c for _, c in found])
    rows = [row[:width] + [""] * (width - len(row)) for row in rows]
    while rows and not any(c.strip() for c in rows[-1]) and not any(r == len(rows) for r, _ in found):
        rows.pop()
    merged = sorted((m.min_row, m.min_col, str(m)) for m in values.merged_cells.ranges)
    return Sheet(values.title, rows, merged, percent, found, dates, index, len(book.worksheets))


def read_calamine_sheet(path: Path, fits=None) -> Sheet:
    """An .xls (Excel 97–2003) or .ods (OpenDocument, WPS and LibreOffice) workbook, read with python-calamine: the values
    last computed; the formats are not read, so a percent or date cell is caught by the validator's rules instead."""
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_path(str(path))
    sheets = [book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names]
    tops = [[text(c) for row in rows[:2] for c in row] for rows in sheets]
    index = best_sheet(book.sheet_names, tops, fits)
    rows = [[text(c) for c in row] for row in sheets[index]] if book.sheet_names else []
    dates = {(r, c): to_excel(v) for r, row in enumerate(sheets[index] if sheets else [], 1) for c, v in enumerate(row, 1)
             if isinstance(v, (datetime.date, datetime.time))}
    width = max((i + 1 for row in rows for i, c in enumerate(row) if c.strip()), default=0)
    rows = [row[:width] + [""] * (width - len(row)) for row in rows]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return Sheet(book.sheet_names[index] if book.sheet_names else path.stem, rows, dates=dates, index=index, sheets=len(sheets))


def read_csv_sheet(path: Path) -> Sheet:
    """A CSV file (any encoding Excel writes) as a sheet: its lines are the rows Excel shows."""
    content, _ = decode(path.read_bytes(), path.name)
    rows = list(csv.reader(io.StringIO(content.replace("\r\n", "\n").replace("\r", "\n"))))
    width = max((len(r) for r in rows), default=0)
    return Sheet(path.stem, [r + [""] * (width - len(r)) for r in rows])


def percent_shown(value: float) -> str:
    return f"{value * 100:.10g}"


def map_sheet(name: str, sheet: Sheet, resource: dict) -> Imported:
    """The sheet's data rows as records keyed by field name, or the reasons it cannot be mapped."""
    where = f"{name}（工作表“{sheet.name}”）"
    out = Imported(where, resource)
    rows, problems = sheet.rows, out.problems
    fields = resource["schema"]["fields"]
    by_label = field_for_label(resource)
    titles = "、".join(f"“{f.get('title', f['name'])}”" for f in fields)
    if not rows:
        problems.append(Problem(where, message="工作表是空的。", fix=f"第 1 行填写列名（{titles}），从第 2 行起每行一条记录；可从“参与更新”页面下载模板。"))
        return out
    top = [cells for row, _, cells in sheet.merged if row <= 2]
    if top:
        problems.append(Problem(where, 1, None, f"表头有合并单元格（{'、'.join(top)}）；表头只能有一行，每列一个列名。",
                                "取消合并单元格，删除表头上方的标题或分组行，让第 1 行正好是各列的中文列名（与模板一致）。"))
    for row, col, cells in sheet.merged:
        if row > 2:
            problems.append(Problem(where, row, letter(col), f"{cells} 是合并单元格，只有左上角一格有内容，其余各行会是空的。",
                                    "取消合并单元格，并在每一行填写完整的内容。"))
    head = 0  # index of the header row; the cells below it are still checked when a title row sits above it, so one round says all
    matched = sum(1 for label in rows[0] if label_key(label) in by_label)
    second = sum(1 for label in (rows[1] if len(rows) > 1 else []) if label_key(label) in by_label)
    if second > matched:
        problems.append(Problem(where, 2, None, "表头占了两行：第 2 行才是列名。", "删除第 1 行（标题或分组行），让第 1 行正好是各列的中文列名。"))
        head = 1
    header = rows[head]
    columns, seen, before = {}, {}, len(problems)
    for i, label in enumerate(header):
        col = letter(i + 1)
        key = label_key(label)
        if not key:
            if any(len(r) > i and r[i].strip() for r in rows[head + 1:]):
                problems.append(Problem(where, head + 1, col, "这一列有数据，但没有列名。", f"在第 1 行填写列名（应为以下之一：{titles}），或删除这一列。"))
            continue
        field = by_label.get(key)
        if field is None:
            guess = difflib.get_close_matches(key, [label_key(f.get("title", f["name"])) for f in fields], n=1, cutoff=0.5)
            hint = f"是不是“{guess[0]}”？" if guess else ""
            problems.append(Problem(where, head + 1, col, f"列名“{label.strip()}”不在表结构中。{hint}",
                                    f"改为表结构中的中文列名（{titles}），或删除这一列。新增一列需要先在 datapackage.json 中定义该字段。"))
            continue
        if field["name"] in seen:
            problems.append(Problem(where, head + 1, col, f"列名“{label.strip()}”与 {seen[field['name']]} 列重复。", "每个字段只能有一列；删除重复的一列。"))
            continue
        seen[field["name"]] = col
        columns[i] = field
    for f in fields:
        if f["name"] not in seen:
            problems.append(Problem(where, head + 1, None, f"缺少“{f.get('title', f['name'])}”（{f['name']}）列。",
                                    f"增加这一列（{f.get('description', '')}）；没有内容的格子可以留空。"))
    if len(problems) > before:
        return out  # the columns cannot be mapped: messages about cells would be guesses
    out.letters = dict(seen)
    for r, row in enumerate(rows[head + 1:], start=head + 2):
        if not any(c.strip() for c in row) and not any((r, i + 1) in sheet.formulas for i in columns):
            if any(any(c.strip() for c in later) for later in rows[r:]):
                out.notes.append(Problem(where, r, None, "这是一个空行，导入时跳过了。", "不用处理；其他行的行号不受影响。也可以删除这一行。"))
            continue
        record = {}
        for i, field in columns.items():
            col, value = letter(i + 1), row[i] if i < len(row) else ""
            title = field.get("title", field["name"])
            if (r, i + 1) in sheet.percent:
                shown = percent_shown(sheet.percent[(r, i + 1)])
                problems.append(Problem(where, r, col, f"单元格是百分比格式：{shown}% 存成了 {value}。", f"请把单元格格式改为“常规”后填 {shown}。"))
            elif (r, i + 1) in sheet.formulas:
                formula = sheet.formulas[(r, i + 1)]
                formula = formula if len(formula) <= 60 else formula[:60] + "…"
                if value == "":
                    problems.append(Problem(where, r, col, f"单元格是公式（{formula}），文件里没有它的计算结果。",
                                            "在 Excel 中把公式换成数值（复制这一格，再“选择性粘贴 → 数值”）后保存，再上传。"))
                else:
                    out.notes.append(Problem(where, r, col, f"单元格是公式（{formula}），导入的是它的计算结果“{value}”。", FIX_FORMULA))
            if field.get("type") in ("number", "integer") and (r, i + 1) in sheet.dates:
                number = f"{sheet.dates[(r, i + 1)]:.10g}"
                problems.append(Problem(where, r, col, f"“{title}”列的这一格是日期格式：填的 {number} 显示成了 {value}。",
                                        f"选中这一格，把单元格格式改为“常规”，再填 {number}。"))
            elif field.get("type") in ("number", "integer") and FULLWIDTH.search(value):
                problems.append(Problem(where, r, col, f"“{title}”列的“{value.strip()}”用了全角数字或符号。",
                                        "改为半角数字，如 1000、5.16（切换到英文输入法后输入）。"))
            record[field["name"]] = value
        out.records.append(record)
        out.sheet_rows.append(r)
    if problems:
        out.records, out.sheet_rows = [], []
    elif not out.records:
        problems.append(Problem(where, message="工作表只有表头，没有数据行。", fix="从第 2 行起每行填写一条记录。导入不会用空表覆盖已有数据。"))
    return out


CALAMINE = (".xls", ".ods")  # read with python-calamine; .xlsx and .xlsm with openpyxl, which also sees formats and formulas


def open_sheet(path: Path, fits=None) -> tuple[Sheet | None, list[Problem]]:
    """The data sheet of a workbook (or a CSV file), or why it cannot be read. `fits`: see best_sheet."""
    kind = path.suffix.lower()
    try:
        if kind == ".csv":
            return read_csv_sheet(path), []
        return (read_calamine_sheet(path, fits) if kind in CALAMINE else read_sheet(path, fits)), []
    except Exception as e:  # a damaged or mislabelled file (each reader raises its own errors): said, never a traceback
        return None, [Problem(path.name, message=f"无法作为 Excel 工作簿打开（{type(e).__name__}）。",
                              fix="在 Excel 或 WPS 里另存为 .xlsx（“另存为 → Excel 工作簿(*.xlsx)”）后再上传。")]


def fits_resource(resource: dict):
    """How many of a header's labels are columns of `resource` (for best_sheet)."""
    labels = set(field_for_label(resource))
    return lambda header: len(header & labels)


def resource_named(meta: dict, name: str) -> dict | None:
    return next((r for r in meta["resources"] if r.get("name") == name), None)


def write(imported: Imported, descriptor: Path) -> Path:
    target = Path(descriptor).parent / imported.resource["path"]
    target.write_text(canonical(imported.records, imported.resource), encoding="utf-8", newline="")
    return target


def import_sheet(xlsx: Path, resource: dict, descriptor: Path = DESCRIPTOR) -> Imported:
    """Read and map the workbook; write the resource's CSV when the sheet has no problem."""
    sheet, found = open_sheet(Path(xlsx), fits_resource(resource))
    if sheet is None:
        return Imported(Path(xlsx).name, resource, problems=found)
    imported = map_sheet(Path(xlsx).name, sheet, resource)
    if sheet.index and not imported.problems:
        imported.notes.append(Problem(imported.where, message=f"数据取自第 {sheet.index + 1} 个工作表“{sheet.name}”（它的表头与这张表的列名对得上），"
                                      "前面的工作表没有导入。", fix="不用处理。以后最好把数据放在第一个工作表。"))
    elif sheet.sheets > 1 and imported.problems and not imported.letters and \
            fits_resource(resource)({label_key(c) for row in sheet.rows[:2] for c in row if c.strip()}) < 2:  # not a header with a slip
        imported.problems.append(Problem(imported.where, message=f"工作簿有 {sheet.sheets} 个工作表，读取的是第一个“{sheet.name}”，它的表头对不上。",
                                         fix="数据要放在第一个工作表：把数据所在的工作表拖到最前面（或删除前面的说明页），保存后再上传。"))
    if not imported.problems:
        write(imported, descriptor)
    return imported


def import_xlsx(xlsx: Path, resource_name: str, descriptor: Path = DESCRIPTOR) -> tuple[Path | None, list[Problem]]:
    """Write the resource's CSV from the sheet; return (the CSV written or None, the sheet's problems)."""
    descriptor = Path(descriptor)
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    resource = resource_named(meta, resource_name)
    if resource is None:
        names = "、".join(r.get("name", "?") for r in meta["resources"])
        return None, [Problem(descriptor.name, message=f"数据包中没有资源“{resource_name}”。", fix=f"--resource 只能是以下之一：{names}。")]
    imported = import_sheet(xlsx, resource, descriptor)
    return (None if imported.problems else descriptor.parent / resource["path"]), imported.problems


def in_workbook(found: list[Problem], imported: list[Imported]) -> list[Problem]:
    """The validator's problems in an imported file, said at the workbook's row and column letter (the rows the clerk has open)."""
    by_file = {i.resource["path"]: (i, i.csv_row_to_sheet_row()) for i in imported if not i.problems}
    out = []
    for p in found:
        if p.file not in by_file:
            out.append(p)
            continue
        sheet, rows = by_file[p.file]
        column = p.column
        name = re.search(r"（([A-Za-z_][A-Za-z0-9_]*)）$", p.column or "")
        if name and name.group(1) in sheet.letters:
            title = next((f.get("title", f["name"]) for f in sheet.resource["schema"]["fields"] if f["name"] == name.group(1)), name.group(1))
            column = f"{sheet.letters[name.group(1)]}（{title}）"
        row = rows.get(p.row, p.row) if p.row and p.row > 1 else p.row
        out.append(Problem(sheet.where, row, column, p.message, p.fix))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("xlsx", help="Excel 文件（.xlsx），读取第一个工作表")
    parser.add_argument("--resource", required=True, help="导入到哪个资源，如 services、observations")
    parser.add_argument("--descriptor", default=str(DESCRIPTOR), help="datapackage.json 的路径（默认：本项目的数据包）")
    args = parser.parse_args(argv)
    descriptor = Path(args.descriptor)
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    resource = resource_named(meta, args.resource)
    if resource is None:
        print(f"没有导入：\n\n1. {import_xlsx(Path(args.xlsx), args.resource, descriptor)[1][0].text()}\n")
        return 1
    before = snapshot(descriptor, meta)  # the same refusals as the inbox: no silent deletion, reversion or race
    imported = import_sheet(Path(args.xlsx), resource, descriptor)
    if not imported.problems:
        imported.problems += hold(descriptor, [(Path(args.xlsx), imported)], before).get(Path(args.xlsx).name, [])
    if imported.problems:
        print(f"没有导入：发现 {len(imported.problems)} 个问题，数据文件未改动。\n")
        for i, p in enumerate(imported.problems + imported.notes, 1):
            print(f"{i}. {p.text()}\n")
        return 1
    for p in imported.notes:
        print(f"提示：{p.text()}\n")
    print(f"已写入 {resource['path']}（{len(imported.records)} 条记录）。用 python -m scripts.office.diff 查看与 main 相比增加、删除和修改了什么。\n")
    found = in_workbook(package_problems(descriptor), [imported])
    if found:
        print(f"数据检查发现 {len(found)} 个问题：\n")
        for i, p in enumerate(found, 1):
            print(f"{i}. {p.text()}\n")
        return 1
    print("数据检查通过：没有发现问题。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
