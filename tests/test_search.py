"""Chinese search: the golden queries typed into the search box (both halves and the homophone typos), the everyday
words, what a page view fetches, the way on when nothing is found, text that arrives without key events (paste,
dictation, an input method's composition), typos read by sound, the build-time index (split, template text,
vocabulary, sounds) and its check.

recall@5 is printed (run with -s to see it with every missed query); benchmarks/search_baseline.py gives the same
figures for the other candidates on the same pages.
"""
import collections
import functools
import json
import urllib.request

import pytest

import golden_typos
import search_golden
from conftest import together
from scripts.site import search_index, search_sounds, search_vocabulary
from scripts.package import load

# Everyday words a usability trial found returning nothing before the vocabulary existed.
EVERYDAY = ["产检", "打工", "暂住证", "托儿所"]
BAR = {"调整用": 0.95, "检验用": 0.95, "错别字": 0.90}  # typos: one wrong character in every query


@pytest.mark.parametrize("half", list(search_golden.HALVES))
def test_each_half_of_the_golden_queries_finds_its_pages_in_the_first_five_results(browser, site_url, tab, half):
    golden = search_golden.load(search_golden.HALVES[half], load())
    recall, rows = search_golden.run(browser, site_url, golden, tab)
    print("\n" + search_golden.report(rows, recall, f"{half}："))
    assert len(rows) >= 75
    assert recall >= BAR[half], search_golden.report(rows, recall)


def test_the_golden_queries_are_at_least_150_in_halves_that_share_no_query():
    data = load()
    halves = [{g["q"] for g in search_golden.load(path, data)} for path in search_golden.HALVES.values()]
    assert sum(map(len, halves[:2])) >= 150
    assert all(not a & b for i, a in enumerate(halves) for b in halves[i + 1:])


def test_the_typo_half_is_what_its_stated_method_writes_one_homophone_in_each_query():
    from pypinyin import lazy_pinyin
    assert search_golden.TYPOS.read_text(encoding="utf-8") == golden_typos.text()
    for g in golden_typos.queries():
        original = g["kind"][g["kind"].index("（") + 1:-1]
        assert len(original) == len(g["q"]) and sum(a != b for a, b in zip(original, g["q"])) == 1, g
        assert lazy_pinyin(g["q"]) == lazy_pinyin(original) or any(
            lazy_pinyin(b)[0] == lazy_pinyin(original)[i] for i, (a, b) in enumerate(zip(original, g["q"])) if a != b), g


def test_the_sound_table_maps_each_word_to_its_toneless_pinyin_and_every_character_to_its_readings():
    docs = [{"location": "a/", "title": "低保", "text": "<p>银行\u200b长护险</p>"},
            {"location": "b/", "title": "底部", "text": "<p>低保\u200b地宝</p>"}]
    t = search_sounds.table(docs, "[\\s\\u200b]+", first=["长护险"])
    assert t["terms"]["di bao"] == ["低保", "地宝"]  # a title before a word of the text
    assert t["terms"]["yin hang"] == ["银行"] and t["terms"]["zhang hu xian"] == ["长护险"]
    assert "底" in t["chars"]["di"] and "长" in t["chars"]["chang"] and "长" in t["chars"]["zhang"]


def test_a_homophone_typo_finds_its_word_and_is_offered_the_word_to_search(browser, site_url, tab):
    box = search_golden.SearchBox(browser, site_url, tab)
    try:
        assert "services/S040/" in box.top("底保")
        offer = box.page.wait_for_selector(".search-sound:not([hidden])")
        text = offer.inner_text()
        box.page.click(".search-sound button")
        box.page.wait_for_function("document.querySelector('input.md-search__input').value === '低保'")
        box.page.wait_for_selector(".search-sound", state="hidden")
    finally:
        box.close()
    assert "您要找的是不是：低保" in text.replace("\n", "")


def test_a_query_that_is_right_is_not_corrected(browser, site_url, tab):
    box = search_golden.SearchBox(browser, site_url, tab)
    try:
        assert "services/S040/" in box.top("低保")
        assert box.page.locator(".search-sound").is_hidden()
    finally:
        box.close()


def _results_for(box, query):
    box.page.wait_for_function("([sel, text]) => document.querySelector(sel).textContent.trim() !== text",
                               arg=[search_golden.META, search_golden.PLACEHOLDER])
    return box.page.eval_on_selector_all("li.md-search-result__item a", "els => els.map(e => e.href)")


def test_text_set_without_any_key_event_is_searched(browser, site_url, tab):
    box = search_golden.SearchBox(browser, site_url, tab)
    try:
        box.page.evaluate("""q => { const i = document.querySelector('input.md-search__input');
            i.value = q; i.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'})); }""", "低保")
        assert any("services/S040/" in h for h in _results_for(box, "低保"))
    finally:
        box.close()


