"""The render step (data package → Markdown pages) and the pages it gives in the built site.

Render-only checks read what the build's render step wrote (`site_docs`) and render once more to compare; checks of
the HTML use the built site (`site_dir`), and the escaping checks the site of a copy of the package with hostile text
in it (`hostile_site`, shared with tests/test_injection.py).
"""
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from scripts.build import write_docs
from hostile import MARKUP, MARKUP_AUDIENCE, MARKUP_TARGET, NAMED, VICTIM, YAML_LIKE
from scripts.package import load
from scripts.paths import DESCRIPTOR, MKDOCS_YML

FIELDS = {"target_population": "服务对象", "content_standard": "服务内容和标准",
          "funding": "支出责任", "lead_department": "主责单位"}


@pytest.fixture(scope="module")
def data():
    return load(DESCRIPTOR)


@pytest.fixture(scope="module")
def rendered(site_docs, tmp_path_factory):
    """The real package rendered: the docs the `site_dir` build wrote (the same step, not run again), else a fresh render."""
    if site_docs:
        return site_docs
    out = tmp_path_factory.mktemp("render") / "docs"
    write_docs(load(DESCRIPTOR), out)
    return out


class Text(HTMLParser):
    """The visible text of a page's article, and every href/src in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.parts, self.links = 0, [], []

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.depth:
            self.depth += tag not in self.VOID
            self.links += [v for k, v in attrs if k in ("href", "src") and v]

    def handle_startendtag(self, tag, attrs):
        if self.depth:
            self.links += [v for k, v in attrs if k in ("href", "src") and v]

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def article(page: Path):
    p = Text()
    p.feed(page.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", "".join(p.parts)), p.links


def nav_files(nav):
    for item in nav:
        for value in item.values():
            if isinstance(value, str):
                yield value
            else:
                yield from nav_files(value)


# ---- the render step ----

def test_there_is_one_page_per_service_domain_and_audience_plus_their_indexes(rendered, data):
    for folder, rows in [("services", data["tables"]["services"]), ("domains", data["domains"]),
                         ("audiences", data["audiences"])]:
        expected = {f"{r['id']}.md" for r in rows} | {"index.md"}
        assert {p.name for p in (rendered / folder).glob("*.md")} == expected, folder
    for page in ["index.md", "targets/index.md", "tasks/index.md", "measures/index.md", "plan/index.md", "about.md"]:
        assert (rendered / page).is_file(), page


def test_rendering_twice_gives_identical_bytes(rendered, tmp_path):
    again = tmp_path / "docs"
    write_docs(load(DESCRIPTOR), again)
    first = {p.relative_to(rendered): p.read_bytes() for p in rendered.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [str(k) for k in first if first[k] != second[k]] == []


def test_every_page_in_the_navigation_is_in_the_site_where_its_link_points(site_dir):
    config = yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    urls = [re.sub(r"(index)?\.md$", "", f) for f in nav_files(config["nav"])]  # use_directory_urls
    missing = [u for u in urls if not (site_dir / (u if u.endswith("/") or not u else u + "/") / "index.html").is_file()]
    assert missing == []


# ---- the built site ----

def test_every_service_page_in_the_site_shows_its_four_fields_and_its_quote(site_dir, data):
    problems = []
    for s in data["tables"]["services"]:
        page = site_dir / "services" / s["id"] / "index.html"
        if not page.is_file():
            problems.append(f"{s['id']}: no page")
            continue
        text, _ = article(page)
        if s["name"] not in text:
            problems.append(f"{s['id']}: name missing")
        if s["name_quote"] not in text:
            problems.append(f"{s['id']}: source quote missing")
        for field, title in FIELDS.items():
            if title not in text:
                problems.append(f"{s['id']}: heading {title} missing")
            if s[f"{field}_status"] == "未随正文公开":
                said = "已公开的文件都没有写明" if data["list_published"] else "未随正文公开"  # the list published or not
                if said not in text:
                    problems.append(f"{s['id']}: {title} should say {said}")
            elif s[field] not in text or (s.get(f"{field}_quote") and s[f"{field}_quote"] not in text):
                problems.append(f"{s['id']}: {title} value or its quote missing")
    assert problems == []


def test_the_site_has_a_page_for_every_domain_audience_and_index(site_dir, data):
    pages = [f"services/{s['id']}/" for s in data["tables"]["services"]]
    pages += [f"domains/{d['id']}/" for d in data["domains"]] + [f"audiences/{a['id']}/" for a in data["audiences"]]
    pages += ["", "services/", "domains/", "audiences/", "targets/", "tasks/", "measures/", "plan/", "about/"]
    assert [p for p in pages if not (site_dir / p / "index.html").is_file()] == []
    assert (site_dir / "404.html").is_file()


def test_every_page_says_lang_zh(site_dir):
    wrong = [str(p.relative_to(site_dir)) for p in site_dir.rglob("*.html")
             if not re.search(r'<html[^>]*\blang="zh"', p.read_text(encoding="utf-8"))]
    assert wrong == []


# ---- data text is shown as text: `hostile_site` (conftest), a copy of the package with tests/hostile.py's text in it ----

@pytest.mark.parametrize("page", [f"services/{VICTIM['id']}/", "services/", f"domains/{VICTIM['domain_id']}/",
                                  f"domains/{MARKUP_TARGET['domain_id'] or VICTIM['domain_id']}/", "tasks/",
                                  "targets/", "audiences/", f"audiences/{MARKUP_AUDIENCE}/", ""])
def test_data_text_with_html_markdown_or_template_syntax_appears_as_literal_text(hostile_site, page):
    source = (hostile_site / page / "index.html").read_text(encoding="utf-8")
    text, links = article(hostile_site / page / "index.html")
    assert "<script>alert" not in source
    assert not [link for link in links if link.lower().strip().startswith("javascript:")]
    for piece in ["<script>alert(1)</script>", "[x](javascript:alert(1))", "{{ 7*7 }}", "{% raw %}", "*em*", "`code`"]:
        assert piece in text, f"{page}: {piece!r} not shown as text"


def test_a_hostile_service_name_is_the_literal_page_title(hostile_site):
    source = (hostile_site / "services" / VICTIM["id"] / "index.html").read_text(encoding="utf-8")
    title = html.unescape(re.search(r"<title>(.*?)</title>", source, re.S).group(1))
    assert title.startswith("租赁补贴" + MARKUP)


@pytest.mark.parametrize("id_,name", list(zip(NAMED, YAML_LIKE)))
def test_a_service_name_that_looks_like_yaml_is_still_the_literal_title_and_heading(hostile_site, id_, name):
    source = (hostile_site / "services" / id_ / "index.html").read_text(encoding="utf-8")
    title = html.unescape(re.search(r"<title>(.*?)</title>", source, re.S).group(1))
    heading = html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", source, re.S).group(1)))
    assert (title.split(" - ")[0], heading.strip()) == (name, name)
