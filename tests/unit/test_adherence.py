"""What becomes of a scheduled slot: on time, late, skipped, missed, unlogged, pending — across DST and travel."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from medlog.domain.adherence import Answer, due_instant, slot_results, tally
from medlog.domain.regimen import RegimenEvent, Timeline, is_scheduled, regimen_at
from medlog.domain.schedule import Schedule, parse_schedule

LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
FOUR = time(4, 0)


def start(at: datetime, *times: str) -> RegimenEvent:
    return RegimenEvent("start", at, schedule=Schedule(tuple(times)))


def results(events, answers, days, *, logged=None, zones=None, now, window=timedelta(hours=2)):
    return slot_results({1: events}, answers, days, set(days) if logged is None else logged, zones or {}, LONDON,
                        FOUR, now, window)


def test_each_status():
    events = [start(datetime(2026, 11, 1, 8, tzinfo=UTC), "08:00")]
    days = [date(2026, 11, d) for d in range(1, 7)]
    answers = [Answer(1, days[0], "08:00", "taken", datetime(2026, 11, 1, 9, 59, tzinfo=UTC)),
               Answer(1, days[1], "08:00", "taken", datetime(2026, 11, 2, 10, 1, tzinfo=UTC)),
               Answer(1, days[2], "08:00", "skipped", datetime(2026, 11, 3, 8, tzinfo=UTC))]
    now = datetime(2026, 11, 6, 9, tzinfo=UTC)
    found = results(events, answers, days, logged=set(days) - {days[4]}, now=now)
    assert [r.status for r in found] == ["on_time", "late", "skipped", "missed", "unlogged", "pending"]
    t = tally(found)
    assert (t.scheduled, t.percent) == (6, 50.0)  # 2 taken of 4 decided; unlogged and pending apart


def test_slots_before_the_start_after_a_stop_and_not_yet_due_do_not_count():
    events = [start(datetime(2026, 11, 2, 12, tzinfo=UTC), "08:00", "20:00"),
              RegimenEvent("stop", datetime(2026, 11, 3, 12, tzinfo=UTC))]
    days = [date(2026, 11, 2), date(2026, 11, 3)]
    found = results(events, [], days, now=datetime(2026, 11, 9, tzinfo=UTC))
    assert [(r.day.day, r.slot) for r in found] == [(2, "20:00"), (3, "08:00")]
    assert results([start(datetime(2026, 11, 1, tzinfo=UTC), "21:00")], [], [date(2026, 11, 5)],
                   now=datetime(2026, 11, 5, 18, 59, tzinfo=UTC)) == []  # due at 21:00, window opens 19:00


def test_a_schedule_change_mid_day_keeps_the_slots_each_schedule_had_in_force():
    events = [start(datetime(2026, 11, 1, tzinfo=UTC), "08:00"),
              RegimenEvent("schedule_change", datetime(2026, 11, 5, 12, tzinfo=UTC), schedule=Schedule(("21:00",)))]
    found = results(events, [], [date(2026, 11, 5)], now=datetime(2026, 11, 9, tzinfo=UTC))
    assert [r.slot for r in found] == ["08:00", "21:00"]


def test_a_slot_after_midnight_belongs_to_the_journal_day_before():
    assert due_instant(date(2026, 11, 5), "01:00", LONDON, FOUR) == datetime(2026, 11, 6, 1, tzinfo=UTC)


def test_dst_spring_forward_and_fall_back():
    # 29 Mar 2026, London: 01:00 → 02:00 BST. A 08:00 slot is 07:00 UTC; a 01:30 slot (after midnight, journal
    # day 28 Mar) does not exist on the wall clock and is due when the clocks jump.
    assert due_instant(date(2026, 3, 29), "08:00", LONDON, FOUR) == datetime(2026, 3, 29, 7, tzinfo=UTC)
    assert due_instant(date(2026, 3, 28), "01:30", LONDON, FOUR) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # 25 Oct 2026: 02:00 BST → 01:00 GMT. 01:30 happens twice; the slot is due at the first.
    assert due_instant(date(2026, 10, 24), "01:30", LONDON, FOUR) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # a dose at 08:10 local on each change day is on time
    events = [start(datetime(2026, 3, 1, tzinfo=UTC), "08:00")]
    for day, taken in ((date(2026, 3, 29), datetime(2026, 3, 29, 7, 10, tzinfo=UTC)),
                       (date(2026, 10, 25), datetime(2026, 10, 25, 8, 10, tzinfo=UTC))):
        [r] = results(events, [Answer(1, day, "08:00", "taken", taken)], [day], now=datetime(2026, 12, 1, tzinfo=UTC))
        assert r.status == "on_time"


def test_schedules_follow_local_time_when_travelling():
    """In New York the 08:00 slot is due at 08:00 New York time (13:00 UTC), not at 08:00 London time."""
    events = [start(datetime(2026, 11, 1, tzinfo=UTC), "08:00")]
    day = date(2026, 11, 10)
    taken = datetime(2026, 11, 10, 13, 15, tzinfo=UTC)  # 08:15 in New York
    [r] = results(events, [Answer(1, day, "08:00", "taken", taken)], [day], zones={day: NEW_YORK},
                  now=datetime(2026, 11, 20, tzinfo=UTC))
    assert r.status == "on_time" and r.due == datetime(2026, 11, 10, 13, tzinfo=UTC)
    [home] = results(events, [Answer(1, day, "08:00", "taken", taken)], [day], now=datetime(2026, 11, 20, tzinfo=UTC))
    assert home.status == "late"  # had the day been spent in London, 13:15 is five hours late


def test_days_off_have_no_slots_and_every_n_days_counts_from_the_schedule_day():
    """Mon/Wed/Fri, then from Fri 20 Nov every 2 days: only the days each schedule falls on have a slot."""
    mwf = RegimenEvent("start", datetime(2026, 11, 9, 4, tzinfo=UTC), schedule=parse_schedule("08:00 mon,wed,fri"))
    alternate = RegimenEvent("schedule_change", datetime(2026, 11, 20, 4, tzinfo=UTC),
                             schedule=parse_schedule("08:00 every 2 days").anchored(date(2026, 11, 20)))
    days = [date(2026, 11, 9) + timedelta(days=i) for i in range(18)]  # Mon 9 .. Thu 26 Nov
    found = results([mwf, alternate], [], days, now=datetime(2026, 11, 27, 12, tzinfo=UTC))
    assert [r.day.day for r in found] == [9, 11, 13, 16, 18, 20, 22, 24, 26]
    assert {r.status for r in found} == {"missed"}


def test_the_cut_to_scheduled_stretches_keeps_every_day_with_a_slot():
    # Started, as-needed for a while, scheduled again, stopped, started again: the days the cut keeps hold every
    # day the exact regimen has the 08:00 slot, and leave out the long stretches with none.
    def at(day: int) -> datetime:
        return datetime(2026, 11, day, 12, tzinfo=UTC)
    events = [start(at(3), "08:00"), RegimenEvent("schedule_change", at(10), schedule=Schedule(as_needed=True)),
              RegimenEvent("schedule_change", at(15), schedule=Schedule(("08:00",))), RegimenEvent("stop", at(20)),
              RegimenEvent("start", at(25))]
    days = [date(2026, 10, 20) + timedelta(days=i) for i in range(45)]
    exact = {day for day in days if is_scheduled(regimen_at(events, due_instant(day, "08:00", LONDON, FOUR)))}
    kept = Timeline(events).maybe_scheduled_among(days)
    assert kept == sorted(kept) and exact <= set(kept) and len(kept) < len(days) - 15
    found = results(events, [], days, now=datetime(2026, 12, 31, tzinfo=UTC))
    assert {r.day for r in found} == exact
    assert len(exact) == 7 + 5 + 8  # 4–10 Nov, 16–20 Nov (as needed between), 26 Nov–3 Dec (restarted)
