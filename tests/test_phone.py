"""A citizen on a 390 × 844 phone and an older reader at 大 and 特大, in Debian chromium: no sideways scrolling, every
control at least 44 × 44 px, no text under 18 px at 大 and 特大, axe clean in both palettes, 朗读 (stubbed speech
synthesis), navigation from the home page on a desktop, the targets as cards and the print layout."""
import functools

import pytest

from conftest import SAMPLE, UNPUBLISHED_PAGE, axe_violations, together

from test_accessibility import BLOCKING, PALETTES, in_each_palette, report, switch_palette

PHONE = {"width": 390, "height": 844}
PAGES = {
    "home": "",
    "service": UNPUBLISHED_PAGE,
    "audience": f"audiences/{SAMPLE['audience']}/",
    "domain": f"domains/{SAMPLE['domain']}/",
    "services list": "services/",
    "targets": "targets/",
}
SIZES = {"标准": 0, "大": 1, "特大": 2}

# Controls: links, buttons, form fields and the labels that act as buttons, as far as they are shown. A link inside a
# sentence is excepted (WCAG 2.5.8 lets inline links be as small as the text); a link that is a whole list item,
# paragraph or table cell is a tap target and counts.
CONTROLS_JS = """() => {
    const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth && s.visibility !== 'hidden'
            && parseFloat(s.opacity) > 0 && !e.closest('[hidden], .md-search__output'); };
    const inline = e => { if (e.tagName !== 'A') return false;
        const block = e.closest('p, li, td, th, dd, span.source'); if (!block || !e.closest('.md-typeset')) return false;
        return block.textContent.replace(/\\s+/g, '') !== e.textContent.replace(/\\s+/g, '')
            && !(block.tagName === 'LI' && block.firstElementChild === e); };
    return [...document.querySelectorAll('a[href], button, input:not([type=hidden]):not(.md-toggle):not(.md-option), select, label[for], summary')]
        .filter(e => !e.classList.contains('md-search__overlay') && shown(e) && !inline(e))
        .map(e => { const r = e.getBoundingClientRect();
            return {what: e.tagName + '.' + (e.className || '') + ' ' + (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 12),
                    w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10}; });
}"""

TEXT_JS = """() => {
    const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n; (n = walker.nextNode());) {
        const p = n.parentElement, text = n.textContent.trim();
        if (!text || !p || p.closest('svg, [hidden], .md-search__output, script, style')) continue;
        const r = p.getBoundingClientRect(), s = getComputedStyle(p);
        if (!r.width || !r.height || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) continue;
        const size = parseFloat(s.fontSize), line = s.lineHeight === 'normal' ? 1.2 * size : parseFloat(s.lineHeight);
        out.push({text: text.slice(0, 20), tag: p.tagName + '.' + p.className, size, ratio: line / size});
    }
    return out;
}"""


IN_VIEW_JS = """selector => [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length).map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent.trim().slice(0, 20), size: parseFloat(getComputedStyle(e).fontSize),
            left: r.left, right: r.right, width: innerWidth};
})"""


def at_size(page, size):
    """The page, once it shows the text size `size` (0, 1, 2): the page's own script read it from localStorage."""
    assert page.evaluate("document.documentElement.getAttribute('data-text-size') || '0'") == str(size)
    return page


def open_phone(visit, path, size):
    v = visit(path, viewport=PHONE, text_size=size)
    at_size(v.page, size)
    return v


def on_phone(kinds, sizes, id=None):
    """(kind, size) parameters, each in the xdist group of its view (phone_view)."""
    return [together(f"phone {kind} {size}", kind, size, id=(id or "{kind}-{size}").format(kind=kind, size=size))
            for size in sizes for kind in kinds]


