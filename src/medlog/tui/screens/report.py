"""Report: the visit summary of a range of days, written to a file in a registered format (services/formats.py:
REPORT_FORMATS — PDF, HTML, Markdown), with a preview.

The form: the range (the last 30, 90 or 180 days, or the days typed in From and To, checked by services.report's
own rules as they are typed), the format and the file (by default the CLI's name, in the current folder). `e`, the
Export button, or Enter in the file's field writes it. The report is built in a thread whenever the range changes
and previewed below as text: the sections' titles, tables and notes, and a line of weekly means per metric.
Rendering and writing run in a thread as well, through services.report_file, which writes as the CLI's `report -o`
does (one rule: an existing file only after a yes here, --force there): the screen itself writes no file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from functools import partial

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, Label, RadioButton, RadioSet, Static

from medlog.domain.errors import MedlogError
from medlog.domain.metrics import MetricSpec
from medlog.domain.periods import Period
from medlog.reports import sections as layout
from medlog.reports.model import Report
from medlog.services import files, report_file
from medlog.services import report as reports
from medlog.services.context import Journal
from medlog.services.formats import REPORT_FORMATS
from medlog.tui.base import JournalScreen
from medlog.tui.charts import TextView

PRESETS = (30, 90, 180)  # days to today; the fourth choice is the days typed in From and To
DEFAULT_DAYS = 90
FORMATS = tuple((name, form.label) for name, form in REPORT_FORMATS.items())  # the registry's, in its order
TYPING_DELAY = 0.4  # seconds after the last key in From or To before the report is built again
SPARK = "▁▂▃▄▅▆▇█"
HINT = "Tab: next field · ← → and Space: choose · e, or Enter in File: write the file"
NO_STYLE = Style()


class ReportScreen(JournalScreen):
    BINDINGS = [
        Binding("e,ctrl+s", "export", "Export", id="report.export"),
        Binding("r", "next_range", "Range", id="report.range"),
        Binding("f", "next_format", "Format", id="report.format"),
    ]

    def __init__(self) -> None:
        super().__init__(id="report")
        self.preset: int | None = DEFAULT_DAYS  # None: the days typed in From and To
        self.fmt = FORMATS[0][0]
        self.period: tuple[date, date] | None = None  # the valid range asked for, or None while it is not
        self.report: Report | None = None  # the report built for `period` (the preview's)
        self.written: str | None = None  # the last file written
        self._filled: dict[str, str] = {}  # what the screen itself last put in each field (not the user's typing)
        self._auto_path = ""  # the default file name last filled in: it follows the range and format until edited
        self._typing: Timer | None = None
        self._focus_export = False
        self._status_kind = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="report-title", markup=False)
        with Vertical(id="report-form"):
            with Horizontal():
                yield Label("Range", classes="report-label")
                yield RadioSet(*(RadioButton(f"{n} days", value=n == DEFAULT_DAYS) for n in PRESETS),
                               RadioButton("From–to"), id="report-range", compact=True)
            with Horizontal():
                yield Label("From", classes="report-label")
                yield Input(id="report-from", placeholder="YYYY-MM-DD", compact=True)
                yield Label(" to ", classes="report-to-label")
                yield Input(id="report-to", placeholder="today", compact=True)
            with Horizontal():
                yield Label("Format", classes="report-label")
                yield RadioSet(*(RadioButton(label, value=fmt == self.fmt) for fmt, label in FORMATS),
                               id="report-format", compact=True)
            with Horizontal():
                yield Label("File", classes="report-label")
                yield Input(id="report-path", compact=True)
                yield Button("Export", id="report-export", variant="primary", compact=True)
            yield Static(HINT, id="report-status", markup=False)  # errors quote what was typed: never markup
        yield TextView(id="report-preview")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#report-preview", TextView).show("Building the report…")
        self.query_one("#report-export" if self._focus_export else "#report-range").focus()
        self._apply_preset()

    def focus_export(self) -> None:
        """For the palette's 'export report': the Export button has the focus (Enter writes)."""
        self._focus_export = True
        if self.is_mounted:
            self.query_one("#report-export").focus()

    def refresh_data(self) -> None:
        """The journal changed (or the day did): build the preview again."""
        self.report = None
        if self.preset is not None:
            self._apply_preset()
        else:
            self._range_changed(at_once=True)

    # The range ---------------------------------------------------------------------------------------------------

    def _fill(self, field: str, value: str) -> None:
        self._filled[field] = value
        self.query_one(f"#{field}", Input).value = value

    def _apply_preset(self) -> None:
        assert self.preset is not None
        try:
            since, until = reports.period(self.journal, last=Period(self.preset, "d"))
        except MedlogError as exc:  # never for the presets; said all the same rather than shown as a traceback
            self._range_error(exc)
            return
        self._fill("report-from", since.isoformat())
        self._fill("report-to", until.isoformat())
        self._set_period(since, until)

    def _range_changed(self, *, at_once: bool = False) -> None:
        """The days typed: checked at once; built when typing rests (or `at_once`)."""
        if self._typing is not None:
            self._typing.stop()
        try:
            since, until = self._typed_period()
        except MedlogError as exc:
            self._range_error(exc)
            return
        if at_once:
            self._set_period(since, until)
        else:
            self._show_range(since, until, waiting=True)
            self._typing = self.set_timer(TYPING_DELAY, partial(self._set_period, since, until))

    def _typed_period(self) -> tuple[date, date]:
        typed = {name: self.query_one(f"#report-{name}", Input).value.strip() for name in ("from", "to")}
        days = {name: self.journal.parse_day(text) if text else None for name, text in typed.items()}
        return reports.period(self.journal, since=days["from"], until=days["to"])

    def _range_error(self, exc: MedlogError) -> str:
        """Say why the range cannot be, in the form's words (the service speaks the CLI's options)."""
        self.period = None
        words = "Range: " + str(exc).replace("--from", "From").replace("--to", "To").replace("--last", "Range")
        self._status(words, "range")
        self.query_one("#report-title", Static).update("Report — choose the days to cover")
        return words

    def _show_range(self, since: date, until: date, *, waiting: bool) -> None:
        days = (until - since).days + 1
        self.query_one("#report-title", Static).update(
            f"Report — {days} days, {self.day_words(since, 'weekday')} – {self.day_words(until)}"
            + (" · building…" if waiting else ""))
        if self._status_kind == "range":  # the range is good again
            self._status(HINT, "")

    def _set_period(self, since: date, until: date) -> None:
        self.period = (since, until)
        self._follow_path()
        if self.report is not None and self.report.header.asked_range == self.period:
            self._show_range(self.report.header.since, until, waiting=False)  # from the first entry, if later
            return
        self._show_range(since, until, waiting=True)
        self.load(partial(_build, self.journal, since, until), self._built, channel="build")

    def _built(self, result: Report | MedlogError) -> None:
        if isinstance(result, MedlogError):
            self.query_one("#report-preview", TextView).show(str(result))
            self.query_one("#report-title", Static).update("Report — nothing to preview")
            return
        if result.header.asked_range != self.period:
            return  # built for days typed before: the range has changed since (or is wrong now)
        self.report = result
        self._show_range(result.header.since, result.header.until, waiting=False)
        self.query_one("#report-preview", TextView).show(partial(preview, result))

    @on(RadioSet.Changed, "#report-range")
    def _range_chosen(self, event: RadioSet.Changed) -> None:
        if event.index < len(PRESETS):
            if PRESETS[event.index] == self.preset and self.period is not None:
                return  # already so (the set announces its first choice as it mounts)
            self.preset = PRESETS[event.index]
            self._apply_preset()
        elif self.preset is not None:  # From–to chosen (not set by typing): the days in the fields
            self.preset = None
            self._range_changed(at_once=True)

    @on(Input.Changed, "#report-from, #report-to")
    def _range_typed(self, event: Input.Changed) -> None:
        if self._filled.get(event.input.id or "") == event.value:
            return  # the screen's own filling in
        self._filled.pop(event.input.id or "", None)
        if self.preset is not None:
            self.preset = None
            self.query_one("#report-range", RadioSet).query(RadioButton).last().value = True
        self._range_changed()

    @on(Input.Submitted, "#report-from, #report-to")
    def _range_entered(self) -> None:
        self._range_changed(at_once=True)

    def action_next_range(self) -> None:
        """The next of the last 30, 90, 180 days (at once: the set says so only when its message is handled)."""
        at = (PRESETS.index(self.preset) + 1 if self.preset in PRESETS else 0) % len(PRESETS)
        self.preset = PRESETS[at]
        self._apply_preset()
        list(self.query_one("#report-range", RadioSet).query(RadioButton))[at].value = True

    # The format and the file -------------------------------------------------------------------------------------

    @on(RadioSet.Changed, "#report-format")
    def _format_chosen(self, event: RadioSet.Changed) -> None:
        if FORMATS[event.index][0] != self.fmt:
            self.fmt = FORMATS[event.index][0]
            self._follow_path()

    def action_next_format(self) -> None:
        at = ([f for f, _ in FORMATS].index(self.fmt) + 1) % len(FORMATS)
        self.fmt = FORMATS[at][0]
        self._follow_path()
        list(self.query_one("#report-format", RadioSet).query(RadioButton))[at].value = True

    def _follow_path(self) -> None:
        """The default name follows the range and the format; a name the user typed keeps its words, with the
        format's extension."""
        field = self.query_one("#report-path", Input)
        current = field.value
        if self.period is not None and current.strip() in ("", self._auto_path):
            self._auto_path = report_file.default_name(self.period[1], self.fmt)
            field.value = self._auto_path
            return
        stem, ext = os.path.splitext(current)
        extensions = {form.extension for form in REPORT_FORMATS.values()}
        wanted = REPORT_FORMATS[self.fmt].extension
        if ext.lstrip(".").lower() in extensions and ext.lstrip(".").lower() != wanted:
            field.value = f"{stem}.{wanted}"

    def _status(self, text: str, kind: str) -> None:
        """The line under the form: `kind` is range (an error in the range), error, done, or "" (news)."""
        self._status_kind = kind
        status = self.query_one("#report-status", Static)
        status.update(text)
        status.set_class(kind in ("range", "error"), "-error")
        status.set_class(kind == "done", "-done")

    # Export --------------------------------------------------------------------------------------------------------

    @on(Button.Pressed, "#report-export")
    @on(Input.Submitted, "#report-path")
    def action_export(self) -> None:
        self._export(overwrite=False)

    def _export(self, *, overwrite: bool) -> None:
        if self._typing is not None:
            self._typing.stop()
        try:
            since, until = (reports.period(self.journal, last=Period(self.preset, "d")) if self.preset is not None
                            else self._typed_period())
        except MedlogError as exc:
            self.notify(self._range_error(exc), title="Not written", severity="error", timeout=8, markup=False)
            return
        path = self.query_one("#report-path", Input).value
        built = self.report if self.report is not None and self.report.header.asked_range == (since, until) else None
        self._status(f"Writing the {dict(FORMATS)[self.fmt]} report…", "")
        self.load(partial(_export, self.journal, built, since, until, self.fmt, path, overwrite), self._exported,
                  channel="export")

    def _exported(self, result: str | MedlogError) -> None:
        if isinstance(result, files.Exists):
            self._status(f"{result.path} already exists.", "")
            modal = _forms().ConfirmModal(f"{result.path} already exists. Replace it with this report?")
            self.app.push_screen(modal, lambda yes: self._export(overwrite=True) if yes else self._status(
                "Not written: the file is as it was.", ""))
            return
        if isinstance(result, MedlogError):
            self._status(f"Not written: {result}", "error")
            self.notify(str(result), title="Report", severity="error", timeout=8, markup=False)
            return
        self.written = result
        self._status(f"Wrote the visit report to {result}", "done")
        self.notify(f"Wrote the visit report to {result}", title="Report", markup=False)