def test_text_inserted_like_dictation_or_a_keyboard_suggestion_is_searched(browser, site_url, tab):
    box = search_golden.SearchBox(browser, site_url, tab)
    try:
        box.page.focus(search_golden.INPUT)
        box.page.keyboard.insert_text("公租房")  # an input event only, no keydown or keyup
        assert any("services/S060/" in h for h in _results_for(box, "公租房"))
    finally:
        box.close()


def test_an_input_method_composition_is_searched_when_it_ends_and_not_before(browser, site_url, tab):
    box = search_golden.SearchBox(browser, site_url, tab)
    page = box.page
    try:
        page.focus(search_golden.INPUT)
        page.evaluate("""() => { const i = document.querySelector('input.md-search__input');
            i.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true, data: ''}));
            for (const part of ['d', 'di', 'di b', 'di bao']) {
                i.value = part;
                i.dispatchEvent(new CompositionEvent('compositionupdate', {bubbles: true, data: part}));
                i.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true, inputType: 'insertCompositionText', data: part}));
                i.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, isComposing: true, key: 'Process'}));
            } }""")
        page.wait_for_timeout(400)  # time for a search to start, were one started: none may
        during = page.eval_on_selector(search_golden.META, "e => e.textContent.trim()")
        page.evaluate("""() => { const i = document.querySelector('input.md-search__input');
            i.value = '低保';
            i.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true, inputType: 'insertCompositionText', data: '低保'}));
            i.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '低保'})); }""")
        found = _results_for(box, "低保")
    finally:
        box.close()
    assert during == search_golden.PLACEHOLDER
    assert any("services/S040/" in h for h in found)


def test_the_everyday_words_of_the_usability_trial_find_something(browser, site_url, tab):
    box = search_golden.SearchBox(browser, site_url, tab)
    try:
        empty = [q for q in EVERYDAY if not box.top(q)]
    finally:
        box.close()
    assert empty == []


def test_the_golden_files_point_only_at_pages_that_exist(site_dir):
    data = load()
    for path in search_golden.HALVES.values():
        for g in search_golden.load(path, data):
            if g["expect"] != search_golden.NOTHING:
                for page in g["expect"]:
                    assert (site_dir / page / "index.html").is_file(), f"{g['q']}: {page}"


VIEWED = ["", "targets/", "first-service"]


@functools.cache
def requested_by_views(browser, site_url) -> dict[str, list[str]]:
    """Every URL each page of VIEWED requests, each in a context of its own, until the network is idle and half a second
    more. The pages load side by side, so the quiet and the half second are waited once for all."""
    views = {}
    try:
        for page in VIEWED:
            path = f"services/{load()['tables']['services'][0]['id']}/" if page == "first-service" else page
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            tab, requested = context.new_page(), []
            tab.on("request", lambda r, requested=requested: requested.append(r.url))
            tab.goto(site_url + path, wait_until="commit")
            views[page] = (context, tab, requested)
        for _, tab, _ in views.values():
            tab.wait_for_load_state("networkidle")
        tab.wait_for_timeout(500)
        return {page: requested for page, (_, _, requested) in views.items()}
    finally:
        for context, _, _ in views.values():
            context.close()


@pytest.mark.parametrize("page", [together("page views without search", page, id=page) for page in VIEWED])
def test_a_page_view_without_search_requests_no_index_file(browser, site_url, page):
    requested = requested_by_views(browser, site_url)[page]
    settings = json.loads(urllib.request.urlopen(site_url + str(search_index.INDEX)).read())
    assert not [u for u in requested if u.endswith((str(search_index.PAGES), str(search_index.WORDS), str(search_index.SOUNDS)))]
    assert not [u for u in requested if "/workers/search." in u or "/lunr/" in u]  # nor the theme's engine
    assert settings["docs"] == []  # what the theme fetches on every page holds the settings only


def test_a_search_fetches_the_index_once_and_nothing_from_another_host(browser, site_url):
    box = search_golden.SearchBox(browser, site_url)  # a context of its own: its listeners go with it
    requested = []
    box.page.on("request", lambda r: requested.append(r.url))
    box.page.context.on("request", lambda r: requested.append(r.url))
    try:
        box.top("低保")
        box.top("养老")
    finally:
        box.close()
    assert all(u.startswith(site_url) for u in requested)


