"""Rules for the search vocabulary (vocabulary.csv): what each kind of row must fill in, no duplicates; and coverage —
every service and every domain should have everyday words, so the search never depends on the plan's own terms alone.

Coverage is a note, not a problem: a new service (e.g. an item of the list, the day it is published) may be published
before anyone has written how people ask for it; the note proposes words from its name and everyday names (常用叫法),
and the words can be added in a later pull request (see 参与更新).

The words are not the plan's: they are how people ask (editors write them; many are not in the text, e.g. 两癌, 失独,
五保户). So a word may not say more than the text does:
- a word that calls a service free (免费…, 免…费: 免学费, 免费体检) must point to a service whose own row (name, aliases,
  quotes) says 免费 or that word; "free" is a benefit, and only the text can promise it;
- a word for what a service gives (待遇) names a benefit the text states for it or the scheme's own benefit (报销 of a
  medical insurance whose 支付比例 the text sets, 低保金 of 低保); a benefit the text never mentions (助学金, 贴息,
  生育津贴, 二次报销) is not a search word — an editor's rule, checked in review;
  a query for such a benefit may still be led to the plan's own words by a 通用 word (免费培训 → 补贴性职业培训): the
  page it finds then says what the text says, and the word names no service;
- a word points to the service it names, not to a nearby one (职校 is not the new-type-farmer programme, 火灾 is not
  the natural-disaster relief the text describes) — an editor's rule, checked in review;
- the old name of a merged or renamed scheme (合作医疗, 农村养老保险, 城居保, 五保户) is a 旧称 with a note (checked
  below), never a plain 叫法.

The foreign keys (service_id → services, domain_id → domains) are checked by frictionless like every other join;
a service removed or merged without updating this table is reported there, with file, row and column.
"""
import csv
import io
import json
import re
from pathlib import Path

from .problem import Problem, column_label

FILE = "vocabulary.csv"
FOR_SERVICE = ("叫法", "待遇", "人群", "旧称")
WORD = re.compile(r"[\w\u3400-\u9fff]+")
FREE = re.compile(r"免费|免.{0,2}费")


def _col(fields: dict, name: str) -> str:
    return column_label(fields.get(name) or {"name": name})


def table(descriptor: dict, tables: dict[str, list[dict]]) -> tuple[list[dict] | None, dict]:
    """vocabulary.csv's rows (None when the package has no such table) and its fields by name."""
    rows = tables.get("vocabulary")
    if rows is None:
        return None, {}
    resource = next(r for r in descriptor["resources"] if isinstance(r, dict) and r.get("name") == "vocabulary")
    return rows, {f["name"]: f for f in resource["schema"]["fields"]}


def vocabulary_problems(descriptor: dict, tables: dict[str, list[dict]]) -> list[Problem]:
    """Every problem with vocabulary.csv beyond its schema; empty when the table is absent."""
    rows, fields = table(descriptor, tables)
    if rows is None:
        return []
    out, seen = [], {}
    own = {x.get("id", ""): " ".join(str(v) for v in x.values()) for x in tables.get("services", [])}
    for i, r in enumerate(rows):
        row = i + 2
        word, kind = r.get("word", "").strip(), r.get("kind", "").strip()
        sid, did, term = r.get("service_id", "").strip(), r.get("domain_id", "").strip(), r.get("term", "").strip()
        if word and not WORD.fullmatch(word):
            out.append(Problem(FILE, row, _col(fields, "word"), f"“{word}”里有空格或标点。",
                               "一行只写一个词，不加空格和标点；几个说法分成几行。"))
        if kind in FOR_SERVICE and not sid:
            out.append(Problem(FILE, row, _col(fields, "service_id"), f"类别是“{kind}”，但没有填写服务编号。",
                               "填写这个说法指向的服务编号（见 services.csv 的“编号”列，如 S040）。"))
        if kind in ("通用", "虚词") and sid:
            out.append(Problem(FILE, row, _col(fields, "service_id"), f"类别是“{kind}”，不应填写服务编号。",
                               "指向一项服务的说法，类别改为“叫法”“待遇”“人群”或“旧称”；否则清空服务编号。"))
        if kind == "通用" and not (did and term):
            out.append(Problem(FILE, row, _col(fields, "term" if did else "domain_id"), "通用说法要同时填写领域和方案用语。",
                               "填写它所属的领域编号（见 domains.csv，如 health）和对应的方案用语（如“看病”填“医疗”）。"))
        if kind != "通用" and (did or term):
            out.append(Problem(FILE, row, _col(fields, "domain_id" if did else "term"), f"类别是“{kind}”，领域和方案用语应留空。",
                               "只有通用说法填写领域和方案用语；清空这两格，或把类别改为“通用”。"))
        if kind == "旧称" and not r.get("note", "").strip():
            out.append(Problem(FILE, row, _col(fields, "note"), f"旧称“{word}”没有说明。",
                               "写明它和现在的服务是什么关系、依据是什么；原文提到的，把原文摘录填在“原文摘录”列，没提到的写明“原文没有这个词”。"))
        if sid in own and FREE.search(word) and "免费" not in own[sid] and word not in own[sid]:
            out.append(Problem(FILE, row, _col(fields, "word"), f"“{word}”说这项服务免费，但原文没有为服务 {sid} 写明免费。",
                               "删除这一行；搜索词不能说出原文没有写的待遇。原文写了“补贴”“减免”等的，用原文的说法。"))
        key = (word, kind, sid, did)
        if word and key in seen:
            out.append(Problem(FILE, row, _col(fields, "word"), f"“{word}”与第 {seen[key]} 行重复。", "删除其中一行。"))
        seen.setdefault(key, row)
    return out


