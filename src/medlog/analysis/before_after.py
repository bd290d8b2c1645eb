"""One metric in the weeks before and after a regimen change: what changed, and what else could explain it.

A description, never a claim of cause. A verdict that the rating was higher or lower after a change is a claim
that the change, not the calendar, lines up with the difference; so it is given only when the usual impostors
have been checked and none fits (docs/analysis.md has the method and its calibration):

    a trend already under way   the level change is estimated allowing for a slope common to both windows
                                (level_change.py); a difference the slope explains reads "already rising/falling",
                                one a slope these weeks cannot rule out might explain "could be a trend"
    placebo dates               the same statistic at dates with no change in the person's own history
                                (placebo.py); if one as large is common there, "within usual variation"
    regression to the mean      the week or two before the change among the person's worst tenth (bad_spell.py):
                                the comparison is repeated without them and must hold there too, else "may be
                                recovery"
    another change nearby       another substance started, stopped or re-dosed in the last 14 days of the before
                                window or from the change to the end of the after window: "cannot be separated"
    missing days                a window under 75% logged, or windows more than 15 points apart: the difference
                                if unlogged days were half a standard deviation against it; if that bound
                                reaches 0, "depends on unlogged days"

    before window   the `window_days` journal days ending the day before the change
    after window    `window_days` days starting `lag_days` after the change (the onset lag)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from medlog.analysis import bad_spell, placebo
from medlog.analysis.bad_spell import BadSpell
from medlog.analysis.level_change import LEVEL, LevelChange, fit
from medlog.analysis.placebo import Placebo
from medlog.domain.record import record
from medlog.domain.regimen import ONSET_LAG_DAYS

WINDOW_DAYS = 28  # four weeks: long enough to hold several weekly cycles, short enough to stay near the change
LAG_DAYS = ONSET_LAG_DAYS  # per substance, the user's own (domain/regimen.py)
# Half the default window, in each window: a half-empty window is likely unrepresentative (people log more on bad
# days, or stop logging when things go well), and the trend and noise cannot be told apart in fewer days.
MIN_DAYS = 14
EXTRA_DAYS = 56  # up to 8 more weeks before the before window for the slope, where nothing else changed then
NEAR_DAYS = 14  # another change this close before the change (or after it, to the after window's end) blocks
COMPLETE = 0.75  # a window less complete than this, or
APART = 0.15  # windows this far apart in completeness, get the missing-days bound
MISSING_SD = 0.5  # the bound: unlogged days half a standard deviation against the difference

HIGHER = "higher"
LOWER = "lower"
NO_CLEAR = "no clear difference"
ALREADY_RISING = "already rising"
ALREADY_FALLING = "already falling"
TREND_POSSIBLE = "could be a trend"
CANNOT_SEPARATE = "cannot be separated"
USUAL = "within usual variation"
RECOVERY = "may be recovery"
UNLOGGED = "depends on unlogged days"
NOT_ENOUGH_DATA = "not enough data"
CLAIMS = (HIGHER, LOWER)  # the only verdicts that say the rating moved with the change
VERDICTS = (HIGHER, LOWER, NO_CLEAR, ALREADY_RISING, ALREADY_FALLING, TREND_POSSIBLE, CANNOT_SEPARATE, USUAL,
            RECOVERY, UNLOGGED, NOT_ENOUGH_DATA)
CHANGE_KINDS_THAT_BLOCK = ("start", "stop", "dose_change")


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
    substance: str = ""
    kind: str = ""


@record
class Missing:
    """The missing-days check: whether it fired, and the level change if unlogged days were against it."""

    fired: bool
    bound: float | None  # the estimate under that assumption (None when it did not fire)
    bound_low: float | None
    bound_high: float | None


@record
class Comparison:
    """The metric around one change. The estimate is the level change allowing for the trend (`difference`,
    `low`–`high`); `raw` is the plain difference of the window means. Figures are None with too little data.

    `better_by` is the estimate signed so that positive is better for this metric, with `better_low`–`better_high`.
    `blocking` are the nearby changes that make the verdict "cannot be separated"; `confounders` every other
    change inside the windows.
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
    raw: float | None = None  # after mean − before mean
    raw_low: float | None = None
    raw_high: float | None = None
    slope_per_week: float | None = None  # the before segment's own slope, per week, with its interval
    slope_low: float | None = None
    slope_high: float | None = None
    trend_days: int = 0  # days the before segment spans (window and earlier history)
    mdd: float | None = None  # the smallest level change these windows would detect 80% of the time
    placebo: Placebo | None = None
    bad_spell: BadSpell | None = None
    without_bad_spell: str | None = None  # the verdict with the bad week(s) left out, when they were
    missing: Missing | None = None
    blocking: tuple[Confounder, ...] = ()

    @property
    def claims(self) -> bool:
        return self.verdict in CLAIMS

    @property
    def better(self) -> bool | None:
        """Whether the direction of a claim is the better one for this metric; None without a claim."""
        if not self.claims:
            return None
        return (self.verdict == HIGHER) == self.higher_is_better


