"""How a target's number is read from its sentence, beyond "the number is in the quote" (rules.whole_number_in):

- a code-list value never starts with = + - @, so no spreadsheet reads it as a formula (every enum in the schema);
- a comparator follows the order of the scale, not of the digits: for a unit the schema names in `rankUnits` (级: 一级
  is the highest, so “二级以上” is grade 2 or 1) only 等于 or 等级或更高 may be used, and 等级或更高 only there;
- a value is the number written with its unit (“99%”, “100个病种”: a measure word 个 may come between), so the 九 of
  “九年义务教育” is not the 9 of a mistyped 99;
- a count of the items of a list (“……等12项工作”) and a numeral inside a quoted name (“六路安居”) are not quantities;
- one spelling per unit: no brackets (“人(次)” is 人次), and no two units that differ only by brackets.
"""
import re

from .corpus import normalize
from .numbers import number_forms, whole_number_spans
from .problem import Problem, column_label

FORMULA_START = ("=", "+", "-", "@")
RANK_CODES = ("等于", "等级或更高")
RANK_ONLY = "等级或更高"
BRACKETS = re.compile(r"[()（）\[\]【】]")

col = column_label


def code_problems(descriptor: dict) -> list[Problem]:
    """No value of any code list (a field's `enum`) may start with a character a spreadsheet reads as a formula."""
    out = []
    for r in descriptor.get("resources", []):
        if not isinstance(r, dict):
            continue
        for f in r.get("schema", {}).get("fields", []):
            for v in (f.get("constraints") or {}).get("enum") or []:
                if isinstance(v, str) and v.startswith(FORMULA_START):
                    out.append(Problem("datapackage.json", message=f"资源 {r.get('name')} 的字段 {f.get('name')} 的代码“{v}”以 {v[0]} 开头，"
                                       "Excel 和 WPS 会把它当作公式，下载的表格里会变成别的内容。",
                                       fix="把代码改为不以 = + - @ 开头的文字（如“等于”），同时修改数据中用到它的单元格和字段说明。"))
    return out


def _numeral_positions(value: str, quote: str) -> list[tuple[int, int]]:
    return [span for form in number_forms(value) for span in whole_number_spans(form, quote)]


def target_reading_problems(rel, row, line, record: dict, fields: dict) -> list[Problem]:
    """The rules above that look at one row of a table with `comparator` and `unit` (targets)."""
    if "comparator" not in fields or "unit" not in fields:
        return []
    out = []
    comparator, unit = (record.get("comparator") or "").strip(), (record.get("unit") or "").strip()
    ranks = fields["comparator"].get("rankUnits") or []
    if unit in ranks and comparator and comparator not in RANK_CODES:
        out.append(Problem(rel, row, col(fields["comparator"]), f"单位“{unit}”是等级，一级最高，数字越小等级越高；“{comparator}”会被读反。",
                           f"“二级以上”这类说法填“{RANK_ONLY}”，正好是这一级的填“等于”。", line))
    elif comparator == RANK_ONLY and unit not in ranks:
        out.append(Problem(rel, row, col(fields["comparator"]), f"“{RANK_ONLY}”只用于等级（单位：{'、'.join(ranks) or '无'}），这一行的单位是“{unit}”。",
                           "数量用 等于、≥、≤ 或 约。", line))
    if BRACKETS.search(unit):
        plain = BRACKETS.sub("", unit)
        out.append(Problem(rel, row, col(fields["unit"]), f"单位“{unit}”带了括号；同一个单位全表只用一种写法。",
                           f"单位填“{plain}”，在“口径说明”写明原文写作“{unit}”。", line))
    value, quote = (record.get("value") or "").strip(), record.get("quote") or ""
    q = normalize(quote)
    spans = _numeral_positions(value, quote) if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value) else []
    if spans and unit and not any(BRACKETS.sub("", q[end:end + len(unit) + 4]).startswith((unit, "个" + unit)) for _, end in spans):
        out.append(Problem(rel, row, col(fields["value"]), f"摘录中没有写着单位“{unit}”的 {value}（数值要与它的单位连在一起，如“99%”“100个病种”）。",
                           "核对数值和单位：填摘录中紧挨着单位的那个数；“九年义务教育”里的“九”不是“99%”的数。", line))
    for start, end in spans:
        if q[max(0, start - 1):start] == "等":
            out.append(Problem(rel, row, col(fields["value"]), f"“{q[max(0, start - 8):end + 3]}”数的是前面列出的几项，不是要达到的数量。",
                               "删除这一行（收录规则：名单的项数不是指标）；列出的各项可以在任务中查看。", line))
            break
        opened, closed = q.rfind("“", 0, start), q.rfind("”", 0, start)
        if not q[start:end].isascii() and opened > closed:
            out.append(Problem(rel, row, col(fields["value"]), f"{q[opened:q.find('”', start) + 1]}里的数字是名称的一部分，不是数量。",
                               "删除这一行（收录规则：名称组成部分的计数不是指标）。", line))
            break
    return out


def unit_spelling_problems(rel: str, records: list[dict], fields: dict) -> list[Problem]:
    """Two units that differ only by brackets or spaces are one unit spelled two ways (a bracketed one is also reported
    on its own row, by target_reading_problems)."""
    if "unit" not in fields:
        return []
    seen, out = {}, []
    for i, r in enumerate(records):
        unit = (r.get("unit") or "").strip()
        key = re.sub(r"\s", "", BRACKETS.sub("", unit))
        if key in seen and seen[key][0] != unit:
            out.append(Problem(rel, i + 2, col(fields["unit"]), f"单位“{unit}”与第 {seen[key][1]} 行的“{seen[key][0]}”是同一个单位的两种写法。",
                               f"统一写作“{key}”。"))
        seen.setdefault(key, (unit, i + 2))
    return out
