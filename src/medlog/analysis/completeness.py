"""How complete the record is: the stretches of days with no entry at all, so a summary never overstates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

GAP_DAYS = 3  # a stretch of this many unlogged days or more is named in the report


def gaps(days: Iterable[date], first: date, last: date, min_days: int) -> list[tuple[date, date]]:
    """Stretches of at least `min_days` consecutive days in [first, last] with no entry (`days`: the days that
    have one), as (first, last) pairs, oldest first."""
    kept = set(days)
    out: list[tuple[date, date]] = []
    start: date | None = None
    for offset in range((last - first).days + 2):  # one past the end closes a stretch that runs to `last`
        day = first + timedelta(days=offset)
        if day in kept or day > last:
            if start is not None and (day - start).days >= min_days:
                out.append((start, day - timedelta(days=1)))
            start = None
        elif start is None:
            start = day
    return out
