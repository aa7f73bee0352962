"""The built site's search index: what a page view downloads, what a search downloads, and whether Chinese search works.

The theme writes one index (search/search_index.json) that every page fetches as soon as it opens. The build's last
step (`finish`) turns it into three files, so that only a search pays for search:
- search/search_index.json keeps only the settings (`config`, a few hundred bytes) — all the theme reads on a page view;
- search/pages.json is the index itself, fetched by docs/javascripts/search-worker.js on the first search;
- search/words.json is the vocabulary the search box uses while a person types (scripts/site/search_vocabulary.py);
- search/sounds.json is how the index's words sound (scripts/site/search_sounds.py), fetched only when a query finds
  little, so that a homophone typo ("底保") finds its word (低保).
On the way the index loses what the page templates repeat on every page (a heading such as "主责单位（找哪个部门）" or
the note on unpublished annexes, found by counting, not by a list), gains each page's everyday words (a `words` field,
ranked like a title), and is stored as plain UTF-8: the theme writes every Chinese character escaped ("\\u4f4e",
six bytes instead of three).

`problems` checks that Chinese search works: the theme finds Chinese words only when the build cut the text into words
(jieba) and the index's separator splits at the zero-width space between them. If jieba is missing, or the separator
loses "\\u200b", the build would still succeed but every Chinese query would find nothing; this check fails it instead.
"""
import argparse
import collections
import json
import re
import sys
from pathlib import Path

from ..paths import SITE
from . import search_sounds
from .search_words import HAN

INDEX = Path("search") / "search_index.json"   # the theme's file: after `finish`, the settings only
PAGES = Path("search") / "pages.json"           # the index, fetched on the first search
WORDS = Path("search") / "words.json"           # the query vocabulary, fetched with it
SOUNDS = Path("search") / "sounds.json"         # the index's words by sound, fetched when a query finds little
LONGEST_WORD = 16  # jieba's words are far shorter; a longer run of Chinese characters was never cut into words
ESCAPED_HAN = re.compile(rb"\\u(?:3[4-9a-f]|[4-9][0-9a-f])[0-9a-f]{2}", re.IGNORECASE)
BLOCK = re.compile(r"<(p|li|h[1-6]|td|th|dt|dd)>.*?</\1>", re.DOTALL)
TEMPLATE_SHARE = 0.25  # a heading or paragraph on at least this share of all pages is the template's, not content
WORDS_FIELD = {"words": {"boost": 1000.0}}
ZWSP = "\u200b"


def _page(location: str) -> str:
    return location.split("#", 1)[0]


def strip_template(docs: list[dict]) -> list[dict]:
    """The docs without what the page templates repeat: a section whose heading is on many pages is folded into its
    page (its heading dropped), a paragraph or list item on many pages is dropped, and tags stay on the page entry only."""
    pages = {_page(d["location"]) for d in docs}
    many = max(2, int(len(pages) * TEMPLATE_SHARE))
    heading_on, block_on = collections.Counter(), collections.Counter()
    for d in docs:
        if "#" in d["location"]:
            heading_on[d["title"]] += 1
        for b in {m.group(0) for m in BLOCK.finditer(d.get("text", ""))}:
            block_on[b] += 1
    template_blocks = {b for b, n in block_on.items() if n >= many}
    out, by_page = [], {}
    for d in docs:
        d = dict(d)
        d["text"] = BLOCK.sub(lambda m: "" if m.group(0) in template_blocks else m.group(0), d.get("text", "")).strip()
        page = _page(d["location"])
        if "#" in d["location"]:
            d.pop("tags", None)
            if heading_on[d["title"]] >= many:
                if page in by_page and d["text"]:
                    by_page[page]["text"] = (by_page[page]["text"] + " " + d["text"]).strip()
                continue
        else:
            by_page[page] = d
        out.append(d)
    return out


def add_words(docs: list[dict], page_words: dict[str, list[str]]) -> None:
    """Give each page entry its everyday words, one index word each (joined by the zero-width space the separator splits at)."""
    for d in docs:
        words = page_words.get(d["location"]) if "#" not in d["location"] else None
        if words:
            d["words"] = ZWSP.join(words)


