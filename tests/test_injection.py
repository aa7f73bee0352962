"""Nothing from the data is executed or trusted: a package whose free texts hold script tags, event handlers, javascript:
links, Markdown and HTML tricks, template syntax and a 5,000-character unbroken string builds into a site where all of
it is inert text: no element or attribute is created, no page runs script, no layout is widened, no Excel cell is a formula.

The hostile strings go into fields that are not checked against the source text (audience names and descriptions,
service aliases, indicator names, the package description, the changes summary, observations), so the package is what an
editor could really submit; it is built without validation because the long string alone would be refused. The package
is tests/hostile.py's, whose site (conftest's `hostile_site`) tests/test_render.py's escaping checks share.
"""
import csv
import functools
import html.parser
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import Visit, serve
from hostile import AUDIENCE, DOMAIN, FORMULAS, HOSTILE, LONG, SERVICE, TRICKS


@pytest.fixture(scope="module")
def site(hostile_site):
    """The hostile package's site (conftest's `hostile_site`: tests/hostile.py, built without validation)."""
    return hostile_site


class Parsed(html.parser.HTMLParser):
    """Elements, attributes, script bodies and visible text of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.scripts, self.text, self._in = [], [], [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        if tag in ("script", "style"):
            self._in = [tag, dict(attrs).get("type", ""), ""]

    def handle_endtag(self, tag):
        if self._in and tag == self._in[0]:
            if tag == "script":
                self.scripts.append((self._in[1], self._in[2]))
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._in[2] += data
        else:
            self.text.append(data)


def parse(path: Path) -> Parsed:
    p = Parsed()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def pages(site: Path):
    return sorted(site.rglob("*.html"))


# ---- the built HTML ----

def test_no_page_gains_an_event_handler_or_a_javascript_link(site):
    for page in pages(site):
        for tag, name, value in parse(page).attrs:
            assert not name.lower().startswith("on"), f"{page.relative_to(site)}: <{tag} {name}=…>"
            assert not value.strip().lower().startswith("javascript:"), f"{page.relative_to(site)}: <{tag} {name}=\"{value[:60]}\">"


def test_no_element_is_created_from_the_data(site):
    for page in pages(site):
        parsed = parse(page)
        assert "svg" not in parsed.tags or "alert" not in page.read_text(encoding="utf-8").split("<svg")[1][:40], page
        assert not any(tag == "img" and name == "src" and value == "x" for tag, name, value in parsed.attrs), page
        for kind, body in parsed.scripts:
            assert "alert(1)" not in body or kind == "application/ld+json", f"{page.relative_to(site)}: a script runs the data"


def test_the_json_ld_in_pages_stays_valid_json(site):
    for page in pages(site):
        for kind, body in parse(page).scripts:
            if kind == "application/ld+json":
                json.loads(body)  # a "</script>" in the data would cut it short


@pytest.mark.parametrize("page", [f"audiences/{AUDIENCE}/index.html", "audiences/index.html", "index.html"])
def test_the_audience_texts_appear_as_literal_text(site, page):
    text = "".join(parse(site / page).text)
    for trick in TRICKS:
        assert trick.replace("  ", " ") in text, f"{page}: «{trick}» is not shown as text"


def test_the_aliases_and_indicator_appear_as_literal_text(site):
    service = "".join(parse(site / f"services/{SERVICE}/index.html").text)
    targets = "".join(parse(site / "targets/index.html").text)
    for trick in TRICKS:
        assert trick in service, f"service page: «{trick}»"
        assert trick in targets, f"targets page: «{trick}»"
    assert LONG in service and LONG in targets


def test_template_syntax_in_the_data_is_not_evaluated(site):
    text = "".join(parse(site / f"audiences/{AUDIENCE}/index.html").text)
    assert "{{ 7*7 }}" in text and "{% raw %}" in text


def test_the_page_title_keeps_the_text_and_the_front_matter_is_not_broken(site):
    title = (site / f"audiences/{AUDIENCE}/index.html").read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0]
    assert "学生: " in title and "&lt;script&gt;" in title


def test_the_search_index_holds_the_texts_escaped(site):
    index = json.loads((site / "search/pages.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            value = doc.get(key, "")
            assert "<script" not in value and "<img" not in value and "<svg" not in value, f"{doc['location']} {key}"


# ---- in the browser ----

@pytest.fixture(scope="module")
def hostile_url(site):
    url, server = serve(site)
    yield url
    server.shutdown()


BROWSED = ["", "audiences/", f"audiences/{AUDIENCE}/", "services/", f"services/{SERVICE}/", "targets/", f"domains/{DOMAIN}/", "downloads/", "changelog/"]


@functools.cache
def browsed(browser, hostile_url) -> dict:
    """Every BROWSED page of the hostile site, each in a context of its own, loading side by side until the network is
    quiet (scripts that run late, the search's, have run too): per path, its dialogs and whether `__injected` exists."""
    visits = {path: Visit(browser, hostile_url + path, wait="commit") for path in BROWSED}
    try:
        for v in visits.values():
            v.page.wait_for_load_state("networkidle")
        return {path: {"dialogs": v.dialogs, "injected": v.page.evaluate("typeof window.__injected")}
                for path, v in visits.items()}
    finally:
        for v in visits.values():
            v.close()


@pytest.mark.parametrize("path", BROWSED, ids=[path or "home" for path in BROWSED])  # one worker: they use hostile_site
def test_no_page_runs_script_from_the_data(browser, hostile_url, path):
    seen = browsed(browser, hostile_url)[path]
    assert seen["dialogs"] == []
    assert seen["injected"] == "undefined"


def test_searching_for_the_hostile_text_runs_no_script(browser, hostile_url):
    visit = Visit(browser, hostile_url)
    try:
        box = visit.page.locator("input.md-search__input")
        if box.count() == 0:
            pytest.skip("the theme's search box is not on the page")
        box.click()
        box.type("onerror", delay=20)  # a word of the hostile text; the results show its surroundings
        visit.page.wait_for_selector(".md-search-result__item", timeout=15000)
        results = visit.page.locator(".md-search-result")
        assert "<img src=x onerror=alert(1)>" in results.inner_text()
        assert results.locator("img, svg, script, a[href^='javascript']").count() == 0
        assert visit.dialogs == []
    finally:
        visit.close()


PHONE = {"width": 390, "height": 844}
WIDTH = "document.documentElement.scrollWidth"


@pytest.mark.parametrize("path", [f"audiences/{AUDIENCE}/", f"services/{SERVICE}/", "targets/", f"domains/{DOMAIN}/"])
def test_the_long_string_does_not_widen_the_page_on_a_phone(browser, hostile_url, site_url, path):
    """Compared with the same page built from the real data, so the test is about the data, not the page's own layout."""
    hostile, real = Visit(browser, hostile_url + path, viewport=PHONE), Visit(browser, site_url + path, viewport=PHONE)
    try:
        width, usual = hostile.page.evaluate(WIDTH), real.page.evaluate(WIDTH)
        assert width <= max(usual, PHONE["width"]), f"{path}: {width}px wide with the long string, {usual}px with the real data"
    finally:
        hostile.close()
        real.close()


# ---- the downloads ----

@pytest.fixture(scope="module")
def downloads(site):
    assert (site / "data" / "latest").is_dir(), "the build wrote no download files"
    return site / "data"


def test_the_atom_feed_is_well_formed_and_holds_the_summary_as_text(downloads):
    feed = ET.fromstring((downloads / "feed.xml").read_bytes())
    tags = {el.tag.split("}")[-1] for el in feed.iter()}
    assert not tags & {"script", "img", "svg", "a"}, tags
    texts = "".join(el.text or "" for el in feed.iter())
    assert "<script>alert(1)</script>" in texts and "{{ 7*7 }}" in texts


def test_the_json_ld_catalogue_is_valid_json(downloads):
    catalog = json.loads((downloads / "catalog.jsonld").read_text(encoding="utf-8"))
    assert catalog


def test_the_data_files_keep_the_text_exactly(downloads):
    rows = list(csv.DictReader(io.StringIO((downloads / "latest" / "changes.csv").read_text(encoding="utf-8"))))
    assert rows[-1]["summary"] == FORMULAS["="] + " " + HOSTILE


@pytest.mark.parametrize("table,column,start", [("changes", "summary", "="), ("services", "aliases", "+"),
                                                ("targets", "indicator", "-"), ("audiences", "description", "@")])
def test_excel_cells_starting_with_a_formula_sign_are_text(downloads, table, column, start):
    from openpyxl import load_workbook
    path = downloads / "latest" / f"{table}.xlsx"
    sheet = load_workbook(path).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    hits = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULAS[start][:2])]
    assert hits, f"no cell of {table}.xlsx starts with {FORMULAS[start]} ({column})"
    assert all(c.data_type == "s" for c in hits), [(c.coordinate, c.data_type) for c in hits]
    import zipfile
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets), "a worksheet holds a formula"


@pytest.mark.parametrize("table,start", [("changes", "="), ("services", "+"), ("targets", "-"), ("audiences", "@")])
def test_excel_csv_cells_starting_with_a_formula_sign_are_text(downloads, table, start):
    raw = (downloads / "latest" / f"{table}-excel.csv").read_bytes()
    cells = [c for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for c in row]
    assert any(c.startswith("'" + FORMULAS[start][:2]) for c in cells), f"no inert {FORMULAS[start]} in {table}-excel.csv"
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) and not re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", c) for c in cells)
