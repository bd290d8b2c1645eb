"""The visit report as a PDF: sections.py's sections drawn with reportlab's platypus, the metric charts as vector
drawings from chart.py's layouts, on one or two A4 or letter pages a clinician can read in a minute.

Only `medlog report --format pdf` imports this module (services/formats.py imports it when asked), so the
reportlab import below never costs the quick-log commands anything. The type is Bitstream Vera, which ships with
reportlab: it has the dashes, "·", "≤" and accented Latin the report's own words use. Each character it lacks
goes to another font (pdf_fonts.py): Symbol for "→", DejaVu Sans (shipped with medlog) for Cyrillic, Greek and
more, reportlab's CID fonts for Chinese, Japanese and Korean, and a stand-in in brackets for an emoji
("[sleeping face]") or a script none of them has; in paragraphs, table cells, the footer and the charts' titles.
A Latin report reads and embeds nothing but Vera. The same report gives the same bytes (invariant, no creation
time).
"""

from __future__ import annotations

import io
import math
from typing import Any

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Line, Path, PolyLine, String
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from medlog.reports import chart as charts
from medlog.reports import pdf_fonts as fonts
from medlog.reports import sections as layout
from medlog.reports.model import Report

FOOTER = "Patient-reported data from medlog · page {page} of {pages}"
AUTHOR, SUBJECT = "medlog", "patient-reported data"
REGULAR, BOLD, ITALIC = fonts.REGULAR, fonts.BOLD, fonts.ITALIC
BODY, SMALL, TITLE_SIZE, HEADING = 8.5, 7.0, 14.0, 10.0
TABLE_TEXT, TABLE_HEAD, TABLE_LEADING = 7.8, 7.0, 9.4
TICK = 6.3  # the charts' tick labels
PAD = 4.0  # left and right padding in a table cell
MARGIN = 36.0  # half an inch all round; the footer sits in the bottom margin
MIN_COLUMN = 40.0  # the narrowest a text column wraps to
KEEP_ROWS = 26  # a table this short moves to the next page whole rather than split (a longer one repeats its head)
CHART_HEIGHT, CHART_GAP, LEGEND = 104.0, 14.0, 12.0  # one small chart (title and letters included); between; key

INK, MUTED = HexColor("#1a1a1a"), HexColor("#5a5a5a")
RULE, HAIRLINE = HexColor("#8c8c8c"), HexColor("#d6d6d6")  # under a table's headings; between its rows
GRID = HexColor("#e8e8e8")  # the charts' faint grid
DOT = HexColor("#9a9a9a")  # daily ratings: light grey
MEAN = HexColor("#1f4e8c")  # weekly means: dark blue, near black in greyscale, drawn thick and solid
MARK = HexColor("#b4501c")  # regimen changes: rust, mid grey in greyscale, drawn thin and dashed
DASH = [2.2, 1.6]
HEADING_INK = HexColor("#1f3a5f")


def render_pdf(report: Report, *, compress: bool = True) -> bytes:
    """The report as PDF bytes. `compress=False` leaves the page streams readable (tests, debugging)."""
    fonts.register(italic=bool(report.questions or report.flagged))
    h = report.header
    page = A4 if h.page_size.casefold() == "a4" else letter
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 6,
        title=f"{layout.TITLE}, {layout.span(h.since, h.until, h.locale)}", author=AUTHOR, subject=SUBJECT,
        creator=AUTHOR,
        invariant=1, pageCompression=1 if compress else 0, lang="en",
    )
    story = _Story(page[0] - 2 * MARGIN).build(report)
    right = " · ".join(x for x in (h.name, layout.span(h.since, h.until, h.locale)) if x)
    a85, rl_config.useA85 = rl_config.useA85, 0  # binary streams: a quarter smaller, and no slow base-85 pass
    try:
        doc.build(story, canvasmaker=_footed(right, page[0]))
    finally:
        rl_config.useA85 = a85
    return out.getvalue()


