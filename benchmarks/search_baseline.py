"""Search recall@5 side by side: this site's search settings vs the theme's default search settings, same pages.

In: the data package, tests/golden_queries.yaml. Out: printed lines with recall@5 and index sizes (raw, gzip) for
  1. this site: `make build` settings (jieba user dictionary from the package, aliases as page tags, compact index);
  2. default: the same pages built with `plugins: [search]` (the theme's defaults, no user dictionary);
  3. default, no alias tags: as 2, with the services' `tags:` front matter removed.
Each build runs in its own process (jieba keeps its dictionary in memory). Run: python -m benchmarks.search_baseline
"""
import gzip
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

DEFAULT_BUILD = """
import re, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from scripts.build import write_docs
from scripts.package import load
from scripts.paths import DESCRIPTOR, MKDOCS_YML
work, tags = Path(sys.argv[1]), sys.argv[2] == "tags"
write_docs(load(DESCRIPTOR), work / "docs")
if not tags:
    for page in (work / "docs" / "services").glob("S*.md"):
        page.write_text(re.sub(r"(?m)^tags: .*\\n", "", page.read_text(encoding="utf-8")), encoding="utf-8")
build(load_config(config_file=str(MKDOCS_YML), docs_dir=str(work / "docs"), site_dir=str(work / "site"),
                  plugins=["search"], strict=False))
"""


def sizes(site: Path) -> tuple[int, int]:
    raw = (site / "search" / "search_index.json").read_bytes()
    return len(raw), len(gzip.compress(raw, 9))


def build_all(work: Path) -> dict[str, Path]:
    sites = {}
    subprocess.run([sys.executable, "-m", "scripts.build", "--workdir", str(work / "site-config")], cwd=ROOT,
                   check=True, capture_output=True)
    sites["本站设置"] = work / "site-config" / "site"
    for name, tags in (("默认设置", "tags"), ("默认设置、无别名标签", "none")):
        folder = work / f"default-{tags}"
        subprocess.run([sys.executable, "-c", DEFAULT_BUILD, str(folder), tags], cwd=ROOT, check=True,
                       capture_output=True)
        sites[name] = folder / "site"
    return sites


def main() -> int:
    from playwright.sync_api import sync_playwright

    import search_golden
    from conftest import CHROMIUM_FLAGS, serve
    work = Path(tempfile.mkdtemp(prefix="search-baseline-"))
    try:
        sites = build_all(work)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
            for name, site in sites.items():
                url, server = serve(site)
                recall, rows = search_golden.run(browser, url)
                server.shutdown()
                raw, gz = sizes(site)
                print(search_golden.report(rows, recall, label=f"【{name}】"))
                print(f"  索引大小：{raw} 字节，gzip 后 {gz} 字节")
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
