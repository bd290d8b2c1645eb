"""Substances: the regimen with each substance's adherence, its history as a timeline; add, change, stop, start."""

from __future__ import annotations

from typing import NoReturn

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from medlog.domain.adherence import Tally
from medlog.domain.errors import MedlogError
from medlog.domain.regimen import RegimenState, apply, describe
from medlog.domain.schedule import parse_schedule
from medlog.domain.text import clean_name, clean_note
from medlog.domain.units import parse_amount, parse_strength
from medlog.services import adherence, substances
from medlog.services.adherence import Report
from medlog.services.substances import NewSubstance, SubstanceView
from medlog.tui.base import JournalScreen, if_answered
from medlog.tui.modals.forms import Field, FormModal
from medlog.tui.widgets import literal

WEEKS = 4  # adherence over the last four weeks: a month, ending today
REGIMEN_MIN = 25  # what is left at 80 columns
OTHER_COLUMNS = 20 + 10 + 15 + 4 * 2 + 2  # name, kind, adherence, their padding, and a scrollbar
LOADING = "Loading…"


class SubstancesScreen(JournalScreen):
    BINDINGS = [
        Binding("a", "add", "Add", id="substances.add"),
        Binding("c", "change", "Change dose/schedule", id="substances.change"),
        Binding("x", "stop", "Stop", id="substances.stop"),
        Binding("S", "start", "Start again", id="substances.start"),
    ]

    def __init__(self) -> None:
        super().__init__(id="substances")
        self.views: list[SubstanceView] = []
        self.report = Report([], [])
        self.regimen_width = REGIMEN_MIN
        self.loaded = False  # whether a read has returned: before it, an empty list means "not read yet", not "none"

    def compose(self) -> ComposeResult:
        yield Static("Substances — your regimen and its history", id="substances-title")
        yield DataTable(id="substance-table", cursor_type="row")
        yield Static(LOADING, id="timeline", markup=False)  # names and notes are shown as written, never as markup
        yield Static("", id="adherence", markup=False)
        # the footer comes once the rows are on show (JournalScreen.add_footer)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.refresh_data()
        self.set_timer(0.5, self.add_footer)  # in case the read is slow

    def on_resize(self, event: events.Resize) -> None:
        # The regimen column takes the width the others leave: 25 at 80 columns, more on a wider terminal.
        width = max(REGIMEN_MIN, event.size.width - OTHER_COLUMNS)
        if width != self.regimen_width:
            self.regimen_width = width
            self._fill()

    def refresh_data(self) -> None:
        # One read for both: a second load would supersede the first (only the newest read is shown).
        journal = self.journal
        self.load(lambda: (substances.list_substances(journal), adherence.weekly(journal, WEEKS)), self._show)

    def _show(self, read: tuple[list[SubstanceView], Report]) -> None:
        current = self._selected()  # keep the cursor on the same substance across a reload
        self.views, self.report = read
        self.loaded = True
        self._fill(current)
        self.after_rows(self.add_footer)

    def read_failed(self, error: MedlogError, channel: str) -> None:
        """Where the list would be: that it could not be read (the notice says why), not "Loading…" for ever."""
        self._timeline()
        self.after_rows(self.add_footer)

    def _fill(self, current: SubstanceView | None = None) -> None:
        table = self.query_one(DataTable)
        current = current or self._selected()
        table.clear(columns=True)
        for label, width in (("name", 20), ("kind", 10), ("regimen", self.regimen_width),
                             (f"adherence {WEEKS} wk", 15)):  # "100% · 12 missed" is the widest
            table.add_column(label, width=width)
        totals = dict(self.report.totals)
        for view in self.views:
            tally = totals.get(view.info.name)
            taken = "—" if tally is None or tally.percent is None else f"{_taken(tally)} · {tally.missed} missed"
            table.add_row(literal(view.info.name), view.info.kind, _regimen(view.state), taken)
        names = [v.info.name for v in self.views]
        if current is not None and current.info.name in names:
            table.move_cursor(row=names.index(current.info.name))
        self._timeline()

    @on(DataTable.RowHighlighted)
    def _timeline(self) -> None:
        view = self._selected()
        if view is not None:
            text = self._history(view)
        elif self.loaded:
            text = "No substances yet — press a to add one."
        else:  # a resize can fill the table before the first read has returned: no false "none yet"
            text = f"The substances could not be read: {self._failure}" if self._failure else LOADING
        self.query_one("#timeline", Static).update(text)
        box = self.query_one("#adherence", Static)
        box.display = view is not None
        if view is not None:
            box.update(self._adherence(view))

    def _adherence(self, view: SubstanceView) -> str:
        """The selected substance week by week, in the words and columns of `medlog adherence`."""
        name = view.info.name
        title = f"{name} — adherence, last {WEEKS} weeks"
        total = dict(self.report.totals).get(name)
        if total is None:
            schedule = view.state.schedule
            if view.state.active and schedule is not None and schedule.as_needed:
                return f"{name}: taken as needed — no scheduled doses to count."
            return f"{name}: no scheduled doses in the last {WEEKS} weeks."
        lines = [title, f"  {'week':<15}{'sched':>6}{'on time':>8}{'late':>6}{'skipped':>8}{'missed':>7}{'unlogged':>9}"
                 f"{'taken':>7}"]
        for week in self.report.weeks:
            label = f"{week.since:%d %b}–{week.until:%d %b}"
            tally = dict(week.substances).get(name)
            lines.append(f"  {label:<15}" + (_row(tally) if tally else "   not scheduled"))
        lines.append(f"  {f'{WEEKS} weeks':<15}{_row(total)}")
        window = self.journal.settings.adherence_window.total_seconds() / 3600
        lines.append(f"  on time: within {window:g} h · unlogged: a day with nothing logged")
        return "\n".join(lines)

    def _history(self, view: SubstanceView) -> str:
        zone = self.journal.settings.zone
        state, lines = RegimenState(), []
        for event in view.info.events:
            planned = "  (planned)" if view.is_planned(event) else ""
            lines.append(f"  {event.at.astimezone(zone):%Y-%m-%d %H:%M}  {describe(view.info.name, event, state)}"
                         f"{planned}")
            state = apply(state, event)
        return f"{view.info.name} — history\n" + "\n".join(lines)

    def _selected(self) -> SubstanceView | None:
        table = self.query_one(DataTable)
        return self.views[table.cursor_row] if self.views and table.cursor_row < len(self.views) else None

    def action_add(self) -> None:
        fields = {
            "name": Field("Name", check=lambda t: clean_name(t, what="substance name")),
            "kind": Field("Kind: medication or supplement", value="medication",
                          check=lambda t: t if t in ("medication", "supplement") else _bad("medication or supplement")),
            "strength": Field("Strength per unit (e.g. 10 mg)", optional=True, check=parse_strength),
            "form": Field("Form (tablet, capsule…)", optional=True),
            "dose": Field("Regular dose (e.g. 10 mg, 1 tablet)", optional=True, check=parse_amount),
            "schedule": Field("Schedule (08:00,21:00 · 08:00 mon,wed,fri · every 2 days · as-needed)",
                              optional=True, check=parse_schedule),
            "until": Field("Last day, for a course (e.g. 2026-12-31)", optional=True,
                           check=lambda t: self.journal.parse_day(t, future=True)),
        }

        def done(r: dict | None) -> None:
            if r:
                self.write(substances.add, NewSubstance(
                    name=str(r["name"]), kind=str(r["kind"]), strength=r["strength"], form=r["form"],
                    dose=r["dose"], schedule=r["schedule"], until=r["until"]), source="tui")

        self.app.push_screen(FormModal("Add a substance", fields), done)

    def action_change(self) -> None:
        view = self._selected()
        if view is None:
            return
        fields = {
            "dose": Field(f"New dose (now {view.state.dose or 'none'})", optional=True, check=parse_amount),
            "schedule": Field(f"New schedule (now {view.state.schedule or 'none'})", optional=True,
                              check=parse_schedule),
            "note": Field("Why (optional)", optional=True, check=clean_note),
        }
        self.app.push_screen(FormModal(f"Change {view.info.name}", fields), if_answered(lambda r: self.write(
            substances.change, view.info.name, dose=r["dose"], schedule=r["schedule"], note=r["note"],
            source="tui")))

    def action_stop(self) -> None:
        view = self._selected()
        if view is not None:
            fields = {"note": Field("Why (optional)", optional=True, check=clean_note)}
            self.app.push_screen(FormModal(f"Stop {view.info.name}?", fields), if_answered(
                lambda r: self.write(substances.stop, view.info.name, note=r["note"], source="tui")))

    def action_start(self) -> None:
        view = self._selected()
        if view is not None:
            self.write(substances.start, view.info.name, source="tui")


def _regimen(state: RegimenState) -> str:
    if not state.active:
        return "stopped"
    if state.schedule is not None and state.schedule.as_needed and state.dose is None:
        return "as needed"  # each dose's amount is given when it is logged
    schedule = state.schedule.short() if state.schedule else "no schedule"  # the full wording is in the history
    return f"{state.dose or 'no regular dose'} · {schedule}"


def _taken(tally: Tally) -> str:
    return "—" if tally.percent is None else f"{tally.percent:.0f}%"


def _row(t: Tally) -> str:
    """Slots still pending (their window is open) are not counted yet, as in `medlog adherence`."""
    return (f"{t.scheduled - t.pending:>6}{t.on_time:>8}{t.late:>6}{t.skipped:>8}{t.missed:>7}{t.unlogged:>9}"
            f"{_taken(t):>7}")


def _bad(message: str) -> NoReturn:
    from medlog.domain.errors import InputError

    raise InputError(message)
