"""What a target's sentence states: its year, 累计 and 每年. The sentence is the quote widened to the source's sentence
marks (。); its paragraph is the text from the previous paragraph end (。 followed by a line break) up to the quote.

Years: a year is written when the text writes it in digits (2020年, 到2020年, 2020年底, 2018年前). “十三五”末, “十三五”
期间 and 规划期内 are not written years: they name the plan's period, which ends at the plan's end year (the schema's
`year` maximum), and are recorded as 规划期末 — for targets and milestones alike. A year written earlier in the same
paragraph governs the sentences after it: the row is 原文载明 and `year_quote` holds the clause that writes it. A
row marked 规划期末 whose sentence or paragraph writes a year is refused. 累计 and 每年 must be the sentence's own words."""
import re

from .corpus import find, normalize
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


# a year written as a time, not inside a name, a range or a date: not “(2016-2020年)”, “(2011年)”, “2017年12月19日”
YEAR = re.compile(r"(?<![0-9(（\-])((?:19|20)[0-9]{2})年(?![0-9]{1,2}月)")


def states_year(sent: str, year: int) -> bool:
    return any(int(m[1]) == year for m in YEAR.finditer(sent))


def before_in_paragraph(quote: str, text: str) -> str:
    """The text of the quote's paragraph before the quote ("" if the quote is not in the text)."""
    q = normalize(quote)
    i = text.find(q)
    if i < 0:
        return ""
    return text[text.rfind("。\n", 0, i) + 2 if text.rfind("。\n", 0, i) >= 0 else 0:max(text.rfind(c, 0, i) for c in ENDS) + 1]


def governing_clause(text: str, at: int) -> str:
    """The clause of `text` that holds position `at`: from the previous 。/; (or the start) to the next 。/;."""
    start = max(text.rfind(c, 0, at) for c in "。;") + 1
    ends = [j for c in "。;" if (j := text.find(c, at)) >= 0]
    return text[start:min(ends) if ends else len(text)].strip()


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
    before = before_in_paragraph(record.get("quote", ""), text)
    year_quote = (record.get("year_quote") or "").strip()
    if year_quote and "year_quote" in fields and not (find(year_quote, before) and states_year(normalize(year_quote), year)):
        out.append(Problem(rel, row, col(fields["year_quote"]), f"“{year_quote[:60]}”不是同一段中、摘录之前写明 {year} 年的原文。",
                           "填写同一段中摘录之前、写明这个年份的那一分句（逐字复制）；年份写在摘录的句子里的，留空。", line))
    if basis == "原文载明" and not states_year(sent, year) and not year_quote:
        written = [int(m[1]) for m in YEAR.finditer(before)]
        hint = (f"同一段前面写了 {written[-1]} 年：在“年份摘录”填写写明年份的那一分句。" if year in written else
                f"句子和同一段前文都没有写年份的（“十三五”末、“十三五”期间不是写明的年份），年份依据填“规划期末”、年份填 {plan_end}；写了别的年份的，把年份改为那个年份。")
        out.append(Problem(rel, row, col(fields["year_basis"]), f"填了“原文载明”，但摘录所在的句子“{shown}”没有写 {year} 年。", hint, line))
    elif basis == "规划期末" and year != plan_end:
        out.append(Problem(rel, row, col(fields["year"]), f"年份依据是“规划期末”，年份却是 {year}。", f"规划期末的年份是 {plan_end}。", line))
    elif basis == "规划期末" and YEAR.search(sent):
        out.append(Problem(rel, row, col(fields["year_basis"]), f"填了“规划期末”，但句子“{shown}”写了年份。",
                           "年份依据改为“原文载明”，年份填句中的年份。", line))
    elif basis == "规划期末" and (m := list(YEAR.finditer(before))):
        clause = governing_clause(before, m[-1].start())
        out.append(Problem(rel, row, col(fields["year_basis"]), f"填了“规划期末”，但同一段前面写了 {m[-1][1]} 年（“{clause[:60]}”），这句话在它之下。",
                           f"年份依据改为“原文载明”，年份填 {m[-1][1]}，“年份摘录”填“{clause}”。", line))
    period = (record.get("period") or "").strip()
    if period in PERIOD_WORDS and not any(w in sent for w in PERIOD_WORDS[period]):
        out.append(Problem(rel, row, col(fields["period"]), f"口径填了“{period}”，但句子“{shown}”没有“{'”或“'.join(PERIOD_WORDS[period])}”。",
                           "原文没有说明口径的，填“未写明”；某一时点的水平填“时点”。", line))
    return out
