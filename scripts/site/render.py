"""The site's pages: the loaded package + the published releases in → docs/ (hand-written) and scripts/templates/*.md.j2
rendered into the build's docs folder.

Rendering twice gives identical bytes. Text in the data is always shown as text (see scripts/templating.py).
"""
import json
import shutil
from pathlib import Path

from ..package import anchor, version_key
from ..paths import DOCS
from ..publish import dates, export, itemise, metadata
from ..templating import environment
from . import charts


def pages(data: dict, published: list[str]):
    """(path, template, context) for every generated page."""
    yield "index.md", "home.md.j2", {}
    yield "services/index.md", "services.md.j2", {}
    for s in data["tables"]["services"]:
        yield f"services/{s['id']}.md", "service.md.j2", {"s": s}
    yield "domains/index.md", "domains.md.j2", {}
    for d in data["domains"]:
        yield f"domains/{d['id']}.md", "domain.md.j2", {"d": d, "r": data["related"][d["id"]]}
    yield "audiences/index.md", "audiences.md.j2", {}
    for a in data["audiences"]:
        yield f"audiences/{a['id']}.md", "audience.md.j2", {"a": a}
    yield "targets/index.md", "targets.md.j2", {}
    yield "tasks/index.md", "tasks.md.j2", {}
    yield "measures/index.md", "measures.md.j2", {}
    yield "plan/index.md", "plan.md.j2", {"text": plan_text(data)}
    yield "dictionary/index.md", "dictionary.md.j2", {}
    yield "changelog/index.md", "changelog.md.j2", changelog(data, published)
    yield "about.md", "about.md.j2", {}


def changelog(data: dict, published) -> dict:
    """`changes` newest first, the versions whose download files are published, the day each was first published and,
    when `published` holds the releases' files (version → files), each release's itemised changes."""
    rows = sorted(data["tables"].get("changes", []), key=lambda r: version_key(r["version"]), reverse=True)
    items = {v: itemise.of(v, published) for v in published} if isinstance(published, dict) else {}
    return {"changes": rows, "published": set(published), "anchor": anchor, "itemised": items,
            "issued": dates.published(data["tables"].get("changes", []))}


def record_citations(data: dict):
    """cite_record(kind, row): the one-record citation (GB/T 7714) a service's or target's page shows."""
    meta = data["meta"]
    day = dates.published(data["rows"].get("changes", [])).get(meta["version"], "")
    base = metadata.site_url()
    return lambda kind, row: export.record_citation(meta, kind, row, day, base)


def plan_text(data: dict) -> list[str]:
    """The notice's published text, one paragraph per item."""
    notice = data["notice"]
    if not notice or not notice.get("text_path"):
        return []
    text = (data["base"] / notice["text_path"]).read_text(encoding="utf-8")
    return [p for p in (line.strip(" \t\u3000\xa0") for line in text.split("\n")) if p]


def page_meta(data: dict, path: str) -> dict:
    """What the data says about a generated page, for the government meta tags (overrides/main.html): `pub_date`, the
    plan's publication date on the plan page and elsewhere the date of the data's current version in `changes`;
    `content_source`, the issuer of the notice. A value the data does not give is left out, never made up."""
    notice = data["notice"] or {}
    if path == "plan/index.md":
        date = notice.get("published_date")
    else:
        date = next((c.get("date") for c in data["tables"].get("changes", []) if c.get("version") == data["version"]), None)
    meta = {"pub_date": str(date) if date else None, "content_source": notice.get("issuer")}
    return {k: v for k, v in meta.items() if v}


def with_meta(text: str, meta: dict) -> str:
    """`text` (a page, with or without front matter) with `meta` added to its front matter."""
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    if not lines:
        return text
    if text.startswith("---\n"):
        return "---\n" + lines + text[4:]
    return "---\n" + lines + "---\n" + text


def page_environment(data: dict):
    """The Jinja environment every page is rendered with: the templates' filters plus the chart and the record citation."""
    return environment(chart=charts.domain_chart, cite_record=record_citations(data))


def render(data: dict, out: Path, published: list[str]) -> int:
    """Write the whole docs tree to `out` (hand-written docs/ + every generated page); return the number of generated pages."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(DOCS, out)
    env = page_environment(data)
    count = 0
    for path, template, context in pages(data, published):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        page = env.get_template(template).render(**data, **context)
        target.write_text(with_meta(page, page_meta(data, path)), encoding="utf-8")
        count += 1
    return count
