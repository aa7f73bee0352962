"""The golden queries (tests/golden_queries.yaml) typed into the theme's search box of a built site; recall@5.

In: a served site (base URL) and a Playwright browser. Out: per query the first five result pages (URL paths such as
"services/S040/") and recall@5 over all queries. Used by tests/test_search.py and benchmarks/search_baseline.py.

recall@5 of one query = share of its expected pages found among the first five results (the first `within`
results when the file asks for a rank, e.g. a full title on its own page first); a query that must find nothing
scores 1 when the search shows no result, else 0. The figure reported is the mean over all queries.
"""
from pathlib import Path
from urllib.parse import urlsplit

import yaml

GOLDEN = Path(__file__).parent / "golden_queries.yaml"             # the tuning half: the vocabulary was adjusted on it
HELD_OUT = Path(__file__).parent / "golden_queries_heldout.yaml"  # the test half: written first, never tuned against
TYPOS = Path(__file__).parent / "golden_queries_typos.yaml"     # homophone typos of the two, by tests/golden_typos.py
HALVES = {"调整用": GOLDEN, "检验用": HELD_OUT, "错别字": TYPOS}
NOTHING = "nothing"
TOP = 5

INPUT = "input.md-search__input"
META = ".md-search-result__meta"
# The theme's own words (material/templates/partials/languages/zh.html) for "type to start" and "initializing".
PLACEHOLDER, INITIALIZING = "键入以开始搜索", "正在初始化搜索引擎"


def pages_by_name(data: dict) -> dict[str, str]:
    """A service's name, alias or old name (vocabulary.csv 旧称) → its page, from the package: a golden query names
    the service it expects, so it keeps its meaning when ids change or schemes merge (the old name then points on)."""
    out = {}
    services = data["tables"].get("services", [])
    for v in data["tables"].get("vocabulary", []):
        if v.get("kind") == "旧称" and v.get("service_id"):
            out.setdefault(v["word"], f"services/{v['service_id']}/")
    for s in services:
        for alias in s.get("aliases") or []:
            out.setdefault(alias, f"services/{s['id']}/")
    for s in services:
        out[s["name"]] = f"services/{s['id']}/"
    return out


def load(path: Path = GOLDEN, data: dict | None = None) -> list[dict]:
    """[{q, expect: [paths] or "nothing", within, kind}] from a golden file; an expected page is a path ("plan/") or
    a service named as the package names it (resolved with `data`, the loaded package)."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = pages_by_name(data) if data else {}

    def page(e):
        e = str(e)
        if e.endswith("/"):
            return e
        if e not in names:
            raise KeyError(f"{path.name}：“{e}”不是数据包中的服务名称、别名或旧称")
        return names[e]
    return [{"q": str(i["q"]), "expect": i["expect"] if i["expect"] == NOTHING else [page(e) for e in i["expect"]],
             "within": int(i.get("within", TOP)), "kind": i.get("kind", i.get("who", ""))}
            for i in items]


def path_of(url: str, base: str) -> str:
    """A result link → the page's path relative to the site root ("services/S040/"), without ?h= and #section."""
    path = urlsplit(url).path
    root = urlsplit(base).path
    return path[len(root):] if path.startswith(root) else path.lstrip("/")


# One call per step, so the browser is asked once instead of once per action and per poll. `clear`: the box emptied
# (its `input` event reaches the theme as a keyup, see docs/javascripts/search.js) until the meta line shows the
# placeholder again, so the next change of the line is the next query's. Else, after the query was typed: a keyup on
# the box (the theme reads the box on keyup), then, once the meta line leaves the placeholder ("找到 N 个…" or
# "没有找到…"), the first k results: one list item per page, its first link the page, the others sections of it. The
# theme writes the meta line and the list in one task, so the list is complete when the line changes.
STEP = """([input, meta, placeholder, clear, k]) => new Promise((resolve, reject) => {
    const box = document.querySelector(input), line = document.querySelector(meta);
    if (clear) {
        box.value = '';
        box.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'deleteContentBackward'}));
        box.focus();
    }
    box.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, cancelable: true, composed: true}));
    const done = () => (line.textContent.trim() === placeholder) === clear;
    const read = () => [...document.querySelectorAll('li.md-search-result__item')].slice(0, k).map(e => e.querySelector('a').href);
    if (done()) return resolve(read());
    const timer = setTimeout(() => { watch.disconnect(); reject(new Error('search: the meta line stays ' + line.textContent)); }, 30000);
    const watch = new MutationObserver(() => { if (done()) { watch.disconnect(); clearTimeout(timer); resolve(read()); } });
    watch.observe(line, {childList: true, characterData: true, subtree: true});
})"""


class SearchBox:
    """One page of the site with the search box open; `top(query)` clears it, types the query, reads the results.
    The home page, in a context of its own, or with `tab` (tests/conftest.py's Tab, on the same site) in that tab."""

    def __init__(self, browser, base_url: str, tab=None):
        self.base = base_url
        if tab:
            self.context, self.page = None, tab.open("")
        else:
            self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            self.page = self.context.new_page()
            self.page.goto(base_url)
        self.page.click(INPUT)
        self.page.wait_for_function(
            "([sel, init]) => { const m = document.querySelector(sel); return m && !m.textContent.includes(init); }",
            arg=[META, INITIALIZING])

    def top(self, query: str, k: int = TOP) -> list[str]:
        page = self.page
        page.evaluate(STEP, [INPUT, META, PLACEHOLDER, True, 0])
        page.keyboard.insert_text(query)  # typed into the focused box, as page.fill would after emptying it
        return [path_of(h, self.base) for h in page.evaluate(STEP, [INPUT, META, PLACEHOLDER, False, k])]

    def close(self):
        if self.context:
            self.context.close()


def score(expect, found: list[str], within: int = TOP) -> float:
    if expect == NOTHING:
        return 1.0 if not found else 0.0
    return sum(1 for e in expect if e in found[:within]) / len(expect)


def run(browser, base_url: str, golden: list[dict] | None = None, tab=None) -> tuple[float, list[dict]]:
    """(recall@5, rows) for every golden query typed into the search box of the site at `base_url` (in `tab`, if given:
    see SearchBox)."""
    golden = golden if golden is not None else load()
    box = SearchBox(browser, base_url, tab)
    rows = []
    try:
        for g in golden:
            found = box.top(g["q"])
            rows.append({**g, "found": found, "score": score(g["expect"], found, g["within"])})
    finally:
        box.close()
    return sum(r["score"] for r in rows) / len(rows), rows


def report(rows: list[dict], recall: float, label: str = "") -> str:
    """Plain lines: the figure, then every query that missed."""
    lines = [f"{label}recall@{TOP} = {recall:.3f}（{len(rows)} 个查询）"]
    for r in rows:
        if r["score"] < 1:
            lines.append(f"  未命中 {r['q']}：应有 {r['expect']}，前{TOP}条 {r['found']}")
    return "\n".join(lines)
