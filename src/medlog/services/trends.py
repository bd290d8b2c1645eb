"""Weekly trends: per metric, symptom and substance, with the regimen changes, for the last N weeks.

The store groups by week in SQL; analysis turns the groups into figures; this module only gathers them.
"""

from __future__ import annotations

from datetime import date, timedelta

from medlog.analysis.changes import Change, changes
from medlog.analysis.weekly import (
    ROLLING_DAYS,
    SymptomWeek,
    WeekStats,
    metric_weeks,
    rolling_mean,
    symptom_weeks,
    week_bounds,
    week_of,
)
from medlog.domain import periods
from medlog.domain.adherence import Tally
from medlog.domain.errors import InputError
from medlog.domain.metrics import BUILTIN_METRICS, MetricSpec
from medlog.domain.record import record
from medlog.services import adherence
from medlog.services.context import Journal
from medlog.store import lookup
from medlog.store import trends as reads
from medlog.store.connection import NoJournal

MAX_WEEKS = 520
DEFAULT_WEEKS = 12


@record
class MetricTrend:
    spec: MetricSpec
    weeks: dict[int, WeekStats]  # by week index, 0 = the newest; a week with no rating is absent


@record
class DoseWeek:
    taken: int
    skipped: int
    as_needed: int  # taken without answering a scheduled slot (as-needed or extra)


@record
class Trends:
    end: date  # the last journal day of week 0 (today)
    weeks: int
    logged: dict[int, int]  # days with any entry, per week
    metrics: list[MetricTrend]  # every metric, built-ins first; those never rated in the span have no weeks
    symptoms: dict[str, dict[int, SymptomWeek]]
    adherence: adherence.Report
    changes: list[Change]
    doses: dict[str, dict[int, DoseWeek]]  # per substance name and week: every dose, as-needed ones included

    def bounds(self, week: int) -> tuple[date, date]:
        return week_bounds(self.end, week)


def weeks_for(journal: Journal, last: periods.Period) -> int:
    """`--last` PERIOD as a number of weeks: the whole weeks to today that cover it (the last 3 months to 31 May,
    1 March on, are 92 days: 14 weeks). Months and years go by the calendar (domain/periods.py)."""
    days = periods.days_in(last, journal.today())
    weeks = -(-days // 7)
    if weeks > MAX_WEEKS:
        raise InputError(f"--last {str(last)!r} is {weeks} weeks: trends go back {MAX_WEEKS} weeks at most (10 years)")
    return weeks


def weekly(journal: Journal, weeks: int = DEFAULT_WEEKS, end: date | None = None) -> Trends:
    """The `weeks` weeks to journal day `end` (default: today; a later day is refused)."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"--weeks {weeks}: give a whole number from 1 to {MAX_WEEKS}")
    today = journal.today()
    if end is not None and end > today:
        raise InputError(f"{end.isoformat()} is in the future; trends end today at the latest")
    end = end or today
    since = end - timedelta(days=7 * weeks - 1)
    try:
        with journal.reading() as conn:
            specs = [ref.spec for ref in lookup.metrics(conn)]
            by_metric = metric_weeks(reads.metric_weeks(conn, since, end), end)
            symptoms = symptom_weeks(reads.symptom_weeks(conn, since, end))
            kept = reads.logged_days(conn, since, end)
            histories = reads.regimen_histories(conn)
            doses: dict[str, dict[int, DoseWeek]] = {}
            for name, week, taken, skipped, as_needed in reads.dose_weeks(conn, since, end):
                doses.setdefault(name, {})[week] = DoseWeek(taken, skipped, as_needed)
    except NoJournal:
        return Trends(end, weeks, {}, [MetricTrend(s, {}) for s in BUILTIN_METRICS], {}, adherence.Report([], []),
                      [], {})
    logged: dict[int, int] = {}
    for day in kept:
        week = week_of(end, date.fromisoformat(day))
        logged[week] = logged.get(week, 0) + 1
    return Trends(end, weeks, logged, [MetricTrend(s, by_metric.get(s.key, {})) for s in specs], symptoms,
                  adherence.weekly(journal, weeks, end), changes(histories, since, end), doses)


@record
class Daily:
    """Day by day from `since` to `until`, for charts: each metric's values and 7-day mean, the changes, and
    every scheduled dose's outcome per day."""

    since: date
    until: date
    specs: list[MetricSpec]
    values: dict[str, dict[date, float]]  # per metric key: the days rated
    rolling: dict[str, list[float | None]]  # per metric key, one per day of `days`: the 7-day mean, None if thin
    changes: list[Change]
    adherence: dict[date, Tally]  # days with scheduled slots only

    @property
    def days(self) -> list[date]:
        return [self.since + timedelta(days=i) for i in range((self.until - self.since).days + 1)]


def daily(journal: Journal, since: date, until: date) -> Daily:
    """`since` to `until` (journal days, inclusive), read in one pass per table."""
    if until < since:
        raise InputError(f"{since.isoformat()} comes after {until.isoformat()}")
    try:
        with journal.reading() as conn:
            specs = [ref.spec for ref in lookup.metrics(conn)]
            # the 7-day mean of the first days reaches back before `since`
            values = reads.daily_values(conn, since - timedelta(days=ROLLING_DAYS - 1), until)
            histories = reads.regimen_histories(conn)
    except NoJournal:
        return Daily(since, until, list(BUILTIN_METRICS), {}, {}, [], {})
    result = Daily(since, until, specs, {}, {}, changes(histories, since, until),
                   adherence.daily(journal, since, until))
    days = result.days
    for key, points in values.items():
        result.values[key] = {day: v for day, v in points.items() if day >= since}
        result.rolling[key] = rolling_mean(points, days)
    return result
