"""Charts drawn in HTML at build time: percentage indicators of one domain, baseline vs target vs observed, on a 0–100 scale.

The chart is a list, not a picture: each indicator's name, then one line per figure (its words, e.g. "目标 ≥95%（2020）",
and a bar of that length). The words are page text, so they grow with 字号 (大, 特大) like every other text, are
read by screen readers and by 朗读, and wrap inside the screen: on a phone nothing needs a sideways swipe and no value
runs off the edge. The bars are drawn by the stylesheet (docs/stylesheets/extra.css, `.chart`) and hidden from
screen readers, which read the words.
"""
from collections import OrderedDict
from html import escape

from ..templating import figure, year

COLOURS = {"baseline": "#5f6b7a", "target": "#1a5fb4", "observed": "#b5451b"}
NAMES = {"baseline": "基数", "target": "目标", "observed": "实测"}
TITLE = "百分比指标：基数与目标（0–100%）"


def domain_chart(targets: list[dict]) -> str:
    """An HTML chart (its caption, then a list of indicators and their bars; the page puts it in a <figure>), or "" when the domain has no percentage figures. Each
    target's latest observation (its `observations`, by year, from scripts.package.load) is drawn beside it."""
    observed = {g["id"]: g["observations"][-1] for g in targets if g.get("observations")}
    series = OrderedDict()
    for g in targets:
        if g.get("unit") == "%":
            series.setdefault(g["indicator"], []).append(("baseline" if g["kind"] == "baseline" else "target", g))
            if g["id"] in observed:
                series[g["indicator"]].append(("observed", {**g, "value": observed[g["id"]]["value"], "year": observed[g["id"]]["year"], "year_basis": None, "comparator": "等于"}))
    if not series:
        return ""
    out = [f'<figcaption class="chart__title">{TITLE}</figcaption>', '<dl class="chart">']
    for name, items in series.items():
        out.append(f'<div class="chart__indicator"><dt>{escape(name)}</dt>')
        for kind, g in items:
            value = max(0.0, min(100.0, float(g["value"])))
            text = f'{NAMES[kind]} {figure(g)}（{year(g)}）'  # the year as every page says it (templating.year)
            out.append(f'<dd class="chart__bar chart__bar--{kind}"><span class="chart__value">{escape(text)}</span>'
                       f'<span class="chart__track" aria-hidden="true"><span class="chart__fill" '
                       f'style="width:{value:.1f}%;background:{COLOURS[kind]}"></span></span></dd>')
        out.append("</div>")
    out.append("</dl>")
    return "\n".join(out)
