from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from medlog.domain.errors import InputError
from medlog.domain.regimen import RegimenEvent, regimen_at
from medlog.domain.schedule import AS_NEEDED, Schedule, from_stored, parse_schedule
from medlog.domain.units import Amount


@pytest.mark.parametrize("text, schedule", [
    ("08:00", Schedule(("08:00",))), ("21:00,08:00", Schedule(("08:00", "21:00"))),
    ("8am, 9:30pm", Schedule(("08:00", "21:30"))), ("as-needed", AS_NEEDED), ("PRN", AS_NEEDED),
])
def test_parse_schedule(text, schedule):
    assert parse_schedule(text) == schedule
    assert from_stored(schedule.stored()) == schedule


@pytest.mark.parametrize("text", ["", "08:00,", "25:00", "08:00,8am", "morning"])
def test_bad_schedules(text):
    with pytest.raises(InputError):
        parse_schedule(text)


def t(day, hour=8):
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def mg(value):
    return Amount(Decimal(value), "mg")


EVENTS = [
    RegimenEvent("start", t(1), mg(5), Schedule(("08:00",))),
    RegimenEvent("dose_change", t(10), mg(10)),
    RegimenEvent("schedule_change", t(12), None, Schedule(("08:00", "20:00"))),
    RegimenEvent("stop", t(15)),
    RegimenEvent("start", t(18), None, None),
]


def test_regimen_is_the_fold_of_its_history():
    assert not regimen_at(EVENTS, t(1, 7)).active
    first = regimen_at(EVENTS, t(2))
    assert first.active and first.dose == mg(5) and first.schedule == Schedule(("08:00",)) and first.since == t(1)
    assert regimen_at(EVENTS, t(11)).dose == mg(10)
    assert regimen_at(EVENTS, t(13)).schedule == Schedule(("08:00", "20:00"))
    stopped = regimen_at(EVENTS, t(16))
    assert not stopped.active and stopped.stopped_at == t(15)
    again = regimen_at(EVENTS, t(19))
    # started again without new details: the last dose and schedule carry over
    assert again.active and again.dose == mg(10) and again.since == t(18)


def test_event_order_does_not_matter():
    assert regimen_at(list(reversed(EVENTS)), t(13)) == regimen_at(EVENTS, t(13))


# --- days of the week and every N days -----------------------------------------------------------------------

@pytest.mark.parametrize("text, weekdays, every", [
    ("08:00 mon,wed,fri", (1, 3, 5), 1), ("08:00 on Monday, Wednesday and Friday".replace(" and", ","), (1, 3, 5), 1),
    ("20:00 weekdays", (1, 2, 3, 4, 5), 1), ("9:30 pm on sat, sun", (6, 7), 1), ("10:00 weekends", (6, 7), 1),
    ("08:00 fri-mon", (1, 5, 6, 7), 1), ("08:00 tues thurs", (2, 4), 1), ("08:00 mon-sun", (), 1),
    ("08:00 every 2 days", (), 2), ("every other day 8am", (), 2), ("08:00 every 7 days", (), 7),
    ("08:00 daily", (), 1), ("08:00 every day", (), 1), ("٠٨:٠٠ every ٣ days", (), 3),
])
def test_days_of_the_week_and_every_n_days(text, weekdays, every):
    schedule = parse_schedule(text)
    assert (schedule.weekdays, schedule.every) == (weekdays, every)
    anchored = schedule.anchored(date(2026, 11, 20))
    assert from_stored(anchored.stored()) == anchored  # the stored text reads back as the same schedule


@pytest.mark.parametrize("text", ["08:00 wedding", "08:00 every 0 days", "08:00 every 367 days", "mon",
                                  "08:00 mon every 2 days", "08:00 every 2 days every 3 days", "08:00,"])
def test_bad_days_are_refused(text):
    with pytest.raises(InputError):
        parse_schedule(text)


def test_which_days_a_schedule_falls_on():
    week = [date(2026, 11, 16) + timedelta(days=i) for i in range(14)]  # Mon 16 Nov .. Sun 29 Nov
    mwf = parse_schedule("08:00 mon,wed,fri")
    assert [d.day for d in week if mwf.falls_on(d)] == [16, 18, 20, 23, 25, 27]
    every3 = parse_schedule("08:00 every 3 days").anchored(date(2026, 11, 17))
    assert [d.day for d in week if every3.falls_on(d)] == [17, 20, 23, 26, 29]
    # before the anchor it counts the same way, backwards (a regimen never asks, but the rule stays simple)
    assert every3.falls_on(date(2026, 11, 14)) and not every3.falls_on(date(2026, 11, 15))
    assert all(parse_schedule("08:00").falls_on(d) for d in week)
    assert not AS_NEEDED.falls_on(week[0])


def test_schedules_read_as_written():
    assert str(parse_schedule("08:00,20:00 mon,wed")) == "08:00, 20:00 on Mon, Wed"
    assert str(parse_schedule("20:00 weekdays")) == "20:00 on weekdays"
    assert str(parse_schedule("08:00 every 2 days").anchored(date(2026, 11, 20))) == \
        "08:00 every 2 days (from Fri 20 Nov 2026)"
    assert parse_schedule("08:00 every 7 days").anchored(date(2026, 11, 20)).short() == "08:00 every 7d"
    assert parse_schedule("20:00 weekdays").short() == "20:00 Mon–Fri"
    assert parse_schedule("08:00,20:00 mon,thu").short() == "08:00, 20:00 Mon Thu"
    # the stored text stays readable in any SQLite tool, and the old daily form is unchanged
    assert parse_schedule("08:00,21:00").stored() == "08:00,21:00"
    assert parse_schedule("08:00 sat").stored() == "08:00;sat"
