"""The built site's search index: store it compact (`compact`), and check that Chinese search works (`problems`);
the build calls `finish`, which does both. site/search/search_index.json → problems in Chinese.

The theme's search finds Chinese words only when the build cut the text into words (jieba) and the index's separator
splits at the zero-width space between them. If jieba is missing, or the separator loses "\\u200b", the build still
succeeds but every Chinese query finds nothing. This check fails the build instead.

The theme writes the index with every Chinese character escaped ("\\u4f4e", six bytes instead of three); it is first
rewritten as plain UTF-8 JSON, same content, so browsers download less.
"""
import argparse
import json
import re
import sys
from pathlib import Path

from ..paths import SITE

INDEX = Path("search") / "search_index.json"
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
LONGEST_WORD = 16  # jieba's words are far shorter; a longer run of Chinese characters was never cut into words
ESCAPED_HAN = re.compile(rb"\\u(?:3[4-9a-f]|[4-9][0-9a-f])[0-9a-f]{2}", re.IGNORECASE)


def compact(site: Path = SITE) -> tuple[int, int]:
    """Rewrite the index without \\u escapes; return (bytes before, bytes after)."""
    path = Path(site) / INDEX
    raw = path.read_bytes()
    data = json.loads(raw)
    out = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if out != raw:
        path.write_bytes(out)
    return len(raw), len(out)


def problems(site: Path = SITE) -> list[str]:
    """Every way the index shows that Chinese search would not work; empty when it is fine."""
    found = []
    try:
        import jieba  # noqa: F401  the theme cuts Chinese text with it while building
    except ImportError:
        found.append("没有安装 jieba（中文分词）：搜索找不到任何中文词。请运行 make install（requirements.txt 中有 jieba）。")
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
            for run in HAN_RUN.findall(re.sub(r"<[^>]+>", " ", str(doc.get(field, "")))):
                if len(run) > LONGEST_WORD:
                    long_runs.append((doc.get("location", ""), run))
    if long_runs:
        where, run = long_runs[0]
        found.append(f"搜索索引里有 {len(long_runs)} 段没有分词的中文（例如页面“{where or '首页'}”：“{run[:30]}…”）："
                     "中文搜索会什么也找不到。请确认安装了 jieba，并且 mkdocs.yml 的 search 设置了 lang: zh。")
    if ESCAPED_HAN.search(raw):
        found.append("搜索索引里的中文被写成了 \\uXXXX 转义，文件大了一倍：请重新生成网站（make build）。")
    return found


def finish(site: Path = SITE) -> list[str]:
    """The build's last step: store the index compact, then check it. Returns the problems (empty when it is fine)."""
    if (Path(site) / INDEX).is_file():
        try:
            compact(site)
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
    print(f"搜索检查通过：中文已分词，索引 {(site / INDEX).stat().st_size} 字节。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
