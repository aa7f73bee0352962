"""Render the data package into Markdown pages: docs/ (hand-written) + scripts/templates/*.md.j2 → build/docs/.

Run after validate. Every value from the data passes through the `md` filter, so text in the data is always shown
as text: never as Markdown, HTML or template syntax. Rendering twice gives identical bytes.
"""
import argparse
import html
import re
import shutil
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import charts, search_dict, xlsx_templates
from .model import load
from .paths import BUILD_DOCS, DESCRIPTOR, DOCS, TEMPLATES

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


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters.update(md=md, h=h, num=num)
    env.globals.update(chart=charts.domain_chart)
    return env


def pages(data: dict):
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
    yield "changelog/index.md", "changelog.md.j2", changelog(data)


def changelog(data: dict) -> dict:
    """`changes` newest first, and the versions whose download files are published (frozen or current)."""
    from .export import frozen_versions
    from .metadata import anchor, version_key
    rows = sorted(data["tables"].get("changes", []), key=lambda r: version_key(r["version"]), reverse=True)
    return {"changes": rows, "published": set(frozen_versions()) | {data["version"]}, "anchor": anchor}


def plan_text(data: dict) -> list[str]:
    """The notice's published text, one paragraph per item."""
    notice = data["notice"]
    if not notice or not notice.get("text_path"):
        return []
    text = (data["descriptor"].parent / notice["text_path"]).read_text(encoding="utf-8")
    return [p for p in (line.strip(" \t\u3000\xa0") for line in text.split("\n")) if p]


def render(descriptor: Path = DESCRIPTOR, out: Path = BUILD_DOCS) -> int:
    """Write the whole docs tree to `out`; return the number of generated pages."""
    data = load(descriptor)
    data["descriptor"] = Path(descriptor)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(DOCS, out)
    env = environment()
    count = 0
    for path, template, context in pages(data):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(env.get_template(template).render(**data, **context), encoding="utf-8")
        count += 1
    xlsx_templates.write_templates(Path(descriptor), out)  # contribute/templates/<resource>.xlsx
    search_dict.write(data, out)  # .jieba_userdict.txt: the search's word list, see scripts/search_dict.py
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("descriptor", nargs="?", default=str(DESCRIPTOR))
    parser.add_argument("--out", default=str(BUILD_DOCS))
    args = parser.parse_args(argv)
    print(f"已生成 {render(Path(args.descriptor), Path(args.out))} 个页面。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
