"""Search candidates side by side, in one run, on the same pages and the same golden queries (both halves).

In: the data package, tests/golden_queries.yaml (tuning half) and tests/golden_queries_heldout.yaml (held-out half).
Out: a printed table — recall@5 and zero-result queries per half, the bytes of a page view without search and of the
first search (gzip, as GitHub Pages serves the site) — then every missed query. The candidates, all fully static
and sending nothing to another host:
  1. the theme's search loading the index on every page view (the site before: same index, same vocabulary field,
     the theme's own query handling);
  2. the theme's search with the index loaded on the first search (this site: javascripts/search-worker.js, which also
     cuts the query with the vocabulary, drops query words that carry no meaning and ranks pages with every word first);
  3. Pagefind (PyPI `pagefind` with its bundled extended binary `pagefind_bin_extended`, which segments Chinese), on
     the same built pages (their article) plus each page's everyday words, queried through its JavaScript API.
Queries are typed into the search box for 1 and 2 (tests/search_golden.py). Run: python -m benchmarks.search_baseline
"""
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

PAGEFIND_SEARCH = """async ([q, k]) => {
  window.__pf = window.__pf || await import(new URL('pagefind/pagefind.js', location.href).href);
  const found = await window.__pf.search(q);
  if (!found) return [];
  const top = await Promise.all(found.results.slice(0, k).map(r => r.data()));
  return top.map(d => d.url);
}"""


def eager_copy(site: Path, out: Path) -> Path:
    """Candidate 1: the built site with the theme's own worker and the whole index in search_index.json."""
    shutil.copytree(site, out)
    (out / "javascripts" / "search.js").write_text("/* candidate: the theme's own search */\n", encoding="utf-8")
    shutil.copy(out / "search" / "pages.json", out / "search" / "search_index.json")
    return out


def pagefind_copy(site: Path, out: Path, page_words: dict) -> Path:
    """Candidate 3: the built site with a Pagefind index of its pages' articles and everyday words."""
    from pagefind.index import IndexConfig, PagefindIndex
    shutil.copytree(site, out)

    async def build():
        config = IndexConfig(root_selector="article", force_language="zh")
        async with PagefindIndex(config=config) as index:
            for html in sorted(out.rglob("index.html")):
                rel = html.parent.relative_to(out).as_posix()
                page = "" if rel == "." else rel + "/"
                text = html.read_text(encoding="utf-8")
                words = page_words.get(page)
                if words:
                    text = text.replace("</article>", f"<p>{' '.join(words)}</p></article>", 1)
                await index.add_html_file(content=text, url="/" + page)
            await index.write_files(output_path=str(out / "pagefind"))
    here = os.getcwd()
    os.chdir(out.parent)  # leaving `async with` writes the index once more, to ./pagefind: keep that in the work folder
    try:
        asyncio.run(build())
    finally:
        os.chdir(here)
    return out


def pagefind_run(browser, url: str, golden: list[dict]):
    import search_golden
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    rows = []
    for g in golden:
        found = [u.lstrip("/") for u in page.evaluate(PAGEFIND_SEARCH, [g["q"], search_golden.TOP])]
        rows.append({**g, "found": found, "score": search_golden.score(g["expect"], found, g["within"])})
    context.close()
    return sum(r["score"] for r in rows) / len(rows), rows


def first_search_bytes(browser, url: str, pagefind: bool) -> int:
    """Bytes fetched by the first search ("低保") after a page view has settled."""
    import search_golden
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    got = []
    page.on("requestfinished", lambda r: got.append(r))
    context.on("requestfinished", lambda r: got.append(r))
    if pagefind:
        page.evaluate(PAGEFIND_SEARCH, ["低保", 5])
    else:
        page.click(search_golden.INPUT)
        page.fill(search_golden.INPUT, "低保")
        page.dispatch_event(search_golden.INPUT, "keyup")
        page.wait_for_selector("li.md-search-result__item")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    total = sum(r.sizes()["responseBodySize"] for r in {id(r): r for r in got}.values())
    context.close()
    return total


def main() -> int:
    from playwright.sync_api import sync_playwright

    import search_golden
    from benchmarks import pages
    from conftest import CHROMIUM_FLAGS
    from scripts.package import load
    from scripts.site import search_vocabulary
    data = load()
    halves = {half: search_golden.load(path, data) for half, path in search_golden.HALVES.items()}
    work = Path(tempfile.mkdtemp(prefix="search-baseline-"))
    try:
        subprocess.run([sys.executable, "-m", "scripts.build", "--workdir", str(work / "build")], cwd=ROOT,
                       check=True, capture_output=True)
        site = work / "build" / "site"
        candidates = [("主题的搜索，每次浏览都下载索引（改动前）", eager_copy(site, work / "eager"), False),
                      ("主题的搜索，第一次搜索时才下载（本站）", site, False)]
        try:
            candidates.append(("Pagefind 1.5.2（extended，中文分词）",
                               pagefind_copy(site, work / "pagefind", search_vocabulary.page_words(data)), True))
        except ImportError:
            print("没有安装 pagefind（pip install pagefind[extended]），跳过这一项。", file=sys.stderr)
        lines = ["| 方案 | recall@5 调整用 | recall@5 检验用 | 零结果（调整用 / 检验用） | 不搜索时一次浏览（KB，gzip） | 第一次搜索另外下载（KB，gzip） |",
                 "|---|---:|---:|---:|---:|---:|"]
        misses = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
            for name, folder, is_pagefind in candidates:
                url, server = pages.serve(folder, True)
                try:
                    figures = {}
                    for half, golden in halves.items():
                        recall, rows = (pagefind_run(browser, url, golden) if is_pagefind
                                        else search_golden.run(browser, url, golden))
                        zero = sum(1 for r in rows if not r["found"] and r["expect"] != search_golden.NOTHING)
                        figures[half] = (recall, zero)
                        misses.append(search_golden.report(rows, recall, f"【{name}·{half}】"))
                    view = pages.page_view(browser, url)["bytes"]
                    first = first_search_bytes(browser, url, is_pagefind)
                finally:
                    server.shutdown()
                (r1, z1), (r2, z2) = figures.values()
                lines.append(f"| {name} | {r1:.3f} | {r2:.3f} | {z1} / {z2} | {view / 1024:.1f} | {first / 1024:.1f} |")
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(lines) + "\n\n" + "\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
