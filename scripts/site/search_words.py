"""Write the search's word list: the loaded data package → a jieba user dictionary (one "word frequency" per line).

The site search cuts Chinese text into words with jieba when the site is built, and the theme's search box matches
only the beginnings of those words. So the list does two things, both derived from the package's service names and
aliases (services.csv `aliases`), departments, domain and audience names, audience keywords and the everyday
words of vocabulary.csv:
- a short name or alias (up to three characters: "低保", "长护险") is kept as one word, never cut into characters;
- a longer compound inside those names ("危房改造", "医疗保险") is cut into its words, so typing a part finds it.
Aliases are data: to add a search keyword, edit the `aliases` column, never this file.

Called by scripts/build.py; the file lands in the build folder (a dot-file, so it is not published) and mkdocs.yml's
`search.jieba_dict_user` points at it.
"""
import functools
import re

import jieba

from ..package import UNPUBLISHED

FILE = ".jieba_userdict.txt"
KEEP_FREQ = 100000  # a short name or alias stays one word ("公租房", "长护险"), never single characters
SPLIT_FREQ = 0      # a long compound is cut into its words ("养老保险" → "养老" "保险") so a part of a name finds it
SHORT = 3           # names and aliases up to this many characters are kept whole
HAN = re.compile(r"[\u3400-\u9fff]+")  # a run of Chinese characters (CJK unified ideographs and extension A)


def phrases(data: dict) -> list[str]:
    """Every name and keyword in the package: service names and aliases, departments, domain and audience names, everyday words."""
    t = data["tables"]
    found = []
    for s in t.get("services", []):
        found += [s.get("name"), *(s.get("aliases") or [])]
        found += [s.get(f["name"]) for f in data["annex_fields"] if f["name"] == "lead_department" and s.get(f["status"]) != UNPUBLISHED]
    for m in t.get("measures", []):
        found += m.get("departments") or []
    for d in t.get("domains", []):
        found += [d.get("name"), d.get("heading")]
    for a in t.get("audiences", []):
        found += [a.get("name"), *(a.get("keywords") or [])]
    for v in t.get("vocabulary", []):  # the everyday words (vocabulary.csv), except those a query drops
        if v.get("kind") != "虚词":
            found.append(v.get("word"))
    return sorted({run for x in found if x for run in HAN.findall(str(x))})


@functools.cache
def _dictionary() -> tuple[dict, int]:
    """jieba's own dictionary (word → frequency, total), loaded once per process: loading it takes about a second.
    It is loaded into jieba's default tokenizer, the one the theme's search then cuts the pages with, so the build
    loads it once, not twice; the copy is taken before the theme adds this package's words to that tokenizer."""
    jieba.setLogLevel(60)
    jieba.dt.initialize()
    return dict(jieba.dt.FREQ), jieba.dt.total


def _tokenizer():
    """A fresh jieba tokenizer on a copy of the loaded dictionary, so words added for one package never leak into another."""
    freq, total = _dictionary()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(freq), total, True
    return tokenizer


def entries(data: dict) -> dict[str, int]:
    """word → frequency for jieba: short names kept whole, long compounds in the names cut into their words."""
    tokenizer = _tokenizer()
    runs = phrases(data)
    keep = {r for r in runs if 2 <= len(r) <= SHORT}
    found = {w: KEEP_FREQ for w in keep}
    for w in keep:
        tokenizer.add_word(w, KEEP_FREQ)
    for _ in range(3):  # cutting one compound can reveal another inside it
        changed = False
        for run in runs:
            for word in tokenizer.cut(run):
                if len(word) > SHORT and word not in keep and word not in found:
                    parts = [p for p in tokenizer.cut_for_search(word) if p != word and len(p) >= 2]
                    if parts:
                        found[word] = SPLIT_FREQ
                        tokenizer.add_word(word, SPLIT_FREQ)
                        changed = True
        if not changed:
            break
    return found


def write(data: dict, out) -> int:
    """Write `out`/.jieba_userdict.txt for `data` (as scripts.package.load returns it); return the number of words."""
    listed = entries(data)
    (out / FILE).write_text("".join(f"{w} {f}\n" for w, f in sorted(listed.items())), encoding="utf-8")
    return len(listed)
