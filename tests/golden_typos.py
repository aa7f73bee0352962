"""Write the typo half of the golden queries (tests/golden_queries_typos.yaml): homophone typos from pinyin input.

Method (the same for every query, no query chosen or left out by hand): every query of the two other halves that is
one everyday word or phrase of 2–6 Chinese characters and expects pages gets one wrong character with the same
tone-less pinyin, as a pinyin keyboard offers it. Which character, and which homophone, is drawn at random with the
query itself as the seed (so the file is the same on every run): the positions in random order, the first position
that has a homophone among the 3,755 most common characters (GB 2312 level 1) takes one of them at random. The pinyin
of the original is read in context (pypinyin, as the build reads the index). The typo expects the original's pages.

    .venv/bin/python tests/golden_typos.py      # rewrites tests/golden_queries_typos.yaml

tests/test_search.py checks that the committed file is what this script writes.
"""
import random
import re
import sys
from pathlib import Path

import yaml
from pypinyin import Style, lazy_pinyin

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from scripts.site.search_sounds import common_characters  # noqa: E402

SOURCES = [HERE / "golden_queries.yaml", HERE / "golden_queries_heldout.yaml"]
OUT = HERE / "golden_queries_typos.yaml"
WORD = re.compile(r"[\u4e00-\u9fff]{2,6}")
HEADER = """# 搜索的标准查询（错别字的一半）：拼音输入法选错同音字。由 tests/golden_typos.py 按固定方法生成，不要手改：
# 另外两半里每一个 2–6 个汉字、期望有结果的查询，换一个字为同音字（不计声调；从 GB 2312 一级字里随机选，
# 以查询本身为随机种子，位置也随机），期望的页面与原查询相同。重新生成：.venv/bin/python tests/golden_typos.py
"""


def homophones() -> dict[str, list[str]]:
    by = {}
    for c in common_characters(levels=1):
        by.setdefault(lazy_pinyin(c, style=Style.NORMAL)[0], []).append(c)
    return by


def typo(word: str, by: dict[str, list[str]]) -> str | None:
    """`word` with one character replaced by a homophone, or None when none of its characters has one."""
    rng = random.Random(word)
    sounds = lazy_pinyin(word, style=Style.NORMAL)
    positions = list(range(len(word)))
    rng.shuffle(positions)
    for i in positions:
        others = [c for c in by.get(sounds[i], []) if c != word[i]]
        if others:
            return word[:i] + rng.choice(others) + word[i + 1:]
    return None


def queries() -> list[dict]:
    by = homophones()
    items = [i for path in SOURCES for i in yaml.safe_load(path.read_text(encoding="utf-8"))]
    taken = {str(i["q"]) for i in items}
    out = []
    for i in items:
        q = str(i["q"])
        if i["expect"] == "nothing" or not WORD.fullmatch(q):
            continue
        t = typo(q, by)
        if t and t not in taken:
            taken.add(t)
            out.append({"q": t, "expect": i["expect"], "kind": f"错别字（{q}）"})
    return out


def text() -> str:
    lines = [HEADER]
    for i in queries():
        expect = ", ".join(str(e) for e in i["expect"])
        lines.append(f"- {{q: {i['q']}, expect: [{expect}], kind: {i['kind']}}}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUT.write_text(text(), encoding="utf-8")
    print(f"{OUT}：{len(queries())} 个查询")
