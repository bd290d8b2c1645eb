"""Substances, History, help and the command palette."""

from __future__ import annotations

from textual.widgets import DataTable

from medlog.domain.units import parse_amount
from medlog.services import doses, entries, substances
from medlog.tui.app import make_app
from tests.tui.conftest import open_screen, rows, settle, type_text


async def test_change_a_dose_and_see_the_timeline(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "2")
        assert app.screen.id == "substances"
        await pilot.press("c")
        app.screen.query("Input").first().value = "20 mg"
        await pilot.press("enter")
        await settle(pilot)
        timeline = str(app.screen.query_one("#timeline").render())
        assert "Escitalopram dose 10 mg → 20 mg" in timeline
    assert rows(tui_journal, "SELECT kind, dose_value FROM regimen_event WHERE kind = 'dose_change'") == [
        ("dose_change", 20.0)]


async def add_through_the_form(app, pilot, values: dict[int, str]) -> tuple[DataTable, list[str]]:
    """On the Substances screen: `a`, fill the form's fields by position, save; the table and its names."""
    await open_screen(pilot, "2")
    await pilot.press("a")
    fields = app.screen.query("Input")
    for position, value in values.items():
        fields[position].value = value
    await pilot.press("enter")
    await settle(pilot)
    table = app.screen.query_one(DataTable)
    return table, [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_add_and_stop_a_substance(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table, names = await add_through_the_form(app, pilot, {0: "Vitamin D3", 1: "supplement", 4: "2000 IU",
                                                               5: "08:00"})
        assert "Vitamin D3" in names
        table.move_cursor(row=names.index("Vitamin D3"))
        await pilot.press("x", "enter")
        await settle(pilot)
        assert str(table.get_row_at(table.cursor_row)[0]) == "Vitamin D3"  # the cursor stays on it
        assert "stopped Vitamin D3" in str(app.screen.query_one("#timeline").render())
    assert rows(tui_journal, "SELECT e.kind FROM regimen_event e JOIN substance s ON s.id = e.substance_id "
                             "WHERE s.name = 'Vitamin D3' ORDER BY e.id") == [("start",), ("stop",)]


async def test_add_a_weekly_course_with_its_last_day(tui_journal):
    """The add form takes a schedule with days and a last day: the table shows the short schedule, the
    timeline the planned stop."""
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table, names = await add_through_the_form(app, pilot, {0: "Vitamin D3", 1: "supplement", 4: "50000 IU",
                                                               5: "09:00 every 7 days", 6: "2027-01-15"})
        row = table.get_row_at(names.index("Vitamin D3"))
        assert str(row[2]) == "50000 IU · 09:00 every 7d"
        table.move_cursor(row=names.index("Vitamin D3"))
        await settle(pilot)
        assert "stopped Vitamin D3 — end date given when added  (planned)" in str(
            app.screen.query_one("#timeline").render())
    assert rows(tui_journal, "SELECT e.kind, e.schedule, e.journal_day FROM regimen_event e JOIN substance s "
                             "ON s.id = e.substance_id WHERE s.name = 'Vitamin D3' ORDER BY e.id") == [
        ("start", "09:00;every 7 days from 2026-11-21", "2026-11-21"), ("stop", None, "2027-01-16")]


async def test_delete_with_confirmation_and_undo_in_history(tui_journal):
    doses.take(tui_journal, "esc", at=tui_journal.moment("08:05"))
    entries.add_note(tui_journal, "remove me")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "3")
        table = app.screen.query_one(DataTable)
        assert "remove me" in str(table.get_row_at(0)[3])  # newest first
        assert "remove me" in str(app.screen.query_one("#history-detail").render())  # and in full below
        await pilot.press("d")
        await pilot.press("enter")  # confirm
        await settle(pilot)
        assert all("remove me" not in str(table.get_row_at(i)[3]) for i in range(table.row_count))
        await pilot.press("u")
        await settle(pilot)
        assert "remove me" in str(table.get_row_at(0)[3])
    assert rows(tui_journal, "SELECT count(*) FROM note WHERE deleted_at IS NULL") == [(1,)]


async def test_history_filters_by_kind(tui_journal):
    doses.take(tui_journal, "esc", at=tui_journal.moment("08:05"))
    entries.add_note(tui_journal, "a note")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "3")
        await pilot.press("f")  # doses only
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert {table.get_row_at(i)[2] for i in range(table.row_count)} == {"dose"}


async def test_history_filters_by_substance_stopped_ones_included(tui_journal):
    doses.take(tui_journal, "esc", at=tui_journal.moment("08:05"))
    doses.take(tui_journal, "gaba", parse_amount("300 mg"), at=tui_journal.moment("13:00"))
    entries.add_note(tui_journal, "a note")
    substances.stop(tui_journal, "gaba", at=tui_journal.moment("14:00", future=True))
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "3")
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "gaba")
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        shown = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert len(shown) == 2 and all("Gabapentin" in row for row in shown)  # took, stopped (started: 3 weeks ago)
        assert "Gabapentin only" in str(app.screen.query_one("#history-title").render())
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")  # the first choice: every substance again
        await settle(pilot)
        assert any("a note" in str(table.get_row_at(i)[3]) for i in range(table.row_count))


async def test_help_and_quit(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert app.screen.id == "help"
        await pilot.press("escape")
        assert app.screen.id == "today"
        await pilot.press("q")
    assert app.return_code == 0 or app.return_code is None


async def test_command_palette_logs_a_substance(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(50):  # the names are read just after the first paint
            if app.substance_names:
                break
            await pilot.pause(0.1)
        await pilot.press("ctrl+p")
        for ch in "log esc":
            await pilot.press("space" if ch == " " else ch)
        from textual.command import CommandList

        for _ in range(50):  # the palette searches in the background
            await pilot.pause(0.1)
            if app.screen.query_one(CommandList).option_count:
                break
        await pilot.press("enter")  # the command
        await settle(pilot)
        await pilot.press("enter")  # the dose dialog, prefilled with the regular dose and "now"
        await settle(pilot)
    assert rows(tui_journal, "SELECT slot, source FROM dose") == [("08:00", "tui")]


async def test_edit_in_history_and_undo_the_edit(tui_journal):
    entries.rate(tui_journal, ["mood=4"])
    entries.add_note(tui_journal, "typo in thsi note")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "3")
        table = app.screen.query_one(DataTable)
        row = next(i for i in range(table.row_count) if "typo" in str(table.get_row_at(i)[3]))
        table.move_cursor(row=row)
        await pilot.press("e")
        app.screen.query("Input").first().value = "typo in this note"
        await pilot.press("tab", "space", "enter")  # also flag it for the clinician
        await settle(pilot)
        row = next(i for i in range(table.row_count) if "mood" in str(table.get_row_at(i)[3]).lower())
        table.move_cursor(row=row)
        await pilot.press("e")
        app.screen.query("Input").first().value = "11"
        await pilot.press("enter")
        await settle(pilot)  # refused: out of scale, nothing written
        await pilot.press("escape")
        assert rows(tui_journal, "SELECT text, flagged FROM note WHERE deleted_at IS NULL") == [
            ("typo in this note", 1)]
        await pilot.press("u")
        await settle(pilot)
    assert rows(tui_journal, "SELECT text, flagged FROM note WHERE deleted_at IS NULL") == [("typo in thsi note", 0)]
    assert rows(tui_journal, "SELECT value FROM observation WHERE deleted_at IS NULL") == [(4.0,)]
