"""Check the links of a built site: every internal href/src in every HTML file must reach a file in the site, and every
#fragment an id in the page it points to. In: the site folder (default: site/). Out: every problem in Chinese; exit 1 if any.

External links (http:, https:, mailto:, tel:, data:) are not followed; a javascript: link is itself a problem.
A link from the site's root ("/…") starts at the path of the site's address when one is set (SITE_URL
https://example.org/siping/: "/siping/about/" is about/), as mkdocs writes the 404 page's links.
"""
import argparse
import html.parser
import posixpath
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..paths import SITE
from ..publish.metadata import site_url

LINK_ATTRIBUTES = {"href", "src", "poster", "data", "action"}
EXTERNAL = ("http", "https", "mailto", "tel", "data", "ftp")


@dataclass(frozen=True, order=True)
class Broken:
    page: str  # the HTML file, relative to the site
    link: str
    message: str

    def text(self) -> str:
        return f"{self.page}：链接“{self.link}”{self.message}"


class _Page(html.parser.HTMLParser):
    """The links (tag, value) and the ids of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.links.append(value)
            elif name == "srcset":
                self.links += [part.split()[0] for part in value.split(",") if part.strip()]


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def target(site: Path, page: str, path: str, root: str = "/") -> Path | None:
    """The file a link's path leads to from `page` (relative to the site), or None if it leads out of the site.
    `root`: the path of the site's address, where a link from "/" starts."""
    if path.startswith("/") and root != "/" and path.startswith(root):
        path = "/" + path[len(root):]
    base = "/" + posixpath.dirname(page)
    joined = path if path.startswith("/") else posixpath.join(base, path)
    parts = []
    for part in joined.split("/"):
        if part == "..":
            if not parts:
                return None  # climbs above the site's root
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    file = site.joinpath(*parts)
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file


def problems(site: Path = SITE, root: str | None = None) -> list[Broken]:
    """Every broken internal link or anchor in the HTML files under `site`; `root` defaults to the path of the site's
    address (mkdocs.yml's site_url, from SITE_URL), or "/"."""
    site = Path(site)
    root = root or urlsplit(site_url()).path or "/"
    pages = {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}
    parsed = {}

    def ids(file: Path) -> set:
        if file not in parsed:
            parsed[file] = parse(file).ids
        return parsed[file]

    out = []
    for rel, path in pages.items():
        page = parse(path)
        parsed[path] = page.ids
        for link in page.links:
            link = link.strip()
            parts = urlsplit(link)
            if parts.scheme.lower() == "javascript":
                out.append(Broken(rel, link, "是 javascript: 链接，网站不应包含可执行的链接。"))
                continue
            if parts.scheme.lower() in EXTERNAL or link.startswith("//") or not link:
                continue
            if parts.scheme:
                out.append(Broken(rel, link, f"用了无法识别的协议“{parts.scheme}:”。"))
                continue
            if parts.path.startswith("/") and not parts.path.startswith(root):
                out.append(Broken(rel, link, f"指向的文件 {unquote(parts.path).lstrip('/')} 不存在：本站的地址在 {root} 之下。"))
                continue
            file = path if not parts.path else target(site, rel, unquote(parts.path), root)
            if file is None:
                out.append(Broken(rel, link, "指向网站目录以外。"))
                continue
            if not file.is_file():
                out.append(Broken(rel, link, f"指向的文件 {file.relative_to(site).as_posix() if file.is_relative_to(site) else file} 不存在。"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and file.suffix == ".html" and fragment not in ids(file):
                out.append(Broken(rel, link, f"指向的锚点“#{fragment}”在 {file.relative_to(site).as_posix()} 中不存在。"))
    return sorted(set(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", nargs="?", default=str(SITE), help="生成的网站目录（默认：site）")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"链接检查无法进行：{site} 中没有 index.html，请先生成网站。")
        return 1
    found = problems(site)
    pages = sum(1 for _ in site.rglob("*.html"))
    if found:
        print(f"链接检查发现 {len(found)} 个问题（共检查 {pages} 个页面）：\n")
        for i, b in enumerate(found, 1):
            print(f"{i}. {b.text()}")
        print("\n怎么改：修改生成这些页面的模板或文档中的链接，使它指向网站中存在的页面和锚点。")
        return 1
    print(f"链接检查通过：{pages} 个页面中的站内链接和锚点都有效。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
