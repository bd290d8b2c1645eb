"""The reminder rules (domain/reminders.py): due, its window, logged stops it, no repeats, snooze, quiet hours
(overnight too), refills, and the DST days — as pure functions with a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from medlog.domain import reminders as r
from medlog.domain.adherence import due_instant
from medlog.domain.errors import InputError
from medlog.domain.reminders import DoseSlot, QuietHours, Refill, Sent, State

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
ROLLOVER = time(4, 0)
WINDOW = timedelta(hours=2)
DAY = date(2026, 11, 21)


def slot(at: str = "08:00", status: str = "pending", day: date = DAY, zone: ZoneInfo = LONDON,
         name: str = "Escitalopram", sid: int = 1) -> DoseSlot:
    return DoseSlot(sid, name, day, at, due_instant(day, at, zone, ROLLOVER), status)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def send(slots, now, state=r.EMPTY, zone=LONDON, quiet=None):
    return r.dose_reminders(slots, state, now, WINDOW, zone, quiet)


# -- due and its window -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("now, expected", [
    ("2026-11-21 07:59", 0),  # not yet: a reminder comes at the dose's time, not the window's start
    ("2026-11-21 08:00", 1),
    ("2026-11-21 09:59", 1),
    ("2026-11-21 10:00", 1),  # the window's last instant
    ("2026-11-21 10:01", 0),  # past the window the dose is missed, no longer due: no late nudge
])
def test_a_dose_is_reminded_from_its_time_until_its_window_closes(now, expected):
    assert len(send([slot()], utc(now))) == expected


def test_the_reminder_names_the_dose_and_its_time():
    (reminder,) = send([slot()], utc("2026-11-21 08:05"))
    assert reminder.title == "Escitalopram: dose due"
    assert reminder.body == "Escitalopram (08:00) is due and not logged yet"
    assert reminder.key == "dose:1:2026-11-21:08:00" and reminder.kind == "dose"


@pytest.mark.parametrize("status", ["on_time", "late", "skipped"])
def test_a_logged_dose_is_never_reminded(status):
    now = utc("2026-11-21 08:30")
    snoozed = State({}, {"dose:1:2026-11-21:08:00": utc("2026-11-21 08:20")})
    assert send([slot(status=status)], now) == []
    assert send([slot(status=status)], now, snoozed) == []


def test_several_due_come_in_order_of_time_then_name():
    slots = [slot("09:00", name="Zinc", sid=3), slot("08:00", name="Vitamin D", sid=2), slot("08:00", sid=1)]
    assert [x.title.split(":")[0] for x in send(slots, utc("2026-11-21 09:10"))] == ["Escitalopram", "Vitamin D",
                                                                                     "Zinc"]


# -- no repeats, snooze ----------------------------------------------------------------------------------------------
def test_a_reminder_sent_is_not_sent_again():
    key = slot().key
    state = State({key: Sent(utc("2026-11-21 08:05"), 7)}, {})
    for minutes in (5, 10, 60, 115):
        assert send([slot()], utc("2026-11-21 08:05") + timedelta(minutes=minutes), state) == []


def test_a_snooze_holds_the_reminder_back_then_sends_it_once_more():
    key = slot().key
    state = State({key: Sent(utc("2026-11-21 08:05"), 7)}, {key: utc("2026-11-21 08:35")})
    assert send([slot()], utc("2026-11-21 08:30"), state) == []
    assert len(send([slot()], utc("2026-11-21 08:35"), state)) == 1
    after = r.after_sending(state, {key: Sent(utc("2026-11-21 08:35"))}, utc("2026-11-21 08:35"))
    assert send([slot()], utc("2026-11-21 08:40"), after) == []


def test_a_snooze_carries_the_window_with_it():
    """Snoozed near the window's end, the reminder still comes when the snooze ends (and for a window after)."""
    key = slot().key
    state = State({key: Sent(utc("2026-11-21 08:00"))}, {key: utc("2026-11-21 10:20")})
    assert len(send([slot(status="missed")], utc("2026-11-21 10:25"), state)) == 1
    assert send([slot(status="missed")], utc("2026-11-21 12:21"), state) == []