def compact(site: Path = SITE) -> tuple[int, int]:
    """Rewrite the theme's index without \\u escapes; return (bytes before, bytes after)."""
    path = Path(site) / INDEX
    raw = path.read_bytes()
    data = json.loads(raw)
    out = _dump(data)
    if out != raw:
        path.write_bytes(out)
    return len(raw), len(out)


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def split(site: Path, page_words: dict | None = None, query_words: dict | None = None) -> dict[str, int]:
    """The theme's index → settings-only search_index.json, pages.json, words.json and sounds.json. Returns each
    file's bytes."""
    site = Path(site)
    data = json.loads((site / INDEX).read_bytes())
    docs = strip_template(data.get("docs", []))
    add_words(docs, page_words or {})
    config = dict(data.get("config", {}))
    config["fields"] = {**config.get("fields", {}), **WORDS_FIELD}
    files = {PAGES: {"config": config, "docs": docs},
             WORDS: query_words or {"stop": [], "general": {}, "suggest": []},
             SOUNDS: search_sounds.table(docs, config.get("separator", r"\s+"),
                                         [w for words in (page_words or {}).values() for w in words]),
             INDEX: {"config": config, "docs": []}}
    sizes = {}
    for rel, content in files.items():
        raw = _dump(content)
        (site / rel).write_bytes(raw)
        sizes[str(rel)] = len(raw)
    return sizes


def problems(site: Path = SITE) -> list[str]:
    """Every way the index shows that Chinese search would not work; empty when it is fine."""
    found = []
    try:
        import jieba  # noqa: F401  the theme cuts Chinese text with it while building
    except ImportError:
        found.append("没有安装 jieba（中文分词）：搜索找不到任何中文词。请运行 make install（requirements.txt 中有 jieba）。")
    path = Path(site) / PAGES
    if not path.is_file():
        path = Path(site) / INDEX
    if not path.is_file():
        return found + [f"没有找到搜索索引 {path}：请先生成网站。"]
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except ValueError as e:
        return found + [f"搜索索引 {path} 不是有效的 JSON：{e}"]
    separator = data.get("config", {}).get("separator", "")
    if "\\u200b" not in separator and "\u200b" not in separator:
        found.append(f"搜索的分隔符（separator）里没有零宽空格 \\u200b：分好的中文词会连在一起，搜索找不到。"
                     f"请不要在 mkdocs.yml 中改写 separator。现在是：{separator!r}")
    long_runs = []
    for doc in data.get("docs", []):
        for field in ("title", "text"):
            for run in HAN.findall(re.sub(r"<[^>]+>", " ", str(doc.get(field, "")))):
                if len(run) > LONGEST_WORD:
                    long_runs.append((doc.get("location", ""), run))
    if long_runs:
        where, run = long_runs[0]
        found.append(f"搜索索引里有 {len(long_runs)} 段没有分词的中文（例如页面“{where or '首页'}”：“{run[:30]}…”）："
                     "中文搜索会什么也找不到。请确认安装了 jieba，并且 mkdocs.yml 的 search 设置了 lang: zh。")
    if ESCAPED_HAN.search(raw):
        found.append("搜索索引里的中文被写成了 \\uXXXX 转义，文件大了一倍：请重新生成网站（make build）。")
    return found


def finish(site: Path = SITE, page_words: dict | None = None, query_words: dict | None = None) -> list[str]:
    """The build's last step: split the theme's index into settings, index and vocabulary, then check it.
    Returns the problems (empty when it is fine)."""
    if (Path(site) / INDEX).is_file():
        try:
            split(site, page_words, query_words)
        except ValueError:
            pass  # reported by problems() as invalid JSON
    return problems(site)


def main(argv=None) -> int:
    """Check a built site's index without changing it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", nargs="?", default=str(SITE))
    args = parser.parse_args(argv)
    site = Path(args.site)
    found = problems(site)
    for p in found:
        print(f"搜索检查未通过：{p}", file=sys.stderr)
    if found:
        return 1
    index = site / PAGES if (site / PAGES).is_file() else site / INDEX
    print(f"搜索检查通过：中文已分词，索引 {index.stat().st_size} 字节。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
