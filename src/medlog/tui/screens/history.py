"""History: every entry, newest first, two weeks at a time; filter by kind or substance; edit, delete, undo."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from medlog.domain.entries import ENTRY_KINDS, Entry
from medlog.domain.errors import MedlogError
from medlog.domain.zones import zone_mark, zone_named
from medlog.services import history, substances
from medlog.store.connection import NoJournal
from medlog.tui.base import JournalScreen, if_answered
from medlog.tui.modals.forms import ConfirmModal, PickModal
from medlog.tui.widgets import literal

PAGE_DAYS = 14  # a page is two weeks: a few hundred rows at most, however long the journal
FIRST_ROWS = 40  # more than a screenful: shown at once; the rest of the page just after (a DataTable measures
#                  every cell of every new row before it draws: ~0.15 ms a row)
EVERY_SUBSTANCE = "(every substance)"


class HistoryScreen(JournalScreen):
    BINDINGS = [
        Binding("pageup,comma", "page(1)", "Older", id="history.older"),
        Binding("pagedown,full_stop", "page(-1)", "Newer", id="history.newer"),
        Binding("f", "filter", "Filter kind", id="history.filter"),
        Binding("s", "filter_substance", "Substance", id="history.substance"),
        Binding("e", "edit", "Edit", id="history.edit"),
        Binding("d,delete", "delete", "Delete", id="history.delete"),
        Binding("u", "undo", "Undo", id="history.undo"),
    ]

    def __init__(self) -> None:
        super().__init__(id="history")
        self.pages_back = 0
        self.kind: str | None = None
        self.substance: str | None = None
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="history-title", markup=False)  # entries are shown as written, never as markup
        yield DataTable(id="history-table", cursor_type="row")
        yield Static("", id="history-detail", markup=False)  # the highlighted entry in full (the table cuts long ones)
        # the footer comes once the rows are on show (JournalScreen.add_footer)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # fixed widths: the layout does not jump as rows arrive (and snapshots do not race the resize)
        for label, width in (("day", 10), ("time", 5), ("kind", 7), ("entry", 50)):
            table.add_column(label, width=width)
        table.focus()
        self.refresh_data()
        self.set_timer(0.5, self.add_footer)  # in case the read is slow

    def _range(self) -> tuple[date, date]:
        until = self.journal.today() - timedelta(days=PAGE_DAYS * self.pages_back)
        return until - timedelta(days=PAGE_DAYS - 1), until

    def refresh_data(self) -> None:
        since, until = self._range()
        self._title(loading=True)  # until the page is read, the rows below are the last page's (or none yet)
        self.load(partial(self._read_page, since, until, self.kind, self.substance), self._show)

    def _title(self, *, loading: bool = False, failed: bool = False) -> None:
        since, until = self._range()
        only = " · ".join(f"{what} only" for what in (f"{self.kind}s" if self.kind else None, self.substance) if what)
        self.query_one("#history-title", Static).update(
            f"History {self.day_words(since, 'short')} – {self.day_words(until, 'date')}"
            + (f" · {only}" if only else "")
            + (" · loading…" if loading else "") + (" · could not be read (see the notice)" if failed else ""))

    def _read_page(self, since: date, until: date, kind: str | None, substance: str | None) -> list[Entry]:
        try:
            found = history.log(self.journal, since=since, until=until,
                                kinds=(kind,) if kind else (), substance=substance)
        except NoJournal:
            found = []
        return list(reversed(found))

    def _show(self, found: list[Entry]) -> None:
        self.entries = found
        self._title()
        table = self.query_one(DataTable)
        table.clear()
        self._add_rows(found[:FIRST_ROWS])
        if not found:
            table.add_row("", "", "", "Nothing in these two weeks.")
        self._detail()
        self.after_rows(partial(self._add_rest, found))

    async def _add_rest(self, found: list[Entry]) -> None:
        if self.entries is found and len(found) > FIRST_ROWS:  # not replaced meanwhile by another page
            self._add_rows(found[FIRST_ROWS:])
        await self.add_footer()

    def _add_rows(self, entries: list[Entry]) -> None:
        table = self.query_one(DataTable)
        for entry in entries:
            local = entry.at.astimezone(zone_named(entry.zone))
            time = "" if entry.kind == "rating" else f"{local:%H:%M}"
            # logged in another zone: the time is that zone's, and says so (the time column has room for no more)
            mark = "" if entry.kind == "rating" else zone_mark(entry.zone, self.journal.zone_name, entry.at)
            text = (f"({mark}) " if mark else "") + entry.text.replace("\n", " / ")
            table.add_row(self.day_words(entry.day, "weekday"), time, entry.kind, literal(text))

    def read_failed(self, error: MedlogError, channel: str) -> None:
        """The title says the page could not be read; the rows below, if any, are the last page read."""
        self._title(failed=True)
        self.after_rows(self.add_footer)

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        entry = self._selected()
        text = "" if entry is None else (
            f"{self._moment_words(entry.at.astimezone(zone_named(entry.zone)))} ({entry.zone}) — {entry.text}")
        self.query_one("#history-detail", Static).update(text)

    def _moment_words(self, local: datetime) -> str:
        return f"{self.day_words(local.date())} {local:%H:%M}"

    def action_page(self, step: int) -> None:
        self.pages_back = max(0, self.pages_back + step)
        self.refresh_data()

    def action_filter(self) -> None:
        kinds = [None, *ENTRY_KINDS]
        self.kind = kinds[(kinds.index(self.kind) + 1) % len(kinds)]
        self.refresh_data()

    def action_filter_substance(self) -> None:
        self._pick_substance()

    @work(thread=True, exclusive=True, group="history.names", exit_on_error=False)
    def _pick_substance(self) -> None:
        names = [view.info.name for view in substances.list_substances(self.journal)]  # stopped ones too
        self.app.call_from_thread(self.app.push_screen, PickModal("Show only…", [EVERY_SUBSTANCE, *names]),
                                  self._filter_by)

    def _filter_by(self, name: str | None) -> None:
        if name is None:
            return  # cancelled: keep the filter as it was
        self.substance = None if name == EVERY_SUBSTANCE else name
        self.refresh_data()

    def _selected(self) -> Entry | None:
        table = self.query_one(DataTable)
        return self.entries[table.cursor_row] if self.entries and table.cursor_row < len(self.entries) else None

    def action_delete(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        self.app.push_screen(ConfirmModal(f"Delete this entry? (u undoes it)\n{entry.text}"),
                             if_answered(lambda _: self.write(history.delete, entry.kind, entry.id, entry.text)))

    def action_edit(self) -> None:
        from medlog.domain.metrics import parse_severity
        from medlog.domain.text import clean_note
        from medlog.domain.units import parse_amount
        from medlog.services.edit import EDITABLE, edit
        from medlog.tui.modals.forms import Field, FormModal

        entry = self._selected()
        if entry is None:
            return
        if entry.kind not in EDITABLE:
            self.notify("A regimen change is history: record a new change on Substances instead.",
                        severity="warning")
            return
        d = entry.details

        def text(key: str) -> str:
            value = d.get(key)
            return "" if value is None else str(value).removesuffix(".0")

        fields, checks = {}, {}
        if entry.kind == "note":
            fields["text"] = Field("Note", value=text("text"), check=clean_note)
            checks["flagged"] = "For my clinician"
            checks["question"] = "A question for my next visit"
        elif entry.kind == "symptom":
            fields["severity"] = Field("Severity 0–10 or mild/moderate/severe", value=text("severity"),
                                       check=parse_severity)
            fields["note"] = Field("Note", value=text("note"), optional=True, check=clean_note)
        elif entry.kind == "rating":
            fields["value"] = Field(f"{d['metric']}", value=text("value"))
        else:
            fields["amount"] = Field("Amount", value=f"{text('amount')} {d.get('unit') or ''}".strip(),
                                     optional=True, check=parse_amount)
            fields["note"] = Field("Note", value=text("note"), optional=True, check=clean_note)
        modal = FormModal(f"Edit: {entry.text}", fields, checks,
                          {"flagged": bool(d.get("flagged")), "question": d.get("note_kind") == "question"})
        self.app.push_screen(modal, if_answered(lambda r: self.write(edit, entry.kind, entry.id, r)))

    def action_undo(self) -> None:
        self.write(_undo)



def _undo(journal):
    undone = history.undo(journal)
    return f"Undid: {undone.summary}" if undone else "Nothing to undo."
