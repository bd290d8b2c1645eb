"""Experiments (key 6): each self-experiment's periods as a timeline with today's marker, today's phase, the
adherence to the plan, and what it found per metric once it has begun. Stop one with x."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from medlog.analysis.experiment_wording import CAVEAT, describe_result
from medlog.domain.errors import MedlogError
from medlog.services import experiments
from medlog.services.experiments import Analysis
from medlog.tui.base import JournalScreen, if_answered
from medlog.tui.modals.forms import ConfirmModal
from medlog.tui.widgets import literal

ON_STYLE = "bold black on green"
OFF_STYLE = "black on grey70"
WASHOUT_STYLE = "dim"


class ExperimentsScreen(JournalScreen):
    BINDINGS = [Binding("x", "stop", "Stop experiment", id="experiments.stop")]

    def __init__(self) -> None:
        super().__init__(id="experiments")
        self.items: list[Analysis] = []
        self.width = 76
        self.loaded = False  # whether a read has returned: before it, no experiment means "not read yet", not "none"

    def compose(self) -> ComposeResult:
        yield Static("Experiments — on and off periods in a random order, and what they found",
                     id="experiments-title")
        yield DataTable(id="experiment-table", cursor_type="row")
        with VerticalScroll(id="experiment-body"):
            yield Static("Loading…", id="experiment-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.refresh_data()

    def on_resize(self, event: events.Resize) -> None:
        self.width = max(40, event.size.width - 4)
        self._detail()

    def refresh_data(self) -> None:
        journal = self.journal
        self.load(lambda: experiments.overview(journal), self._show)

    def _show(self, items: list[Analysis]) -> None:
        table = self.query_one(DataTable)
        current = self._selected()
        self.items = list(reversed(items))  # the newest first
        self.loaded = True
        table.clear(columns=True)
        for label, width in (("id", 8), ("substance", 20), ("design", 12), ("dates", 23), ("status", 8)):
            table.add_column(label, width=width)
        for item in self.items:
            rec, cal = item.status.experiment.record, item.status.experiment.plan
            table.add_row(rec.short, literal(rec.substance), rec.design, f"{cal.start} – {cal.end}",
                          item.status.experiment.status)
        shorts = [i.status.experiment.record.short for i in self.items]
        if current is not None and current.status.experiment.record.short in shorts:
            table.move_cursor(row=shorts.index(current.status.experiment.record.short))
        self._detail()

    def read_failed(self, error: MedlogError, channel: str) -> None:
        self._detail()

    def _selected(self) -> Analysis | None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row is None or not 0 <= table.cursor_row < len(self.items):
            return None
        return self.items[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        item = self._selected()
        detail = self.query_one("#experiment-detail", Static)
        if item is None and not self.loaded:  # a resize before the first read has returned (or it failed)
            detail.update(f"The experiments could not be read: {self._failure}" if self._failure else "Loading…")
            return
        if item is None:
            detail.update("No experiments yet. Plan one at the command line, for example:\n"
                          "  medlog experiment plan magnesium --metric sleep_quality --pairs 4 "
                          "--design random-pairs --dry-run")
            return
        detail.update(describe(item, self.journal.today(), self.width))

    def action_stop(self) -> None:
        item = self._selected()
        if item is None or item.status.experiment.status not in ("planned", "running"):
            self.notify("Only an experiment planned or running can be stopped.", severity="warning")
            return
        rec = item.status.experiment.record
        question = (f"Stop experiment {rec.short} on {rec.substance}? Its starts and stops still ahead are "
                    "cancelled; its record is kept (u on History undoes it).")
        self.app.push_screen(ConfirmModal(question), if_answered(lambda _: self.write(experiments.stop, rec.short)))


def timeline(item: Analysis, today: date, width: int) -> Text:
    """The periods as blocks of colour, labelled on/off (the words carry it without colour), with today's marker
    beneath, then each period's dates."""
    cal = item.status.experiment.plan
    count = len(cal.periods)
    cell = max(4, min(10, width // count))
    blocks = Text()
    for on_ in cal.periods:
        blocks.append(("on" if on_ else "off").center(cell - 1), style=ON_STYLE if on_ else OFF_STYLE)
        blocks.append(" ")
    out = Text.assemble(blocks, "\n")
    if cal.start <= today <= cal.end:
        k = cal.period_of(today)
        assert k is not None
        at = k * cell + (today - cal.span(k)[0]).days * (cell - 1) // cal.block_days
        out.append(" " * at + "▲ today\n", style="bold")
    elif today < cal.start:
        out.append(f"starts {cal.start:%a %d %b %Y}\n", style="bold")
    else:
        out.append(f"ended {cal.end:%a %d %b %Y}\n", style="bold")
    half = (count + 1) // 2
    for row in range(half):
        line = Text("  ")
        for k in (row, row + half):
            if k < count:
                first, last = cal.span(k)
                label = f"{k + 1:>2} {'on ' if cal.periods[k] else 'off'} {first:%d %b}–{last:%d %b}"
                line.append(f"{label:<30}", style=WASHOUT_STYLE if k != cal.period_of(today) else "bold")
        out.append_text(line)
        out.append("\n")
    return out


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def describe(item: Analysis, today: date, width: int) -> Text:
    status = item.status
    rec, cal = status.experiment.record, status.experiment.plan
    head = (f"{rec.substance} · {rec.design}, {rec.pairs} pairs of {rec.block_days} days · "
            f"{', '.join(rec.metrics)} · {status.experiment.status}\n")
    out = Text(head, style="bold")
    out.append_text(timeline(item, today, width))
    first = "The first day" if cal.left_out == 1 else f"The first {cal.left_out} days"
    out.append(f"{first} of each period {'is' if cal.left_out == 1 else 'are'} left out as washout.\n", style="dim")
    if status.period is not None:
        phase = "on" if status.on else "off"
        washout = " (washout)" if status.washout else ""
        out.append(f"Today: period {status.period + 1} of {len(cal.periods)}, {phase}{washout}; "
                   f"{_days(status.days_left_in_period or 0)} more in this period, {status.days_left} in the "
                   "experiment.\n")
    a = status.adherence
    if a.on_days or a.off_days:
        out.append(f"Adherence to the plan: taken on {a.on_taken} of {a.on_days} on days; not taken on "
                   f"{a.off_free} of {a.off_days} off days.\n")
    for finding in item.findings:
        if finding.result is None:
            out.append(f"{finding.key}: no longer a metric in this journal.\n")
        else:
            out.append(describe_result(finding.result, finding.label, rec.substance, periods=len(cal.periods)) + "\n")
    if any(f.result is not None for f in item.findings):
        out.append(CAVEAT + "\n")  # the same words as `experiment analyze`: what a result can and cannot say
    return out
