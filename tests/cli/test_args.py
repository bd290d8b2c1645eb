"""cli/args.py: the CLI's text parsed once, at the edge, into what services take — and refused there."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from medlog.cli import args as parse
from medlog.domain.errors import InputError
from medlog.domain.periods import Period
from medlog.domain.timeparse import When
from medlog.domain.units import Amount


def test_absent_options_stay_absent(journal):
    assert parse.moment(journal, None) is None
    assert parse.day(journal, None) is None
    assert parse.bound(journal, None) is None
    assert parse.amount(None) is None
    assert parse.schedule(None) is None
    assert parse.period(None) is None
    assert parse.start(journal, None) is None


def test_moments_and_days_in_the_journals_zone_and_clock(journal):
    # the suite's now: Sat 2026-11-21 09:00 in London (UTC+0)
    assert parse.moment(journal, "2h ago") == When(datetime(2026, 11, 21, 7, 0, tzinfo=UTC))
    assert parse.day(journal, "yesterday") == date(2026, 11, 20)
    with pytest.raises(InputError, match="future"):
        parse.moment(journal, "2026-12-25 08:00")
    planned = parse.moment(journal, "2026-12-25 08:00", future=True)
    assert planned is not None and planned.instant == datetime(2026, 12, 25, 8, 0, tzinfo=UTC)


def test_a_log_bound_is_a_day_when_written_as_one_else_an_instant(journal):
    assert parse.bound(journal, "2026-11-20") == date(2026, 11, 20)
    assert parse.bound(journal, "yesterday 22:00") == datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
    with pytest.raises(InputError, match="neither a day"):
        parse.bound(journal, "last tuesday-ish")


def test_since_is_a_moment_or_a_day(journal):
    assert parse.start(journal, "2026-11-01") == date(2026, 11, 1)
    assert parse.start(journal, "2026-11-01 08:00") == When(datetime(2026, 11, 1, 8, 0, tzinfo=UTC))
    with pytest.raises(InputError):
        parse.start(journal, "soon")


def test_amounts_strengths_schedules_periods_hours():
    assert parse.amount("200 mg") == Amount(Decimal(200), "mg")
    assert parse.strength("10 mg") == Amount(Decimal(10), "mg")
    with pytest.raises(InputError, match="unit of measure"):
        parse.strength("2 tablets")
    assert parse.schedule("08:00,21:00").times == ("08:00", "21:00")
    assert parse.schedule(None, as_needed=True).as_needed
    assert parse.period("3m") == Period(3, "m")
    assert parse.hours("4") == Decimal(4)
    assert parse.onset_lag("14 days") == 14
    assert parse.severity("moderate") == 5


@pytest.mark.parametrize("text", ["-5 mg", "1e309 mg", "0 mg", "nan mg"])
def test_bad_amounts_are_refused_at_the_edge(text):
    with pytest.raises(InputError):
        parse.amount(text)
