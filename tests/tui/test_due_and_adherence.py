"""Due and overdue doses on Today, adherence on Substances — the same figures as `medlog due` / `medlog adherence`."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.color import Color
from textual.widgets import DataTable

from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import adherence, doses, entries
from medlog.tui.app import make_app
from medlog.tui.screens import today
from medlog.tui.widgets import DoseTable
from tests.tui.conftest import open_screen, settle


def marks(table: DoseTable) -> list[str]:
    """The "logged" column of the checklist, where an open slot says whether it is due."""
    return [str(table.get_row_at(i)[4]) for i in range(table.row_count)]


async def test_an_overdue_dose_is_marked_on_today_and_the_mark_goes_once_it_is_logged(tui_journal):
    # 20:00: the 08:00 dose's two-hour window closed at 10:00; the 21:30 one's opened at 19:30.
    assert {(d.name, d.slot): d.overdue for d in adherence.due(tui_journal)} == {
        ("Escitalopram", "08:00"): True, ("Magnesium glycinate", "21:30"): False}
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DoseTable)
        assert marks(table) == ["overdue by 12 hours", "due in 1 hour"]  # in words (tests/tui/test_relative_times.py)
        overdue = table.get_row_at(0)[4]
        assert isinstance(overdue, Text) and overdue.style.color == Color.parse(  # type: ignore[union-attr]
            app.theme_variables["warning"]).rich_color and overdue.style.bold  # type: ignore[union-attr]
        await pilot.press("space")  # Escitalopram 08:00, taken now
        await settle(pilot)
        assert marks(table) == ["20:00", "due in 1 hour"]
        assert table.cursor_row == 0
        await pilot.press("down", "space")
        await settle(pilot)
        assert marks(table) == ["20:00", "20:00"]
        assert table.cursor_row == 1  # a reload of the same day leaves the cursor where it was


async def test_a_past_day_has_open_doses_but_nothing_due(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("left")
        await settle(pilot)
        table = app.screen.query_one(DoseTable)
        assert [table.get_row_at(i)[0] for i in range(2)] == ["○", "○"]
        assert marks(table) == ["", ""]
        await pilot.press("t")
        await settle(pilot)
        assert marks(table) == ["overdue by 12 hours", "due in 1 hour"]


async def test_due_becomes_overdue_as_the_clock_moves(tui_journal, monkeypatch):
    monkeypatch.setattr(today, "DUE_TICK_SECONDS", 0.1)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DoseTable)
        assert marks(table) == ["overdue by 12 hours", "due in 1 hour"]
        tui_journal.clock.instant = datetime(2026, 11, 21, 23, 45, tzinfo=UTC)  # the 21:30 window closed at 23:30
        for _ in range(50):
            await pilot.pause(0.1)
            if marks(table) == ["overdue by 15 hours", "overdue by 2 hours"]:
                break
        assert marks(table) == ["overdue by 15 hours", "overdue by 2 hours"]


def journal_with_doses(journal) -> None:  # type: ignore[no-untyped-def]
    """Taken on time and late, skipped, missed (a day with other entries) and unlogged (a day with none)."""
    doses.take(journal, "esc", at=journal.moment("2026-11-10 08:05"))
    doses.take(journal, "esc", at=journal.moment("2026-11-20 08:05"))
    doses.take(journal, "mag", at=journal.moment("2026-11-20 21:40"))
    doses.take(journal, "esc", at=journal.moment("2026-11-19 11:30"))  # late: the window is two hours
    doses.skip(journal, "mag", at=journal.moment("2026-11-19 21:30"), reason="upset stomach")
    doses.skip(journal, "esc", at=journal.moment("2026-11-18 08:10"), reason="nausea")
    doses.take(journal, "mag", at=journal.moment("2026-11-17 21:35"))  # the 17th's Escitalopram: missed
    # both missed on the 12th
    entries.add_note(journal, "a day with only a note", at=journal.moment("2026-11-12 12:00"))
    # 16th and 13th–15th, 11th, 1st–9th: nothing at all — unlogged, not missed


def numbers(line: str) -> list[str]:
    return line.split()[-7:]


async def test_substances_show_adherence_as_the_service_counts_it(tui_journal):
    journal_with_doses(tui_journal)
    report = adherence.weekly(tui_journal, 4)
    totals = dict(report.totals)
    esc, mag = totals["Escitalopram"], totals["Magnesium glycinate"]
    assert (esc.on_time, esc.late, esc.skipped, esc.missed) == (2, 1, 1, 2)  # the journal is what it says
    assert (mag.on_time, mag.skipped, mag.missed, mag.pending) == (2, 1, 3, 1)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "2")
        table = app.screen.query_one(DataTable)
        cells = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        assert cells == {"Escitalopram": "50% · 2 missed", "Gabapentin": "—", "Magnesium glycinate": "33% · 3 missed"}
        assert cells["Escitalopram"] == f"{esc.percent:.0f}% · {esc.missed} missed"

        detail = str(app.screen.query_one("#adherence").render())
        assert detail.startswith("Escitalopram — adherence, last 4 weeks")
        lines = detail.splitlines()
        for week in report.weeks:
            label = f"{week.since:%d %b}–{week.until:%d %b}"
            (line,) = [li for li in lines if li.strip().startswith(label)]
            tally = dict(week.substances).get("Escitalopram")
            if tally is None:  # the week before it was started
                assert line.strip().endswith("not scheduled")
                continue
            taken = "—" if tally.percent is None else f"{tally.percent:.0f}%"
            assert numbers(line) == [str(n) for n in (tally.scheduled - tally.pending, tally.on_time, tally.late,
                                                      tally.skipped, tally.missed, tally.unlogged)] + [taken]
        (total,) = [li for li in lines if li.strip().startswith("4 weeks")]
        assert numbers(total) == ["21", "2", "1", "1", "2", "15", "50%"]

        await pilot.press("down")  # Gabapentin: as needed, nothing to count
        assert "taken as needed" in str(app.screen.query_one("#adherence").render())
        await pilot.press("down")
        detail = str(app.screen.query_one("#adherence").render())
        assert detail.startswith("Magnesium glycinate — adherence")
        (total,) = [li for li in detail.splitlines() if li.strip().startswith("4 weeks")]
        # the 21:30 dose of today is still within its window: not counted yet
        assert numbers(total) == [str(mag.scheduled - 1), "2", "0", "1", "3", str(mag.unlogged), "33%"]


async def test_names_and_notes_with_brackets_are_shown_as_written(tui_journal):
    """A DataTable or Static reads a str as markup: '[/b]' stopped the screen with an error, '[D3]' vanished."""
    from medlog.services.substances import NewSubstance, add

    add(tui_journal, NewSubstance("Vitamin [D3]", "supplement", dose=parse_amount("1000 IU"),
                                  schedule=parse_schedule("09:00"), since=tui_journal.moment("2026-11-01 08:00")),
        source="tui")
    doses.skip(tui_journal, "esc", at=tui_journal.moment("08:10"), reason="felt [/b] odd")
    entries.add_note(tui_journal, "a note [/i] with [bold]brackets")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DoseTable)
        cells = [str(c) for i in range(table.row_count) for c in table.get_row_at(i)]
        assert "skipped 08:10: felt [/b] odd" in cells and "Vitamin [D3]" in cells
        assert "a note [/i] with [bold]brackets" in str(app.screen.query_one("#day-log").render())
        await pilot.press("space")  # Vitamin [D3] 09:00 (the first open slot): its toast names it
        await settle(pilot)
        await open_screen(pilot, "2")
        names = app.screen.query_one(DataTable)
        assert "Vitamin [D3]" in [str(names.get_row_at(i)[0]) for i in range(names.row_count)]
        await open_screen(pilot, "3")
        history = app.screen.query_one(DataTable)
        assert any("[/i]" in str(history.get_row_at(i)[3]) for i in range(history.row_count))


async def test_the_regimen_column_takes_the_width_a_wider_terminal_gives(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "2")
        table = app.screen.query_one(DataTable)
        await pilot.press("down", "down")
        widths = {str(c.label): c.width for c in table.columns.values()}
        assert widths == {"name": 20, "kind": 10, "regimen": 25, "adherence 4 wk": 15}  # 70 + padding: fits 80
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert {str(c.label): c.width for c in table.columns.values()}["regimen"] == 65
        assert table.cursor_row == 2 and "Magnesium glycinate — history" in str(
            app.screen.query_one("#timeline").render())