def _footed(right: str, page_width: float) -> type[Canvas]:
    """A canvas that holds its pages until the end, to write "page N of M" on each in one pass."""

    class Footed(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # private to reportlab: no stub has it

        def save(self) -> None:
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                width = page_width
                self.saveState()
                self.setFont(REGULAR, SMALL)
                font = REGULAR
                self.setFillColor(MUTED)
                self.setStrokeColor(HAIRLINE)
                self.setLineWidth(0.5)
                self.line(MARGIN, MARGIN - 2, width - MARGIN, MARGIN - 2)
                self.drawString(MARGIN, MARGIN - 11, FOOTER.format(page=number, pages=len(self._held)))
                at = width - MARGIN - fonts.width(right, REGULAR, SMALL)
                for face, part in fonts.runs(right, REGULAR):  # the patient's name may be in any script
                    if face != font:
                        self.setFont(face, SMALL)
                        font = face
                    self.drawString(at, MARGIN - 11, part)
                    at += fonts.width(part, face, SMALL)
                self.restoreState()
                super().showPage()
            super().save()

    return Footed


def _style(name: str, font: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, textColor=kw.pop("textColor", INK),
                          **kw)


class _Story:
    def __init__(self, width: float) -> None:
        self.width = width
        self.title = _style("title", BOLD, TITLE_SIZE, TITLE_SIZE * 1.2, spaceAfter=3)
        self.header = _style("header", REGULAR, BODY, BODY * 1.25)
        self.heading = _style("heading", BOLD, HEADING, HEADING * 1.2, textColor=HEADING_INK, spaceBefore=8,
                              spaceAfter=3)
        self.styles = {
            "body": _style("body", REGULAR, BODY, BODY * 1.25, spaceAfter=2.5),
            "small": _style("small", REGULAR, SMALL, SMALL * 1.25, textColor=MUTED, spaceAfter=2),
            "quote": _style("quote", ITALIC, BODY, BODY * 1.25, leftIndent=10, spaceAfter=2.5),
        }
        self.lead = _style("lead", REGULAR, BODY, BODY * 1.25, spaceBefore=3, spaceAfter=2.5)
        self.caption = _style("caption", BOLD, TABLE_TEXT, TABLE_LEADING, spaceBefore=1, spaceAfter=1.5)
        self.cells = {(head, right): _style(f"cell{head}{right}", BOLD if head else REGULAR,
                                            TABLE_HEAD if head else TABLE_TEXT, TABLE_LEADING,
                                            textColor=MUTED if head else INK, alignment=2 if right else 0)
                      for head in (False, True) for right in (False, True)}
        self.story: list[Flowable] = []
        self.pending: list[Flowable] = []  # a heading, a caption, an introduction: kept with what follows
        self.cjk: dict[str, ParagraphStyle] = {}  # each style as it wraps Chinese, Japanese or Korean text

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        """The text in the style; text with Han, kana or Hangul wraps between any two characters (it has no
        spaces to wrap at)."""
        if fonts.has_cjk(text):
            style = self.cjk.get(style.name) or self.cjk.setdefault(
                style.name, ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK"))
        return Paragraph(fonts.markup(text, style.fontName), style)

    def build(self, report: Report) -> list[Flowable]:
        self.story.append(self.para(layout.TITLE, self.title))
        for line in layout.header_lines(report):
            self.story.append(self.para(line, self.styles["small"] if line == layout.SOURCE else self.header))
        for section in layout.sections(report):
            self.pending.append(self.para(section.title, self.heading))
            widths = self._widths(section)
            blocks = section.blocks
            for i, block in enumerate(blocks):
                following = blocks[i + 1] if i + 1 < len(blocks) else None
                if isinstance(block, layout.Text):
                    style = self.styles.get(block.style, self.styles["body"])
                    if block.style != "small" and following is not None and (
                            isinstance(following, layout.Table) or block.text.endswith(":")):
                        # an introduction, with a little air above when it starts a group (one change's table)
                        self.pending.append(self.para(block.text, self.lead if i else style))
                    else:
                        self.add(self.para(block.text, style))
                elif isinstance(block, layout.Table):
                    if block.caption:
                        self.pending.append(self.para(block.caption, self.caption))
                    self.add(self.table(block, *widths[block.headers]), whole=len(block.rows) <= KEEP_ROWS)
                else:
                    self.add(*self.charts(report), whole=True)
        return self.story + self.pending

    def add(self, *flowables: Flowable, whole: bool = False) -> None:
        """Onto the page, with the heading, caption or introduction before it; a short table and the charts are
        never split (a long table moves to the next page when that holds it whole, else splits, head repeated)."""
        if self.pending or whole:
            self.story.append(KeepTogether([*self.pending, *flowables]))
            self.pending = []
        else:
            self.story += flowables

    def _widths(self, section: layout.Section) -> dict[tuple[str, ...], tuple[list[float], list[bool]]]:
        """Column widths (and which columns wrap) per table shape: tables in a section with the same headings line
        up (medications and supplements; one before/after table per change)."""
        cells: dict[tuple[str, ...], list[list[str]]] = {}
        numeric: dict[tuple[str, ...], tuple[bool, ...]] = {}
        for block in section.blocks:
            if isinstance(block, layout.Table):
                columns = cells.setdefault(block.headers, [[] for _ in block.headers])
                numeric[block.headers] = block.numeric
                for row in block.rows:
                    for c, cell in enumerate(row):
                        columns[c].append(cell)
        return {headers: _fit(headers, columns, numeric[headers], self.width) for headers, columns in cells.items()}

    def table(self, block: layout.Table, widths: list[float], wraps: list[bool]) -> Flowable:
        head = [self._cell(h, block.numeric[c], wraps[c], True) for c, h in enumerate(block.headers)]
        rows = [[self._cell(cell, block.numeric[c], wraps[c], False) for c, cell in enumerate(row)]
                for row in block.rows]
        everything, heads = ((0, 0), (-1, -1)), ((0, 0), (-1, 0))
        style = TableStyle([
            ("FONT", *everything, REGULAR, TABLE_TEXT, TABLE_LEADING),
            ("FONT", *heads, BOLD, TABLE_HEAD, TABLE_LEADING),
            ("TEXTCOLOR", *everything, INK), ("TEXTCOLOR", *heads, MUTED), ("VALIGN", *everything, "TOP"),
            ("LEFTPADDING", *everything, PAD), ("RIGHTPADDING", *everything, PAD),
            ("TOPPADDING", *everything, 1.2), ("BOTTOMPADDING", *everything, 1.8),
            ("LINEBELOW", *heads, 0.6, RULE), ("LINEBELOW", (0, 1), (-1, -2), 0.25, HAIRLINE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE),
            *(("ALIGN", (c, 0), (c, -1), "RIGHT") for c, right in enumerate(block.numeric) if right),
        ])
        table = Table([head, *rows], colWidths=widths, repeatRows=1, hAlign="LEFT", style=style)
        table.spaceBefore, table.spaceAfter = 1, 4
        return table

    def _cell(self, text: str, right: bool, wrap: bool, head: bool) -> str | Paragraph:
        """A plain string when it fits and Vera has every character (fast); else a Paragraph, to wrap or to set
        what Vera lacks in another font."""
        font = BOLD if head else REGULAR
        if not wrap and fonts.runs(text, font) == [(font, text)]:
            return text
        return self.para(text, self.cells[head, right])

    def charts(self, report: Report) -> list[Flowable]:
        """The metrics' charts two abreast (one alone full width), with a key below."""
        layouts = [charts.layout(series, report) for series in report.metrics]
        if not layouts:
            return [Spacer(1, 0)]
        columns = 1 if len(layouts) == 1 else 2
        rows = math.ceil(len(layouts) / columns)
        w = (self.width - CHART_GAP * (columns - 1)) / columns
        height = rows * CHART_HEIGHT + (rows - 1) * CHART_GAP + LEGEND
        d = Drawing(self.width, height)
        for i, found in enumerate(layouts):
            row, column = divmod(i, columns)
            _chart(d, found, column * (w + CHART_GAP), height - (row + 1) * CHART_HEIGHT - row * CHART_GAP, w,
                   CHART_HEIGHT)
        _legend(d, bool(report.changes))
        d.hAlign = "LEFT"
        return [d, Spacer(1, 4)]


def _width(text: str, font: str, size: float) -> float:
    return fonts.width(text, font, size)


def _fit(headers: tuple[str, ...], columns: list[list[str]], numeric: tuple[bool, ...],
         width: float) -> tuple[list[float], list[bool]]:
    """Each column as wide as its widest cell. When the table is wider than the page, text columns wrap (numbers
    never): the one column whose narrowing wraps the fewest cells, or, when no single column can give enough,
    the widest text columns narrowed to one cap."""
    sizes = [[_width(cell, REGULAR, TABLE_TEXT) + 2 * PAD for cell in cells] for cells in columns]
    natural = [max([_width(h, BOLD, TABLE_HEAD) + 2 * PAD, *found]) for h, found in zip(headers, sizes, strict=True)]
    excess = sum(natural) - width
    fitted = natural
    if excess > 0:
        best: tuple[tuple[int, float], int] | None = None
        for c, cells in enumerate(columns):
            target = natural[c] - excess
            words = [_width(w, REGULAR, TABLE_TEXT) for cell in cells for w in cell.split()]
            words += [_width(w, BOLD, TABLE_HEAD) for w in headers[c].split()]
            if numeric[c] or target < max(MIN_COLUMN, max(words, default=0) + 2 * PAD):
                continue  # numbers never wrap, nor does a column so narrow a word would stick out
            key = (sum(1 for size in sizes[c] if size > target), -natural[c])  # the fewest wrapped cells
            if best is None or key < best[0]:
                best = (key, c)
        if best is not None:
            fitted = [w - excess if c == best[1] else w for c, w in enumerate(natural)]
        else:
            text = sorted(w for w, n in zip(natural, numeric, strict=True) if not n)
            room = width - sum(w for w, n in zip(natural, numeric, strict=True) if n)
            cap = room / max(1, len(text))
            for k, w in enumerate(text):  # water-filling: the narrow columns keep their width
                if w * (len(text) - k) + sum(text[:k]) >= room:
                    cap = (room - sum(text[:k])) / (len(text) - k)
                    break
            fitted = [w if n else min(w, max(cap, MIN_COLUMN)) for w, n in zip(natural, numeric, strict=True)]
    return fitted, [f < n - 0.01 for f, n in zip(fitted, natural, strict=True)]


def _chart(d: Drawing, c: charts.ChartLayout, x0: float, y0: float, w: float, h: float) -> None:
    """One metric's chart in the box (x0, y0, w, h): title, letters, plot, tick labels."""
    left, right = x0 + 16, x0 + w - 3
    bottom, top = y0 + 11, y0 + h - 22

    def px(x: float) -> float:
        return left + x * (right - left)

    def py(y: float) -> float:
        return bottom + y * (top - bottom)

    _string(d, x0, y0 + h - 8, c.title, BOLD, 7.3, INK)
    for y, label in c.y_ticks:
        d.add(Line(left, py(y), right, py(y), strokeColor=GRID, strokeWidth=0.5))
        d.add(String(left - 3, py(y) - 2.3, label, fontName=REGULAR, fontSize=TICK, fillColor=MUTED,
                     textAnchor="end"))
    for x, _ in c.x_ticks:
        d.add(Line(px(x), bottom, px(x), top, strokeColor=GRID, strokeWidth=0.5))
    for at, label in _x_labels([(px(x), label) for x, label in c.x_ticks], left, right):
        d.add(String(at, bottom - 8, label, fontName=REGULAR, fontSize=TICK, fillColor=MUTED, textAnchor="middle"))
    d.add(Line(left, bottom, right, bottom, strokeColor=RULE, strokeWidth=0.5))
    gap = max((_width(mark, BOLD, 6.8) for _, mark in c.marks), default=0) + 1.5
    for (x, mark), at in zip(c.marks, charts.spread([px(x) for x, _ in c.marks], gap), strict=True):
        d.add(Line(px(x), bottom, px(x), top + 1.5, strokeColor=MARK, strokeWidth=0.8, strokeDashArray=DASH))
        d.add(String(at, top + 3, mark, fontName=BOLD, fontSize=6.8, fillColor=MARK, textAnchor="middle"))
    if c.empty:
        d.add(String((left + right) / 2, (bottom + top) / 2 - 2.5, "No ratings in this period", fontName=REGULAR,
                     fontSize=7, fillColor=MUTED, textAnchor="middle"))
        return
    dots = Path(strokeColor=DOT, strokeWidth=2.6, strokeLineCap=1, fillColor=None)
    for x, y in c.points:  # each a round-capped stroke a hair long: one path, far cheaper than circles
        dots.moveTo(px(x), py(y))
        dots.lineTo(px(x) + 0.01, py(y))
    d.add(dots)
    for run in c.steps:
        d.add(PolyLine([v for x, y in run for v in (px(x), py(y))], strokeColor=MEAN, strokeWidth=1.7,
                       strokeLineJoin=0, strokeLineCap=2))


def _x_labels(ticks: list[tuple[float, str]], left: float, right: float) -> list[tuple[float, str]]:
    """The x tick labels that fit side by side: all of them if they can, else every second (third, ...) one, else
    the same without the year ("Jan 2026" as "Jan"); each kept inside the plot's width."""
    for short in (False, True):
        for step in range(1, max(2, len(ticks))):
            placed: list[tuple[float, str]] = []
            end = -1e9
            for at, label in ticks[::step]:
                text = label.split()[0] if short else label
                half = _width(text, REGULAR, TICK) / 2
                at = min(max(at, left + half), right - half)
                if at - half < end + 3:
                    break
                placed.append((at, text))
                end = at + half
            else:
                return placed
    return []


def _string(d: Drawing, x: float, y: float, text: str, font: str, size: float, color: Color) -> None:
    """Left-aligned text in a drawing, each character in a font that has it (a metric's label is the user's)."""
    for face, part in fonts.runs(text, font):
        d.add(String(x, y, part, fontName=face, fontSize=size, fillColor=color))
        x += _width(part, face, size)


def _legend(d: Drawing, changes: bool) -> None:
    y, x, size = 2.5, 16.0, 6.5
    d.add(Line(x + 2, y + 2.2, x + 2.01, y + 2.2, strokeColor=DOT, strokeWidth=2.6, strokeLineCap=1))
    d.add(String(x + 7, y, "daily rating", fontName=REGULAR, fontSize=size, fillColor=MUTED))
    x += 7 + _width("daily rating", REGULAR, size) + 14
    d.add(Line(x, y + 2.2, x + 14, y + 2.2, strokeColor=MEAN, strokeWidth=1.7))
    d.add(String(x + 18, y, "weekly mean", fontName=REGULAR, fontSize=size, fillColor=MUTED))
    if changes:
        x += 18 + _width("weekly mean", REGULAR, size) + 14
        d.add(Line(x + 2, y - 1.5, x + 2, y + 6.5, strokeColor=MARK, strokeWidth=0.8, strokeDashArray=DASH))
        d.add(String(x + 7, y, "regimen change (letters as in Regimen changes)", fontName=REGULAR, fontSize=size,
                     fillColor=MUTED))
