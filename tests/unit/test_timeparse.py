from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from medlog.domain.errors import InputError
from medlog.domain.timeparse import day_start, iso_local, journal_day, parse_day, parse_when, resolve_local

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 09:00 in London


def at(text, now=NOW, zone=LONDON):
    return parse_when(text, now=now, zone=zone).instant


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("text, expected", [
    ("now", NOW),
    ("08:05", utc(2026, 11, 21, 8, 5)),
    ("21:30", utc(2026, 11, 20, 21, 30)),        # later than now today → the most recent past: last night
    ("9pm", utc(2026, 11, 20, 21, 0)),
    ("9:30am", NOW.replace(minute=0, hour=9) - timedelta(hours=23, minutes=30)),
    ("12am", utc(2026, 11, 21, 0, 0)),
    ("yesterday 22:00", utc(2026, 11, 20, 22, 0)),
    ("yesterday at 22:00", utc(2026, 11, 20, 22, 0)),
    ("today 08:00", utc(2026, 11, 21, 8, 0)),
    ("2026-11-20 08:00", utc(2026, 11, 20, 8, 0)),
    ("2h ago", NOW - timedelta(hours=2)),
    ("90m ago", NOW - timedelta(minutes=90)),
    ("1h30m ago", NOW - timedelta(minutes=90)),
    ("2 days ago", NOW - timedelta(days=2)),
    ("45 min ago", NOW - timedelta(minutes=45)),
    ("2026-11-20T08:00:00+01:00", utc(2026, 11, 20, 7, 0)),
    ("2026-11-20T08:00Z", utc(2026, 11, 20, 8, 0)),
    ("2026-11-20 08:00+01:00", utc(2026, 11, 20, 7, 0)),
    ("2026-11-20T08:00", utc(2026, 11, 20, 8, 0)),
    ("  YESTERDAY   22:00 ", utc(2026, 11, 20, 22, 0)),
    ("٠٨:٠٥", utc(2026, 11, 21, 8, 5)),
])
def test_grammar(text, expected):
    assert at(text) == expected


@pytest.mark.parametrize("text, reason", [
    ("tomorrow", "not a time"), ("25:00", "not a time of day"), ("12:60", "not a time of day"),
    ("13pm", "1 to 12"), ("today 10:00", "future"), ("2026-11-22 08:00", "future"), ("2026-02-30 08:00", "calendar"),
    ("2026-11-20", "needs a time"), ("yesterday", "needs a time"), ("", "empty"), ("1899-12-31 08:00", "before 1900"),
    ("2026-11-20T08:00+25:00", "ISO 8601"), ("soon", "not a time"),
])
def test_refusals(text, reason):
    with pytest.raises(InputError, match=reason):
        at(text)


def test_dst_gap_is_refused_naming_the_gap():
    now = utc(2026, 3, 9, 12, 0)
    with pytest.raises(InputError, match=r"2026-03-08 02:30 does not exist in America/New_York: clocks jumped "
                                         r"from 02:00 to 03:00"):
        at("2026-03-08 02:30", now=now, zone=NEW_YORK)
    # a 30-minute gap (Lord Howe Island) is named exactly too
    with pytest.raises(InputError, match="from 02:00 to 02:30"):
        parse_when("2026-10-04 02:15", now=utc(2026, 10, 5), zone=ZoneInfo("Australia/Lord_Howe"))
    # either side of the gap is fine
    assert at("2026-03-08 01:59", now=now, zone=NEW_YORK) == utc(2026, 3, 8, 6, 59)
    assert at("2026-03-08 03:00", now=now, zone=NEW_YORK) == utc(2026, 3, 8, 7, 0)


def test_dst_overlap_takes_the_first_and_says_so_and_an_offset_takes_the_second():
    now = utc(2026, 11, 2, 12, 0)
    when = parse_when("2026-11-01 01:30", now=now, zone=NEW_YORK)
    assert when.instant == utc(2026, 11, 1, 5, 30)  # 01:30 EDT (-04:00)
    assert "happened twice" in when.note and "2026-11-01T01:30-05:00" in when.note
    second = parse_when("2026-11-01T01:30-05:00", now=now, zone=NEW_YORK)
    assert second.instant == utc(2026, 11, 1, 6, 30) and second.note is None


