"""The visit report as one self-contained HTML file: inline style, charts as inline SVG, nothing fetched.

It opens offline in any browser, prints on one or two A4 or letter pages, and carries no script and no
reference to anything outside itself (a Content-Security-Policy says so to the browser too), so the journal's
words stay on the page. Every word comes from reports.sections, the charts from reports.chart; all text is
escaped, as notes and names are the user's own.
"""

from __future__ import annotations

from html import escape

from medlog.domain.humanize import day_text
from medlog.reports.chart import ChartLayout, layout, spread
from medlog.reports.model import MetricSeries, Report
from medlog.reports.sections import TITLE, Block, Charts, Section, Table, Text, header_lines, sections, span

SVG_NS = "http://www.w3.org/2000/svg"  # a name, not a reference: nothing is fetched from it

# The chart's box in SVG user units: the plot, with room for the title and letters above and the ticks around.
WIDTH, HEIGHT = 320.0, 152.0
LEFT, RIGHT, TOP, BOTTOM = 26.0, 8.0, 32.0, 17.0
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
LETTER_GAP = 8.0  # letters of nearby changes are nudged apart by at least this much

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; padding: 1.5rem 1rem 3rem; color: #111; background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans",
        "Liberation Sans", sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
main { max-width: 60rem; margin: 0 auto; }
h1 { font-size: 1.5rem; line-height: 1.2; margin: 0 0 .4rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; padding-bottom: .15rem; border-bottom: 1.5px solid #111;
     break-after: avoid; page-break-after: avoid; break-inside: avoid; }
