"""Whole numbers in a quote: how a number may be written (2 → 2, 二, 两) and whether it is written there as a whole
number, never as digits inside a longer one. A target's value must equal a whole number of its quote."""
import re

from .corpus import normalize


CN_DIGITS = "零一二三四五六七八九"


def number_forms(value: str) -> list[str]:
    """How a number may be written in the source: 2 → 2, 二, 两; 17 → 17, 十七."""
    forms = [value[:-2] if value.endswith(".0") else value]
    if forms[0].isascii() and forms[0].isdigit() and 0 < int(forms[0]) < 100:
        tens, ones = divmod(int(forms[0]), 10)
        cn = (CN_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "") + (CN_DIGITS[ones] if ones else "")
        forms += [cn] + (["两"] if forms[0] == "2" else [])
    return forms


CN_NUMERALS = "零一二三四五六七八九十百千万两〇"


def _pattern(form: str) -> str:
    if form.isascii():
        return rf"(?<![0-9.]){re.escape(form)}(?![0-9]|\.[0-9])"
    return rf"(?<![{CN_NUMERALS}]){re.escape(form)}(?![{CN_NUMERALS}])"


def whole_number_spans(form: str, quote: str) -> list[tuple[int, int]]:
    """Where `form` is written in the (normalized) quote as a whole number, not as digits inside a longer one:
    "9" is not in "达到99%", "5.1" is not in "5.16", "二" is not in "十二"; "2" is in "2个", "二" in "二级以上"."""
    return [m.span() for m in re.finditer(_pattern(form), normalize(quote))]


def whole_number_in(form: str, quote: str) -> bool:
    return bool(whole_number_spans(form, quote))
