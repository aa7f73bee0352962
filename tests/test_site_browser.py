"""The built site in Debian chromium: every page kind loads cleanly and only from its own host, the text-size control,
the keyboard, the service fields, the targets filter and the phone layout."""
import functools

import pytest

from conftest import SAMPLE, SAMPLE_STATED, UNPUBLISHED_PAGE, Visit, together

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


@functools.cache
def every_page_kind(browser, site_url) -> dict:
    """Every page kind visited (each in a context of its own) until the network is idle, the pages loading side by
    side: the half second of quiet each page needs is waited once for all. Per kind: its h1 count, console errors and
    requests to other hosts."""
    visits = {kind: Visit(browser, site_url + path, wait="commit") for kind, path in PAGE_KINDS.items()}
    try:
        for v in visits.values():
            v.page.wait_for_load_state("networkidle")
        return {kind: {"h1": v.page.locator("h1").count(), "console errors": v.console_errors, "external": v.external}
                for kind, v in visits.items()}
    finally:
        for v in visits.values():
            v.close()


@pytest.mark.parametrize("kind", [together("every page kind", kind, id=kind) for kind in PAGE_KINDS])
def test_every_page_kind_loads_with_no_console_error_and_no_request_to_another_host(browser, site_url, kind):
    v = every_page_kind(browser, site_url)[kind]
    assert v["h1"] >= 1
    assert v["console errors"] == []
    assert v["external"] == []


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


def test_every_page_says_it_is_in_chinese(tab):
    assert tab.open("").evaluate("document.documentElement.lang") == "zh"


def root_font_size(page):
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def test_the_text_size_control_makes_text_larger_and_is_remembered_on_the_next_page(tab):
    page = tab.open("")
    standard = root_font_size(page)
    page.get_by_role("button", name="大字号", exact=True).click()
    large = root_font_size(page)
    assert large > standard
    assert page.get_by_role("button", name="大字号", exact=True).get_attribute("aria-pressed") == "true"
    page.goto(page.url + UNPUBLISHED_PAGE)
    assert root_font_size(page) == large
    page.get_by_role("button", name="特大字号", exact=True).click()
    assert root_font_size(page) > large
    page.get_by_role("button", name="标准字号", exact=True).click()
    assert root_font_size(page) == standard


def focused(page):
    return page.evaluate("""() => {
        const e = document.activeElement, s = getComputedStyle(e);
        return {cls: e.className || '', tag: e.tagName, label: e.getAttribute('aria-label') || '',
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
    }""")


def test_the_keyboard_reaches_the_text_size_buttons_and_the_search_with_a_visible_focus_outline(tab):
    page = tab.open("")
    seen = {}
    for _ in range(40):
        page.keyboard.press("Tab")
        f = focused(page)
        if f["label"] in ("标准字号", "大字号", "特大字号"):
            seen[f["label"]] = f["outline"]
        if "md-search__input" in f["cls"]:
            seen["search"] = f["outline"]
            break
    assert seen == {"标准字号": True, "大字号": True, "特大字号": True, "search": True}


def test_a_service_page_shows_what_the_text_states_as_a_heading_and_names_the_rest_once_below(tab):
    page = tab.open(f"services/{SAMPLE['service']}/")
    stated = page.locator("article .field.stated h3").all_inner_texts()
    missing = page.locator("article .field-missing li").all_inner_texts()
    for title in FIELD_HEADINGS:
        assert sum(t.startswith(title) for t in stated + missing) == 1, title
    assert page.locator("article .missing-says").count() == (1 if missing else 0)
    text = page.locator("article").inner_text()
    assert SAMPLE_STATED and all(value in text.replace("\n", "") for _, value in SAMPLE_STATED)


def test_a_service_page_says_which_fields_were_not_published(tab):
    if not SAMPLE["service_unpublished"]:
        pytest.skip("every service has all its fields published")
    page = tab.open(UNPUBLISHED_PAGE)
    assert page.locator("article .unpublished").count() >= 1
    assert page.locator("article .unpublished").first.is_visible()


# The domain of every row the reader sees, visible as Playwright's is_visible has it (a box, not visibility: hidden),
# read in one call instead of one per row.
SHOWN_ROWS_JS = """rows => rows.filter(r => { const b = r.getBoundingClientRect();
    return b.width > 0 && b.height > 0 && getComputedStyle(r).visibility !== 'hidden'; }).map(r => r.getAttribute('data-domain'))"""


def test_the_targets_filter_hides_the_rows_of_other_domains(tab):
    page = tab.open("targets/")
    rows = page.locator("#targets-table tbody tr")
    total = rows.count()
    page.select_option("#target-filter", SAMPLE["domain"])
    shown = rows.evaluate_all(SHOWN_ROWS_JS)
    assert 0 < len(shown) < total
    assert set(shown) == {SAMPLE["domain"]}
    page.select_option("#target-filter", "")
    assert len(rows.evaluate_all(SHOWN_ROWS_JS)) == total


@pytest.mark.parametrize("path", ["", UNPUBLISHED_PAGE, f"services/{SAMPLE['service']}/", "services/", "targets/", f"domains/{SAMPLE['domain']}/"])
def test_on_a_phone_the_page_does_not_scroll_sideways(tab, path):
    width = tab.open(path, viewport={"width": 390, "height": 844}).evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{path}: page is {width[0]}px wide in a {width[1]}px screen"
