"""Substances: the regimen, each substance's history as a timeline; add, change, stop and start."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from medlog.domain.regimen import RegimenState, apply, describe
from medlog.domain.schedule import parse_schedule
from medlog.domain.text import clean_name, clean_note
from medlog.domain.units import parse_amount
from medlog.services import substances
from medlog.services.substances import NewSubstance, SubstanceView
from medlog.tui.base import JournalScreen
from medlog.tui.modals.forms import Field, FormModal


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

    def compose(self) -> ComposeResult:
        yield Static("Substances — your regimen and its history", id="substances-title")
        yield DataTable(id="substance-table", cursor_type="row")
        yield Static("", id="timeline")
        yield Footer()


    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("name", 22), ("kind", 10), ("regimen", 40)):
            table.add_column(label, width=width)
        table.focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        self.load(lambda: substances.list_substances(self.journal), self._show)

    def _show(self, views: list[SubstanceView]) -> None:
        table = self.query_one(DataTable)
        current = self._selected()  # keep the cursor on the same substance across a reload
        self.views = views
        table.clear()
        for view in views:
            state = view.state
            regimen = (f"{state.dose or 'no regular dose'} · {state.schedule or 'no schedule'}" if state.active
                       else "stopped")
            table.add_row(view.info.name, view.info.kind, regimen)
        names = [v.info.name for v in views]
        if current is not None and current.info.name in names:
            table.move_cursor(row=names.index(current.info.name))
        self._timeline()

    @on(DataTable.RowHighlighted)
    def _timeline(self) -> None:
        view = self._selected()
        text = "" if view is None else self._history(view)
        self.query_one("#timeline", Static).update(text or "No substances yet — press a to add one.")

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
                          check=lambda t: t in ("medication", "supplement") or _bad("medication or supplement")),
            "strength": Field("Strength per unit (e.g. 10 mg)", optional=True, check=parse_amount),
            "form": Field("Form (tablet, capsule…)", optional=True),
            "dose": Field("Regular dose (e.g. 10 mg, 1 tablet)", optional=True, check=parse_amount),
            "schedule": Field("Schedule (08:00,21:00 or as-needed)", optional=True, check=parse_schedule),
        }

        def done(r: dict | None) -> None:
            if r:
                self.write(substances.add, NewSubstance(
                    name=str(r["name"]), kind=str(r["kind"]), strength=r["strength"], form=r["form"],  # type: ignore[arg-type]
                    dose=r["dose"], schedule=r["schedule"]), source="tui")  # type: ignore[arg-type]

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
        self.app.push_screen(FormModal(f"Change {view.info.name}", fields), lambda r: r and self.write(
            substances.change, view.info.name, dose=r["dose"], schedule=r["schedule"], note=r["note"],
            source="tui"))

    def action_stop(self) -> None:
        view = self._selected()
        if view is not None:
            fields = {"note": Field("Why (optional)", optional=True, check=clean_note)}
            self.app.push_screen(FormModal(f"Stop {view.info.name}?", fields), lambda r: r is not None and
                                 self.write(substances.stop, view.info.name, note=r["note"], source="tui"))

    def action_start(self) -> None:
        view = self._selected()
        if view is not None:
            self.write(substances.start, view.info.name, source="tui")


def _bad(message: str) -> bool:
    from medlog.domain.errors import InputError

    raise InputError(message)
