"""Regression to the mean: was the change made right after one of the person's worst weeks?

People try something new when things are bad, and bad spells pass on their own: a week among the worst tenth is
usually followed by better ones, change or no change. So when the last week before the change (or the week
before it) was among the person's worst 10% of weeks — by the metric's own direction, over every 7-day stretch
of their journal before the change with at least 4 days rated (weeks after it may differ because of it) — the
comparison is flagged, and the service repeats it with that
week (or both weeks) left out of the before window. A verdict that does not survive leaving them out is not
given.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from itertools import accumulate

from medlog.analysis.bootstrap import percentile
from medlog.domain.record import record

WEEK = 7
MIN_RATED = 4  # days rated of a week for its mean to count
MIN_WEEKS = 21  # rolling weeks needed to speak of a worst tenth: four weeks of days before the change
WORST = 0.10


@record
class BadSpell:
    """`leave_out`: days before the change to leave out (7 or 14), 0 when neither week was among the worst;
    `threshold`: the worst-tenth line of the person's weekly means; None without enough weeks."""

    weeks: int
    threshold: float | None
    last_week: float | None  # mean of the 7 days before the change
    week_before: float | None  # mean of the 7 days before those
    leave_out: int

    @property
    def enough(self) -> bool:
        return self.threshold is not None


def weekly_means(values: Mapping[date, float], first: date, last: date) -> list[float]:
    """The mean of every 7-day stretch in [first, last] with at least MIN_RATED days rated (one pass, running
    sums over the days)."""
    days = (last - first).days + 1
    if days < WEEK:
        return []
    total, count = [0.0] * days, [0] * days
    for day, y in values.items():
        if first <= day <= last:
            total[(day - first).days], count[(day - first).days] = y, 1
    sums, counts = list(accumulate(total, initial=0.0)), list(accumulate(count, initial=0))
    out = []
    for end in range(WEEK, days + 1):
        n = counts[end] - counts[end - WEEK]
        if n >= MIN_RATED:
            out.append((sums[end] - sums[end - WEEK]) / n)
    return out


def check(values: Mapping[date, float], change_day: date, *, higher_is_better: bool) -> BadSpell:
    """Whether the week (or two) before `change_day` was among the person's worst tenth of weeks."""
    if not values:
        return BadSpell(0, None, None, None, 0)
    means = weekly_means(values, min(values), change_day - timedelta(days=1)) if min(values) < change_day else []
    last = _mean(values, change_day - timedelta(days=WEEK), change_day - timedelta(days=1))
    before = _mean(values, change_day - timedelta(days=2 * WEEK), change_day - timedelta(days=WEEK + 1))
    if len(means) < MIN_WEEKS:
        return BadSpell(len(means), None, last, before, 0)
    ordered = sorted(means)
    threshold = percentile(ordered, WORST if higher_is_better else 1 - WORST)

    def bad(mean: float | None) -> bool:
        return mean is not None and (mean <= threshold if higher_is_better else mean >= threshold)

    # the week before among the worst: both weeks go (the one left in would tilt the trend line); else the last
    leave_out = 2 * WEEK if bad(before) else WEEK if bad(last) else 0
    return BadSpell(len(means), threshold, last, before, leave_out)


def _mean(values: Mapping[date, float], first: date, last: date) -> float | None:
    rated = [v for d in range((last - first).days + 1) if (v := values.get(first + timedelta(days=d))) is not None]
    return sum(rated) / len(rated) if len(rated) >= MIN_RATED else None
