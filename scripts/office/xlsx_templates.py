"""Write one Excel template per resource from the Table Schema and the current rows as the CSV files write them (the
package as scripts.package.load read it) → <docs>/contribute/templates/<resource>.xlsx.

Sheet 1 has the Chinese titles as its one header row, then the current rows, every cell as text (leading zeros stay);
text columns are formatted as text, enum columns get a drop-down list. Sheet 2 (“说明”) lists every field's title,
name, type, requirements and description, and the data version the rows are from (模板数据版本：…), which the inbox
reads to refuse a workbook that would revert later changes (scripts.office.guard). Data text is always written as text,
never as a formula. `python -m scripts.office.import_xlsx` reads the filled sheet back. The bytes are the same on every
build (fixed workbook and zip timestamps).
"""
import argparse
import datetime
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import cache
from ..package import load
from ..paths import BUILD_DOCS, DESCRIPTOR
from ..publish.formats import workbook_bytes

DATED = datetime.date(2017, 12, 19)  # the plan's date: every template carries it, so rebuilding changes no byte
TEXT = "@"
TYPES = {"string": "文字", "integer": "整数（半角）", "number": "数字（半角，不带单位）", "date": "日期（年-月-日，如 2017-12-19）",
         "list": "列表", "boolean": "是/否"}
BLANK_ROWS = 500  # rows below the data that keep the drop-down lists (the text format covers the whole column)
HEAD = Font(bold=True)
FILL = PatternFill("solid", fgColor="DDE6F5")


def requirements(field: dict) -> str:
    """A field's constraints in plain Chinese."""
    c, out = field.get("constraints", {}), []
    out.append("必填" if c.get("required") else "可留空")
    if "enum" in c:
        out.append("只能填：" + "、".join(map(str, c["enum"])))
    if "pattern" in c:
        out.append(f"格式：{c['pattern']}")
    if "minimum" in c or "maximum" in c:
        out.append(f"范围：{c.get('minimum', '')}–{c.get('maximum', '')}")
    if c.get("unique"):
        out.append("不能重复")
    if field.get("type") == "list":
        out.append(f"多项以“{field.get('delimiter', ',')}”分隔")
    if field.get("format") == "uri":
        out.append("网址（http:// 或 https:// 开头）")
    return "；".join(out)


def current_rows(text: list[dict[str, str]], resource: dict) -> list[list[str]]:
    """The resource's rows as the CSV file writes them, in schema column order."""
    names = [f["name"] for f in resource["schema"]["fields"]]
    return [[r.get(n) or "" for n in names] for r in text]


VERSION_LINE = "模板数据版本：{version}"  # read back by scripts.office.guard: what the rows were when the template was made


def workbook(resource: dict, rows: list[list[str]], version: str | None = None) -> Workbook:
    fields = resource["schema"]["fields"]
    wb = Workbook()
    ws = wb.active
    ws.title = resource.get("title", resource["name"])[:31]
    for r, row in enumerate([[f.get("title", f["name"]) for f in fields]] + rows, 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(r, c)
            cell.value = value
            cell.data_type = "s"  # text as text: "=…" from the data must not become a formula
    last = len(rows) + 1 + BLANK_ROWS
    for i, f in enumerate(fields, 1):
        col = get_column_letter(i)
        head = ws.cell(1, i)
        head.font, head.fill, head.number_format = HEAD, FILL, TEXT
        if f.get("type") not in ("integer", "number"):
            ws.column_dimensions[col].number_format = TEXT  # rows typed below the data: Excel applies the column's format
            for r in range(2, len(rows) + 2):
                ws.cell(r, i).number_format = TEXT
        longest = max([len(f.get("title", ""))] + [len(v) for row in rows for v in row[i - 1:i]])
        ws.column_dimensions[col].width = max(10, min(60, 2 * longest + 2))
        enum = [str(v) for v in f.get("constraints", {}).get("enum", [])]
        formula = '"' + ",".join(enum) + '"'
        if enum and not any("," in v or '"' in v for v in enum) and len(formula) <= 257:
            dv = DataValidation(type="list", formula1=formula, allow_blank=not f.get("constraints", {}).get("required"))
            dv.error, dv.errorTitle = "只能从下拉列表中选择：" + "、".join(enum), "不是允许的值"
            dv.prompt, dv.promptTitle = f.get("description", "")[:255], f.get("title", "")[:32]
            ws.add_data_validation(dv)
            dv.add(f"{col}2:{col}{last}")
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("说明")
    notes.append(["列名（中文）", "字段名", "类型", "要求", "说明"])
    for f in fields:
        kind = TYPES.get(f.get("type"), f.get("type", ""))
        notes.append([f.get("title", ""), f["name"], kind, requirements(f), f.get("description", "")])
    notes.append([])
    stamp = [VERSION_LINE.format(version=version) + "（导入时据此发现模板生成以后别人改过的行，请不要改动这一行）"] if version else []
    for line in stamp + [
                 f"本表对应数据包中的 {resource['path']}（{resource.get('title', '')}）：{resource.get('description', '')}",
                 "第一个工作表的第 1 行是列名，不要修改、合并或在上方插入标题行；从第 2 行起每行一条记录。",
                 "模板已含生成时的全部数据：在此基础上修改，或在末尾增加行。导入会用本表替换整张表，所以请保留所有的行；"
                 "只含几行的工作簿会被拒绝（不会删除其他行）。",
                 "要删除某一行：在本表中删掉这一行，并在版本记录（changes）新增一行的“说明”里写上它的编号，如“删除 S090、S091”（编号只是举例）；"
                 "说明里没有写的编号，检查会拒绝删除。",
                 "模板生成以后数据又有了新版本时，请到网站“参与更新”页面下载最新的模板再修改，否则检查会拒绝导入（以免改回别人的修改）。",
                 f"提交：把本文件（文件名用表名，如 {resource['name']}.xlsx）上传到 GitHub 仓库的 inbox 文件夹并打开拉取请求，检查会自动导入（见网站“参与更新”页面）。",
                 f"维护人员在命令行导入：.venv/bin/python -m scripts.office.import_xlsx {resource['name']}.xlsx --resource {resource['name']}"]:
        notes.append([line])
    for cell in notes[1]:
        cell.font, cell.fill = HEAD, FILL
    for col, width in zip("ABCDE", (18, 22, 22, 40, 80)):
        notes.column_dimensions[col].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.properties.creator = "四平市基本公共服务开放数据"
    wb.properties.title = f"{resource.get('title', resource['name'])}（{resource['name']}）导入模板"
    return wb


def write_templates(data: dict, out_docs: Path = BUILD_DOCS) -> list[Path]:
    """Write every resource's template under out_docs/contribute/templates/ from the loaded package
    (scripts.package.load); return the files written."""
    folder = Path(out_docs) / "contribute" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for resource in data["meta"]["resources"]:
        path = folder / f"{resource['name']}.xlsx"
        rows = current_rows(data["csv_text"].get(resource["name"], []), resource)
        version = data["meta"].get("version")
        path.write_bytes(cache.made("template", (resource, rows, version, DATED), lambda: workbook_bytes(workbook(resource, rows, version), DATED)))
        written.append(path)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("descriptor", nargs="?", default=str(DESCRIPTOR))
    parser.add_argument("--out", default=str(BUILD_DOCS), help="网站文档目录（模板写入其中的 contribute/templates/）")
    args = parser.parse_args(argv)
    print(f"已生成 {len(write_templates(load(Path(args.descriptor)), Path(args.out)))} 个 Excel 模板。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