def test_a_snooze_before_the_first_reminder_delays_it():
    state = State({}, {slot().key: utc("2026-11-21 08:30")})
    assert send([slot()], utc("2026-11-21 08:05"), state) == []
    assert len(send([slot()], utc("2026-11-21 08:30"), state)) == 1


def test_candidates_need_no_state():
    assert r.candidates([slot(), slot("21:30", sid=2), slot(status="on_time", sid=3)], utc("2026-11-21 09:00")) \
        == [slot()]


# -- quiet hours -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("22:00-07:00", QuietHours(time(22), time(7))), (" 13:00 - 14:30 ", QuietHours(time(13), time(14, 30))),
    ("10pm-7am", QuietHours(time(22), time(7))), ("off", None), ("", None), ("none", None),
])
def test_quiet_hours_parse(text, expected):
    assert r.parse_quiet_hours(text) == expected


@pytest.mark.parametrize("text", ["22:00", "22:00-22:00", "25:00-07:00", "evening-morning", "22:00-07:00-08:00"])
def test_bad_quiet_hours_are_refused(text):
    with pytest.raises(InputError):
        r.parse_quiet_hours(text)


@pytest.mark.parametrize("local, holds", [("21:59", False), ("22:00", True), ("23:30", True), ("00:00", True),
                                          ("06:59", True), ("07:00", False), ("12:00", False)])
def test_overnight_quiet_hours(local, holds):
    instant = datetime.combine(DAY, time.fromisoformat(local), tzinfo=LONDON)
    assert QuietHours(time(22), time(7)).holds(instant, LONDON) is holds


@pytest.mark.parametrize("local, holds", [("12:59", False), ("13:00", True), ("13:59", True), ("14:00", False)])
def test_daytime_quiet_hours(local, holds):
    instant = datetime.combine(DAY, time.fromisoformat(local), tzinfo=LONDON)
    assert QuietHours(time(13), time(14)).holds(instant, LONDON) is holds


def test_what_falls_due_in_quiet_hours_comes_when_they_end_if_still_due():
    quiet = QuietHours(time(22), time(7))
    early = slot("06:30")  # due in quiet hours, window to 08:30
    late = slot("22:30", sid=2)  # due at 22:30, window to 00:30: all of it quiet
    assert send([early], utc("2026-11-21 06:45"), quiet=quiet) == []
    assert len(send([early], utc("2026-11-21 07:00"), quiet=quiet)) == 1
    assert send([late], utc("2026-11-21 22:30"), quiet=quiet) == []
    assert send([late], utc("2026-11-22 07:00"), quiet=quiet) == []


def test_quiet_hours_are_local_wall_time():
    """09:00-10:00 in New York is 14:00-15:00 UTC in winter: a reminder due at 14:30 UTC waits."""
    quiet = QuietHours(time(9), time(10))
    due = slot("09:30", zone=NEW_YORK)
    assert send([due], utc("2026-11-21 14:35"), zone=NEW_YORK, quiet=quiet) == []
    assert len(send([due], utc("2026-11-21 15:00"), zone=NEW_YORK, quiet=quiet)) == 1


# -- DST days --------------------------------------------------------------------------------------------------------
def test_a_0230_dose_on_the_spring_forward_day_is_reminded_once_when_the_clocks_jump():
    """New York, Sunday 2027-03-14: 02:00 jumps to 03:00, so 02:30 never happens. With a 04:00 rollover the 02:30
    slot is journal day 2027-03-13's; it is due as the domain says (adherence.due_instant), and the reminder says
    what time that is here."""
    gap = slot("02:30", day=date(2027, 3, 13), zone=NEW_YORK)
    assert gap.due == utc("2027-03-14 07:30")  # 03:30 EDT
    assert send([gap], utc("2027-03-14 07:00"), zone=NEW_YORK) == []  # 03:00 EDT: not yet
    (reminder,) = send([gap], utc("2027-03-14 07:30"), zone=NEW_YORK)
    assert reminder.body == "Escitalopram (02:30, due at 03:30 here) is due and not logged yet"
    state = r.after_sending(r.EMPTY, {gap.key: Sent(utc("2027-03-14 07:30"))}, utc("2027-03-14 07:30"))
    assert send([gap], utc("2027-03-14 08:00"), state, zone=NEW_YORK) == []


