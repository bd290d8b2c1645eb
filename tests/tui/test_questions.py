"""Questions for the visit in the TUI: written on Today, shown with "? ", turned into one (or back) in History."""

from __future__ import annotations

from textual.widgets import DataTable

from medlog.services import entries
from medlog.tui.app import make_app
from tests.tui.conftest import rows, settle, type_text


async def test_write_a_question_for_the_visit_on_today(tui_journal):
    entries.add_note(tui_journal, "felt calmer today", at=tui_journal.moment("18:00"), flagged=True)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "Should magnesium be apart from gabapentin?")
        await pilot.press("tab", "tab", "tab", "space", "enter")  # past "When" and the flag, tick "A question…"
        await settle(pilot)
        shown = str(app.screen.query_one("#day-log").render())
        assert "⚑ felt calmer today" in shown
        assert "? Should magnesium be apart from gabapentin?" in shown
    assert rows(tui_journal, "SELECT text, flagged, kind, source FROM note ORDER BY id") == [
        ("felt calmer today", 1, "note", "cli"), ("Should magnesium be apart from gabapentin?", 0, "question", "tui")]


async def test_make_a_note_a_question_in_history_and_undo_it(tui_journal):
    entries.add_note(tui_journal, "ask about the dizziness")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=next(i for i in range(table.row_count) if "dizziness" in str(table.get_row_at(i)[3])))
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("tab", "tab", "space", "enter")  # past the flag, tick "A question for my next visit"
        await settle(pilot)
        assert rows(tui_journal, "SELECT kind FROM note") == [("question",)]
        assert any("? question: ask about the dizziness" in str(table.get_row_at(i)[3])
                   for i in range(table.row_count))
        await pilot.press("u")
        await settle(pilot)
    assert rows(tui_journal, "SELECT text, flagged, kind FROM note WHERE deleted_at IS NULL") == [
        ("ask about the dizziness", 0, "note")]
