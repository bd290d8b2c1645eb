"""A metric's chart laid out once, in unit coordinates (0..1 both ways, y up), for the PDF and the SVG renderers
to scale into their own boxes: the same dots, weekly means, change marks and ticks in both formats.

A day occupies [i/n, (i+1)/n] of the width: its rating is a dot at the middle, a regimen change a mark at the
start of the day it was filed under, a week's mean a flat step across its days.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from medlog.domain.humanize import day_text
from medlog.domain.record import record
from medlog.reports.model import ChangeLine, MetricSeries, Report

Point = tuple[float, float]


@record
class ChartLayout:
    title: str  # "Sleep quality · 0–10, higher is better"
    points: tuple[Point, ...]  # each day rated
    steps: tuple[tuple[Point, ...], ...]  # the weekly means: one polyline per run of weeks with a mean
    marks: tuple[tuple[float, str], ...]  # (x, letter) of each regimen change in the range
    x_ticks: tuple[tuple[float, str], ...]  # (x, label): month starts, or weeks in a short range
    y_ticks: tuple[tuple[float, str], ...]  # (y, label): the scale's ends and middle

    @property
    def empty(self) -> bool:
        return not self.points


def layout(series: MetricSeries, report: Report) -> ChartLayout:
    since, until = report.header.since, report.header.until
    days = (until - since).days + 1
    spec = series.spec
    low, high = float(spec.min_value), float(spec.max_value)

    def x(day: date) -> float:
        return (day - since).days / days

    def y(value: float) -> float:
        return min(1.0, max(0.0, (value - low) / (high - low)))

    points = tuple((x(day) + 0.5 / days, y(value)) for day, value in sorted(series.values.items()))
    steps: list[tuple[Point, ...]] = []
    run: list[Point] = []
    for week, mean in zip(report.weeks, series.weekly, strict=True):
        if mean is None:
            if run:
                steps.append(tuple(run))
            run = []
            continue
        level = y(mean)
        run += [(x(week.first), level), (x(week.last + timedelta(days=1)), level)]
    if run:
        steps.append(tuple(run))
    middle = (low + high) / 2
    y_ticks = tuple((y(v), f"{v:g}") for v in (low, middle, high))
    return ChartLayout(f"{spec.label} · {spec.scale}", points, tuple(steps), _marks(report.changes, x),
                       _x_ticks(since, until, x, report.header.locale), y_ticks)


def _marks(changes: tuple[ChangeLine, ...], x: Callable[[date], float]) -> tuple[tuple[float, str], ...]:
    return tuple((x(c.day), c.mark) for c in changes)


def _x_ticks(since: date, until: date, x: Callable[[date], float],
             locale: str = "en") -> tuple[tuple[float, str], ...]:
    """Month starts ("Oct") over a long range; in a range of five weeks or less, every seventh day ("12 Oct")."""
    if (until - since).days < 35:
        return tuple((x(since + timedelta(days=k)), day_text(since + timedelta(days=k), locale, "short"))
                     for k in range(0, (until - since).days + 1, 7))
    ticks = []
    month = date(since.year, since.month, 1)
    while month <= until:
        if month >= since:
            ticks.append((x(month), day_text(month, locale, "month" if month.month != 1 else "month_year")))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return tuple(ticks)


def spread(xs: list[float], gap: float) -> list[float]:
    """Where to write the change letters above marks at `xs` (left to right), each at least `gap` right of the
    one before: letters of changes a day or two apart must not overlap. Same units in and out."""
    out: list[float] = []
    for x in xs:
        out.append(max(x, out[-1] + gap) if out else x)
    return out
