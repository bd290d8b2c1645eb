"""Charts drawn with text for the Trends screen: a metric's daily values and 7-day mean in braille dots, with the
regimen changes marked; and the adherence heatmap (weeks × days).

The drawing functions are pure (plain values in, Rich Text out) so they are tested without a terminal; the widgets
show what they are given, at the width they have, and never touch the database. Colours come from the theme
through component classes; the shapes alone carry the meaning (a monochrome terminal or a printout still reads).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from medlog.domain.adherence import Tally
from medlog.domain.metrics import MetricSpec
from medlog.domain.numbers import format_decimal
from medlog.domain.record import fields

BRAILLE = 0x2800
_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # braille dot bits by dot row (top first), column
MARKER = "│"  # a regimen change, where the column has no dots
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
NO_STYLE = Style()


def letter(index: int) -> str:
    """The mark of the index-th regimen change of a span: A–Z, a–z, then *."""
    return LETTERS[index] if index < len(LETTERS) else "*"


class Canvas:
    """Cells of 2×4 braille dots. Each cell remembers the highest layer drawn in it (its colour)."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.bits = [[0] * width for _ in range(height)]
        self.layer = [[0] * width for _ in range(height)]

    def dot(self, x: int, y: int, layer: int) -> None:
        """Dot column x (0 = left), dot row y (0 = bottom)."""
        if 0 <= x < 2 * self.width and 0 <= y < 4 * self.height:
            row, col = self.height - 1 - y // 4, x // 2
            self.bits[row][col] |= _BITS[3 - y % 4][x % 2]
            self.layer[row][col] = max(self.layer[row][col], layer)

    def line(self, x0: int, y0: int, x1: int, y1: int, layer: int) -> None:
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        while True:
            self.dot(x0, y0, layer)
            if x0 == x1 and y0 == y1:
                return
            twice = 2 * err
            if twice >= dy:
                err += dy
                x0 += sx
            if twice <= dx:
                err += dx
                y0 += sy