def windows(change_day: date, window_days: int = WINDOW_DAYS,
            lag_days: int = LAG_DAYS) -> tuple[date, date, date, date]:
    """(before start, before end, after start, after end), ends inclusive — for callers that fetch the values."""
    before_start = change_day - timedelta(days=window_days)
    after_start = change_day + timedelta(days=lag_days)
    return before_start, change_day - timedelta(days=1), after_start, after_start + timedelta(days=window_days - 1)


def compare(values: Mapping[date, float | Decimal | None], change_day: date, *, higher_is_better: bool,
            window_days: int = WINDOW_DAYS, lag_days: int = LAG_DAYS, min_days: int = MIN_DAYS,
            other_changes: Iterable[object] = (), substance: str = "", history: bool = True) -> Comparison:
    """Compare a metric's daily values around the change filed on journal day `change_day`.

    `values` maps journal day → that day's value, over as much of the journal as the caller has (the placebo
    dates and the worst weeks come from it); days absent or None were not logged and are gaps, never zeros.
    `other_changes` are the journal's other regimen changes, as analysis.changes.Change records (or (day,
    description) pairs); those in the windows become `confounders`, and those of another substance than
    `substance` near the change block a verdict. `history=False` skips the placebo and worst-week checks (the
    repeat without the bad weeks, and the placebo dates themselves). Deterministic: no resampling.
    """
    if window_days < 1 or lag_days < 0:
        raise ValueError("compare: the window must be at least a day and the lag not negative")
    if not 2 <= min_days <= window_days:
        raise ValueError(f"compare: the minimum of logged days must lie between 2 and the window ({window_days})")
    series = {day: float(v) for day, v in values.items() if v is not None}
    others = [_confounder(c) for c in other_changes]
    before_start, before_end, after_start, after_end = windows(change_day, window_days, lag_days)
    before = _window(series, before_start, before_end)
    after = _window(series, after_start, after_end)
    confounders = tuple(sorted(c for c in others if before_start <= c.day <= after_end))
    blocking = tuple(c for c in confounders if c.substance and c.substance != substance
                     and c.kind in CHANGE_KINDS_THAT_BLOCK and c.day >= change_day - timedelta(days=NEAR_DAYS))
    base = Comparison(change_day, higher_is_better, before, after, None, None, None, None, None, None, confounders,
                      NOT_ENOUGH_DATA, min_days, blocking=blocking)
    if before.n < min_days or after.n < min_days:
        return base
    extra = _extra(change_day, window_days, [c.day for c in others])
    found = _fit(series, change_day, window_days, extra, lag_days, skip=0)
    if found is None:
        return base
    verdict = _verdict(found)
    sign = 1.0 if higher_is_better else -1.0
    level = found.level
    better_low, better_high = sorted((sign * level.low, sign * level.high))
    own = found.before_slope
    result = base._replace(
        difference=level.value, low=level.low, high=level.high, better_by=sign * level.value,
        better_low=better_low, better_high=better_high, raw=found.difference.value, raw_low=found.difference.low,
        raw_high=found.difference.high, slope_per_week=own.value * 7 if own else None,
        slope_low=own.low * 7 if own else None, slope_high=own.high * 7 if own else None,
        trend_days=found.before_days, mdd=found.mdd, missing=_missing(found, before, after, verdict))
    if history:
        changed = [c.day for c in others]
        spell = bad_spell.check(series, change_day, higher_is_better=higher_is_better)
        scan = placebo.scan(series, change_day, level.value, changed, window=window_days, extra=extra,
                            lag=lag_days, min_days=min_days)
        result = result._replace(placebo=scan, bad_spell=spell)
        if spell.leave_out and verdict in CLAIMS:
            again = _fit(series, change_day, window_days, extra, lag_days, skip=spell.leave_out)
            result = result._replace(without_bad_spell=_verdict(again) if again else NOT_ENOUGH_DATA)
    return result._replace(verdict=_final(verdict, result))


