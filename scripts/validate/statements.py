"""What a target's sentence states: a year marked 原文载明 must be written in the sentence, a 规划期末 year is the plan's end
and is not; 累计 and 每年 must be the sentence's own words. The sentence is the quote widened to the source's sentence marks."""
import re

from .corpus import normalize
from .problem import Problem, column_label

ENDS = "。"
PERIOD_WORDS = {"累计": ("累计", "期间"), "每年": ("每年", "年均")}


col = column_label


def sentence(quote: str, text: str) -> str | None:
    """The whole sentence of `text` around `quote` (from the previous 。/; to the next one), or None if it is not there."""
    q = normalize(quote)
    i = text.find(q)
    if i < 0:
        return None
    start = max(text.rfind(c, 0, i) for c in ENDS) + 1
    ends = [j for c in ENDS if (j := text.find(c, i + len(q))) >= 0]
    return text[start:min(ends) if ends else len(text)]


def states_year(sent: str, year: int, plan_end: int | None) -> bool:
    return f"{year}年" in sent or (year == plan_end and re.search(r"“十三五”(期间|末|时期)", sent) is not None)


def target_problems(rel, row, line, record, fields, text: str | None) -> list[Problem]:
    if text is None or "year_basis" not in fields:
        return []
    sent = sentence(record.get("quote", ""), text)
    basis, year = (record.get("year_basis") or "").strip(), (record.get("year") or "").strip()
    if sent is None or not year.isdigit():
        return []
    year, out = int(year), []
    plan_end = fields.get("year", {}).get("constraints", {}).get("maximum")
    shown = sent if len(sent) <= 60 else sent[:60] + "…"
    if basis == "原文载明" and not states_year(sent, year, plan_end):
        out.append(Problem(rel, row, col(fields["year_basis"]), f"填了“原文载明”，但摘录所在的句子“{shown}”没有写 {year} 年。",
                           f"句子没有写年份的，年份依据填“规划期末”、年份填 {plan_end}；写了别的年份的，把年份改为句中的年份。", line))
    elif basis == "规划期末" and year != plan_end:
        out.append(Problem(rel, row, col(fields["year"]), f"年份依据是“规划期末”，年份却是 {year}。", f"规划期末的年份是 {plan_end}。", line))
    elif basis == "规划期末" and re.search(r"(19|20)[0-9]{2}年", sent):
        out.append(Problem(rel, row, col(fields["year_basis"]), f"填了“规划期末”，但句子“{shown}”写了年份。",
                           "年份依据改为“原文载明”，年份填句中的年份。", line))
    period = (record.get("period") or "").strip()
    if period in PERIOD_WORDS and not any(w in sent for w in PERIOD_WORDS[period]):
        out.append(Problem(rel, row, col(fields["period"]), f"口径填了“{period}”，但句子“{shown}”没有“{'”或“'.join(PERIOD_WORDS[period])}”。",
                           "原文没有说明口径的，填“未写明”；某一时点的水平填“时点”。", line))
    return out