def test_a_query_that_finds_nothing_shows_the_ways_on(browser, site_url, tab):
    data = load()
    box = search_golden.SearchBox(browser, site_url, tab)
    try:
        assert box.top("比特币") == []
        way = box.page.wait_for_selector(".search-wayon:not([hidden])")
        text = way.inner_text()
        hrefs = way.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
        box.top(data["tables"]["services"][0]["name"])
        hidden_again = box.page.eval_on_selector(".search-wayon", "e => e.hidden")
    finally:
        box.close()
    assert "比特币" in text and "没有找到" in text
    for a in data["tables"]["audiences"]:
        assert a["name"] in text and any(h.endswith(f"audiences/{a['id']}/") for h in hrefs)
    for d in data["tables"]["domains"]:
        assert d["name"] in text and any(h.endswith(f"domains/{d['id']}/") for h in hrefs)
    assert hidden_again


def test_a_query_close_to_an_everyday_word_offers_that_word(browser, site_url, tab):
    data = load()
    word, page, _ = next(s for s in search_vocabulary.query_words(data)["suggest"] if len(s[0]) == 3)
    box = search_golden.SearchBox(browser, site_url, tab)
    try:
        assert box.top("·".join(word)) == []  # the word's characters one by one: single characters find nothing
        way = box.page.wait_for_selector(".search-wayon:not([hidden])")
        hrefs = way.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    finally:
        box.close()
    assert any(h.endswith(page) for h in hrefs)


def test_the_built_index_is_segmented_and_stored_without_escaped_chinese(site_dir):
    assert search_index.problems(site_dir) == []
    raw = (site_dir / search_index.PAGES).read_bytes()
    alias = next(a for s in load()["services"] for a in s.get("aliases") or [])
    assert f"\"{alias}\"".encode("utf-8") in raw  # a service's alias, carried as its page tag
    assert b"\\u57ce" not in raw


def test_template_headings_and_boilerplate_are_not_indexed(site_dir):
    docs = json.loads((site_dir / search_index.PAGES).read_text(encoding="utf-8"))["docs"]
    pages = {d["location"].split("#")[0] for d in docs}
    many = max(2, int(len(pages) * search_index.TEMPLATE_SHARE))
    headings = collections.Counter(d["title"] for d in docs if "#" in d["location"])
    assert [h for h, n in headings.items() if n >= many] == []
    blocks = collections.Counter(b for d in docs for b in {m.group(0) for m in search_index.BLOCK.finditer(d["text"])})
    assert [b for b, n in blocks.items() if n >= many] == []


def test_every_everyday_word_is_indexed_with_its_page(site_dir):
    docs = json.loads((site_dir / search_index.PAGES).read_text(encoding="utf-8"))["docs"]
    words = {d["location"]: d.get("words", "").split("\u200b") for d in docs}
    for page, expected in search_vocabulary.page_words(load()).items():
        assert set(expected) <= set(words[page]), page


def test_the_query_vocabulary_holds_the_query_words_and_the_ways_on(site_dir):
    data = load()
    words = json.loads((site_dir / search_index.WORDS).read_text(encoding="utf-8"))
    assert words == json.loads(json.dumps(search_vocabulary.query_words(data), ensure_ascii=False))
    assert {w["word"] for w in data["tables"]["vocabulary"] if w["kind"] == "虚词"} == set(words["stop"])


def test_every_alias_is_indexed_with_its_service_page(site_dir):
    docs = json.loads((site_dir / search_index.PAGES).read_text(encoding="utf-8"))["docs"]
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
    assert "城乡\u200b居民".encode("utf-8") in (tmp_path / search_index.PAGES).read_bytes()
    assert json.loads((tmp_path / search_index.INDEX).read_bytes()) == {"config": {**index["config"], "fields": search_index.WORDS_FIELD},
                                                                        "docs": []}


def test_the_split_folds_template_sections_into_their_page_and_adds_the_everyday_words():
    template = "谁\u200b出钱"
    docs = [{"location": "", "title": "首页", "text": "<p>说明</p>"}]
    for i in range(8):  # eight fictional pages built from one template: a heading and a note on each
        docs += [{"location": f"p{i}/", "title": f"第{i}页", "text": f"<p>正文{i}</p>", "tags": ["甲"]},
                 {"location": f"p{i}/#a", "title": template, "text": f"<p>未公开</p><p>内容{i}</p>", "tags": ["甲"]},
                 {"location": f"p{i}/#b", "title": f"小节{i}", "text": "<p>自己的</p>", "tags": ["甲"]}]
    out = search_index.strip_template(docs)
    search_index.add_words(out, {"p1/": ["打疫苗", "打针"]})
    by = {d["location"]: d for d in out}
    assert "p1/#a" not in by and by["p1/"]["text"] == "<p>正文1</p> <p>内容1</p>"  # the heading gone, its own text kept
    assert "未公开" not in json.dumps(out, ensure_ascii=False)
    assert by["p1/#b"]["title"] == "小节1" and "tags" not in by["p1/#b"] and by["p1/"]["tags"] == ["甲"]
    assert by["p1/"]["words"] == "打疫苗\u200b打针" and "words" not in by["p2/"]
