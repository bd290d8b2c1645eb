"""Weekly figures from the store's SQL aggregates: per metric, per symptom; a rolling mean for the charts.

Week 0 is the seven journal days ending on the end day, week 1 the seven before (see store/trends.py).
Pure functions over plain tuples: no database, no UI.
"""

from __future__ import annotations

from datetime import date, timedelta

from medlog.domain.record import record

ROLLING_DAYS = 7
ROLLING_MIN = 4  # a 7-day mean from fewer logged days than this is too thin to draw


@record
class WeekStats:
    week: int  # 0 = the newest
    since: date
    until: date
    days: int  # days logged, of 7
    mean: float
    median: float
    low: float
    high: float


@record
class SymptomWeek:
    name: str
    week: int
    reports: int
    days: int  # days with it, of 7
    mean_severity: float
    worst: int


def week_bounds(end: date, week: int) -> tuple[date, date]:
    until = end - timedelta(days=7 * week)
    return until - timedelta(days=6), until


def week_of(end: date, day: date) -> int:
    """The week index a journal day falls in (the same count the store's SQL makes)."""
    return (end - day).days // 7


def metric_weeks(rows: list[tuple], end: date) -> dict[str, dict[int, WeekStats]]:
    """Rows (key, week, n, mean, min, max, 'v1,v2,…') → per metric key, per week index, its figures."""
    out: dict[str, dict[int, WeekStats]] = {}
    for key, week, n, mean, low, high, values in rows:
        since, until = week_bounds(end, week)
        mid = _median(sorted(float(v) for v in str(values).split(",")))
        out.setdefault(key, {})[week] = WeekStats(week, since, until, n, mean, mid, low, high)
    return out


def _median(ordered: list[float]) -> float:
    """statistics.median, without importing `statistics` (and its fractions and random) into a small command."""
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def week_change(weeks: dict[int, WeekStats], week: int) -> float | None:
    """This week's mean minus the week before's; None when either has no data."""
    this, before = weeks.get(week), weeks.get(week + 1)
    return None if this is None or before is None else this.mean - before.mean


def symptom_weeks(rows: list[tuple]) -> dict[str, dict[int, SymptomWeek]]:
    """Rows (name, week, reports, days, mean severity, worst) → per symptom name, per week index."""
    out: dict[str, dict[int, SymptomWeek]] = {}
    for name, week, reports, days, mean, worst in rows:
        out.setdefault(name, {})[week] = SymptomWeek(name, week, reports, days, mean, worst)
    return out


def rolling_mean(points: dict[date, float], days: list[date], window: int = ROLLING_DAYS,
                 minimum: int = ROLLING_MIN) -> list[float | None]:
    """For each day, the mean of the logged values in the `window` days ending on it; None when fewer than
    `minimum` of them were logged (a gap is left a gap, never filled in)."""
    out = []
    for day in days:
        values = [points[d] for d in (day - timedelta(days=i) for i in range(window)) if d in points]
        out.append(sum(values) / len(values) if len(values) >= minimum else None)
    return out
