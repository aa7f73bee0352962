"""The source texts that every quote is checked against, and the matching rules (whitespace-insensitive, punctuation-exact)."""
import re
from functools import lru_cache
from pathlib import Path

from ..paths import SOURCES

_WS = re.compile(r"\s+")
# Characters that look alike to an editor but are different in the source.
_FOLD = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "！": "!", "？": "?",
                       "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "、": ",", "。": "."})


def normalize(text: str) -> str:
    """Collapse every run of white space (incl. no-break and ideographic spaces) to one space."""
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=8)
def _load(folder: str) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.txt"))]
    return normalize("\n".join(texts))


def corpus(folder: Path = SOURCES) -> str:
    return _load(str(folder))


def find(quote: str, text: str) -> bool:
    return normalize(quote) in text


def near_miss(quote: str, text: str) -> str | None:
    """The source's wording when the quote differs only in punctuation (e.g. ， for ,), else None."""
    q = normalize(quote)
    folded_text = text.translate(_FOLD)
    i = folded_text.find(q.translate(_FOLD))
    return text[i:i + len(q)] if i >= 0 else None
