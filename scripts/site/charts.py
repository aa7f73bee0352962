"""Charts drawn as SVG at build time: percentage indicators of one domain, baseline vs target vs observed, on a 0–100 scale."""
from collections import OrderedDict
from html import escape

from ..templating import figure, year

ROW, LABEL_W, BAR_W, PAD = 26, 300, 320, 8
COLOURS = {"baseline": "#5f6b7a", "target": "#1a5fb4", "observed": "#b5451b"}
NAMES = {"baseline": "基数", "target": "目标", "observed": "实测"}


def domain_chart(targets: list[dict]) -> str:
    """Inline SVG, or "" when the domain has no percentage figures. Each target's latest observation (its
    `observations`, by year, from scripts.package.load) is drawn beside it."""
    observed = {g["id"]: g["observations"][-1] for g in targets if g.get("observations")}
    series = OrderedDict()
    for g in targets:
        if g.get("unit") == "%":
            series.setdefault(g["indicator"], []).append(("baseline" if g["kind"] == "baseline" else "target", g))
            if g["id"] in observed:
                series[g["indicator"]].append(("observed", {**g, "value": observed[g["id"]]["value"], "year": observed[g["id"]]["year"], "year_basis": None, "comparator": "等于"}))
    if not series:
        return ""
    bars = [(name, kind, g) for name, items in series.items() for kind, g in items]
    height = ROW * len(bars) + 2 * PAD + 18
    width = LABEL_W + BAR_W + 280  # room for the longest value text, e.g. 目标 ≥95%（规划期内，未写明年份）, after a full bar
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" aria-label="百分比指标：基数与目标">',
           "<title>百分比指标：基数与目标（0–100%）</title>"]
    y, last = PAD, None
    for name, kind, g in bars:
        value = max(0.0, min(100.0, float(g["value"])))
        label = escape(name) if name != last else ""
        last = name
        text = f'{NAMES[kind]} {figure(g)}（{year(g)}）'  # the year as every page says it (templating.year)
        fit = f' textLength="{LABEL_W - 12}" lengthAdjust="spacingAndGlyphs"' if len(name) * 14 > LABEL_W - 12 else ""  # long names: squeeze, never run into the bar
        out.append(f'<text x="0" y="{y + 17}" font-size="14"{fit}>{label}</text>')
        out.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W * value / 100:.1f}" height="{ROW - 8}" fill="{COLOURS[kind]}"><title>{escape(name)}：{escape(text)}</title></rect>')
        out.append(f'<text x="{LABEL_W + BAR_W * value / 100 + 6:.1f}" y="{y + 17}" font-size="13">{escape(text)}</text>')
        y += ROW
    out.append(f'<line x1="{LABEL_W}" y1="{PAD}" x2="{LABEL_W}" y2="{y}" stroke="#333"/>')
    out.append(f'<text x="{LABEL_W}" y="{y + 16}" font-size="12">0</text><text x="{LABEL_W + BAR_W - 24}" y="{y + 16}" font-size="12">100%</text>')
    out.append("</svg>")
    return "\n".join(out)
