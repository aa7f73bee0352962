"""The built site in Debian chromium: every page kind loads cleanly and only from its own host, the text-size control,
the keyboard, the service fields, the targets filter and the phone layout."""
import pytest

from conftest import SAMPLE, SAMPLE_STATED, UNPUBLISHED_PAGE

PAGE_KINDS = {
    "home": "",
    "services index": "services/",
    "service": UNPUBLISHED_PAGE,
    "domains index": "domains/",
    "domain": f"domains/{SAMPLE['domain']}/",
    "audiences index": "audiences/",
    "audience": f"audiences/{SAMPLE['audience']}/",
    "targets": "targets/",
    "tasks": "tasks/",
    "measures": "measures/",
    "plan": "plan/",
    "about": "about/",
    "not found": "404.html",
}
FIELD_HEADINGS = ["服务对象", "服务内容和标准", "支出责任", "主责单位"]


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_every_page_kind_loads_with_no_console_error_and_no_request_to_another_host(visit, kind):
    v = visit(PAGE_KINDS[kind], wait="networkidle")
    assert v.page.locator("h1").count() >= 1
    assert v.console_errors == []
    assert v.external == []


def test_searching_loads_nothing_from_another_host(visit):
    """The search worker and its language files (lunr) come from the site itself."""
    v = visit("", wait="networkidle")
    v.page.locator(".md-search__input").click()
    v.page.locator(".md-search__input").press_sequentially("12333")
    v.page.wait_for_function("""() => {
        const meta = document.querySelector('.md-search-result__meta');
        return meta && !/键入|初始化/.test(meta.textContent);
    }""")
    assert v.console_errors == []
    assert v.external == []


def test_every_page_says_it_is_in_chinese(visit):
    v = visit("")
    assert v.page.evaluate("document.documentElement.lang") == "zh"


def root_font_size(page):
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def test_the_text_size_control_makes_text_larger_and_is_remembered_on_the_next_page(visit):
    v = visit("")
    standard = root_font_size(v.page)
    v.page.get_by_role("button", name="大字号", exact=True).click()
    large = root_font_size(v.page)
    assert large > standard
    assert v.page.get_by_role("button", name="大字号", exact=True).get_attribute("aria-pressed") == "true"
    v.page.goto(v.page.url + UNPUBLISHED_PAGE)
    assert root_font_size(v.page) == large
    v.page.get_by_role("button", name="特大字号", exact=True).click()
    assert root_font_size(v.page) > large
    v.page.get_by_role("button", name="标准字号", exact=True).click()
    assert root_font_size(v.page) == standard


def focused(page):
    return page.evaluate("""() => {
        const e = document.activeElement, s = getComputedStyle(e);
        return {cls: e.className || '', tag: e.tagName, label: e.getAttribute('aria-label') || '',
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
    }""")


def test_the_keyboard_reaches_the_text_size_buttons_and_the_search_with_a_visible_focus_outline(visit):
    v = visit("")
    seen = {}
    for _ in range(40):
        v.page.keyboard.press("Tab")
        f = focused(v.page)
        if f["label"] in ("标准字号", "大字号", "特大字号"):
            seen[f["label"]] = f["outline"]
        if "md-search__input" in f["cls"]:
            seen["search"] = f["outline"]
            break
    assert seen == {"标准字号": True, "大字号": True, "特大字号": True, "search": True}


def test_a_service_page_shows_what_the_text_states_as_a_heading_and_names_the_rest_once_below(visit):
    v = visit(f"services/{SAMPLE['service']}/")
    stated = v.page.locator("article .field.stated h3").all_inner_texts()
    missing = v.page.locator("article .field-missing li").all_inner_texts()
    for title in FIELD_HEADINGS:
        assert sum(t.startswith(title) for t in stated + missing) == 1, title
    assert v.page.locator("article .missing-says").count() == (1 if missing else 0)
    text = v.page.locator("article").inner_text()
    assert SAMPLE_STATED and all(value in text.replace("\n", "") for _, value in SAMPLE_STATED)


def test_a_service_page_says_which_fields_were_not_published(visit):
    if not SAMPLE["service_unpublished"]:
        pytest.skip("every service has all its fields published")
    v = visit(UNPUBLISHED_PAGE)
    assert v.page.locator("article .unpublished").count() >= 1
    assert v.page.locator("article .unpublished").first.is_visible()


def test_the_targets_filter_hides_the_rows_of_other_domains(visit):
    v = visit("targets/")
    rows = v.page.locator("#targets-table tbody tr")
    total = rows.count()
    v.page.select_option("#target-filter", SAMPLE["domain"])
    shown = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(shown) < total
    assert {r.get_attribute("data-domain") for r in shown} == {SAMPLE["domain"]}
    v.page.select_option("#target-filter", "")
    assert len([r for r in rows.all() if r.is_visible()]) == total


@pytest.mark.parametrize("path", ["", UNPUBLISHED_PAGE, f"services/{SAMPLE['service']}/", "services/", "targets/", f"domains/{SAMPLE['domain']}/"])
def test_on_a_phone_the_page_does_not_scroll_sideways(visit, path):
    v = visit(path, viewport={"width": 390, "height": 844})
    width = v.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{path}: page is {width[0]}px wide in a {width[1]}px screen"
