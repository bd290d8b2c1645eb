"""Pilot drives the Today screen as a person would, at 80×24, and the tests look in the file."""

from __future__ import annotations

from decimal import Decimal

from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import doses, metrics, rules
from medlog.tui.app import make_app
from medlog.tui.widgets import DoseTable
from tests.tui.conftest import rows, settle, type_text


async def test_tick_a_scheduled_dose(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DoseTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["○", "○"]
        await pilot.press("space")  # Escitalopram 08:00, taken now
        await settle(pilot)
        assert table.get_row_at(0)[0] == "✓"
    assert rows(tui_journal, "SELECT slot, status, amount_value, source FROM dose") == [("08:00", "taken", 10.0, "tui")]


async def test_skip_with_a_reason_reads_differently_from_open(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "s")
        await type_text(pilot, "upset stomach")
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one(DoseTable)
        assert table.get_row_at(0)[0] == "○" and table.get_row_at(1)[0] == "✗"
        assert "upset stomach" in str(table.get_row_at(1)[4])
    assert rows(tui_journal, "SELECT slot, status, note FROM dose") == [("21:30", "skipped", "upset stomach")]


async def test_taken_at_another_time_with_another_amount(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        when = app.screen.query("Input").first()
        when.value = "08:40"
        amount = app.screen.query("Input")[1]
        amount.value = "1.5 tab"
        await pilot.press("enter")
        await settle(pilot)
    assert rows(tui_journal, "SELECT slot, amount_value, substr(occurred_at, 12, 5) FROM dose") == [
        ("08:00", 15.0, "08:40")]


async def test_bad_input_is_shown_inline_with_the_cli_words_and_nothing_is_written(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        app.screen.query("Input")[1].value = "-5mg"
        await pilot.press("enter")
        await pilot.pause()
        errors = [str(s.render()) for s in app.screen.query(".error")]
        assert any("'-5' is negative" in e for e in errors)
        await pilot.press("escape")
        await pilot.press("r")
        app.focused.value = "25"  # sleep hours: 0–24
        await pilot.pause()
        assert "outside its scale" in str(app.screen.query_one("#rating-error").render())
        await pilot.press("enter")
        await settle(pilot)
    assert rows(tui_journal, "SELECT count(*) FROM dose") == [(0,)]
    assert rows(tui_journal, "SELECT count(*) FROM observation") == [(0,)]


async def test_log_a_full_day_with_the_keyboard(tui_journal):
    """Two scheduled doses, an as-needed dose, five ratings, a symptom and a flagged note."""
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("down", "space")
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "gaba")
        await pilot.press("enter")
        await type_text(pilot, "300 mg")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r")
        for value in ("7.5", "6", "7", "3", "2"):
            await type_text(pilot, value)
            await pilot.press("tab")
        await pilot.press("shift+tab", "enter")  # saving puts the focus back on the checklist
        await settle(pilot)
        await pilot.press("y")
        await type_text(pilot, "dizziness")
        await pilot.press("tab")
        await type_text(pilot, "mild")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "felt calmer today")
        await pilot.press("tab", "tab", "space", "enter")  # past "When", tick the clinician flag, Enter saves
        await settle(pilot)
    assert rows(tui_journal, "SELECT slot, amount_value FROM dose ORDER BY id") == [
        ("08:00", 10.0), ("21:30", 200.0), (None, 300.0)]
    ratings = dict(rows(tui_journal, "SELECT m.key, o.value FROM observation o JOIN metric m ON m.id = o.metric_id"))
    assert ratings == {"sleep_hours": 7.5, "sleep_quality": 6.0, "mood": 7.0, "anxiety": 3.0, "pain": 2.0}
    assert rows(tui_journal, "SELECT name, severity FROM symptom") == [("dizziness", 2)]
    assert rows(tui_journal, "SELECT text, flagged FROM note") == [("felt calmer today", 1)]


async def test_move_between_days_and_never_into_the_future(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right")
        assert "today" in str(app.screen.query_one("#day-title").render())
        await pilot.press("left")
        await settle(pilot)
        assert "Fri 20 Nov 2026" in str(app.screen.query_one("#day-title").render())
        await pilot.press("space")  # a past day's dose is taken at its scheduled time
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert "Sat 21 Nov 2026" in str(app.screen.query_one("#day-title").render())
    assert rows(tui_journal, "SELECT journal_day, substr(occurred_at, 12, 5) FROM dose") == [("2026-11-20", "08:00")]


async def test_a_cli_write_appears_live(tui_journal):
    app = make_app(tui_journal, watch_seconds=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause(0.5)  # the watcher takes its first reading
        doses.take(tui_journal, "escitalopram", source="cli")  # another connection, as far as SQLite knows
        for _ in range(50):  # the UI notices within a few watch intervals
            await pilot.pause(0.1)
            if app.screen.query_one(DoseTable).get_row_at(0)[0] == "✓":
                break
        assert app.screen.query_one(DoseTable).get_row_at(0)[0] == "✓"


async def test_entries_added_on_a_past_day_land_on_that_day(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("left", "n")
        await type_text(pilot, "written about yesterday")
        await pilot.press("enter")
        await settle(pilot)
        assert "written about yesterday" in str(app.screen.query_one("#day-log").render())
    assert rows(tui_journal, "SELECT journal_day, substr(occurred_at, 12, 5) FROM note") == [("2026-11-20", "12:00")]


async def test_escape_leaves_the_ratings_and_puts_unsaved_values_back(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r", "2", "5")
        assert "outside its scale" in str(app.screen.query_one("#rating-error").render())
        await pilot.press("escape")
        assert isinstance(app.focused, DoseTable)
        assert app.screen.query_one("#rate-sleep_hours").value == ""
    assert rows(tui_journal, "SELECT count(*) FROM observation") == [(0,)]


async def test_your_own_metrics_are_rated_beside_the_built_ins_and_the_focused_one_is_spelled_out(tui_journal):
    metrics.add(tui_journal, "focus", min_text="1", max_text="5", higher_is_better=True, integer=True)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        assert app.screen.query_one("#label-sleep_hours").has_class("-current")
        assert "Sleep hours: 0–24 h, higher is better" in str(app.screen.query_one("#rating-hint").render())
        for _ in range(6):
            await pilot.press("tab")
        assert app.focused.id == "rate-focus"
        assert not app.screen.query_one("#label-sleep_hours").has_class("-current")
        assert "Focus: 1–5, higher is better" in str(app.screen.query_one("#rating-hint").render())
        await pilot.press("9")
        assert "outside its scale" in str(app.screen.query_one("#rating-error").render())
        await pilot.press("backspace", "4", "enter")
        await settle(pilot)
        hint = str(app.screen.query_one("#rating-hint").render())  # the checklist has the focus again:
        assert "Focus:" not in hint and hint == "— not rated yet  ·  r to rate"  # what the dashes mean
    assert rows(tui_journal, "SELECT m.key, o.value FROM observation o JOIN metric m ON m.id = o.metric_id") == [
        ("focus", 4.0)]


async def test_a_dialog_clears_the_toasts_that_would_cover_it(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")  # "Done: took Escitalopram…" toast
        await settle(pilot)
        assert len(app._notifications) == 1
        await pilot.press("n")
        await settle(pilot)
        assert len(app._notifications) == 0


async def test_a_reload_while_rating_keeps_what_is_being_typed(tui_journal):
    """A write finishing (here or from the CLI) reloads the day; it must not wipe a half-typed rating."""
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await type_text(pilot, "7.5")
        doses.take(tui_journal, "esc", source="cli")
        app.screen.refresh_data()
        await settle(pilot)
        assert app.screen.query_one(DoseTable).get_row_at(0)[0] == "✓"  # the reload did happen
        assert app.screen.query_one("#rate-sleep_hours").value == "7.5"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("left")  # another day shows its own ratings, not the edits of this one
        await settle(pilot)
        assert app.screen.query_one("#rate-sleep_hours").value == ""
    assert rows(tui_journal, "SELECT value FROM observation") == [(7.5,)]


async def test_a_rule_warning_is_shown_and_the_dose_is_recorded(tui_journal):
    rules.add_spacing(tui_journal, "magnesium", "gabapentin", Decimal("2"))
    doses.take(tui_journal, "gabapentin", parse_amount("300 mg"), at=tui_journal.moment("19:30"),
               source="cli")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "space")  # tick the 21:30 magnesium dose now, at 20:00
        await settle(pilot)
        shown = [n.message for n in app._notifications if n.severity == "error"]
        assert any("Magnesium glycinate was taken 30 min after Gabapentin, less than 2 h" in m for m in shown), shown
    assert rows(tui_journal, "SELECT count(*) FROM dose WHERE slot = '21:30'") == [(1,)]


async def test_a_past_days_slot_is_taken_at_its_time_and_one_after_midnight_on_the_next_date(tui_journal):
    """Ticking a slot on another day records it when it was due, by the domain's rule (adherence.due_instant):
    a slot before the 04:00 rollover belongs to the journal day but falls on the next calendar date."""
    from medlog.services import substances
    from medlog.services.substances import NewSubstance

    substances.add(tui_journal, NewSubstance("Melatonin", "supplement", dose=parse_amount("1 mg"),
                                             schedule=parse_schedule("01:30"),
                                             since=tui_journal.moment("2026-11-01 08:00")), source="cli")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("left")  # Friday the 20th
        await settle(pilot)
        table = app.screen.query_one(DoseTable)
        names = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        for name in ("Escitalopram", "Melatonin"):
            table.move_cursor(row=names.index(name))
            await pilot.press("space")
            await settle(pilot)
    taken = rows(tui_journal, "SELECT slot, journal_day, occurred_at FROM dose ORDER BY slot")
    assert taken == [("01:30", "2026-11-20", "2026-11-21 01:30:00.000000"),  # London is UTC in November
                     ("08:00", "2026-11-20", "2026-11-20 08:00:00.000000")]