@functools.cache
def phone_view(tab, kind, size) -> dict:
    """Everything the tests below measure on one page at one text size on the phone, the page opened once: the width,
    the controls, the texts, the chart labels and bars, the table cells and their labels, the header, then axe in the
    default palette and, switched in place, in the contrast palette."""
    page = at_size(tab.open(PAGES[kind], viewport=PHONE, text_size=SIZES[size]), SIZES[size])
    view = {
        "width": page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]"),
        "controls": page.evaluate(CONTROLS_JS),
        "texts": page.evaluate(TEXT_JS),
        "labels": page.evaluate(IN_VIEW_JS, ".chart dt, .chart__value, .chart__title"),
        "bars": page.evaluate(IN_VIEW_JS, ".chart__track"),
        "cells": page.evaluate(IN_VIEW_JS, "article table:not(.targets) td"),
        "scrolling": page.evaluate("[...document.querySelectorAll('article .md-typeset__scrollwrap')]"
                                   ".filter(w => w.scrollWidth > w.clientWidth + 1).length"),
        "labelled": page.evaluate("""() => [...document.querySelectorAll('article table:not(.targets) td:not(:first-child)')]
            .map(td => getComputedStyle(td, '::before').content)"""),
        "heads": page.evaluate("[...document.querySelectorAll('article table:not(.targets) th')].map(th => th.textContent.trim())"),
        "header": page.locator(".md-header").inner_text(),
    }
    return view | {palette: axe_violations(page) for palette in in_each_palette(page)}


@pytest.mark.parametrize("kind, size", on_phone(PAGES, SIZES))
def test_on_a_phone_at_every_text_size_nothing_scrolls_sideways_and_every_control_is_44_px(tab, kind, size):
    view = phone_view(tab, kind, size)
    width = view["width"]
    assert width[0] <= width[1], f"{kind} at {size}: page is {width[0]}px wide in a {width[1]}px screen"
    small = [c for c in view["controls"] if c["w"] < 44 or c["h"] < 44]
    assert small == [], f"{kind} at {size}: controls under 44 × 44 px: {small[:8]}"


@pytest.mark.parametrize("kind, size", on_phone(PAGES, ["大", "特大"]))
def test_at_the_larger_text_sizes_every_visible_text_is_at_least_18_px_with_lines_1_3_apart(tab, kind, size):
    texts = phone_view(tab, kind, size)["texts"]
    assert texts
    small = [t for t in texts if t["size"] < 18 - 0.01]
    assert small == [], f"{kind} at {size}: {len(small)} texts under 18 px, e.g. {small[:5]}"
    tight = [t for t in texts if t["ratio"] < 1.3 - 0.01]
    assert tight == [], f"{kind} at {size}: {len(tight)} texts with lines closer than 1.3, e.g. {tight[:5]}"


@pytest.mark.parametrize("palette", list(PALETTES))
@pytest.mark.parametrize("kind, size", on_phone(PAGES, SIZES))
def test_on_a_phone_axe_finds_no_serious_or_critical_violation_at_any_text_size_in_either_palette(tab, kind, size, palette):
    violations = phone_view(tab, kind, size)[palette]
    blocking = [x for x in violations if x["impact"] in BLOCKING]
    assert not blocking, report(f"{PAGES[kind]} at {size}", palette, blocking)


@pytest.mark.parametrize("kind, size", on_phone(["targets", "domain"], ["大", "特大"]))
def test_at_the_larger_sizes_every_chart_label_is_18_px_or_more_and_every_value_is_on_the_screen(tab, kind, size):
    view = phone_view(tab, kind, size)
    labels = view["labels"]
    assert labels, f"{kind}: no chart"
    small = [x for x in labels if x["size"] < 18 - 0.01]
    outside = [x for x in labels if x["left"] < 0 or x["right"] > x["width"] + 0.5]
    assert small == [] and outside == [], (small[:5], outside[:5])
    bars = view["bars"]
    assert bars and all(0 <= b["left"] and b["right"] <= b["width"] + 0.5 for b in bars)


@pytest.mark.parametrize("kind, size", on_phone(["home", "domain"], ["特大"], id="{kind}"))
def test_on_a_phone_at_the_largest_size_wide_tables_become_cards_with_every_cell_on_the_screen(tab, kind, size):
    view = phone_view(tab, kind, size)
    cells = view["cells"]
    assert cells, f"{kind}: no table"
    outside = [c for c in cells if c["left"] < 0 or c["right"] > c["width"] + 0.5]
    assert outside == [], outside[:5]
    assert view["scrolling"] == 0
    labelled, heads = view["labelled"], view["heads"]
    assert labelled and all(any(h in c for h in heads) for c in labelled)  # each value says which column it is


