"""The services as the TUI will call them: a Journal with its own clock, a real file, and source='tui'."""

import sqlite3
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.errors import InputError
from medlog.domain.metrics import parse_severity
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import doses, entries, history, metrics, substances
from medlog.services.context import Journal
from medlog.services.substances import NewSubstance
from medlog.store.connection import NoJournal


def rows(journal, sql):
    conn = sqlite3.connect(journal.path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_entries_store_their_journal_day_and_source(journal):
    substances.add(journal, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                                         schedule=parse_schedule("08:00")), source="tui")
    # 01:30 belongs to yesterday's journal day, before the regimen (added today) began: recorded, with a note
    logged = doses.take(journal, "esc", parse_amount("10 mg"), at=journal.moment("01:30"), source="tui")
    assert logged.day == date(2026, 11, 20) and logged.zone == "Europe/London"
    assert logged.notes == ("Escitalopram was not in your regimen at that time; recorded anyway",)
    doses.take(journal, "esc", at=journal.moment("08:10"), source="tui")
    assert rows(journal, "SELECT journal_day, source, slot FROM dose") == [("2026-11-20", "tui", None),
                                                                        ("2026-11-21", "tui", "08:00")]


def test_the_rollover_is_a_setting(tmp_path):
    late = Journal(str(tmp_path / "j.sqlite"), Settings(ZoneInfo("Europe/London"), time(2, 0)),
                   FixedClock(datetime(2026, 11, 21, 9, tzinfo=UTC)))
    today = entries.add_note(late, "02:30 is today with a 02:00 rollover", at=late.moment("02:30"))
    assert today.day == date(2026, 11, 21)
    assert entries.add_note(late, "01:30 is still yesterday", at=late.moment("01:30")).day == date(2026, 11, 20)


def test_a_day_of_entries_round_trips_through_the_listing(journal):
    substances.add(journal, NewSubstance("Magnesium glycinate", "supplement", dose=parse_amount("200 mg"),
                                         schedule=parse_schedule("21:30"),
                                         since=journal.moment("2026-11-01 12:00")))
    doses.take(journal, "magnesium", at=journal.moment("yesterday 21:40"))
    entries.rate(journal, ["sleep_quality=7", "mood=6"])
    entries.symptom(journal, "drowsiness", parse_severity("mild"))
    entries.add_note(journal, "ask about timing", flagged=True)
    found = history.log(journal)
    assert sorted(e.kind for e in found) == ["dose", "note", "rating", "rating", "symptom"]
    assert found[0].details["slot"] == "21:30" and found[0].day == date(2026, 11, 20)
    assert next(e for e in found if e.kind == "note").details == {"text": "ask about timing", "flagged": True,
                                                                  "note_kind": "note"}
    views = substances.list_substances(journal)
    assert views[0].state.active and str(views[0].state.dose) == "200 mg"


def test_validation_happens_before_the_file_is_touched(journal):
    with pytest.raises(InputError):
        entries.rate(journal, ["mood=11"])
    with pytest.raises(InputError):
        entries.add_note(journal, "")
    import os

    assert not os.path.exists(journal.path)


def test_undo_and_metrics_on_an_empty_journal(journal):
    assert history.undo(journal) is None
    assert [r.spec.key for r in metrics.list_metrics(journal)][:2] == ["sleep_hours", "sleep_quality"]
    with pytest.raises(NoJournal):
        history.log(journal)


def test_a_day_off_has_no_slots_and_no_logged_dose_drops_out_of_the_day(journal):
    """Today (Sat 21 Nov) is a day off for a weekday schedule: no slot, the dose logged anyway is an extra.
    A dose that answered a slot of a schedule changed since still shows on its day, as an extra."""
    from medlog.services.day import day_view

    substances.add(journal, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                                         schedule=parse_schedule("08:00 weekdays"),
                                         since=journal.moment("2026-11-16 04:00")))
    friday = day_view(journal, date(2026, 11, 20))
    assert [(s.substance, s.time, s.status) for s in friday.slots] == [("Escitalopram", "08:00", "open")]
    doses.take(journal, "esc", at=journal.moment("2026-11-20 08:05"))
    doses.take(journal, "esc", at=journal.moment("08:30"))
    saturday = day_view(journal, date(2026, 11, 21))
    assert saturday.slots == [] and [e.substance for e in saturday.extras] == ["Escitalopram"]
    substances.change(journal, "esc", schedule=parse_schedule("09:00"),
                      at=journal.moment("2026-11-20 04:00", future=True))  # dated back: Friday's 08:00 is gone
    friday = day_view(journal, date(2026, 11, 20))
    assert [(s.time, s.status) for s in friday.slots] == [("09:00", "open")]
    assert [(e.substance, e.status) for e in friday.extras] == [("Escitalopram", "taken")]


def test_every_n_days_counts_from_the_day_the_schedule_takes_effect_and_again_after_a_restart(journal):
    substances.add(journal, NewSubstance("Vitamin D3", "supplement", dose=parse_amount("50000 IU"),
                                         schedule=parse_schedule("09:00 every 7 days"),
                                         since=journal.moment("2026-11-02 08:00")))
    substances.stop(journal, "vitamin", at=journal.moment("2026-11-05 12:00", future=True))
    substances.start(journal, "vitamin", at=journal.moment("2026-11-18 08:00", future=True))
    [view] = substances.list_substances(journal)
    assert [(e.kind, e.schedule and e.schedule.anchor) for e in view.info.events] == [
        ("start", date(2026, 11, 2)), ("stop", None), ("start", date(2026, 11, 18))]
    substances.change(journal, "vitamin", schedule=parse_schedule("09:00 every 14 days"),
                      at=journal.moment("2026-11-20 08:00", future=True))
    [view] = substances.list_substances(journal)
    assert str(view.state.schedule) == "09:00 every 14 days (from Fri 20 Nov 2026)"
