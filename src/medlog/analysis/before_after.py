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
                                they are left out of the figures; a verdict that held only with them is "may be
                                recovery"
    another change nearby       another substance started, stopped or re-dosed in the last 14 days of the before
                                window or from the change to the end of the after window: "cannot be separated",
                                and the estimate is given as that of both changes together
    missing days                a window under 75% logged, or windows more than 15 points apart: the interval
                                widened for unlogged days up to a standard deviation better or worse than logged
                                ones; a verdict that held only without that is "depends on unlogged days"

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
from medlog.analysis.changes import Change
from medlog.analysis.level_change import LEVEL, LevelChange, fit
from medlog.analysis.placebo import Placebo
from medlog.domain.record import record, replace
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
MISSING_SD = 1.0  # the bound: unlogged days up to a standard deviation better or worse than logged ones

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
    """The missing-days check: whether it fired, by how much it widened the interval (`shift`, each side), and
    the interval before widening (as if unlogged days were like logged ones)."""

    fired: bool
    shift: float
    plain_low: float
    plain_high: float


@record
class Comparison:
    """The metric around one change. The estimate is the level change allowing for the trend (`difference`,
    `low`–`high`); `raw` is the plain difference of the window means. Figures are None with too little data, and
    the estimate is None when another change nearby cannot be separated from this one (`together` holds it).

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
    bad_spell: BadSpell | None = None  # the figures leave out its bad week(s) when it found some
    with_bad_spell: str | None = None  # the verdict had they been kept (when they were left out)
    missing: Missing | None = None
    blocking: tuple[Confounder, ...] = ()
    together: tuple[float, float, float] | None = None  # with `blocking`: the level change of all these changes
    # together, and its interval (then `difference` is None: it is not this change's)

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
            other_changes: Iterable[Change | tuple[date, str]] = (), substance: str = "", history: bool = True,
            until: date | None = None) -> Comparison:
    """Compare a metric's daily values around the change filed on journal day `change_day`.

    `values` maps journal day → that day's value, over as much of the journal as the caller has (the placebo
    dates and the worst weeks come from it); days absent or None were not logged and are gaps, never zeros.
    `other_changes` are the journal's other regimen changes, as analysis.changes.Change records (or (day,
    description) pairs); those in the windows become `confounders`, and those of another substance than
    `substance` near the change block a verdict. `history=False` skips the checks that read the rest of the
    journal (the placebo dates and the worst weeks). `until`: today; days after it are still to come, so they
    count neither as logged nor as unlogged. Deterministic: no resampling.
    """
    if window_days < 1 or lag_days < 0:
        raise ValueError("compare: the window must be at least a day and the lag not negative")
    if not 2 <= min_days <= window_days:
        raise ValueError(f"compare: the minimum of logged days must lie between 2 and the window ({window_days})")
    series = {day: float(v) for day, v in values.items() if v is not None}
    others = [_confounder(c) for c in other_changes]
    before_start, before_end, after_start, after_end = windows(change_day, window_days, lag_days)
    before = _window(series, before_start, before_end, until)
    after = _window(series, after_start, after_end, until)
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
    spell, with_spell = None, None
    if history:
        spell = bad_spell.check(series, change_day, higher_is_better=higher_is_better)
        if spell.leave_out:  # the bad week(s) are left out of the figures; the verdict with them is kept to say
            again = _fit(series, change_day, window_days, extra, lag_days, skip=spell.leave_out)
            if again is not None:
                with_spell = _verdict(found)
                found = again
    plain = _verdict(found)  # as if every unlogged day were like the logged ones
    missing = _missing(found, before, after)
    if missing.fired:
        found = replace(found, level=replace(found.level, low=found.level.low - missing.shift,
                                             high=found.level.high + missing.shift))
    verdict = _verdict(found)
    sign = 1.0 if higher_is_better else -1.0
    level, own = found.level, found.before_slope
    result = replace(
        base,
        raw=found.difference.value, raw_low=found.difference.low, raw_high=found.difference.high,
        slope_per_week=own.value * 7 if own else None, slope_low=own.low * 7 if own else None,
        slope_high=own.high * 7 if own else None, trend_days=found.before_days, mdd=found.mdd, bad_spell=spell,
        with_bad_spell=with_spell, missing=missing)
    if blocking:  # the figures are those of this change and the nearby one(s) together: not this change's
        result = replace(result, together=(level.value, level.low, level.high))
    else:
        better_low, better_high = sorted((sign * level.low, sign * level.high))
        result = replace(result, difference=level.value, low=level.low, high=level.high,
                         better_by=sign * level.value, better_low=better_low, better_high=better_high)
    if history:
        # the change itself counts as a change: a date whose span holds it is no placebo
        scan = placebo.scan(series, change_day, level.value, [change_day, *(c.day for c in others)],
                            window=window_days, extra=extra, lag=lag_days, min_days=min_days)
        result = replace(result, placebo=scan)
    return replace(result, verdict=_final(verdict, plain, result))


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


def _final(verdict: str, plain: str, result: Comparison) -> str:
    """A claim steps down when a check explains it, in this order (each names what it found). `plain` is the
    verdict had unlogged days been like logged ones."""
    if result.blocking and {verdict, plain, result.with_bad_spell} & set(CLAIMS):
        return CANNOT_SEPARATE
    if result.with_bad_spell in CLAIMS and verdict not in CLAIMS:
        return RECOVERY
    if plain in CLAIMS and verdict not in CLAIMS:
        return UNLOGGED
    if verdict in CLAIMS and result.placebo is not None and result.placebo.usual:
        return USUAL
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


def _missing(found: LevelChange, before: Window, after: Window) -> Missing:
    """Pattern-mixture sensitivity (a δ-adjustment): were unlogged days up to a standard deviation better
    or worse than the logged ones, each window's mean would move by that much times its share of unlogged days,
    the two in opposite directions at worst. The interval is widened by that much on both sides."""
    fired = before.completeness < COMPLETE or after.completeness < COMPLETE or abs(
        before.completeness - after.completeness) > APART
    if not fired:
        return Missing(False, 0.0, found.level.low, found.level.high)
    shift = MISSING_SD * found.sd * ((1 - after.completeness) + (1 - before.completeness))
    return Missing(True, shift, found.level.low, found.level.high)


def _window(series: dict[date, float], start: date, end: date, until: date | None = None) -> Window:
    """A window's figures; `completeness` is over its days up to `until` (a window not over yet has days to come,
    which are not unlogged), `days` its full length."""
    days = (end - start).days + 1
    logged = [v for i in range(days) if (v := series.get(start + timedelta(days=i))) is not None]
    n = len(logged)
    so_far = days if until is None else max(1, min(days, (until - start).days + 1))
    return Window(start, end, days, n, min(1.0, n / so_far), sum(logged) / n if n else None,
                  median(logged) if n else None)


def _confounder(change: Change | tuple[date, str]) -> Confounder:
    if isinstance(change, Change):
        return Confounder(change.day, change.text, change.substance, change.kind)
    day, text = change
    return Confounder(day, str(text))


def within(changes: Iterable[Change | tuple[date, str]], since: date, until: date) -> tuple[Confounder, ...]:
    """The changes (as for `compare`'s `other_changes`) filed on a day from `since` to `until`, by day."""
    return tuple(sorted(c for c in map(_confounder, changes) if since <= c.day <= until))
