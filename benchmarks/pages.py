"""What a page view costs: bytes and Lighthouse mobile performance of the home page, a service page and the targets
page, served by a static server that sends the build's pre-compressed `.gz` copies (as nginx with `gzip_static on`, the
README's block, and as GitHub Pages' gzip does) and by one that compresses nothing (a server with compression off).

In: a built site (default site/, from `make build`). Out: a Markdown table, printed, and written into BENCHMARKS.md
between the markers below (`make bench` writes the whole file and calls this for its last section). Reports only,
asserts nothing. Bytes are what the browser received for the page view, all files counted (Playwright, Debian
chromium, each page opened fresh and left until the network is idle, without touching the search box). Lighthouse
is the npm package pinned in tools/lighthouse (npm ci --prefix tools/lighthouse), run against Debian chromium through
CHROME_PATH, mobile form factor with its default simulated throttling, on a local server on 127.0.0.1.
Run: python -m benchmarks.pages [site]
"""
import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from scripts.paths import SITE  # noqa: E402

LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
OUT = ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- pages: begin -->", "<!-- pages: end -->"
BUDGET = 100 * 1024   # bytes of a page view without search, gzip
SCORE = 95            # Lighthouse mobile performance
INDEX_FILES = ("search/pages.json", "search/words.json")
GZ = "预压缩 .gz"
MODES = ((GZ, True), ("不压缩", False))  # nginx with `gzip_static on` (the README's block); a server compressing nothing