def chart(spec: MetricSpec, days: Sequence[date], values: Mapping[date, float], rolling: Sequence[float | None],
          marks: Mapping[date, str], width: int, height: int = 4,
          styles: Mapping[str, Style] | None = None) -> Text:
    """A metric's chart, `width` columns wide and `height` + 2 lines high: a title line, the plot (one dot per
    rated day, the 7-day mean as a line over them, │ at each regimen change), and an axis line with a tick at
    each week's first day and the change's letter from `marks` (day → letter). The vertical scale is the
    metric's own (its minimum to its maximum), never the data's, so a flat week looks flat."""
    style = dict(styles or {})
    lo, hi = float(spec.min_value), float(spec.max_value)
    top, bottom = format_decimal(spec.max_value), format_decimal(spec.min_value)
    gutter = max(len(top), len(bottom)) + 1
    plot = width - gutter - 1
    out = Text(no_wrap=True, overflow="crop", end="")
    out.append_text(_title(spec, days, values, rolling, width, style))
    if plot < 8 or not days:
        return out
    n = len(days)

    def x_of(i: int) -> int:
        return 0 if n == 1 else round(i * (2 * plot - 1) / (n - 1))

    def y_of(value: float) -> int:
        share = (value - lo) / (hi - lo) if hi > lo else 0.0
        return min(4 * height - 1, max(0, round(share * (4 * height - 1))))

    canvas = Canvas(plot, height)
    for i, day in enumerate(days):
        if day in values:
            canvas.dot(x_of(i), y_of(values[day]), 1)
    previous: tuple[int, int] | None = None
    for i, mean in enumerate(rolling[:n]):
        if mean is None:
            previous = None  # a thin stretch is a gap in the line, never bridged
            continue
        point = (x_of(i), y_of(mean))
        if previous is None:
            canvas.dot(*point, 2)
        else:
            canvas.line(*previous, *point, 2)
        previous = point
    index = {day: i for i, day in enumerate(days)}
    marked = {x_of(index[day]) // 2: mark for day, mark in marks.items() if day in index}
    axis, marker = style.get("axis", NO_STYLE), style.get("marker", NO_STYLE)
    for row in range(height):
        label = top if row == 0 else bottom if row == height - 1 else ""
        cells: list[tuple[str, Style]] = []
        for col in range(plot):
            bits = canvas.bits[row][col]
            if bits:
                layer = "mean" if canvas.layer[row][col] == 2 else "value"
                cells.append((chr(BRAILLE + bits), style.get(layer, NO_STYLE)))
            else:
                cells.append((MARKER, marker) if col in marked else (" ", NO_STYLE))
        out.append(f"\n{label:>{gutter - 1}} " + ("┤" if label else "│"), axis)
        _runs(out, cells)
    ticks = {x_of(i) // 2 for i, day in enumerate(days) if i and (days[0] - day).days % 7 == 0}
    out.append("\n" + " " * gutter + "└", axis)
    letters = marker + Style(bold=True)
    _runs(out, [(marked[col], letters) if col in marked else ("┴" if col in ticks else "─", axis)
                for col in range(plot)])
    return out


def _runs(out: Text, cells: list[tuple[str, Style]]) -> None:
    """Append cells, one span per run of one style (a span per cell would make thousands to render)."""
    run: list[str] = []
    current: Style | None = None
    for char, style in cells:
        if style is not current and run:
            out.append("".join(run), current)
            run = []
        run.append(char)
        current = style
    if run:
        out.append("".join(run), current)


def _title(spec: MetricSpec, days: Sequence[date], values: Mapping[date, float], rolling: Sequence[float | None],
           width: int, style: Mapping[str, Style]) -> Text:
    left = Text()
    left.append(spec.label, style.get("title", NO_STYLE))  # the user names their own metrics: never markup
    left.append(f"  {spec.scale}", style.get("axis", NO_STYLE))
    latest = next((m for m in reversed(rolling[:len(days)]) if m is not None), None)
    rated = f"{sum(1 for day in days if day in values)}/{len(days)} days rated"
    mean = "" if latest is None else f"7-day mean {latest:.1f}"
    for right in (f"{mean} · {rated}" if mean else rated, mean):  # what fits, the latest mean first
        if right and width - left.cell_len - len(right) >= 2:
            left.append(" " * (width - left.cell_len - len(right)) + right, style.get("axis", NO_STYLE))
            break
    return left


# The heatmap's cells by the share of the day's decided doses that were taken: (at least %, symbol, component
# class, legend). Shades of one block, so the cells read without colour too.
HEAT = (
    (100.0, "██", "heat-full", "all taken"),
    (75.0, "▓▓", "heat-most", "75% or more"),
    (50.0, "▒▒", "heat-half", "50% or more"),
    (0.1, "░░", "heat-some", "under 50%"),
    (0.0, "××", "heat-none", "none taken"),
)
UNLOGGED = "??"  # nothing at all was logged that day: not known, which is not the same as missed
PENDING = "··"  # scheduled, but not due or decided yet (today)


def heat_cell(tally: Tally | None) -> tuple[str, str | None]:
    """The cell of one day and its component class: blank when nothing was scheduled."""
    if tally is None or tally.scheduled == 0:
        return "  ", None
    percent = tally.percent
    if percent is None:
        return (UNLOGGED, "heat-unlogged") if tally.unlogged else (PENDING, "heat-pending")
    for least, symbol, name, _ in HEAT:
        if percent >= least:
            return symbol, name
    return HEAT[-1][1], HEAT[-1][2]


def heatmap(end: date, weeks: int, days: Mapping[date, Tally], styles: Mapping[str, Style] | None = None) -> Text:
    """One row per week (the oldest first, each the 7 days ending on the weekday of `end`, as in `medlog trends`),
    one column per day, and the week's share of doses taken at the end of the row; a legend below."""
    style = dict(styles or {})
    first = end - timedelta(days=7 * weeks - 1)
    out = Text(no_wrap=True, overflow="crop", end="")
    out.append(f"{'week':<14}" + "".join(f"{(first + timedelta(days=i)):%a}"[:2] + " " for i in range(7))
               + " taken", style.get("axis", NO_STYLE))
    for week in range(weeks - 1, -1, -1):
        until = end - timedelta(days=7 * week)
        since = until - timedelta(days=6)
        out.append(f"\n{since:%d %b}–{until:%d %b} ")
        total = Tally()
        for i in range(7):
            day = since + timedelta(days=i)
            tally = days.get(day)
            symbol, name = heat_cell(tally)
            out.append(symbol, style.get(name, NO_STYLE) if name else NO_STYLE)
            out.append(" ")
            if tally is not None:
                total = Tally(**{name: getattr(total, name) + getattr(tally, name) for name in fields(Tally)})
        out.append(f"{total.percent:>5.0f}%" if total.percent is not None else f"{'—':>6}")
    out.append("\n")
    for i, (_, symbol, name, words) in enumerate(HEAT):
        out.append("\n" if i in (0, 3) else "  ")
        out.append(symbol, style.get(name, NO_STYLE))
        out.append(f" {words}")
    out.append("  ")
    out.append(UNLOGGED, style.get("heat-unlogged", NO_STYLE))
    out.append(" nothing logged that day")
    out.append("\n")
    out.append(PENDING, style.get("heat-pending", NO_STYLE))
    out.append(" not decided yet (its window is open)   blank: nothing scheduled")
    return out


Draw = Callable[[int, Mapping[str, Style]], Text]  # (width, styles by name) → the text to show


class TextView(ScrollView, can_focus=True):
    """Text drawn for the width it has (charts, the heatmap, a comparison), scrolled by line: only the lines in
    sight are rendered. Colours are its component classes, styled in app.tcss: a widget's own DEFAULT_CSS would
    make Textual parse every stylesheet again when the screen first opens (tens of milliseconds)."""

    COMPONENT_CLASSES = {f"chart--{name}" for name in (
        "title", "axis", "value", "mean", "marker", "heat-full", "heat-most", "heat-half", "heat-some", "heat-none",
        "heat-unlogged", "heat-pending")}

    def __init__(self, draw: Draw | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._draw: Draw = draw or (lambda width, styles: Text(""))
        self._strips: list[Strip] = []
        self._width = 0

    def show(self, draw: Draw | Text | str) -> None:
        """Show `draw(width, styles)`, or a fixed text (wrapped to the width; never read as markup)."""
        if isinstance(draw, str | Text):
            fixed = Text(draw) if isinstance(draw, str) else draw
            self._draw = lambda width, styles: fixed
        else:
            self._draw = draw
        self._width = 0
        self._lay_out()

    def styles_by_name(self) -> dict[str, Style]:
        # whole styles: a muted colour is the text colour blended into the background, which a partial one is not
        return {name.removeprefix("chart--"): self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES}

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._width:
            return
        self._width = width
        console, base = self.app.console, self.rich_style
        strips = []
        for line in self._draw(width, self.styles_by_name()).wrap(console, width):
            line.stylize_before(base)
            # every segment styled (Style(), never None): Textual's monochrome filter (NO_COLOR) reads each style
            strips.append(Strip([seg if seg.style is not None else Segment(seg.text, NO_STYLE, seg.control)
                                 for seg in line.render(console)], line.cell_len))
        self._strips = strips
        self.virtual_size = Size(width, len(strips))
        self.refresh()

    def on_resize(self) -> None:
        self._lay_out()

    def on_mount(self) -> None:
        self.call_after_refresh(self._lay_out)

    def render_line(self, y: int) -> Strip:
        self._lay_out()  # the first frame, or a width changed since
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = y + scroll_y
        if index >= len(self._strips):
            return Strip.blank(width, self.rich_style)
        return self._strips[index].crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def text(self) -> str:
        """What it shows, as plain text (for tests and for reading aloud)."""
        return "\n".join(strip.text.rstrip() for strip in self._strips)


def charts(specs: list[MetricSpec], days: list[date], values: Mapping[str, Mapping[date, float]],
           rolling: Mapping[str, Sequence[float | None]], changes: list[tuple[str, date, str]], empty: str) -> Draw:
    """Every metric rated in the span, one chart each (see `chart`), then the changes they mark: (letter, journal
    day, what changed). `empty` is said when no metric was rated."""
    rated = [spec for spec in specs if values.get(spec.key)]

    def draw(width: int, style: Mapping[str, Style]) -> Text:
        out = Text(end="")  # each chart's lines are drawn to the width; the words around them wrap
        if not rated:
            out.append(empty)
        else:
            out.append("⠂ ", style["value"])
            out.append("a day's rating   ")
            out.append("⠒⠒ ", style["mean"])
            out.append("7-day mean   ")
            out.append("│A ", style["marker"])
            out.append("a regimen change (listed below)")
        marks = {day: mark for mark, day, _ in changes}
        for spec in rated:
            out.append("\n\n")
            out.append_text(chart(spec, days, values[spec.key], rolling.get(spec.key, []), marks, width, styles=style))
        if changes:
            out.append("\n\nRegimen changes in these weeks", style["title"])
            for mark, day, text in changes:
                out.append(f"\n {mark}  ", style["marker"] + Style(bold=True))
                out.append(f"{day:%a %d %b}  ")
                out.append(text)  # names and notes as written: never markup
        return out

    return draw