def test_a_dose_in_the_repeated_autumn_hour_is_reminded_once_not_twice():
    """New York, Sunday 2026-11-01: 01:00–02:00 happens twice. The 01:30 slot is due at the first 01:30 (EDT);
    at the second (EST, an hour later) it is the same reminder, already sent."""
    twice = slot("01:30", day=date(2026, 10, 31), zone=NEW_YORK)
    assert twice.due == utc("2026-11-01 05:30")
    (reminder,) = send([twice], utc("2026-11-01 05:35"), zone=NEW_YORK)
    assert reminder.body == "Escitalopram (01:30) is due and not logged yet"
    state = r.after_sending(r.EMPTY, {twice.key: Sent(utc("2026-11-01 05:35"))}, utc("2026-11-01 05:35"))
    assert send([twice], utc("2026-11-01 06:35"), state, zone=NEW_YORK) == []  # 01:35 again, EST


def test_quiet_hours_hold_through_both_repeated_hours():
    quiet = QuietHours(time(1), time(2))
    assert quiet.holds(utc("2026-11-01 05:30"), NEW_YORK) and quiet.holds(utc("2026-11-01 06:30"), NEW_YORK)
    assert not quiet.holds(utc("2026-11-01 07:00"), NEW_YORK)  # 02:00 EST


# -- refills ---------------------------------------------------------------------------------------------------------
def test_a_refill_is_reminded_once_a_day():
    low = [Refill("Zinc", "refill needed now — Zinc, 0 tablets left"),
           Refill("Escitalopram", "refill needed by Wed 25 Nov — Escitalopram, 4 tablets left, about 4 days")]
    now = utc("2026-11-21 09:00")
    first = r.refill_reminders(low, r.EMPTY, now, DAY, LONDON, None)
    assert [(x.title, x.body, x.kind) for x in first] == [
        ("Zinc: refill needed", "refill needed now — Zinc, 0 tablets left", "refill"),
        ("Escitalopram: refill needed", low[1].text, "refill")]
    state = r.after_sending(r.EMPTY, {x.key: Sent(now) for x in first}, now)
    assert r.refill_reminders(low, state, now + timedelta(hours=3), DAY, LONDON, None) == []
    assert len(r.refill_reminders(low, state, now + timedelta(days=1), DAY + timedelta(days=1), LONDON, None)) == 2
    assert r.refill_reminders(low, r.EMPTY, utc("2026-11-21 23:00"), DAY, LONDON, QuietHours(time(22), time(7))) == []


# -- the state over time -----------------------------------------------------------------------------------------
def test_what_was_sent_is_forgotten_after_three_days():
    old, new = slot(day=DAY - timedelta(days=4)), slot()
    state = State({old.key: Sent(old.due), new.key: Sent(new.due)}, {old.key: old.due})
    kept = r.after_sending(state, {}, utc("2026-11-21 09:00"))
    assert set(kept.sent) == {new.key} and kept.snoozed == {}


def test_a_logged_dose_closes_its_notification_once():
    taken, still = slot(status="on_time"), slot("09:00", sid=2)
    state = State({taken.key: Sent(taken.due, 11), still.key: Sent(still.due, 12)}, {})
    assert r.answered(state, [taken, still]) == [(taken.key, 11)]
    after = r.closed(state, [taken.key])
    assert r.answered(after, [taken, still]) == [] and taken.key in after.sent  # still sent: never again