class Handler(http.server.SimpleHTTPRequestHandler):
    """A static server that never compresses anything itself. With `precompressed` set it sends `<file>.gz`, written by
    the build (scripts/site/compress.py), to a browser that accepts gzip, as nginx does with `gzip_static on`;
    without it, every file goes out as it is (a server with compression off). Types as the README's nginx block sets them."""
    precompressed = False
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".jsonld": "application/ld+json",
                      ".csv": "text/csv", ".sqlite": "application/vnd.sqlite3", ".bib": "application/x-bibtex"}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        packed = path.with_name(path.name + ".gz")
        if not (self.precompressed and path.is_file() and packed.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = packed.open("rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(packed.stat().st_size))
        self.end_headers()
        return body


def serve(site: Path, precompressed: bool):
    """Serve `site` on 127.0.0.1 at a free port; returns (base url, server)."""
    handler = functools.partial(type("H", (Handler,), {"precompressed": precompressed}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def pages(site: Path) -> list[tuple[str, str]]:
    first = sorted(p.parent.name for p in (Path(site) / "services").glob("S*/index.html"))[0]
    return [("首页", ""), (f"服务页 {first}", f"services/{first}/"), ("指标和目标", "targets/")]


def page_view(browser, url: str) -> dict:
    """Bytes received on the wire (response headers and body as sent: compressed when the server sent a .gz copy) and
    the files a page view fetched."""
    return page_views(browser, [url])[0]


def page_views(browser, urls: list[str]) -> list[dict]:
    """page_view of each URL, each in a context of its own, the pages loading side by side: the network quiet and the
    300 ms after it are waited once for all."""
    views = []
    try:
        for url in urls:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            page, fetched = context.new_page(), []
            page.on("requestfinished", lambda r, fetched=fetched: fetched.append(r))
            page.goto(url, wait_until="commit")
            views.append((context, page, fetched))
        for _, page, _ in views:
            page.wait_for_load_state("networkidle")
        views[-1][1].wait_for_timeout(300)
        out = []
        for _, _, fetched in views:
            responses = []
            for r in fetched:
                sizes, response = r.sizes(), r.response()
                responses.append({"url": r.url, "body": sizes["responseBodySize"], "headers": sizes["responseHeadersSize"],
                                  "encoding": (response.headers if response else {}).get("content-encoding", "")})
            out.append({"bytes": sum(x["body"] + x["headers"] for x in responses), "files": len(responses),
                        "responses": responses, "index": [x["url"] for x in responses if x["url"].endswith(INDEX_FILES)]})
        return out
    finally:
        for context, _, _ in views:
            context.close()


def lighthouse(url: str, chrome: str) -> dict | None:
    if not LIGHTHOUSE.is_file():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        done = subprocess.run(
            ["node", str(LIGHTHOUSE), url, "--quiet", "--only-categories=performance", "--output=json",
             f"--output-path={out}", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            env={**os.environ, "CHROME_PATH": chrome}, capture_output=True, text=True, timeout=300)
        if done.returncode or not out.is_file():
            print(done.stderr[-2000:], file=sys.stderr)
            return None
        report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {"score": round(report["categories"]["performance"]["score"] * 100),
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "bytes": audits["total-byte-weight"]["numericValue"]}


def measure(site: Path = SITE, with_lighthouse: bool = True) -> list[dict]:
    from playwright.sync_api import sync_playwright
    chrome = shutil.which("chromium")
    rows = []
    load = os.getloadavg()[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chrome, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for mode, precompressed in MODES:
            base, server = serve(Path(site), precompressed)
            try:
                for label, path in pages(site):
                    row = {"page": label, "mode": mode, **page_view(browser, base + path)}
                    row["lighthouse"] = lighthouse(base + path, chrome) if with_lighthouse else None
                    rows.append(row)
                    print(f"{label}（{mode}）：{row['bytes']} 字节，Lighthouse {row['lighthouse']}", file=sys.stderr)
            finally:
                server.shutdown()
        browser.close()
    for row in rows:
        row["load"] = (load, os.getloadavg()[0])
    return rows


def table(rows: list[dict]) -> str:
    kb = lambda n: f"{n / 1024:,.1f}"
    lines = ["| 页面 | 传输方式 | 一次浏览的字节（KB，全部文件，含响应头） | 文件数 | 搜索索引 | Lighthouse 移动端性能 | LCP（秒） | Lighthouse 总字节（KB） |",
             "|---|---|---:|---:|---|---:|---:|---:|"]
    for r in rows:
        lh = r["lighthouse"]
        lines.append(f"| {r['page']} | {r['mode']} | {kb(r['bytes'])} | {r['files']} | {'下载了' if r['index'] else '没有下载'} | "
                     + (f"{lh['score']} | {lh['lcp']:.1f} | {kb(lh['bytes'])} |" if lh else "— | — | — |"))
    gz = [r for r in rows if r["mode"] == GZ]
    out = ["", f"- 不搜索时一次浏览 ≤ 100 KB（{GZ}）：最大 {kb(max(r['bytes'] for r in gz))} KB，"
               + ("达到" if all(r["bytes"] <= BUDGET for r in gz) else "未达到")]
    scored = [r for r in gz if r["lighthouse"]]
    if scored:
        low = min(scored, key=lambda r: r["lighthouse"]["score"])
        out.append(f"- Lighthouse 移动端性能 ≥ {SCORE}（三个页面，{GZ}的静态服务器）：最低 {low['lighthouse']['score']}"
                   f"（{low['page']}），" + ("达到" if all(r["lighthouse"]["score"] >= SCORE for r in scored) else "未达到"))
        plain = [r for r in rows if r["mode"] != GZ and r["lighthouse"]]
        if plain:
            out.append(f"- 不压缩时（服务器不用 .gz 副本，不是目标）：Lighthouse 最低 {min(r['lighthouse']['score'] for r in plain)}")
    else:
        out.append("- Lighthouse 没有运行：先运行 npm ci --prefix tools/lighthouse（make bench 会自动安装）。")
    return "\n".join(lines + out)


def section(rows: list[dict]) -> str:
    version = json.loads((ROOT / "tools/lighthouse/package.json").read_text())["dependencies"]["lighthouse"]
    return (f"{BEGIN}\n## 一次浏览的字节和 Lighthouse（不搜索时）\n\n"
            f"由 `python -m benchmarks.pages` 生成（`make bench` 的最后一步）。本机 127.0.0.1 上的静态服务器（Python，本身不压缩），"
            f"分别发送生成网站时写好的 .gz 副本（同 nginx 的 gzip_static on，见 README）和不压缩的原文件；"
            f"Debian chromium，Lighthouse {version}（npm，版本固定在 tools/lighthouse），移动端、默认的模拟限速。"
            f"搜索索引只在第一次搜索时下载，这里的页面都没有搜索。"
            + (f"开始和结束时的 1 分钟平均负载：{rows[0]['load'][0]:.2f} / {rows[0]['load'][1]:.2f}"
               f"（{os.cpu_count()} 个 CPU 核心；Lighthouse 的模拟限速按实测的 CPU 耗时推算，负载高时分数偏低）。" if rows and "load" in rows[0] else "")
            + f"\n\n{table(rows)}\n{END}\n")


def write(text: str, out: Path = OUT) -> None:
    """Put the section into `out`, replacing the one there (the rest of the file is left as it is)."""
    old = out.read_text(encoding="utf-8") if out.is_file() else ""
    if BEGIN in old and END in old:
        new = old[:old.index(BEGIN)] + text + old[old.index(END) + len(END) + 1:]
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + text
    out.write_text(new, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", nargs="?", default=str(SITE))
    parser.add_argument("--no-lighthouse", action="store_true", help="只量字节，不运行 Lighthouse")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    rows = measure(Path(args.site), not args.no_lighthouse)
    text = section(rows)
    print(text)
    write(text, Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
