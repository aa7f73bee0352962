"""The theme's search index, cutting each run of Chinese characters with jieba once per build instead of once per page.

The theme's search plugin cuts every run of Chinese characters of every page with jieba while mkdocs builds. Most runs
repeat from page to page (the page templates' headings and notes, department and domain names, the plan's quotes), and
jieba gives the same words for the same run every time, so `cutting_once` lets the plugin build its index with
`SearchIndex` below: the same entries, the same words, byte for byte, with each distinct run cut once. Nothing in
mkdocs.yml changes (no plugin, no hook): scripts/build.py wraps its mkdocs build in `cutting_once()`.
"""
import contextlib

from material.plugins.search import plugin as theme_search

ZWSP = "\u200b"


class SearchIndex(theme_search.SearchIndex):
    """The theme's index; `_segment_chinese` remembers the words of each run it has cut."""

    def __init__(self, **config):
        super().__init__(**config)
        self._words: dict[str, str] = {}

    def _segment_chinese(self, data):
        if theme_search.jieba is None:
            return data
        expr = theme_search.bre.compile(r"(\p{script: Han}+)", theme_search.bre.UNICODE)  # the theme's own pattern
        words = self._words

        def replace(match):
            value = match.group(0)
            cut = words.get(value)
            if cut is None:
                cut = words[value] = ZWSP + ZWSP.join(theme_search.jieba.cut(value.encode("utf-8"))) + ZWSP
            return cut
        return expr.sub(replace, data).strip(ZWSP)


@contextlib.contextmanager
def cutting_once():
    """While inside, the theme's search plugin builds its index with `SearchIndex` (it makes one in on_config)."""
    original = theme_search.SearchIndex
    theme_search.SearchIndex = SearchIndex
    try:
        yield
    finally:
        theme_search.SearchIndex = original