def _verdict(found: LevelChange) -> str:
    """The verdict from the figures alone. A clear level change is a claim. A clear difference of the windows
    whose level change is not clear is "already rising/falling" when the trend before runs the same way and
    accounts for it (its own interval excludes 0, or continuing it covers at least half the difference), and
    otherwise "could be a trend": a trend as steep as these weeks allow could explain it."""
    level, raw = found.level, found.difference
    if level.excludes_zero():
        return HIGHER if level.value > 0 else LOWER
    if not raw.excludes_zero():
        return NO_CLEAR
    own = found.before_slope or found.slope
    same_way = own.value * raw.value > 0
    if same_way and (own.excludes_zero() or abs(raw.value - level.value) >= abs(raw.value) / 2):
        return ALREADY_RISING if raw.value > 0 else ALREADY_FALLING
    return TREND_POSSIBLE


def _final(verdict: str, result: Comparison) -> str:
    """A claim steps down when a check explains it, in this order (each names what it found)."""
    if verdict not in CLAIMS:
        return verdict
    if result.blocking:
        return CANNOT_SEPARATE
    if result.without_bad_spell is not None and result.without_bad_spell != verdict:
        return RECOVERY
    if result.placebo is not None and result.placebo.usual:
        return USUAL
    if result.missing is not None and result.missing.bound is not None and (
            result.missing.bound_low <= 0 <= result.missing.bound_high):  # type: ignore[operator]
        return UNLOGGED
    return verdict


def _fit(series: dict[date, float], change_day: date, window: int, extra: int, lag: int,
         skip: int) -> LevelChange | None:
    """level_change.fit on the series around the change; the `skip` days just before it left out (the bad
    weeks), the window otherwise where it was, so the comparison loses those days and no more."""
    before = _points(series, change_day, -(window + extra), -1 - skip)
    after = _points(series, change_day, lag, lag + window - 1)
    return fit(before, -window, after)


def _points(series: dict[date, float], change_day: date, lo: int, hi: int) -> list[tuple[int, float]]:
    out = []
    for t in range(lo, hi + 1):
        value = series.get(change_day + timedelta(days=t))
        if value is not None:
            out.append((t, value))
    return out


def _extra(change_day: date, window: int, change_days: list[date]) -> int:
    """Days of history before the before window for the slope: up to EXTRA_DAYS, cut at the latest other change
    before the window (a different regimen then)."""
    start = change_day - timedelta(days=window)
    earlier = [d for d in change_days if d < start]
    if not earlier:
        return EXTRA_DAYS
    return max(0, min(EXTRA_DAYS, (start - max(earlier)).days - 1))


def _missing(found: LevelChange, before: Window, after: Window, verdict: str) -> Missing:
    fired = before.completeness < COMPLETE or after.completeness < COMPLETE or abs(
        before.completeness - after.completeness) > APART
    if not fired or verdict not in CLAIMS:
        return Missing(fired, None, None, None)
    # Pattern-mixture δ-adjustment: unlogged days after the change worse than logged ones by half an SD, and
    # those before better by as much — each against the claim's direction.
    toward_zero = -1.0 if found.level.value > 0 else 1.0
    shift = toward_zero * MISSING_SD * found.sd * ((1 - after.completeness) + (1 - before.completeness))
    level = found.level
    return Missing(True, level.value + shift, level.low + shift, level.high + shift)


def _window(series: dict[date, float], start: date, end: date) -> Window:
    days = (end - start).days + 1
    logged = [v for i in range(days) if (v := series.get(start + timedelta(days=i))) is not None]
    n = len(logged)
    return Window(start, end, days, n, n / days, sum(logged) / n if n else None, median(logged) if n else None)


def _confounder(change: object) -> Confounder:
    if hasattr(change, "text"):
        return Confounder(change.day, str(change.text), str(getattr(change, "substance", "")),  # type: ignore[attr-defined]
                          str(getattr(change, "kind", "")))
    day, text = change  # type: ignore[misc]
    return Confounder(day, str(text))


def within(changes: Iterable[object], since: date, until: date) -> tuple[Confounder, ...]:
    """The changes (as for `compare`'s `other_changes`) filed on a day from `since` to `until`, by day."""
    return tuple(sorted(c for c in map(_confounder, changes) if since <= c.day <= until))
