"""One metric in the weeks before and after a regimen change: what changed, how sure, and what else changed.

A description, never a claim of cause: days before and after a change differ in many ways (season, other
changes, regression to the mean after a bad spell that prompted the change). Results therefore name the other
regimen changes inside the windows, and the wording (wording.py) says "changed after", never "because of".

    before window   the `window_days` journal days ending the day before the change
    after window    `window_days` days starting `lag_days` after the change (many treatments take days or
                    weeks to act, and the first days after a start are often unusual, so they are left out)

Verdict (in the metric's own direction, so "improved" means lower anxiety but higher mood):
    not enough data   fewer than `min_days` logged days in either window
    improved          the 95% interval of the better-direction difference lies wholly above 0
    worsened          it lies wholly below 0
    no clear change   it contains 0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from medlog.analysis.bootstrap import LEVEL, RESAMPLES, SEED, mean_difference
from medlog.domain.record import record
from medlog.domain.regimen import ONSET_LAG_DAYS

WINDOW_DAYS = 28  # four weeks: long enough to hold several weekly cycles, short enough to stay near the change
LAG_DAYS = ONSET_LAG_DAYS  # per substance, the user's own (domain/regimen.py)
# Half the default window, in each window. Fewer days than two weeks means at most two 7-day blocks, and the
# interval (widened for few blocks, see bootstrap.py) becomes too wide to say anything; a half-empty window is
# also likely to be unrepresentative (people log more on bad days, or stop logging when things go well).
MIN_DAYS = 14

IMPROVED = "improved"
WORSENED = "worsened"
NO_CLEAR_CHANGE = "no clear change"
NOT_ENOUGH_DATA = "not enough data"
VERDICTS = (IMPROVED, WORSENED, NO_CLEAR_CHANGE, NOT_ENOUGH_DATA)


@record
class Window:
    """One window's days and figures. `n` days of `days` were logged; mean and median are None with none."""

    start: date
    end: date  # inclusive
    days: int
    n: int
    completeness: float  # n / days
    mean: float | None
    median: float | None


@record
class Confounder:
    """Another regimen change inside the windows (or between them): a possible reason for any difference."""

    day: date
    description: str


@record
class Comparison:
    """The metric around one change. Differences are None when the verdict is "not enough data".

    `difference` = after mean − before mean, in the metric's units, with its interval `low`–`high`.
    `better_by` is the same number signed so that positive is better for this metric (for a lower-is-better
    metric it is before − after), with its interval `better_low`–`better_high`.
    """

    change_day: date
    higher_is_better: bool
    before: Window
    after: Window
    difference: float | None
    low: float | None
    high: float | None
    better_by: float | None
    better_low: float | None
    better_high: float | None
    confounders: tuple[Confounder, ...]
    verdict: str
    min_days: int = MIN_DAYS
    level: float = LEVEL


def windows(change_day: date, window_days: int = WINDOW_DAYS,
            lag_days: int = LAG_DAYS) -> tuple[date, date, date, date]:
    """(before start, before end, after start, after end), ends inclusive — for callers that fetch the values."""
    before_start = change_day - timedelta(days=window_days)
    after_start = change_day + timedelta(days=lag_days)
    return before_start, change_day - timedelta(days=1), after_start, after_start + timedelta(days=window_days - 1)


def compare(values: Mapping[date, float | Decimal | None], change_day: date, *, higher_is_better: bool,
            window_days: int = WINDOW_DAYS, lag_days: int = LAG_DAYS, min_days: int = MIN_DAYS,
            other_changes: Iterable[object] = (), resamples: int = RESAMPLES, seed: int = SEED) -> Comparison:
    """Compare a metric's daily values before and after the change filed on journal day `change_day`.

    `values` maps journal day → that day's value (one per day: the caller's daily aggregate); days absent or
    None were not logged and are gaps, never zeros. `other_changes` are the journal's other regimen changes, as
    (day, description) pairs or analysis.changes.Change records (their `day` and `text`); those from the first
    day of the before window to the last of the after window, the change day included, become `confounders`.
    The same input always gives the same result (the bootstrap is seeded).
    """
    if window_days < 1 or lag_days < 0:
        raise ValueError("compare: the window must be at least a day and the lag not negative")
    if not 2 <= min_days <= window_days:
        raise ValueError(f"compare: the minimum of logged days must lie between 2 and the window ({window_days})")
    before_start, before_end, after_start, after_end = windows(change_day, window_days, lag_days)
    xs = _series(values, before_start, window_days)
    ys = _series(values, after_start, window_days)
    before = _window(before_start, before_end, window_days, xs)
    after = _window(after_start, after_end, window_days, ys)
    confounders = within(other_changes, before_start, after_end)
    if before.n < min_days or after.n < min_days:
        return Comparison(change_day, higher_is_better, before, after, None, None, None, None, None, None,
                          confounders, NOT_ENOUGH_DATA, min_days)
    interval = mean_difference(xs, ys, resamples=resamples, seed=seed)
    sign = 1.0 if higher_is_better else -1.0
    better_low, better_high = sorted((sign * interval.low, sign * interval.high))
    if better_low > 0:
        verdict = IMPROVED
    elif better_high < 0:
        verdict = WORSENED
    else:
        verdict = NO_CLEAR_CHANGE
    return Comparison(change_day, higher_is_better, before, after, interval.estimate, interval.low, interval.high,
                      sign * interval.estimate, better_low, better_high, confounders, verdict, min_days,
                      interval.level)


def _series(values: Mapping[date, float | Decimal | None], start: date, days: int) -> list[float | None]:
    out: list[float | None] = []
    for i in range(days):
        value = values.get(start + timedelta(days=i))
        out.append(None if value is None else float(value))
    return out


def _window(start: date, end: date, days: int, series: list[float | None]) -> Window:
    logged = [v for v in series if v is not None]
    n = len(logged)
    mean = sum(logged) / n if n else None
    return Window(start, end, days, n, n / days, mean, median(logged) if n else None)


def within(changes: Iterable[object], since: date, until: date) -> tuple[Confounder, ...]:
    """The changes (as for `compare`'s `other_changes`) filed on a day from `since` to `until`, by day."""
    found = []
    for change in changes:
        day, text = (change.day, change.text) if hasattr(change, "text") else change  # type: ignore[misc]
        if since <= day <= until:
            found.append(Confounder(day, str(text)))
    return tuple(sorted(found))
