"""`--last` periods (domain/periods.py): parsing, and calendar months and years with the month's end clamped."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medlog.domain.errors import InputError
from medlog.domain.periods import Period, days_in, first_day, months_back, parse_period


@pytest.mark.parametrize(("text", "period"), [
    ("10d", Period(10, "d")), ("2w", Period(2, "w")), ("3m", Period(3, "m")), ("1y", Period(1, "y")),
    ("30", Period(30, "d")), (" 3M ", Period(3, "m")), ("12W", Period(12, "w")), ("100y", Period(100, "y")),
])
def test_periods_parse(text, period):
    assert parse_period(text) == period
    assert str(period) in (text.strip().lower(), text.strip().lower() + "d")


@pytest.mark.parametrize(("text", "words"), [
    ("3x", "d, w, m or y"), ("0m", "at least one"), ("0", "at least one"), ("-1m", "whole number"),
    ("٣m", "whole number"), ("99999y", "more than a century"), ("1201m", "more than a century"),
    ("", "whole number"), ("m", "whole number"), ("1.5m", "whole number"), ("3 m", "whole number"),
    ("1e309", "whole number"), ("9" * 50, "more than a century"), ("+3m", "whole number"),
])
def test_bad_periods_are_refused_in_words(text, words):
    with pytest.raises(InputError) as caught:
        parse_period(text, what="--last")
    assert words in str(caught.value) and "--last" in str(caught.value)


@pytest.mark.parametrize(("day", "months", "back"), [
    (date(2026, 5, 31), 3, date(2026, 2, 28)),  # clamped to February's end
    (date(2028, 5, 31), 3, date(2028, 2, 29)),  # a leap year's
    (date(2026, 3, 31), 1, date(2026, 2, 28)),
    (date(2026, 12, 31), 1, date(2026, 11, 30)),
    (date(2026, 3, 15), 1, date(2026, 2, 15)),
    (date(2027, 1, 31), 2, date(2026, 11, 30)),  # across a year
    (date(2028, 2, 29), 12, date(2027, 2, 28)),  # a year back from a leap day
    (date(2028, 2, 29), 48, date(2024, 2, 29)),
])
def test_months_back_keep_the_day_of_the_month_clamped(day, months, back):
    assert months_back(day, months) == back


@pytest.mark.parametrize(("text", "last", "first"), [
    ("10d", date(2026, 11, 21), date(2026, 11, 12)),  # ten days, the last one included
    ("2w", date(2026, 11, 21), date(2026, 11, 8)),
    ("3m", date(2026, 5, 31), date(2026, 3, 1)),  # the day after 28 Feb
    ("3m", date(2028, 5, 31), date(2028, 3, 1)),  # the day after 29 Feb
    ("3m", date(2028, 5, 29), date(2028, 3, 1)),  # 29 Feb 2028 back: the day after
    ("3m", date(2027, 5, 29), date(2027, 3, 1)),  # 28 Feb 2027 (clamped) back: the day after
    ("1m", date(2026, 3, 15), date(2026, 2, 16)),
    ("1y", date(2028, 2, 29), date(2027, 3, 1)),
    ("1y", date(2026, 11, 21), date(2025, 11, 22)),
])
def test_first_day_of_a_period(text, last, first):
    assert first_day(parse_period(text), last) == first


def test_days_in_a_period():
    assert days_in(Period(3, "m"), date(2026, 11, 21)) == 92  # 22 Aug to 21 Nov
    assert days_in(Period(90, "d"), date(2026, 11, 21)) == 90
    assert days_in(Period(1, "y"), date(2028, 2, 29)) == 366
    assert days_in(Period(1, "y"), date(2027, 6, 1)) == 365


def _reference(day: date, months: int) -> date:
    """The same by hand with the standard library's calendar: the month counted back, the day clamped."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2999, 12, 31)), st.integers(1, 1200))
def test_months_back_agree_with_the_calendar(day, months):
    assert months_back(day, months) == _reference(day, months)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2999, 12, 31)), st.integers(1, 1200))
def test_a_period_holds_its_last_day_and_not_the_day_it_counts_back_to(day, months):
    first = first_day(Period(months, "m"), day)
    assert first <= day and first - timedelta(days=1) == _reference(day, months)
