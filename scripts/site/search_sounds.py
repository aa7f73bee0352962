"""The search's sound table (search/sounds.json): how the index's words sound, so that a homophone typo finds its word.

People type Chinese with pinyin and pick a character from a list; a wrong pick gives a word that sounds right and is
written wrong ("底保" for 低保, "公祖房" for 公租房). Such a query finds nothing. When a query finds little, the search
worker (docs/javascripts/search-worker.js) reads the query by sound: each character's tone-less pinyin (`chars`), every
window of the query compared with the tone-less pinyin of the index's words (`terms`), a window that sounds like an
index word and is not one itself replaced by it ("底保" → "低保"). The page then offers "您要找的是不是：低保".

The pinyin is made here, at build time, with pypinyin (pinned in requirements.txt): the words' pinyin read in context
(银行 → yin hang), each character with all its readings. The table is fetched only when a query finds little.

{"chars": {"di": "低底地…", …}, "terms": {"di bao": ["低保"], …}} — under one sound, the word people use first:
everyday words (vocabulary.csv) and page titles, then the index's words by how many pages use them.
"""
import collections
import re

from pypinyin import Style, lazy_pinyin, pinyin

from .search_words import HAN

LONGEST = 12   # index words longer than this are not compared by sound
TAG = re.compile(r"<[^>]+>")


def common_characters(levels: int = 2) -> str:
    """The 6,763 characters of GB 2312 (levels 1 and 2; level 1 alone: the 3,755 most common): what a pinyin input
    method offers first."""
    out = []
    for hi in range(0xB0, 0xD8 if levels == 1 else 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(out)


def readings(char: str) -> list[str]:
    """Every tone-less reading of one character ("长" → ["zhang", "chang"])."""
    return [r for r in pinyin(char, style=Style.NORMAL, heteronym=True)[0] if r.isascii() and r.isalpha()]


def sound(word: str) -> str:
    """The tone-less pinyin of a word read in context, one syllable per character ("低保" → "di bao")."""
    return " ".join(lazy_pinyin(word, style=Style.NORMAL))


def index_words(docs: list[dict], separator: str) -> collections.Counter:
    """Every Chinese index word of 2–LONGEST characters → on how many pages it stands."""
    split = re.compile(separator)
    pages = collections.defaultdict(set)
    for d in docs:
        page = d.get("location", "").split("#")[0]
        for field in ("title", "text", "words"):
            for w in split.split(TAG.sub(" ", str(d.get(field, "")))):
                if 2 <= len(w) <= LONGEST and HAN.fullmatch(w):
                    pages[w].add(page)
    return collections.Counter({w: len(p) for w, p in pages.items()})


def table(docs: list[dict], separator: str, first: list[str] = ()) -> dict:
    """The sound table for an index (`docs` with the index's `separator`); `first` are the words people use (everyday
    words, titles), preferred under a sound they share with other words."""
    counted = index_words(docs, separator)
    titles = [TAG.sub("", str(d.get("title", ""))).replace("\u200b", "") for d in docs if "#" not in d.get("location", "")]
    preferred = [w for w in [*first, *titles] if 2 <= len(w) <= LONGEST and HAN.fullmatch(w)]
    rank = {w: i for i, w in enumerate(dict.fromkeys(preferred))}
    words = sorted(set(counted) | set(rank), key=lambda w: (rank.get(w, len(rank)), -counted.get(w, 0), w))
    terms: dict[str, list[str]] = {}
    for w in words:
        terms.setdefault(sound(w), []).append(w)
    chars = collections.defaultdict(str)
    wanted = set(common_characters()) | {c for w in words for c in w}
    for c in sorted(wanted):
        for r in readings(c):
            chars[r] += c
    return {"chars": dict(sorted(chars.items())), "terms": terms}
