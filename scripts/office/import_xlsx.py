"""Import an Excel sheet into the package: FILE.xlsx (first sheet, one header row of Chinese titles) → datapackage/<resource>.csv.

The header is mapped to the schema's fields through each field's `title` (the field names are accepted too), so no
hand-kept list of columns exists. Every cell is read as text exactly as it is shown: leading zeros stay, nothing is
type-guessed. Problems in the sheet (a merged or two-row header, unknown, missing or repeated columns, full-width
digits in number columns) are reported in Chinese with the sheet's column letter and row, and the CSV is then left
untouched. Otherwise the canonical CSV (sorted, LF, trimmed, schema column order) is written and the whole package
is validated. Exit 0 when the package has no problems, 1 otherwise.
"""
import argparse
import csv
import datetime
import io
import difflib
import json
import re
import sys
from pathlib import Path

from .normalise import canonical
from ..paths import DESCRIPTOR
from ..validate.problem import Problem
from ..validate.rules import FULLWIDTH

SPACE = re.compile(r"\s+")


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


def label_key(label: str) -> str:
    return SPACE.sub("", label)


def read_sheet(path: Path):
    """(sheet name, rows of text cells, merged ranges as (first row, first column, "A1:C1")) of the workbook's first sheet."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, data_only=True)
    sheet = workbook.worksheets[0]
    rows = [[text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    width = max((i + 1 for row in rows for i, c in enumerate(row) if c.strip()), default=0)
    rows = [row[:width] + [""] * (width - len(row)) for row in rows]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return sheet.title, rows, sorted((r.min_row, r.min_col, str(r)) for r in sheet.merged_cells.ranges)


def map_sheet(name: str, sheet: str, rows: list[list[str]], merged: list[str], resource: dict) -> tuple[list[dict], list[Problem]]:
    """The sheet's data rows as records keyed by field name, or the reasons it cannot be mapped."""
    from openpyxl.utils import get_column_letter as letter

    where = f"{name}（工作表“{sheet}”）"
    fields = resource["schema"]["fields"]
    by_label = {}
    for f in fields:
        by_label[label_key(f["name"])] = f
        by_label[label_key(f.get("title", f["name"]))] = f
    titles = "、".join(f"“{f.get('title', f['name'])}”" for f in fields)
    if not rows:
        return [], [Problem(where, message="工作表是空的。", fix=f"第 1 行填写列名（{titles}），从第 2 行起每行一条记录；可从“参与更新”页面下载模板。")]
    problems = []
    top = [cells for row, _, cells in merged if row <= 2]
    if top:
        problems.append(Problem(where, 1, None, f"表头有合并单元格（{'、'.join(top)}）；表头只能有一行，每列一个列名。",
                                "取消合并单元格，删除表头上方的标题或分组行，让第 1 行正好是各列的中文列名（与模板一致）。"))
    for row, col, cells in merged:
        if row > 2:
            problems.append(Problem(where, row, letter(col), f"{cells} 是合并单元格，只有左上角一格有内容，其余各行会是空的。",
                                    "取消合并单元格，并在每一行填写完整的内容。"))
    header = rows[0]
    matched = sum(1 for label in header if label_key(label) in by_label)
    second = sum(1 for label in (rows[1] if len(rows) > 1 else []) if label_key(label) in by_label)
    if second > matched:
        problems.append(Problem(where, 2, None, "表头占了两行：第 2 行才是列名。", "删除第 1 行（标题或分组行），让第 1 行正好是各列的中文列名。"))
        return [], problems
    columns, seen = {}, {}
    for i, label in enumerate(header):
        col = letter(i + 1)
        key = label_key(label)
        if not key:
            if any(len(r) > i and r[i].strip() for r in rows[1:]):
                problems.append(Problem(where, 1, col, "这一列有数据，但没有列名。", f"在第 1 行填写列名（应为以下之一：{titles}），或删除这一列。"))
            continue
        field = by_label.get(key)
        if field is None:
            guess = difflib.get_close_matches(key, [label_key(f.get("title", f["name"])) for f in fields], n=1, cutoff=0.5)
            hint = f"是不是“{guess[0]}”？" if guess else ""
            problems.append(Problem(where, 1, col, f"列名“{label.strip()}”不在表结构中。{hint}",
                                    f"改为表结构中的中文列名（{titles}），或删除这一列。新增一列需要先在 datapackage.json 中定义该字段。"))
            continue
        if field["name"] in seen:
            problems.append(Problem(where, 1, col, f"列名“{label.strip()}”与 {seen[field['name']]} 列重复。", "每个字段只能有一列；删除重复的一列。"))
            continue
        seen[field["name"]] = col
        columns[i] = field
    for f in fields:
        if f["name"] not in seen:
            problems.append(Problem(where, 1, None, f"缺少“{f.get('title', f['name'])}”（{f['name']}）列。",
                                    f"增加这一列（{f.get('description', '')}）；没有内容的格子可以留空。"))
    if problems:
        return [], problems
    records = []
    for r, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        record = {}
        for i, field in columns.items():
            value = row[i] if i < len(row) else ""
            if field.get("type") in ("number", "integer") and FULLWIDTH.search(value):
                problems.append(Problem(where, r, letter(i + 1), f"“{field.get('title')}”列的“{value.strip()}”用了全角数字或符号。",
                                        "改为半角数字，如 1000、5.16（切换到英文输入法后输入）。"))
            record[field["name"]] = value
        records.append(record)
    if not records and not problems:
        problems.append(Problem(where, message="工作表只有表头，没有数据行。", fix="从第 2 行起每行填写一条记录。导入不会用空表覆盖已有数据。"))
    return (records if not problems else []), problems