def _forms():  # the module, imported when first asked for
    from medlog.tui.modals import forms

    return forms


def _build(journal: Journal, since: date, until: date) -> Report | MedlogError:
    try:
        return reports.build(journal, since, until)
    except MedlogError as exc:
        return exc


def _export(journal: Journal, built: Report | None, since: date, until: date, fmt: str, path: str,
            overwrite: bool) -> str | MedlogError:
    """In a thread: build (unless the preview's report is the one asked for), render and write."""
    try:
        report = built if built is not None else reports.build(journal, since, until)
        return report_file.save(journal, report, fmt, path, overwrite=overwrite)
    except MedlogError as exc:
        return exc
    except Exception as exc:  # a renderer's own failure is said in one line, never a traceback
        return MedlogError(f"the {fmt} report could not be made ({type(exc).__name__}: {exc})")


# The preview ---------------------------------------------------------------------------------------------------------


def preview(report: Report, width: int, styles: Mapping[str, Style]) -> Text:
    """The report's sections as text `width` columns wide: titles, paragraphs, tables fitted to the width, and
    per metric a line of weekly means on the metric's own scale (the charts' place)."""
    bold, muted = styles.get("title", NO_STYLE), styles.get("axis", NO_STYLE)
    out = Text(end="")
    out.append(layout.TITLE, bold)
    for line in layout.header_lines(report):
        out.append("\n" + line, muted if line == layout.SOURCE else NO_STYLE)
    for section in layout.sections(report):
        out.append(f"\n\n{section.title}", bold)
        for block in section.blocks:
            if isinstance(block, layout.Table):
                out.append("\n")
                out.append_text(table(block, width, bold, muted))
            elif isinstance(block, layout.Charts):
                for series in report.metrics:
                    out.append("\n" + sparkline(series.spec, series.weekly), styles.get("mean", NO_STYLE))
            elif block.style == "quote":
                out.append(f"\n  “{block.text}”")  # the user's words, verbatim (never markup: plain Text)
            else:
                out.append("\n" + block.text, muted if block.style == "small" else NO_STYLE)
    return out