def proposed_words(service: dict, taken: set[str]) -> list[str]:
    """Words a search might use for a service: its name, its 常用叫法, and the words of its name (jieba) — none of them
    already in the vocabulary."""
    name = (service.get("name") or "").strip()
    words = [name] + [a.strip() for a in (service.get("aliases") or "").split("；")]
    try:
        import jieba
        jieba.setLogLevel(60)
        words += [w for w in jieba.lcut(name) if len(w) >= 2]
    except ImportError:
        pass
    return [w for w in dict.fromkeys(words) if w and WORD.fullmatch(w) and w not in taken][:6]


def coverage(descriptor: dict, tables: dict[str, list[dict]]) -> list[Problem]:
    """A note for every service and every domain without everyday words (empty when the table is absent)."""
    rows, fields = table(descriptor, tables)
    if rows is None:
        return []
    out, taken = [], {r.get("word", "").strip() for r in rows}
    named = {r.get("service_id", "").strip() for r in rows if r.get("kind", "").strip() in FOR_SERVICE}
    for s in tables.get("services", []):
        if s.get("id") and s["id"] not in named:
            words = proposed_words(s, taken)
            example = f"例如：{'、'.join(words)}（改成群众真正的说法）。" if words else ""
            out.append(Problem(FILE, column=_col(fields, "service_id"), message=f"服务 {s['id']}（{s.get('name', '')}）还没有任何常用说法，"
                               "搜索只能用它在原文中的名称找到它。不影响发布。",
                               fix=f"可以以后补上：在 vocabulary.csv 增加几行，常用说法填一个词，类别填“叫法”，服务编号填 {s['id']}。{example}"))
    reached = {r.get("domain_id", "").strip() for r in rows if r.get("kind", "").strip() == "通用"}
    for d in tables.get("domains", []):
        if d.get("id") and d["id"] not in reached:
            out.append(Problem(FILE, column=_col(fields, "domain_id"), message=f"领域 {d['id']}（{d.get('name', '')}）还没有通用说法。不影响发布。",
                               fix=f"可以以后补上：增加一行，类别填“通用”，领域填 {d['id']}，写一个群众说的词和它对应的方案用语。"))
    return out


def coverage_notes(descriptor_path: Path) -> list[Problem]:
    """coverage() for the package at `descriptor_path`, read on its own; [] when a file cannot be read (the validator
    reports that)."""
    base = Path(descriptor_path).parent
    try:
        descriptor = json.loads(Path(descriptor_path).read_text(encoding="utf-8"))
        paths = {r["name"]: base / r["path"] for r in descriptor["resources"] if r.get("name") in ("vocabulary", "services", "domains")}
        tables = {n: list(csv.DictReader(io.StringIO(p.read_text(encoding="utf-8")))) for n, p in paths.items() if p.is_file()}
        return coverage(descriptor, tables)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, StopIteration, csv.Error):
        return []
