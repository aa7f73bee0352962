"""axe-core (vendored in tests/vendor/, see its README) run in Debian chromium on every page kind, in both palettes.

The issue's bar: 0 serious or critical violations on the home, domain, service, life-stage, targets, plan and about
pages. Every violation found (any impact) is printed, so minor and moderate ones stay visible too.
"""
import json
from collections import Counter

import pytest

from conftest import SAMPLE, UNPUBLISHED_PAGE, axe_violations


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


def run_axe(visit, path, palette):
    v = open_in_palette(visit, path, palette)
    return axe_violations(v.page)


def report(path, palette, violations):
    lines = [f"axe: {path or '/'} [{palette}]: {len(violations)} violation(s)"]
    for x in violations:
        lines.append(f"  [{x['impact']}] {x['id']}: {x['help']} ({len(x['nodes'])} element(s))")
        for n in x["nodes"][:5]:
            lines.append(f"      {n['target']}: {n['summary'].splitlines()[-1].strip() if n['summary'] else ''}")
    return "\n".join(lines)


@pytest.mark.parametrize("palette", list(PALETTES))
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(visit, kind, palette):
    path = PAGES[kind]
    violations = run_axe(visit, path, PALETTES[palette])
    print(report(path, palette, violations))
    print("axe-json " + json.dumps({"page": kind, "palette": palette,
                                    "impacts": Counter(x["impact"] for x in violations)}, ensure_ascii=False))
    blocking = [x for x in violations if x["impact"] in BLOCKING]
    assert not blocking, report(path, palette, blocking)


# axe cannot judge text drawn in SVG (it reports the chart texts as "incomplete"), so the colours that matter to the
# issue are measured here directly: WCAG 2 contrast of the text colour against the background it is drawn on.
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
    "targets/": [".md-typeset .chart text", ".disclosure-footer span", ".disclosure-footer a"],
    UNPUBLISHED_PAGE: [".md-typeset .unpublished", ".disclosure-footer span"],
}


def open_in_palette(visit, path, palette):
    v = visit(path)
    if palette:
        # the palette toggle is a pair of radio inputs; Material applies the scheme to <body> on change
        v.page.evaluate("i => document.querySelectorAll('input[name=__palette]')[i].click()", palette)
        v.page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'contrast'")
    return v


@pytest.mark.parametrize("palette", list(PALETTES))
@pytest.mark.parametrize("path", list(MEASURED))
def test_the_badge_chart_and_footer_texts_have_at_least_4_5_to_1_contrast(visit, path, palette):
    v = open_in_palette(visit, path, PALETTES[palette])
    low = []
    for selector in MEASURED[path]:
        found = v.page.evaluate(CONTRAST_JS, selector)
        assert found, f"{path}: nothing matches {selector}"
        low += [f"{selector} “{x['text']}”: {x['ratio']:.2f}:1" for x in found if x["ratio"] < 4.5]
    assert not low, "\n".join(low)
