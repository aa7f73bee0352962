"""The source texts that every quote is checked against, and the matching rules (whitespace-insensitive, punctuation-exact).

White space is not part of the wording: a run of spaces, tabs or line breaks counts as one space between two Latin
letters or digits ("Data Package", "1 2") and as nothing anywhere else. So a quote copied from a table cell is found in
the text extracted from a Word, PDF or spreadsheet file (scripts.office.extract) whether the cell was wrapped over
several lines, set off by tabs or spaced out, and "2020 年" is "2020年".

The lines stay: a normalized text keeps one "\n" where its white space held a line break, so the reading rules can
tell where a paragraph ends ("。" then a line break, scripts.validate.statements) and where one starts
(scripts.validate.dated). Matching a quote (find, near_miss) ignores them as it ignores every other white space.
"""
import re
from functools import lru_cache
from pathlib import Path

from ..paths import SOURCES

_WS = re.compile(r"\s+")
# Characters that look alike to an editor but are different in the source.
_FOLD = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "！": "!", "？": "?",
                       "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "、": ",", "。": "."})


_LINE = re.compile(r"[\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85]")


def _between_latin(m: re.Match) -> bool:
    s, i, j = m.string, m.start(), m.end()
    return 0 < i and j < len(s) and s[i - 1].isascii() and s[i - 1].isalnum() and s[j].isascii() and s[j].isalnum()


def _space(m: re.Match) -> str:
    return "\n" if _LINE.search(m.group()) else " " if _between_latin(m) else ""


def normalize(text: str) -> str:
    """Every run of white space (incl. no-break and ideographic spaces): one line break if it held one, else one space
    between two Latin letters or digits, else nothing."""
    return _WS.sub(_space, text.strip())


def _unwrap(m: re.Match) -> str:
    return " " if _between_latin(m) else ""


@lru_cache(maxsize=64)
def flat(text: str) -> str:
    """A normalized text as one line, for matching: a line break counts as any other white space."""
    return re.sub("\n", _unwrap, text)


@lru_cache(maxsize=8)
def _load(folder: str) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.txt"))]
    return normalize("\n".join(texts))


def corpus(folder: Path = SOURCES) -> str:
    return _load(str(folder))


@lru_cache(maxsize=32)
def _load_file(path: str, mtime: float) -> str:
    return normalize(Path(path).read_text(encoding="utf-8"))


def document_texts(base: Path, documents: list[dict]) -> dict[str, str]:
    """Each registered, published document's own text (id → normalized text): only a row of documents.csv with status
    全文公开 and a text file inside sources/ has a text, so a quote can only be found in the document it names."""
    out = {}
    for d in documents:
        path = str(d.get("text_path") or "").strip()
        file = Path(base) / path
        if d.get("status") == "全文公开" and path.startswith("sources/") and file.is_file():
            try:
                out[d.get("id", "")] = _load_file(str(file), file.stat().st_mtime)
            except UnicodeDecodeError:
                continue
    return out


def find(quote: str, text: str) -> bool:
    return flat(normalize(quote)) in flat(text)


def near_miss(quote: str, text: str) -> str | None:
    """The source's wording when the quote differs only in punctuation (e.g. ， for ,), else None."""
    q, text = flat(normalize(quote)), flat(text)
    folded_text = text.translate(_FOLD)
    i = folded_text.find(q.translate(_FOLD))
    return text[i:i + len(q)] if i >= 0 else None


def searched(quote: str, document: str, texts: dict[str, str], docs: dict | None) -> str:
    """What a "not found" message adds: the document that was searched and, if the quote is in another registered
    document, that one (the 出处文件 column is then the likely slip)."""
    title = lambda d: ((docs or {}).get(d, {}).get("title") or "")[:40]
    out = f"（查找的是文件 {document}：{title(document)}）" if document else ""
    elsewhere = [d for d, text in texts.items() if d != document and find(quote, text)]
    if elsewhere:
        out += f"；这段文字在文件 {elsewhere[0]}（{title(elsewhere[0])}）中，摘录出自那份文件的，出处文件填 {elsewhere[0]}"
    return out