def table(block: layout.Table, width: int, bold: Style = NO_STYLE, muted: Style = NO_STYLE) -> Text:
    """Columns two spaces apart; when too wide, the widest words column gives way (cut with …)."""
    rows = [block.headers, *block.rows]
    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(block.headers))]
    words = [i for i, numeric in enumerate(block.numeric) if not numeric]
    while sum(widths) + 2 * (len(widths) - 1) > width and words:
        widest = max(words, key=lambda i: widths[i])
        if widths[widest] <= 6:
            break
        widths[widest] -= 1
    out = Text(end="")
    if block.caption:
        out.append(block.caption + "\n", bold)
    for n, row in enumerate(rows):
        cells = [_cell(text, widths[i], block.numeric[i]) for i, text in enumerate(row)]
        out.append(("\n" if n else "") + "  ".join(cells).rstrip(), muted if n == 0 else NO_STYLE)
    return out


def _cell(text: str, width: int, numeric: bool) -> str:
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return text.rjust(width) if numeric else set_cell_size(text, width)


def sparkline(spec: MetricSpec, weekly: tuple[float | None, ...]) -> str:
    """"Mood           ▄▅▅▆▆▇  5.2 → 6.8  (0–10, higher is better)": one mark per week, · for a week unrated."""
    lo, hi = float(spec.min_value), float(spec.max_value)
    marks = "".join("·" if v is None else SPARK[min(len(SPARK) - 1, max(0, round((v - lo) / (hi - lo) *
                                                                                  (len(SPARK) - 1))))]
                    for v in weekly)
    rated = [v for v in weekly if v is not None]
    ends = f"{rated[0]:.1f} → {rated[-1]:.1f}" if rated else "not rated"
    return f"{spec.label:<14} {marks}  {ends}  ({spec.scale})"