p { margin: .4rem 0; }
p:has(+ .table-wrap), caption { break-after: avoid; page-break-after: avoid; }
.report-head { border-bottom: 3px double #111; padding-bottom: .5rem; }
.report-head p { margin: .1rem 0; }
.small { font-size: .85em; color: #333; }
#before_after > p:not(.small) { font-weight: 600; margin-top: .7em; break-after: avoid; }
blockquote { margin: .4rem 0 .4rem .2rem; padding: .15rem 0 .15rem .8rem; border-left: 3px solid #555;
             white-space: pre-line; font-style: italic; }
blockquote p { margin: 0; }
.table-wrap { overflow-x: auto; margin: .5rem 0; }
table { border-collapse: collapse; width: auto; min-width: 60%; font-variant-numeric: tabular-nums; break-inside: avoid;
        page-break-inside: avoid; }
caption { text-align: left; font-weight: 600; padding: 0 0 .2rem; }
th, td { text-align: left; vertical-align: top; padding: .2rem 1.1rem .2rem 0; white-space: pre-line; }
thead th { font-weight: 600; border-bottom: 1.5px solid #111; vertical-align: bottom; }
tbody td { border-bottom: 1px solid #bbb; }
th.num, td.num { text-align: right; }
th:last-child, td:last-child { padding-right: 0; }
.charts { display: grid; grid-template-columns: 1fr; gap: .5rem 1.25rem; margin: .5rem 0; }
@media (min-width: 44rem) { .charts { grid-template-columns: 1fr 1fr; } }
.chart { display: block; width: 100%; height: auto; break-inside: avoid; page-break-inside: avoid; }
.chart text { font-family: inherit; font-size: 9px; fill: #222; }
.chart .title { font-size: 10.5px; font-weight: 600; fill: #111; }
.chart .grid { stroke: #d4d4d4; stroke-width: .6; }
.chart .axis { stroke: #444; stroke-width: .8; }
.chart .day { fill: #9a9a9a; }
.chart .week { fill: none; stroke: #0b3d91; stroke-width: 2.2; stroke-linejoin: miter; }
.chart .mark { stroke: #111; stroke-width: .9; stroke-dasharray: 3 2; }
.chart .letter { font-weight: 700; font-size: 9.5px; fill: #111; }
.chart .none { fill: #555; font-style: italic; }
.legend { margin: 0 0 .3rem; }
.legend .k-day { color: #9a9a9a; }
.legend .k-week { color: #0b3d91; font-weight: 700; }
.legend .k-mark { color: #111; font-weight: 700; }
@page { size: @PAGE@; margin: 12mm; }
@media print {
  body { font-size: 8pt; line-height: 1.25; padding: 0; }
  main { max-width: none; }
  h1 { font-size: 12.5pt; }
  h2 { font-size: 9.5pt; margin: .55rem 0 .2rem; }
  p { margin: .2rem 0; }
  .charts { grid-template-columns: 1fr 1fr; gap: .2rem 6mm; margin: .25rem 0; }
  .table-wrap { overflow: visible; margin: .25rem 0; }
  th, td { padding: .05rem 1rem .05rem 0; }
  blockquote { margin: .2rem 0; }
}
"""


def render_html(report: Report) -> str:
    period = span(report.header.since, report.header.until, report.header.locale)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # belt and braces: even a browser that found a reference here would fetch nothing and run nothing
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="referrer" content="no-referrer">',
        '<meta name="generator" content="medlog">',
        f"<title>{_e(TITLE)} · {_e(period)}</title>",
        f"<style>{STYLE.replace('@PAGE@', _page_size(report.header.page_size))}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header class="report-head">',
        f"<h1>{_e(TITLE)}</h1>",
    ]
    lines = header_lines(report)
    out += [f'<p class="small">{_e(line)}</p>' if i == len(lines) - 1 else f"<p>{_e(line)}</p>"
            for i, line in enumerate(lines)]
    out.append("</header>")
    for section in sections(report):
        out += _section(section, report)
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def _e(text: str) -> str:
    return escape(text, quote=True)


def _page_size(size: str) -> str:
    return "letter" if size.strip().casefold() == "letter" else "A4"


def _section(section: Section, report: Report) -> list[str]:
    head = f"h-{section.key}"
    out = [f'<section id="{_e(section.key)}" aria-labelledby="{_e(head)}">',
           f'<h2 id="{_e(head)}">{_e(section.title)}</h2>']
    for block in section.blocks:
        out += _block(block, report)
    out.append("</section>")
    return out


def _block(block: Block, report: Report) -> list[str]:
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Charts):
        return _charts(report)
    assert isinstance(block, Text)
    if block.style == "quote":
        return [f"<blockquote><p>{_e(block.text)}</p></blockquote>"]
    if block.style == "small":
        return [f'<p class="small">{_e(block.text)}</p>']
    return [f"<p>{_e(block.text)}</p>"]


def _table(table: Table) -> list[str]:
    def cls(i: int) -> str:
        return ' class="num"' if i < len(table.numeric) and table.numeric[i] else ""

    out = ['<div class="table-wrap">', "<table>"]
    if table.caption:
        out.append(f"<caption>{_e(table.caption)}</caption>")
    out.append("<thead><tr>" + "".join(f'<th scope="col"{cls(i)}>{_e(h)}</th>'
                                       for i, h in enumerate(table.headers)) + "</tr></thead>")
    out.append("<tbody>")
    out += ["<tr>" + "".join(f"<td{cls(i)}>{_e(cell)}</td>" for i, cell in enumerate(row)) + "</tr>"
            for row in table.rows]
    out += ["</tbody>", "</table>", "</div>"]
    return out


def _charts(report: Report) -> list[str]:
    if not report.metrics:
        return []
    out = [_legend(), '<div class="charts">']
    out += [_svg(series, layout(series, report), report, i) for i, series in enumerate(report.metrics)]
    out.append("</div>")
    return out


def _legend() -> str:
    """What the marks mean, in the charts' own colours."""
    return ('<p class="small legend"><span class="k-day" aria-hidden="true">●</span> a day’s rating · '
            '<span class="k-week" aria-hidden="true">━━</span> weekly mean · '
            '<span class="k-mark" aria-hidden="true">┆</span> a regimen change, lettered as in the table of '
            'changes</p>')


def _px(x: float) -> float:
    return LEFT + x * PLOT_W


def _py(y: float) -> float:
    return TOP + (1.0 - y) * PLOT_H


def _f(v: float) -> str:
    return f"{v:.1f}"


def _svg(series: MetricSeries, chart: ChartLayout, report: Report, index: int) -> str:
    ident = f"chart-{index + 1}-{series.spec.key}"
    letters = ", ".join(f"{c.mark} {day_text(c.day, report.header.locale, 'short')}" for c in report.changes)
    summary = (f"{chart.title}. Daily ratings as dots and weekly means as a line, "
               + (f"with the regimen changes marked: {letters}. " if letters else "with no regimen change. ")
               + "The weekly means are in the table below.")
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" role="img" aria-label="{_e(summary)}" '
           f'xmlns="{SVG_NS}" id="{_e(ident)}">',
           f"<title>{_e(chart.title)}</title>",
           f'<text class="title" x="2" y="11">{_e(chart.title)}</text>']
    # the faint grid and the ticks
    for y, label in chart.y_ticks:
        py = _f(_py(y))
        out.append(f'<line class="grid" x1="{_f(LEFT)}" y1="{py}" x2="{_f(LEFT + PLOT_W)}" y2="{py}"/>')
        out.append(f'<text x="{_f(LEFT - 4)}" y="{_f(_py(y) + 3)}" text-anchor="end">{_e(label)}</text>')
    for x, label in chart.x_ticks:
        px = _px(x)
        out.append(f'<line class="grid" x1="{_f(px)}" y1="{_f(TOP)}" x2="{_f(px)}" y2="{_f(TOP + PLOT_H + 3)}"/>')
        anchor = "end" if px > LEFT + PLOT_W - 24 else "start"
        tx = px - 2 if anchor == "end" else px + 2
        out.append(f'<text x="{_f(tx)}" y="{_f(TOP + PLOT_H + 12)}" text-anchor="{anchor}">{_e(label)}</text>')
    out.append(f'<line class="axis" x1="{_f(LEFT)}" y1="{_f(TOP + PLOT_H)}" x2="{_f(LEFT + PLOT_W)}" '
               f'y2="{_f(TOP + PLOT_H)}"/>')
    out.append(f'<line class="axis" x1="{_f(LEFT)}" y1="{_f(TOP)}" x2="{_f(LEFT)}" y2="{_f(TOP + PLOT_H)}"/>')
    # the changes under the data, so a mark never hides a dot
    for (x, letter), tx in zip(chart.marks, spread([_px(x) for x, _ in chart.marks], LETTER_GAP), strict=True):
        px = _px(x)
        out.append(f'<line class="mark" x1="{_f(px)}" y1="{_f(TOP - 6)}" x2="{_f(px)}" y2="{_f(TOP + PLOT_H)}"/>')
        out.append(f'<text class="letter" x="{_f(tx)}" y="{_f(TOP - 8)}" text-anchor="middle">{_e(letter)}</text>')
    if chart.empty:
        out.append(f'<text class="none" x="{_f(LEFT + PLOT_W / 2)}" y="{_f(TOP + PLOT_H / 2)}" '
                   'text-anchor="middle">no ratings in this period</text>')
    out += [f'<circle class="day" cx="{_f(_px(x))}" cy="{_f(_py(y))}" r="1.6"/>' for x, y in chart.points]
    for run in chart.steps:
        points = " ".join(f"{_f(_px(x))},{_f(_py(y))}" for x, y in run)
        out.append(f'<polyline class="week" points="{points}"/>')
    out.append("</svg>")
    return "\n".join(out)
