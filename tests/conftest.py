"""Shared fixtures, markers and scheduling. Use these before writing a new one; the suite must stay fast.

Fixtures
- `package` (per test): a throw-away copy of datapackage/ with helpers (rows, set, get, edit_descriptor) to break it
  one way at a time (see tests/broken_packages.py).
- `site_dir` (session): the site built from the real package with the default mkdocs.yml: $TEST_SITE_DIR if set, else
  site/ when `make build` made it, else one build per worker. Every test that reads the real package's site uses it:
  never build another site of the real package in a test unless the test is about a different configuration.
- `site_docs` (session): the Markdown tree the `site_dir` build rendered, or None; read it instead of rendering again.
- `site_url` (session): `site_dir` served on 127.0.0.1; `browser` (session): Debian chromium via Playwright;
  `visit` (per test): visit("services/S001/", viewport=…, wait=…, text_size=…, init_script=…) → a `Visit` (page,
  console errors, requests to other hosts, dialogs) in a context of its own, closed after the test.
- `tab` (session): one page per worker, navigated from view to view: tab.open("targets/", viewport=…, text_size=…) is
  much cheaper than a visit. For tests that read a page or click within it; a test that needs routes, init scripts,
  media emulation, its own storage or the page's console and requests uses `visit`. Tests that each check a different
  thing on the same view share one opening: a `functools.cache`d function of (tab, view) returns what they measure,
  and `together(group, …)` parameters put them in one xdist group (see Scheduling).
- `axe_violations(page)` runs the vendored axe-core on an open page (`inject_axe`: once per document).
- `SAMPLE`, `SAMPLE_STATED`, `UNPUBLISHED_PAGE`: pages picked from the package so any valid update keeps them meaningful.
- `hostile_site` (session): the site of a copy of the package with hostile text in it (tests/hostile.py), for every test
  of how data text is shown (test_render, test_injection); built once, in one worker (see Scheduling).
- `addressed_site` (session): the real package's site with an address (SITE_URL = SITE_ADDRESS) and the disclosure codes
  filled in (DISCLOSURE), for what only such a site has (test_citations, the meta tags); built once, in one worker.

Markers (registered in pyproject.toml)
- `slow`: a long end-to-end run (full builds in subprocesses, the update loop, the benchmark). Mark it in the test module.
- `browser`: set here on every test that uses the `browser` fixture (directly or through `visit`/`site_url`+browser).
`make test-fast` runs `-n auto -m "not slow and not browser"`; `make test` and `.ci/run` run everything.

Scheduling (pytest-xdist, `--dist loadgroup` in pyproject.toml)
Tests spread one by one over the workers, except that every test using a module-scoped (or class/package-scoped)
fixture is grouped with its module (xdist_group = module name, set here), so that fixture is built once, in one worker.
Session fixtures (`site_dir`, `browser`, `tab`, …) are made once per worker; those that cost a whole build and serve
tests in several modules (ONE_WORKER) group every test using them under the fixture's name instead, so they are built
once. Tests sharing a cached view carry their own xdist group (`together`), one per view, so one worker opens it once
and the groups stay small enough to balance over the workers. The group reaches the scheduler as "@<group>" at the end
of the test's id, which is written here (`_name_group`): pytest-xdist 3.8 writes it where pytest 9.2 no longer reads
it. `pytest -v` shows it.
"""
import csv
import io
import json
import shutil

import pytest

from scripts.paths import DATAPACKAGE


class Package:
    """A copy of datapackage/ in a temporary folder."""

    def __init__(self, root):
        self.root = root
        self.descriptor = root / "datapackage.json"

    def rows(self, file):
        return list(csv.reader(io.StringIO((self.root / file).read_text(encoding="utf-8"))))

    def write_rows(self, file, rows):
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (self.root / file).write_text(out.getvalue(), encoding="utf-8")

    def set(self, file, row, column, value):
        """Set one cell; `row` as Excel numbers it (header = 1)."""
        rows = self.rows(file)
        rows[row - 1][rows[0].index(column)] = value
        self.write_rows(file, rows)

    def get(self, file, row, column):
        rows = self.rows(file)
        return rows[row - 1][rows[0].index(column)]

    def edit_descriptor(self, change):
        d = json.loads(self.descriptor.read_text(encoding="utf-8"))
        change(d)
        self.descriptor.write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")

    def resource(self, d, name):
        return next(r for r in d["resources"] if r["name"] == name)


@pytest.fixture
def package(tmp_path):
    shutil.copytree(DATAPACKAGE, tmp_path / "datapackage")
    return Package(tmp_path / "datapackage")


# ---- the built site, served on loopback, and a browser (Debian chromium driven by Playwright) ----

