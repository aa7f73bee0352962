"""The one Jinja2 environment: scripts/templates/*.j2 with the filters that keep data text literal.

Every value from the data passes through `md` (in Markdown) or `h` (in raw HTML), so text in the data is always shown
as text: never as Markdown, HTML or template syntax. Used by the site's pages (scripts.site) and by the download
files that carry text (scripts.publish: the ZIP's README, the download page).
"""
import html
import re

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined

from .paths import TEMPLATES

MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md(value) -> str:
    """Data text → Markdown that displays exactly that text (escaped for Markdown, then for HTML)."""
    if value is None:
        return ""
    text = MD_SPECIAL.sub(r"\\\1", str(value).replace("\r", ""))
    text = html.escape(text, quote=True)
    return "<br>".join(line.strip() for line in text.split("\n"))


def h(value) -> str:
    """Data text inside raw HTML (element content or attribute)."""
    return html.escape(str(value or ""), quote=True)


def num(value) -> str:
    if value is None or value == "":
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


PLAN_PERIOD = "规划期内，未写明年份"


def figure(g: dict, space: str = "") -> str:
    """A target's figure, the one way every page and chart says it: comparator, value, unit ("约90%", "≥95 %"). The
    comparator codes are the schema's (targets.comparator): 等于 shows no sign, 等级或更高 follows the value ("2级或更高等级":
    a grade scale runs the other way from its digits). Plain text: the template escapes it for where it goes (| md or | h)."""
    comparator = g.get("comparator") or "等于"
    shown = f"{num(g.get('value'))}{space}{g.get('unit') or ''}"
    if comparator == "等级或更高":
        return f"{shown}或更高等级"
    return shown if comparator == "等于" else f"{comparator}{shown}"


def year(g: dict) -> str:
    """A record's year, the one way every page, table and chart says it: "2020年" when the text writes it, and
    "规划期内，未写明年份" for a target whose `year_basis` is 规划期末 (the year column then holds the plan's end, which the
    text does not write). Records without `year_basis` (milestones, observations) state their year."""
    if g.get("year_basis") == "规划期末":
        return PLAN_PERIOD
    return f"{g.get('year')}年" if g.get("year") not in (None, "") else ""


class _Compiled(BytecodeCache):
    """Each template compiled once per process (until its source changes), whichever environment asks: every render
    makes an environment of its own, and compiling the templates took most of a render's time."""

    def __init__(self):
        self.codes = {}

    def load_bytecode(self, bucket):
        checksum, code = self.codes.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket):
        self.codes[bucket.key] = (bucket.checksum, bucket.code)


_COMPILED = _Compiled()  # only for environment()'s settings: the compiled code depends on them


def environment(**globals_) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True, autoescape=False, bytecode_cache=_COMPILED)
    env.filters.update(md=md, h=h, num=num, figure=figure, year=year)
    env.globals.update(globals_)
    return env
