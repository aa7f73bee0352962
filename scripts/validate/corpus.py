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
    return normalize(quote) in text


def near_miss(quote: str, text: str) -> str | None:
    """The source's wording when the quote differs only in punctuation (e.g. ， for ,), else None."""
    q = normalize(quote)
    folded_text = text.translate(_FOLD)
    i = folded_text.find(q.translate(_FOLD))
    return text[i:i + len(q)] if i >= 0 else None
