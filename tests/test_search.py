"""Chinese search: the golden queries typed into the theme's search box, the build-time index check, the aliases.

recall@5 is printed (run with -s to see it with every missed query); benchmarks/search_baseline.py gives the same
figure for the theme's default search settings on the same pages.
"""
import json

import search_golden
from scripts.site import search_index
from scripts.package import load


def test_the_golden_queries_find_their_pages_in_the_first_five_results(browser, site_url):
    recall, rows = search_golden.run(browser, site_url)
    print("\n" + search_golden.report(rows, recall))
    assert len(rows) >= 60
    assert recall >= 0.95, search_golden.report(rows, recall)


def test_the_golden_file_points_only_at_pages_that_exist(site_dir):
    for g in search_golden.load():
        if g["expect"] != search_golden.NOTHING:
            for path in g["expect"]:
                assert (site_dir / path / "index.html").is_file(), f"{g['q']}: {path}"


def test_the_built_index_is_segmented_and_stored_without_escaped_chinese(site_dir):
    assert search_index.problems(site_dir) == []
    raw = (site_dir / search_index.INDEX).read_bytes()
    assert "\"低保\"".encode("utf-8") in raw  # the alias S040 carries as a page tag
    assert b"\\u57ce" not in raw


def test_every_alias_is_indexed_with_its_service_page(site_dir):
    docs = json.loads((site_dir / search_index.INDEX).read_text(encoding="utf-8"))["docs"]
    pages = {d["location"]: d for d in docs}
    for s in load()["tables"]["services"]:
        page = pages[f"services/{s['id']}/"]
        text = (page["text"] + page["title"]).replace("\u200b", "")
        for alias in s.get("aliases") or []:
            assert alias in page.get("tags", []) and alias in text, f"{s['id']}：{alias}"


def test_the_search_check_fails_in_chinese_on_an_unsegmented_index(tmp_path, capsys):
    (tmp_path / "search").mkdir()
    sentence = "城乡居民基本养老保险和城乡居民基本医疗保险制度整合工作进度"
    index = {"config": {"lang": ["zh"], "separator": "[\\s\\-]+", "pipeline": ["stemmer"], "fields": {}},
             "docs": [{"location": "", "title": "首页", "text": f"<p>{sentence}</p>"}]}
    (tmp_path / search_index.INDEX).write_text(json.dumps(index), encoding="utf-8")
    assert search_index.main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "没有分词的中文" in err and "分隔符" in err


def test_the_build_s_search_step_passes_a_segmented_index_and_writes_it_compact(tmp_path):
    (tmp_path / "search").mkdir()
    index = {"config": {"lang": ["zh"], "separator": "[\\s\\u200b\\-]+", "pipeline": ["stemmer"], "fields": {}},
             "docs": [{"location": "", "title": "首页", "text": "<p>城乡\u200b居民\u200b基本\u200b养老\u200b保险</p>"}]}
    (tmp_path / search_index.INDEX).write_text(json.dumps(index), encoding="utf-8")
    assert b"\\u" in (tmp_path / search_index.INDEX).read_bytes()
    assert search_index.main([str(tmp_path)]) == 1  # the check alone reports the escaped index and changes nothing
    assert search_index.finish(tmp_path) == []
    assert "城乡\u200b居民".encode("utf-8") in (tmp_path / search_index.INDEX).read_bytes()
