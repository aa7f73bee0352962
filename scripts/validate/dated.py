"""Dated commitments: every commitment the text dates is a milestone, and a milestone is dated.

- A milestone (milestones.csv) is a commitment with a written year: its `year_text` writes the year in digits
  (2018年前, 到2020年, 2017年底). “十三五”期间 and 规划期内 are not written years (see statements: they name the plan's
  period), so a commitment dated only by them is not a milestone.
- The text is scanned for year phrases, as the target rule reads numbers: a year phrase that opens a clause (after
  the start of a paragraph, , ; 。 or 确保/力争, optionally with 到) — not 截至 (a baseline), not inside a name, range
  or date — dates the span up to the next ; or 。 or the next such phrase. That span is a commitment. Where any of it has no number (it has no
  digit, or it commits 所有 or 全部 of something) it must be a milestone: a milestone's quote holds the year phrase.
  Otherwise it is a set of numbers, and a target's or a milestone's quote must hold the year phrase.
"""
import re

from .corpus import normalize
from .problem import Problem, column_label
from .statements import YEAR

FILE = "milestones.csv"
DATED = re.compile(r"(?:(?<=^)|(?<=[,;。 \n])|(?<=确保)|(?<=力争))(?:到)?((?:19|20)[0-9]{2})年(?:底|前|末)?(?![0-9]{1,2}月)")
WHOLE = re.compile(r"所有|全部")


def spans(quote: str, text: str) -> list[tuple[int, int]]:
    q = normalize(quote)
    return [(m.start(), m.start() + len(q)) for m in re.finditer(re.escape(q), text)] if q else []


def dated_commitments(text: str) -> list[tuple[int, str, bool]]:
    """(position, the dated span, whether it must be a milestone) for every dated commitment of `text`."""
    out, found = [], list(DATED.finditer(text))
    for k, m in enumerate(found):
        ends = [j for c in ";。" if (j := text.find(c, m.end())) >= 0] + [x.start() for x in found[k + 1:k + 2]]
        span = text[m.start():min(ends) if ends else len(text)]
        rest = span[len(m[0]):]
        out.append((m.start(), span, not re.search(r"[0-9]", rest) or WHOLE.search(rest) is not None))
    return out


def dated_problems(descriptor: dict, tables: dict[str, list[dict]], texts: dict | None) -> list[Problem]:
    milestones = tables.get("milestones")
    if milestones is None:
        return []
    resource = next(r for r in descriptor["resources"] if isinstance(r, dict) and r.get("name") == "milestones")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    out = []
    for i, r in enumerate(milestones):
        year, year_text = (r.get("year") or "").strip(), (r.get("year_text") or "").strip()
        if year.isdigit() and year_text and not any(int(m[1]) == int(year) for m in YEAR.finditer(year_text)):
            out.append(Problem(FILE, i + 2, column_label(fields.get("year_text", {"name": "year_text"})),
                               f"“{year_text}”没有用数字写出 {year} 年；时间节点是原文写明年份的承诺。",
                               "原文只写“十三五”期间、规划期内的承诺没有写明年份，不列为时间节点，删除这一行；写明了年份的，把原文的写法（如“到2020年”）填在这里。"))
    if not texts:
        return out
    for doc in sorted({(r.get("source") or "").strip() for r in milestones} - {""}):
        text = texts.get(doc)
        if text is None:
            continue
        held = lambda rows: [s for r in rows if (r.get("source") or "").strip() == doc for s in spans(r.get("quote", ""), text)]
        by_milestone, by_any = held(milestones), held(milestones) + held(tables.get("targets", []))
        for at, span, needs_milestone in dated_commitments(text):
            covered = any(a <= at < b for a, b in (by_milestone if needs_milestone else by_any))
            if not covered:
                shown = span if len(span) <= 80 else span[:80] + "…"
                out.append(Problem(FILE, message=f"文件 {doc} 中“{shown}”是写明年份的承诺，但没有对应的时间节点。",
                                   fix="在 milestones.csv 增加一行：事项和年份写法摘自这句话，原文摘录填写整句；" +
                                       ("这句话有数字的部分同时收录为指标。" if needs_milestone else "或把其中的数字收录为指标（targets.csv）。")))
    return out
