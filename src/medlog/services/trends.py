"""Weekly trends: per metric, symptom and substance, with the regimen changes, for the last N weeks.

The store groups by week in SQL; analysis turns the groups into figures; this module only gathers them.
"""

from __future__ import annotations

from datetime import date, timedelta

from medlog.analysis.changes import Change, changes
from medlog.analysis.weekly import SymptomWeek, WeekStats, metric_weeks, symptom_weeks, week_bounds, week_of
from medlog.domain.errors import InputError
from medlog.domain.metrics import BUILTIN_METRICS, MetricSpec
from medlog.domain.record import record
from medlog.services import adherence
from medlog.services.context import Journal
from medlog.store import lookup
from medlog.store import trends as reads
from medlog.store.connection import NoJournal

MAX_WEEKS = 520


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


def weekly(journal: Journal, weeks: int = 12) -> Trends:
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"--weeks {weeks}: give a whole number from 1 to {MAX_WEEKS}")
    end = journal.today()
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
                  adherence.weekly(journal, weeks), changes(histories, since, end), doses)
