"""The theme's search index built with each run of Chinese cut once per build (scripts/site/search_cut.py): the same
entries as the theme's own index, byte for byte, with each distinct run handed to jieba once."""
import json
import types

import pytest

from material.plugins.search import plugin as theme_search
from scripts.site import search_cut

PAGES = [
    ("services/S001/", "<h1 id=\"a\">学前教育</h1><p>主责单位（找哪个部门）：教育局。未随正文公开</p><h2 id=\"b\">怎么办</h2><p>电话咨询 12345</p>"),
    ("services/S002/", "<h1 id=\"a\">义务教育</h1><p>主责单位（找哪个部门）：教育局。未随正文公开</p><h2 id=\"b\">怎么办</h2><p>到窗口办理</p>"),
    ("about/", "<h1 id=\"c\">关于本站</h1><p>本站只登载正文写明的内容，English words too.</p>"),
]


def index_of(cls) -> dict:
    index = cls(lang=["zh"], separator=r"[\s\u200b\-]+", pipeline=["stemmer"], fields={})
    for url, html in PAGES:
        page = types.SimpleNamespace(content=html, toc=[], url=url, meta={"tags": ["标签"]}, title="标题")
        index.add_entry_from_context(page)
    return json.loads(index.generate_search_index(None))


def test_the_index_is_the_themes_own_entry_for_entry():
    if theme_search.jieba is None:
        pytest.fail("jieba is not installed: the search would find no Chinese word")
    ours, theirs = index_of(search_cut.SearchIndex), index_of(theme_search.SearchIndex)
    assert ours == theirs
    assert any("\u200b" in d["text"] for d in ours["docs"]), "the text was not cut into words"


def test_each_distinct_run_of_chinese_is_cut_once(monkeypatch):
    runs = []
    cut = theme_search.jieba.cut
    monkeypatch.setattr(theme_search.jieba, "cut", lambda value, *a, **k: runs.append(value) or cut(value, *a, **k))
    index_of(search_cut.SearchIndex)
    assert runs and len(runs) == len(set(runs))
    assert "主责单位".encode() in runs


def test_the_theme_builds_with_this_index_only_inside_the_build():
    original = theme_search.SearchIndex
    with search_cut.cutting_once():
        assert theme_search.SearchIndex is search_cut.SearchIndex
    assert theme_search.SearchIndex is original
