"""Frictionless's report, translated into the editor's terms: file, Excel row, Chinese column title, what is wrong, how to fix it."""
import re

from .problem import Problem, column_label
from ..package import natural_key

TYPES = {"number": "数字", "integer": "整数", "date": "日期（如 2017-12-19）", "list": "列表", "string": "文字", "boolean": "是/否"}
FIXES = {"number": "只填半角数字，如 95 或 5.16；单位写在“单位”列。", "integer": "只填半角整数，如 2020。",
         "date": "日期写成 年-月-日，如 2017-12-19。在 Excel 中可把单元格格式设为“文本”后再输入。"}


def half_width(text: str) -> str:
    """Full-width letters, digits and signs (Ｓ０８３, －) and the ideographic space as their half-width form."""
    return "".join(" " if c == "\u3000" else chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text)


def full_width(cell: str, fix: str) -> tuple[str, str] | None:
    """(message, fix) when a code was typed with the full-width (全角) keyboard, else None."""
    if not any("\uff01" <= c <= "\uff5e" for c in cell):  # an ideographic space alone is said by the space rule
        return None
    half = half_width(cell).strip()
    return (f"“{cell}”用了全角（中文输入法）字母或数字，半角写法是“{half}”。",
            f"改为“{half}”：切换到英文输入法（或按 Shift+空格切换到半角）后重新输入。{fix}")


def _field(resource: dict, name: str | None) -> dict:
    return next((f for f in resource["schema"]["fields"] if f.get("name") == name), {"name": name or "?"})


_col = column_label


def translate(error, resource: dict, lines: list[int], ids: dict[str, set[str]] | None = None) -> Problem | None:
    """One Frictionless error as a Problem; None for errors the raw checks already report. `ids`: each table's ids, listed
    in a foreign-key message as the values allowed."""
    rel = resource.get("path", resource.get("name", "?"))
    row = getattr(error, "row_number", None)
    line = lines[row - 1] if row and row - 1 < len(lines) else row
    field = _field(resource, getattr(error, "field_name", None))
    cell = str(getattr(error, "cell", "") or "")
    kind = error.type
    if kind in ("type-error",):
        if field.get("type") in ("number", "integer") or field.get("format") == "uri":
            return None  # reported by the project's number and web-address rules, with a more precise hint
        return Problem(rel, row, _col(field), f"“{cell}”不是{TYPES.get(field.get('type'), field.get('type'))}。", FIXES.get(field.get("type"), "按该列说明填写。"), line)
    if kind == "constraint-error":
        c = field.get("constraints", {})
        note = error.note
        if '"required"' in note:
            return Problem(rel, row, _col(field), "这一格不能为空。", f"请填写：{field.get('description', '')}", line)
        if '"enum"' in note:
            return Problem(rel, row, _col(field), f"“{cell}”不是允许的值。", f"只能填以下之一：{'、'.join(map(str, c.get('enum', [])))}。", line)
        if '"pattern"' in note:
            if said := full_width(cell, field.get("description", "")):
                return Problem(rel, row, _col(field), *said, line)
            return Problem(rel, row, _col(field), f"“{cell}”不符合编号格式。", f"{field.get('description', '')}", line)
        if '"minimum"' in note or '"maximum"' in note:
            return Problem(rel, row, _col(field), f"“{cell}”超出允许范围（{c.get('minimum', '')}–{c.get('maximum', '')}）。", f"{field.get('description', '')}", line)
        if '"unique"' in note:
            return Problem(rel, row, _col(field), f"“{cell}”与其他行重复。", "这一列的值不能重复。", line)
        if "Length" in note:
            return Problem(rel, row, _col(field), "内容长度不符合要求。", f"{field.get('description', '')}", line)
        return Problem(rel, row, _col(field), f"“{cell}”不符合要求（{note}）。", f"{field.get('description', '')}", line)
    if kind in ("primary-key", "unique-error"):
        first = re.search(r"position \"?(\d+)", error.note)
        same = f"（与第 {first.group(1)} 行相同）" if first else ""
        key = "、".join(str(c) for c in (error.cells or [])[:1])
        return Problem(rel, row, _col(_field(resource, resource["schema"].get("primaryKey", [None])[0])),
                       f"编号重复了{same}。", "每个编号只能用一次；新增项目请用下一个未用过的编号，已停用的编号也不能复用。", line)
    if kind == "foreign-key":
        names = getattr(error, "field_names", []) or []
        f = _field(resource, names[0] if names else None)
        value = "、".join(str(c) for c in (getattr(error, "field_cells", []) or []))
        ref = getattr(error, "reference_name", "") or "?"
        allowed = "、".join(sorted((ids or {}).get(ref, ()), key=natural_key))
        if (said := full_width(value, "")) and half_width(value) in (ids or {}).get(ref, ()):
            return Problem(rel, row, _col(f), *said, line)
        return Problem(rel, row, _col(f), f"“{value}”不是允许的值：{ref}.csv 中没有这个编号。",
                       (f"只能填以下之一：{allowed}。" if allowed else f"只能填 {ref}.csv 中已有的编号。") + f"如果是新项目，先在 {ref}.csv 中增加它。", line)
    if kind == "missing-cell":
        return Problem(rel, row, _col(field), "这一行的单元格比表头少（少了这一列）。", "检查这一行是否漏了逗号；含逗号的内容要用英文双引号括起来。", line)
    if kind == "extra-cell":
        return Problem(rel, row, None, "这一行的单元格比表头多。", "检查这一行是否多了逗号；内容中含逗号时，整格要用英文双引号括起来。", line)
    if kind == "blank-row":
        return Problem(rel, row, None, "这是一个空行。", "删除这一行。", line)
    if kind in ("incorrect-label", "missing-label", "extra-label", "duplicate-label", "blank-label"):
        return Problem(rel, 1, getattr(error, "label", None), "表头与表结构不一致。", "表头必须与 datapackage.json 中的字段名一致。", 1)
    return Problem(rel, row, None, f"数据无法读取（{error.title}：{error.note}）。", "检查文件格式是否为 UTF-8 编码的 CSV。", line)