import functools
import os
from pathlib import Path
import http.server
import shutil as _shutil
import threading

from scripts.paths import BUILD_DOCS, MKDOCS_YML, SITE

DESKTOP = {"width": 1280, "height": 900}
TEXT_SIZE = "siping-text-size"  # the localStorage key of the text size (docs/javascripts/site.js): 1 大, 2 特大
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    """The site built from the real package: $TEST_SITE_DIR if set, else site/ when `make build` made it, else a fresh build."""
    if os.environ.get("TEST_SITE_DIR"):
        return Path(os.environ["TEST_SITE_DIR"])
    if (SITE / "index.html").is_file():
        return SITE
    from scripts.build import build
    return build(workdir=tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def site_docs(site_dir):
    """The Markdown tree the `site_dir` build rendered (download files, pages, templates): build/docs/ beside site/,
    <workdir>/docs/ beside a build of its own, $TEST_DOCS_DIR with $TEST_SITE_DIR; None when unknown (render afresh)."""
    if os.environ.get("TEST_SITE_DIR"):
        docs = Path(os.environ["TEST_DOCS_DIR"]) if os.environ.get("TEST_DOCS_DIR") else None
    else:
        docs = BUILD_DOCS if site_dir == SITE else site_dir.parent / "docs"
    return docs if docs and (docs / "index.md").is_file() else None


SITE_ADDRESS = "https://example.org/siping/"  # the address `addressed_site` is built for
DISCLOSURE = {"site_code": "0000000000", "column_type": "示例栏目类型"}  # the codes mkdocs.yml leaves for the office to fill in


@pytest.fixture(scope="session")
def addressed_site(tmp_path_factory):
    """The real package's site as the deploy build makes it, with SITE_URL set (SITE_ADDRESS), and with the disclosure
    codes mkdocs.yml leaves empty filled in (DISCLOSURE), so everything that needs an address or a code is there;
    $TEST_ADDRESSED_SITE_DIR when such a site was built already (tests/test_publish.py's update loop)."""
    if os.environ.get("TEST_ADDRESSED_SITE_DIR"):
        return Path(os.environ["TEST_ADDRESSED_SITE_DIR"])
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader
    from scripts.build import build
    extra = yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=get_yaml_loader())["extra"]  # as mkdocs reads it
    extra["disclosure"] = dict(extra.get("disclosure") or {}, **DISCLOSURE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", SITE_ADDRESS)
        return build(workdir=tmp_path_factory.mktemp("addressed"), extra=extra)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    """The site built, without validation, from a copy of the package with hostile text in it (tests/hostile.py)."""
    from hostile import build_site
    return build_site(tmp_path_factory.mktemp("hostile"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    """Serve `directory` on 127.0.0.1 at a free port; returns (base_url, server)."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def site_url(site_dir):
    url, server = serve(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    executable = _shutil.which("chromium")
    if not executable:
        pytest.fail("Debian chromium is not installed: run `make browser` (make test does it).")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield b
        b.close()


class Visit:
    """A page opened in the browser, with every request to another host, every console error and every dialog
    (alert, confirm, prompt: dismissed) recorded.

    It waits for the page's load event. Tests about what a page requests pass wait="networkidle", which also waits for
    what scripts fetch after the load (the search worker and its index) and costs about a second more per page. With
    several pages, wait="commit" (the navigation started) and then page.wait_for_load_state("networkidle") on each: the
    pages load side by side and the quiet is waited once for all (test_site_browser's every_page_kind).
    `text_size` (1 大, 2 特大) is in the site's localStorage before the first load, as on a visitor's next page (the
    page's own script reads it at load); `init_script` runs in every document of the context before the page's own."""

    def __init__(self, browser, url, viewport=None, wait="load", text_size=0, init_script=None):
        stored = [{"origin": "/".join(url.split("/")[:3]), "localStorage": [{"name": TEXT_SIZE, "value": str(text_size)}]}]
        self.context = browser.new_context(viewport=viewport or DESKTOP, locale="zh-CN",
                                           storage_state={"cookies": [], "origins": stored} if text_size else None)
        if init_script:
            self.context.add_init_script(init_script)
        self.page = self.context.new_page()
        self.external, self.console_errors, self.dialogs = [], [], []
        origin = url.split("/")[2]
        self.page.on("request", lambda r: r.url.split("/")[2:3] != [origin] and not r.url.startswith(("data:", "blob:", "about:"))
                     and self.external.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url, wait_until=wait)

    def close(self):
        self.context.close()


class Tab:
    """One page kept for the whole worker and navigated from view to view (fixture `tab`): no new context, page or
    renderer per test, and the site's CSS, scripts and fonts stay cached. open() empties the site's localStorage and
    sessionStorage, so no text size or palette carries over from the last view, stores the text size and then loads the
    page, whose own script reads the stored size at load (as on a visitor's next page). What a test does inside the page
    (clicks, typing, an added style) ends with the document; what outlives it (routes, init scripts, media emulation,
    listeners) is not for the tab."""

    def __init__(self, browser, base):
        self.base = base
        self.context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        self.page = self.context.new_page()

    def open(self, path="", viewport=None, text_size=0):
        page = self.page
        if page.viewport_size != (viewport or DESKTOP):
            page.set_viewport_size(viewport or DESKTOP)
        if not page.url.startswith(self.base):
            page.goto(self.base + path)  # a document of the site, whose storage is the one to set
        page.evaluate("""([key, size]) => { localStorage.clear(); sessionStorage.clear();
            if (size) localStorage.setItem(key, String(size)); }""", [TEXT_SIZE, text_size])
        page.goto(self.base + path)
        return page


@pytest.fixture(scope="session")
def tab(browser, site_url):
    t = Tab(browser, site_url)
    yield t
    t.context.close()


def together(group, *values, id=None):
    """pytest.param(*values) in xdist group `group`: the tests sharing a cached view name the same group, so that with
    --dist loadgroup one worker runs them all and opens the view once."""
    return pytest.param(*values, id=id, marks=pytest.mark.xdist_group(group))


@pytest.fixture
def visit(browser, site_url):
    """visit("services/S001/") → a Visit; closed after the test."""
    opened = []

    def open_(path="", **kw):
        v = Visit(browser, site_url + path, **kw)
        opened.append(v)
        return v
    yield open_
    for v in opened:
        v.close()


# ---- pages the browser tests open, picked from the package so any valid update keeps them meaningful ----

from scripts.package import load as _load_package

_DATA = _load_package()


def _stated(s) -> list[dict]:
    return [f for f in _DATA["annex_fields"] if s[f["status"]] != _DATA["UNPUBLISHED"]]


SAMPLE = {
    "service": max(_DATA["services"], key=lambda s: len(_stated(s)))["id"],  # the service the text says most about
    "service_unpublished": next((s["id"] for s in _DATA["services"] if len(_stated(s)) < len(_DATA["annex_fields"])), None),
    "audience": _DATA["audiences"][0]["id"],
    "domain": next(d["id"] for d in _DATA["domains"] if _DATA["related"][d["id"]]["targets"]),  # a domain with figures
}
SAMPLE_STATED = [(f, next(s for s in _DATA["services"] if s["id"] == SAMPLE["service"])[f["name"]])
                 for f in _stated(next(s for s in _DATA["services"] if s["id"] == SAMPLE["service"]))]
UNPUBLISHED_PAGE = f"services/{SAMPLE['service_unpublished'] or SAMPLE['service']}/"


AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def inject_axe(page):
    """The vendored axe-core on the open page, once per document."""
    if page.evaluate("typeof axe === 'undefined'"):
        page.add_script_tag(content=_axe_source())


def axe_violations(page) -> list[dict]:
    """axe-core (vendored) run on the open page: every violation with its impact and the nodes it names."""
    inject_axe(page)
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(x => ({id: x.id, impact: x.impact, help: x.help,
            nodes: x.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }""")


# ---- markers and worker groups (see the module docstring) ----

_SHARED_SCOPES = {"module", "class", "package"}
ONE_WORKER = ["hostile_site", "addressed_site"]  # session fixtures that cost a build and serve several modules: their tests share a worker


@pytest.hookimpl(wrapper=True)  # the marks before pytest-xdist's own hook (in each worker) reads them, the ids after
def pytest_collection_modifyitems(config, items):
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        if "browser" in info.names_closure:
            item.add_marker(pytest.mark.browser)
        shared = [name for name in ONE_WORKER if name in info.names_closure]
        if shared:
            item.add_marker(pytest.mark.xdist_group(shared[0]))
        elif any(defs and defs[-1].scope in _SHARED_SCOPES for defs in info.name2fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    yield
    if getattr(config.option, "loadgroup", False):  # an xdist worker under --dist loadgroup
        for item in items:
            _name_group(item)


def _name_group(item):
    """The group of an item, as `--dist loadgroup` reads it: "@<group>" at the end of its id. pytest-xdist 3.8 writes it
    into item._nodeid, which pytest 9.2 no longer reads (the id is item._id): every test was scheduled on its own, and
    each worker built the module fixtures and views for itself (pytest-xdist issue 1386). Written here the same way."""
    names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")})
    suffix = "@" + "_".join(names)
    if names and hasattr(item, "_id") and not item.nodeid.endswith(suffix):
        item._id = type(item._id).parse(item.nodeid + suffix)
