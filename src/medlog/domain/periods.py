"""Calendar periods for `--last`: 10d, 2w, 3m, 1y (a bare number is days).

A period ends on a journal day and holds it, as `--last 90d` always has: the last 10 days to Friday are Friday and
the 9 days before. Months and years go by the calendar: 3 months back from 31 May is 28 February (29 in a leap
year: the same day of the month, clamped to a shorter month's end), so `--last 3m` to 31 May is 1 March to 31 May,
and `--last 1m` to 15 March is 16 February to 15 March. Days and weeks are fixed lengths; the calendar arithmetic
is pendulum's, imported only for months and years.
"""

from __future__ import annotations

from datetime import date, timedelta

from medlog.domain.errors import InputError
from medlog.domain.record import record

UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}
# A century in any unit: more is a typo, refused before any arithmetic (which would leave the calendar).
LONGEST = {"d": 36_525, "w": 5_218, "m": 1_200, "y": 100}
EXAMPLES = "e.g. 90d, 12w, 3m or 1y"


@record
class Period:
    count: int
    unit: str  # d | w | m | y

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"


def parse_period(text: str, *, what: str = "--last") -> Period:
    """"10d", "2w", "3m", "1y" or "30" (days); anything else, nothing, or zero is an InputError."""
    raw = text.strip().casefold()
    unit = raw[-1:] if raw[-1:] in UNITS else "d"
    digits = raw[:-1] if raw[-1:] in UNITS else raw
    if not (digits.isascii() and digits.isdigit()):
        raise InputError(f"{what} {text!r}: give a whole number and d, w, m or y (days, weeks, months, years), "
                         f"{EXAMPLES}")
    count = int(digits)
    if count == 0:
        raise InputError(f"{what} {text!r}: give at least one day, week, month or year, {EXAMPLES}")
    if count > LONGEST[unit]:
        raise InputError(f"{what} {text!r} is more than a century, {EXAMPLES}")
    return Period(count, unit)


def months_back(day: date, months: int) -> date:
    """The same day of the month `months` earlier, clamped to that month's last day (31 May − 3 → 28/29 Feb)."""
    import pendulum

    back = pendulum.date(day.year, day.month, day.day).subtract(months=months)
    return date(back.year, back.month, back.day)


def first_day(period: Period, last: date) -> date:
    """The first journal day of `period` ending on (and holding) journal day `last`."""
    if period.unit == "d":
        return last - timedelta(days=period.count - 1)
    if period.unit == "w":
        return last - timedelta(days=7 * period.count - 1)
    months = period.count * (12 if period.unit == "y" else 1)
    return months_back(last, months) + timedelta(days=1)


def days_in(period: Period, last: date) -> int:
    """How many journal days `period` to `last` holds (3 months to 31 May: 92)."""
    return (last - first_day(period, last)).days + 1
