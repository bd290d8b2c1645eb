"""Placebo dates: the same before/after statistic at dates in the person's own history when nothing changed.

If a level change as large as the real one turned up at many dates with no regimen change, the real one is
within this person's usual ups and downs, whatever its interval says (the interval assumes a noise model; this
check assumes nothing but the person's own history). Dates are taken a week apart, on the change's weekday, so
neighbouring dates share fewer days and the weekly rhythm is matched. A date is eligible when no regimen change
of any substance falls in its whole span (the before segment to the end of the after window) and both windows
hold enough logged days.

The statistic is level_change.fit's δ (the level change less the common trend), computed from prefix sums of
the daily series: one pass over the series, then O(1) a date — never a fit per date.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from itertools import accumulate

from medlog.domain.record import record

STEP_DAYS = 7
MIN_DATES = 20  # fewer eligible dates than this cannot place a difference among the usual ones (1/21 < 0.05)
GATE = 0.05  # a rank share above this: differences this large are common here


@record
class Placebo:
    """`as_large` of `dates` eligible dates showed a level change at least as large (in size) as the real one.
    `share` = (as_large + 1) / (dates + 1), the rank of the real one among them; None below MIN_DATES."""

    dates: int
    as_large: int
    share: float | None

    @property
    def enough(self) -> bool:
        return self.share is not None

    @property
    def usual(self) -> bool:
        """Enough dates, and differences this large are common among them."""
        return self.share is not None and self.share > GATE


class Prefix:
    """Running sums of one daily series (day index t from the first day): counts, Σt, Σy, Σty, Σt²."""

    def __init__(self, values: Mapping[date, float], first: date, last: date) -> None:
        self.first = first
        self.days = (last - first).days + 1
        dense: list[float | None] = [None] * self.days
        for day, y in values.items():
            if first <= day <= last:
                dense[(day - first).days] = y
        columns = (
            [y is not None for y in dense],
            [t if y is not None else 0 for t, y in enumerate(dense)],
            [y if y is not None else 0.0 for y in dense],
            [t * y if y is not None else 0.0 for t, y in enumerate(dense)],
            [t * t if y is not None else 0 for t, y in enumerate(dense)],
        )
        self.sums = [list(accumulate(column, initial=0)) for column in columns]

    def segment(self, lo: int, hi: int) -> tuple[float, float, float, float, float]:
        """Sums over day indices lo..hi inclusive (clipped to the series)."""
        lo, hi = max(lo, 0), min(hi, self.days - 1)
        if hi < lo:
            return 0.0, 0.0, 0.0, 0.0, 0.0
        n, t, y, ty, tt = self.sums
        return n[hi + 1] - n[lo], t[hi + 1] - t[lo], y[hi + 1] - y[lo], ty[hi + 1] - ty[lo], tt[hi + 1] - tt[lo]

    def level(self, index: int, window: int, extra: int, lag: int, min_days: int) -> float | None:
        """δ for a change at day index `index` (level_change.fit's, from sums); None if the windows are short."""
        pre = self.segment(index - window - extra, index - 1)
        win = self.segment(index - window, index - 1)
        aft = self.segment(index + lag, index + lag + window - 1)
        if win[0] < min_days or aft[0] < min_days or pre[0] < 3:
            return None
        stt = [s[4] - s[1] * s[1] / s[0] for s in (pre, aft)]
        sty = [s[3] - s[1] * s[2] / s[0] for s in (pre, aft)]
        if stt[0] <= 1e-9 or stt[1] <= 1e-9:
            return None
        slope = (sty[0] + sty[1]) / (stt[0] + stt[1])
        gap = aft[1] / aft[0] - win[1] / win[0]
        return aft[2] / aft[0] - win[2] / win[0] - slope * gap


def scan(values: Mapping[date, float], change_day: date, observed: float, change_days: Iterable[date], *,
         window: int, extra: int, lag: int, min_days: int) -> Placebo:
    """Rank the real level change `observed` among those at eligible dates a week apart (module notes)."""
    if not values:
        return Placebo(0, 0, None)
    first, last = min(values), max(values)
    prefix = Prefix(values, first, last)
    changes = sorted(set(change_days))
    size = abs(observed)
    dates = as_large = 0
    start = change_day - timedelta(days=STEP_DAYS * ((change_day - first).days // STEP_DAYS))
    day = start
    while day <= last:
        span_from, span_to = day - timedelta(days=window + extra), day + timedelta(days=lag + window - 1)
        i = bisect_left(changes, span_from)
        if day != change_day and not (i < len(changes) and changes[i] <= span_to):
            found = prefix.level((day - first).days, window, extra, lag, min_days)
            if found is not None:
                dates += 1
                as_large += abs(found) >= size - 1e-12
        day += timedelta(days=STEP_DAYS)
    share = (as_large + 1) / (dates + 1) if dates >= MIN_DATES else None
    return Placebo(dates, as_large, share)
