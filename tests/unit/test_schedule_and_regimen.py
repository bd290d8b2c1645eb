from datetime import UTC, datetime
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