def import_xlsx(xlsx: Path, resource_name: str, descriptor: Path = DESCRIPTOR) -> tuple[Path | None, list[Problem]]:
    """Write the resource's CSV from the sheet; return (the CSV written or None, the sheet's problems)."""
    xlsx, descriptor = Path(xlsx), Path(descriptor)
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    resource = next((r for r in meta["resources"] if r.get("name") == resource_name), None)
    if resource is None:
        names = "、".join(r.get("name", "?") for r in meta["resources"])
        return None, [Problem(descriptor.name, message=f"数据包中没有资源“{resource_name}”。", fix=f"--resource 只能是以下之一：{names}。")]
    try:
        sheet, rows, merged = read_sheet(xlsx)
    except Exception as e:  # not a workbook, or a damaged one: say so, touch nothing
        return None, [Problem(xlsx.name, message=f"无法作为 Excel 工作簿打开（{type(e).__name__}）。",
                              fix="在 Excel 中“另存为 → Excel 工作簿(*.xlsx)”后再导入；不支持旧的 .xls 格式。")]
    records, problems = map_sheet(xlsx.name, sheet, rows, merged, resource)
    if problems:
        return None, problems
    target = descriptor.parent / resource["path"]
    target.write_text(canonical(records, resource), encoding="utf-8", newline="")
    return target, []


def main(argv=None) -> int:
    from ..validate import problems as package_problems

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("xlsx", help="Excel 文件（.xlsx），读取第一个工作表")
    parser.add_argument("--resource", required=True, help="导入到哪个资源，如 services、observations")
    parser.add_argument("--descriptor", default=str(DESCRIPTOR), help="datapackage.json 的路径（默认：本项目的数据包）")
    args = parser.parse_args(argv)
    written, found = import_xlsx(Path(args.xlsx), args.resource, Path(args.descriptor))
    if written is None:
        print(f"没有导入：发现 {len(found)} 个问题，数据文件未改动。\n")
        for i, p in enumerate(found, 1):
            print(f"{i}. {p.text()}\n")
        return 1
    count = sum(1 for _ in csv.reader(io.StringIO(written.read_text(encoding="utf-8")))) - 1
    print(f"已写入 {written.name}（{count} 条记录）。用 python -m scripts.office.diff 查看与 main 相比增加、删除和修改了什么。\n")
    found = package_problems(Path(args.descriptor))
    if found:
        print(f"数据检查发现 {len(found)} 个问题：\n")
        for i, p in enumerate(found, 1):
            print(f"{i}. {p.text()}\n")
        return 1
    print("数据检查通过：没有发现问题。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
