"""The visit report as Markdown, for pasting into a patient-portal message: headings, pipe tables, quotes.

Plain text first: many portals show Markdown as typed, so it reads well unrendered, and it holds no HTML. In
place of the charts, a line per metric with a sparkline of its weekly means. The user's words (notes, names)
are escaped only where they would change the formatting, so "sleep_quality" or a note starting with "#" stays
text, and a "|" never splits a table cell.
"""

from __future__ import annotations

import re

from medlog.reports.model import MetricSeries, Report
from medlog.reports.sections import TITLE, Block, Charts, Section, Table, Text, header_lines, num, sections

BARS = "▁▂▃▄▅▆▇█"
NO_MEAN = " "  # a week with no rating

_INLINE = re.compile(r"([\\`*_\[\]<|~])")  # emphasis, code, links, autolinks/HTML, table cells, strikethrough
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "&lt;" would be read as "<"
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")  # "1. " and "1) " start a numbered list


def render_markdown(report: Report) -> str:
    out = [f"# {TITLE}"]
    lines = header_lines(report)
    out += [_escape_block(line) for line in lines[:-1]]
    out.append(_small(lines[-1]))
    for section in sections(report):
        out += _section(section, report)
    return "\n\n".join(out) + "\n"


def _section(section: Section, report: Report) -> list[str]:
    out = [f"## {_escape_block(section.title)}"]
    for block in section.blocks:
        text = _block(block, report)
        if text:
            out.append(text)
    return out


def _block(block: Block, report: Report) -> str:
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Charts):
        return "\n".join(f"- {_escape_line(_sparkline_line(series))}" for series in report.metrics)
    assert isinstance(block, Text)
    if block.style == "quote":
        return "\n".join(f"> {line}" if line else ">" for line in _escape_block(block.text).split("\n"))
    if block.style == "small":
        return _small(block.text)
    return _escape_block(block.text)


def _small(text: str) -> str:
    """Small print in italics; a paragraph of several lines keeps one pair of stars per line."""
    return "\n".join(f"*{line}*" if line else "" for line in _escape_block(text).split("\n"))


def _table(table: Table) -> str:
    def row(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(_cell(c) for c in cells) + " |"

    width = len(table.headers)
    numeric = tuple(table.numeric) + (False,) * (width - len(table.numeric))
    out = [f"**{_escape_inline(table.caption)}**\n"] if table.caption else []
    out.append(row(table.headers))
    out.append("| " + " | ".join("---:" if numeric[i] else "---" for i in range(width)) + " |")
    out += [row(tuple(r[:width]) + ("",) * (width - len(r))) for r in table.rows]
    return "\n".join(out)


def _cell(text: str) -> str:
    """One line, pipes escaped: a cell can never end early or run into the next row."""
    return _escape_inline(" ".join(text.split()))


def _escape_inline(text: str) -> str:
    return _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))


def _escape_line(line: str) -> str:
    """A line of a paragraph: inline marks, then what only matters at the start of a line (headings, quotes,
    lists, rules and setext underlines, indented code)."""
    line = _escape_inline(line.strip())
    if not line:
        return line
    if line[0] in "#>":
        return "\\" + line
    if line[0] in "-+=" and (len(line) == 1 or line[1].isspace() or set(line) <= {line[0], " "}):
        return "\\" + line
    return _ORDERED.sub(r"\1\\\2", line)


def _escape_block(text: str) -> str:
    """A paragraph of the user's or the report's words, line breaks kept (blank lines collapsed to one)."""
    lines = [_escape_line(line) for line in text.strip().splitlines()]
    return re.sub(r"\n{2,}", "\n\n", "\n".join(lines))


def sparkline(series: MetricSeries) -> str:
    """One character a week: the weekly mean on the metric's own scale, a space for a week with no rating."""
    low, high = float(series.spec.min_value), float(series.spec.max_value)
    out = []
    for mean in series.weekly:
        if mean is None:
            out.append(NO_MEAN)
            continue
        share = (mean - low) / (high - low) if high > low else 0.5
        out.append(BARS[min(len(BARS) - 1, max(0, round(share * (len(BARS) - 1))))])
    return "".join(out)


def _sparkline_line(series: MetricSeries) -> str:
    """"Sleep quality (0–10, higher is better): ▃▂▃▄▄▄▆▅▆▇▇▆▇ 4.8 → 8.1"."""
    means = [m for m in series.weekly if m is not None]
    label = f"{series.spec.label} ({series.spec.scale}): "
    if not means:
        return label + "no ratings in this period"
    return label + f"{sparkline(series)} {num(means[0])} → {num(means[-1])}"
