"""axe-core (vendored in tests/vendor/, see its README) run in Debian chromium on every page kind, in both palettes.

The issue's bar: 0 serious or critical violations on the home, domain, service, life-stage, targets, plan and about
pages. Every violation found (any impact) is printed, so minor and moderate ones stay visible too.
"""
import functools
import json
from collections import Counter

import pytest

from conftest import SAMPLE, UNPUBLISHED_PAGE, axe_violations, inject_axe, together


PAGES = {
    "home": "",
    "domain": f"domains/{SAMPLE['domain']}/",
    "service": f"services/{SAMPLE['service']}/",
    "service_unpublished": UNPUBLISHED_PAGE,
    "audience": f"audiences/{SAMPLE['audience']}/",
    "targets": "targets/",
    "plan": "plan/",
    "about": "about/",
}
PALETTES = {"default": 0, "contrast": 1}  # index into mkdocs.yml theme.palette, as Material stores it
BLOCKING = {"serious", "critical"}


def report(path, palette, violations):
    lines = [f"axe: {path or '/'} [{palette}]: {len(violations)} violation(s)"]
    for x in violations:
        lines.append(f"  [{x['impact']}] {x['id']}: {x['help']} ({len(x['nodes'])} element(s))")
        for n in x["nodes"][:5]:
            lines.append(f"      {n['target']}: {n['summary'].splitlines()[-1].strip() if n['summary'] else ''}")
    return "\n".join(lines)


def still(page):
    """The colours as they end, not halfway through the theme's fades (axe would measure a blend)."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")


def switch_palette(page, palette):
    """The palette toggle is a pair of radio inputs; Material applies the scheme to <body> on change."""
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    if palette:
        page.evaluate("i => document.querySelectorAll('input[name=__palette]')[i].click()", palette)
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'contrast'")


def in_each_palette(page):
    """Each palette's name, the open page in it: as loaded (default), then switched in place, the fades off (contrast)."""
    for palette, index in PALETTES.items():
        if index:
            still(page)
            switch_palette(page, index)
        yield palette


def on_desktop(path):
    """The parameter `path`, in the xdist group of its desktop view (see desktop_view)."""
    return f"desktop {path}"


@functools.cache
def desktop_view(tab, path):
    """axe and the measured contrasts (MEASURED, below) of one page at the desktop size in both palettes: the page is
    opened once, measured, then switched to the contrast palette in place and measured again."""
    page = tab.open(path)
    return {palette: {"axe": axe_violations(page),
                      "contrast": {selector: page.evaluate(CONTRAST_JS, selector) for selector in MEASURED.get(path, [])}}
            for palette in in_each_palette(page)}


@pytest.mark.parametrize("palette", list(PALETTES))
@pytest.mark.parametrize("kind", [together(on_desktop(path), kind, id=kind) for kind, path in PAGES.items()])
def test_axe_finds_no_serious_or_critical_violation(tab, kind, palette):
    path = PAGES[kind]
    violations = desktop_view(tab, path)[palette]["axe"]
    print(report(path, palette, violations))
    print("axe-json " + json.dumps({"page": kind, "palette": palette,
                                    "impacts": Counter(x["impact"] for x in violations)}, ensure_ascii=False))
    blocking = [x for x in violations if x["impact"] in BLOCKING]
    assert not blocking, report(path, palette, blocking)


# The colours that matter to the issue are also measured here directly (axe leaves some as "incomplete", e.g. text
# drawn in SVG): WCAG 2 contrast of the text colour against the background it is drawn on; the charts are HTML text.
CONTRAST_JS = """selector => {
    const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
    const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
    const background = el => {
        const layers = [];
        for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
            const c = rgba(getComputedStyle(e).backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] === 1) break;
        }
        return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]);
    };
    const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
    return [...document.querySelectorAll(selector)].filter(e => e.textContent.trim()).map(e => {
        const style = getComputedStyle(e), bg = background(e);
        const fg = over(rgba(e instanceof SVGElement ? style.fill : style.color), bg);
        const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        return {text: e.textContent.trim().slice(0, 30), ratio: (a + 0.05) / (b + 0.05)};
    });
}"""

MEASURED = {
    "targets/": [".md-typeset .chart dt", ".md-typeset .chart__value", ".disclosure-footer span", ".disclosure-footer a"],
    UNPUBLISHED_PAGE: [".md-typeset .unpublished", ".disclosure-footer span"],
}


@pytest.mark.parametrize("palette", list(PALETTES))
@pytest.mark.parametrize("path", [together(on_desktop(path), path, id=path) for path in MEASURED])
def test_the_badge_chart_and_footer_texts_have_at_least_4_5_to_1_contrast(tab, path, palette):
    measured = desktop_view(tab, path)[palette]["contrast"]
    low = []
    for selector in MEASURED[path]:
        found = measured[selector]
        assert found, f"{path}: nothing matches {selector}"
        low += [f"{selector} “{x['text']}”: {x['ratio']:.2f}:1" for x in found if x["ratio"] < 4.5]
    assert not low, "\n".join(low)


# The search overlay open with results (a highlighted word, tags), a corrected typo ("您要找的是不是") and nothing
# found (the ways on), on a phone at every text size: axe's color-contrast rule on the whole page, both palettes.
SEARCHES = ["低保", "底保", "比特币"]


@pytest.mark.parametrize("size", [0, 2])
@pytest.mark.parametrize("palette", list(PALETTES))
def test_the_open_search_has_every_text_at_4_5_to_1_in_either_palette(tab, palette, size):
    page = tab.open(UNPUBLISHED_PAGE, viewport={"width": 390, "height": 844}, text_size=size)
    still(page)
    page.add_style_tag(content="*, *::before, *::after { animation: none !important; }")  # nor halfway through a slide
    switch_palette(page, PALETTES[palette])
    inject_axe(page)
    low = []
    for query in SEARCHES:
        page.click("label.md-header__button[for=__search]")
        page.fill("input.md-search__input", query)
        page.wait_for_function("""() => { const t = document.querySelector('.md-search-result__meta').textContent;
            return t.trim() !== '键入以开始搜索' && !t.includes('初始化'); }""")
        shown = ".search-sound:not([hidden])" if query == "底保" else (
            ".search-wayon:not([hidden])" if query == "比特币" else "li.md-search-result__item mark")
        page.wait_for_selector(shown)
        found = page.evaluate("""async () => (await axe.run(document, {runOnly: ['color-contrast']})).violations
            .flatMap(v => v.nodes.map(n => n.target.join(' ') + ': ' + ((n.any[0] || {}).message || '')))""")
        low += [f"{query}: {x}" for x in found]
        page.keyboard.press("Escape")
    assert not low, "\n".join(low)