SHIFTS_JS = """window.__shifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push({value: e.value,
    what: (e.sources || []).map(s => s.node ? s.node.nodeName + '.' + (s.node.className || '') : '?').join(' ')}); })
    .observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.parametrize("palette", list(PALETTES))
def test_a_service_page_does_not_move_after_its_first_paint_on_a_phone_at_the_largest_size(visit, palette):
    """Cumulative layout shift (CLS) ≤ 0.05, measured by the browser (PerformanceObserver, layout-shift) from the start
    of the load until the page and its scripts are done: a layout property, not a timing."""
    v = open_phone(visit, UNPUBLISHED_PAGE, SIZES["特大"])
    switch_palette(v.page, PALETTES[palette])  # stored by the theme, so the reload below starts in it
    v.context.add_init_script(SHIFTS_JS)
    v.page.reload(wait_until="networkidle")
    v.page.wait_for_function("document.querySelector('.site-controls') && document.querySelector('.read-aloud button')")
    shifts = v.page.evaluate("window.__shifts")
    assert sum(s["value"] for s in shifts) <= 0.05, shifts


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_header_keeps_the_room_of_its_controls_before_the_script_adds_them(visit, width):
    """Where the article starts with site.js blocked (the first paint, before the controls exist) and with it: the same
    at every text size, so adding 字号 and 高对比度 moves nothing."""
    page = visit(UNPUBLISHED_PAGE, viewport={"width": width, "height": 800}).page

    def top(size, block):
        page.evaluate("s => localStorage.setItem('siping-text-size', String(s))", size)
        if block:
            page.route("**/javascripts/site.js", lambda r: r.abort())
        page.goto(page.url)
        if block:
            page.unroute("**/javascripts/site.js")
        else:
            page.wait_for_selector(".site-controls .contrast-toggle")
        return page.evaluate("document.querySelector('article h1').getBoundingClientRect().top")
    moved = {size: (top(step, True), top(step, False)) for size, step in SIZES.items()}
    assert all(abs(a - b) < 1 for a, b in moved.values()), moved


@pytest.mark.parametrize("kind, size", on_phone(["home"], ["特大"], id="{kind}"))
def test_the_header_controls_are_labelled_in_words(tab, kind, size):
    header = phone_view(tab, kind, size)["header"]
    for words in ("字号", "标准", "大", "特大", "高对比度"):
        assert words in header


def test_the_contrast_button_shows_its_state_in_words_and_aria_pressed_and_keeps_it_across_pages(visit):
    v = open_phone(visit, "", 2)
    button = v.page.get_by_role("button", name="高对比度")
    assert button.count() == 1 and button.inner_text() == "高对比度：关" and button.get_attribute("aria-pressed") == "false"
    button.click()
    v.page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'contrast'")
    assert button.inner_text() == "高对比度：开" and button.get_attribute("aria-pressed") == "true"
    v.page.goto(v.page.url + UNPUBLISHED_PAGE)
    button = v.page.get_by_role("button", name="高对比度")
    assert button.inner_text() == "高对比度：开" and button.get_attribute("aria-pressed") == "true"
    button.focus()
    v.page.keyboard.press("Enter")
    v.page.wait_for_function("document.body.getAttribute('data-md-color-scheme') !== 'contrast'")
    assert button.inner_text() == "高对比度：关" and button.get_attribute("aria-pressed") == "false"
    # the theme's own palette radios are out of the tab order: one stop, one name
    assert v.page.evaluate("[...document.querySelectorAll('input[name=__palette]')].every(i => i.tabIndex === -1)")


def test_the_site_title_stays_in_view_at_every_text_size_on_a_360_px_phone(tab):
    for size in SIZES.values():
        page = tab.open("", viewport={"width": 360, "height": 740}, text_size=size)
        box = page.locator(".md-header__topic").first.bounding_box()
        assert box and box["width"] > 100 and box["x"] >= 0 and box["x"] + box["width"] <= 360, (size, box)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (size, width)


# ---- 朗读 ----

STUB = """(voices) => {
    window.__spoken = []; window.__cancelled = 0;
    window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; };
    Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
        getVoices: () => voices, speak: u => window.__spoken.push({text: u.text, lang: u.lang}),
        cancel: () => { window.__cancelled += 1; }, addEventListener: () => {}, speaking: false}});
}"""


def stubbed(visit, path, voices):
    return visit(path, viewport=PHONE, init_script=f"({STUB})({voices!r})".replace("'", '"'))


@pytest.mark.parametrize("path", [UNPUBLISHED_PAGE, "plan/"])
def test_reading_aloud_speaks_the_page_in_chinese_and_stops_on_a_second_press(visit, path):
    v = stubbed(visit, path, [{"lang": "en-US", "name": "en"}, {"lang": "zh-CN", "name": "zh"}])
    button = v.page.get_by_role("button", name="朗读本页")
    button.click()
    v.page.wait_for_function("window.__spoken.length > 0")
    spoken = v.page.evaluate("window.__spoken")
    assert {s["lang"] for s in spoken} == {"zh-CN"}
    said = "".join(s["text"] for s in spoken)
    if path.startswith("services"):
        assert v.page.locator("article h1").inner_text() in said
        assert "朗读本页" not in said
    else:
        first = " ".join(v.page.locator(".plan-text p").first.inner_text().split())
        assert first[:10] in " ".join(said.split())
    assert v.page.get_by_role("button", name="停止朗读").get_attribute("aria-pressed") == "true"
    v.page.get_by_role("button", name="停止朗读").click()
    assert v.page.evaluate("window.__cancelled") >= 1
    assert v.page.get_by_role("button", name="朗读本页").is_visible()


def test_reading_aloud_says_so_when_the_browser_has_no_chinese_voice(visit):
    v = stubbed(visit, UNPUBLISHED_PAGE, [{"lang": "en-US", "name": "en"}])
    v.page.get_by_role("button", name="朗读本页").click()
    status = v.page.locator(".read-aloud__status")
    status.wait_for()
    assert "没有中文" in status.inner_text()
    assert v.page.evaluate("window.__spoken") == []


# ---- navigation, targets, print ----

def test_the_desktop_home_page_reaches_every_section_of_the_site(tab):
    nav = tab.open("", viewport={"width": 1366, "height": 768}).locator(".md-sidebar--primary .md-nav__link")
    shown = {n.inner_text().strip() for n in nav.all() if n.is_visible()}
    for title in ("服务项目", "指标和目标", "开放数据", "方案原文"):
        assert title in shown


def test_the_home_page_first_screen_says_what_to_do_and_shows_the_audience_cards(tab):
    page = tab.open("", viewport=PHONE)
    lead = page.locator("article .lead")
    assert lead.is_visible() and "查一查" in lead.inner_text()
    cards = page.locator("article .cards .card").all()
    assert cards
    in_view = [c for c in cards if c.bounding_box()["y"] + c.bounding_box()["height"] <= PHONE["height"]]
    assert len(in_view) == len(cards), f"{len(in_view)} of {len(cards)} audience cards on the first screen"


def test_on_a_phone_each_target_is_a_card_with_its_figure_in_view_and_its_quote_behind_a_tap(tab):
    row = tab.open("targets/", viewport=PHONE).locator("#targets-table tbody tr").first
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    figure = row.locator("td:not(.empty)[data-label='基数'], td:not(.empty)[data-label='目标']").first
    fbox = figure.bounding_box()
    assert fbox["x"] + fbox["width"] <= PHONE["width"]
    quote = row.locator("details.quote-tap")
    assert quote.get_attribute("open") is None
    quote.locator("summary").click()
    assert quote.get_attribute("open") is not None


def test_printing_keeps_headings_with_what_follows_and_prints_titles_in_black(visit):
    v = visit("services/")
    v.page.emulate_media(media="print")
    style = v.page.evaluate("""() => { const h = document.querySelector('article h2'), t = document.querySelector('article h1');
        return {after: getComputedStyle(h).breakAfter, color: getComputedStyle(t).color,
                header: getComputedStyle(document.querySelector('.md-header')).display}; }""")
    assert style == {"after": "avoid", "color": "rgb(0, 0, 0)", "header": "none"}