def test_leap_days():
    now = utc(2028, 3, 1, 12)
    assert at("2028-02-29 08:00", now=now) == utc(2028, 2, 29, 8)
    with pytest.raises(InputError, match="calendar"):
        at("2027-02-29 08:00", now=now)
    assert parse_day("2028-02-29", today=date(2028, 3, 1)) == date(2028, 2, 29)


def test_journal_day_rolls_over_at_four():
    four = time(4, 0)
    assert journal_day(utc(2026, 11, 21, 1, 30), LONDON, four) == date(2026, 11, 20)
    assert journal_day(utc(2026, 11, 21, 3, 59), LONDON, four) == date(2026, 11, 20)
    assert journal_day(utc(2026, 11, 21, 4, 0), LONDON, four) == date(2026, 11, 21)
    assert journal_day(utc(2026, 11, 21, 1, 30), LONDON, time(0, 0)) == date(2026, 11, 21)
    # the day follows the zone of entry: 01:30 UTC is still the evening of the 20th in New York
    assert journal_day(utc(2026, 11, 21, 1, 30), NEW_YORK, four) == date(2026, 11, 20)
    assert journal_day(utc(2026, 11, 21, 9, 30), NEW_YORK, four) == date(2026, 11, 21)


def test_day_start_is_the_rollover_instant():
    assert day_start(date(2026, 11, 21), time(4), LONDON) == utc(2026, 11, 21, 4)
    assert day_start(date(2026, 7, 1), time(4), LONDON) == utc(2026, 7, 1, 3)  # BST


@pytest.mark.parametrize("text, day", [
    ("today", date(2026, 11, 21)), ("yesterday", date(2026, 11, 20)), ("2026-11-01", date(2026, 11, 1)),
])
def test_parse_day(text, day):
    assert parse_day(text, today=date(2026, 11, 21)) == day


@pytest.mark.parametrize("text", ["2026-11-22", "tomorrow", "2026-02-30", "21/11/2026", ""])
def test_parse_day_refusals(text):
    with pytest.raises(InputError):
        parse_day(text, today=date(2026, 11, 21))


zones = st.sampled_from(["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
                         "Pacific/Chatham", "America/St_Johns", "UTC", "Europe/Berlin", "Africa/Casablanca"])
instants = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2037, 12, 31),
                        timezones=st.just(UTC))


@given(instants, zones)
def test_iso_with_offset_round_trips_exactly(instant, zone_name):
    zone = ZoneInfo(zone_name)
    instant = instant.replace(microsecond=0)
    parsed = parse_when(iso_local(instant, zone), now=instant + timedelta(hours=1), zone=zone)
    assert parsed.instant == instant


@given(instants, zones)
def test_local_wall_times_resolve_like_pendulum(instant, zone_name):
    """Independent reference: pendulum agrees on every wall time outside a gap; inside one we refuse."""
    zone = ZoneInfo(zone_name)
    wall = instant.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    try:
        ours = resolve_local(wall.date(), wall.time(), zone).instant
    except InputError:
        with pytest.raises(pendulum.exceptions.NonExistingTime):
            pendulum.datetime(*wall.timetuple()[:6], tz=zone_name, raise_on_unknown_times=True)
        return
    theirs = pendulum.datetime(*wall.timetuple()[:6], tz=zone_name, fold=0)
    assume(ours is not None)
    assert ours == theirs.in_timezone("UTC")


@pytest.mark.parametrize("text, zone", [
    ("0001-01-01T00:00+14:00", LONDON),      # an offset that moves year 1 before Python's calendar
    ("9999-12-31T23:59-12:00", LONDON),      # and year 9999 after it
    ("0001-01-01 00:00", ZoneInfo("Asia/Tokyo")),  # a wall time east of UTC on the first day there is
    ("99999999999 days ago", LONDON),        # more days than a timedelta holds
    ("999999999 days ago", LONDON),          # a timedelta, but before year 1
])
def test_times_off_the_calendar_are_refused_not_overflowed(text, zone):
    # found by tests/reliability/test_cli_fuzz.py: these were OverflowErrors (an internal error at the CLI)
    with pytest.raises(InputError, match="too far"):
        parse_when(text, now=NOW, zone=zone)
