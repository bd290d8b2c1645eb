"""The level change at a regimen change, allowing for a trend already under way: a short interrupted time series.

Days are numbered relative to the change (day 0). Two segments of logged days take part:

    before segment  the before window (the `window` days ending the day before the change) and up to `extra`
                    earlier days, so that the slope can be seen over a longer stretch where there is history
    after segment   the after window, which starts after the onset lag

The model is two levels and one slope common to both segments (Bernal, Cummins & Gasparrini 2017: segmented
regression without a slope change, which a few weeks of days cannot estimate). The slope is the pooled
within-segment least-squares slope, so a step between the segments does not tilt it. Then

    difference  D = mean(after window) − mean(before window)                 what the two windows show
    level       δ = D − slope × (centre of after window − centre of before window)   what continuing the trend
                                                                             does not explain

Both are linear in the values (weights `w`), so their variances follow exactly from a model of the noise.
Daily ratings are autocorrelated; the noise is taken as AR(1) with the lag-1 autocorrelation of the residuals
(pairs of consecutive logged days), so Var = σ² Σ w_i w_j φ^|t_i − t_j| — gaps in the days are handled by the
real distance between days. A short series underestimates φ (Kendall's bias, about −(1 + 3φ)/n), and the
residuals of a fitted line underestimate σ²; the estimate is raised by five times Kendall's first-order
correction, which brought the 95% intervals to 94–97% coverage from φ = 0.3 to 0.7 in the calibration study
(benchmarks/calibration.py, whole-number ratings; three times gave 91.5% at φ = 0.7; docs/analysis.md).
Intervals use Student's t with the effective number of days,
n(1 − φ)/(1 + φ), less the three fitted parameters.

No resampling: the same days always give the same figures, and no interval end moves with a seed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

from medlog.analysis.student_t import t_quantile
from medlog.domain.record import record

LEVEL = 0.95
POWER = 0.80  # the minimal detectable difference is the one found 80% of the time
PHI_CORRECTION = 5.0  # × Kendall's first-order bias correction (calibrated, module notes)
MAX_PHI = 0.9
# The correction is for a short series' bias, not a licence to call every series near-random-walk: raised by at
# most this much (at 112 days and φ 0.5 the correction is 0.11; at 56 days and φ 0.75, 0.29 — where intervals
# then spanned the whole 0–10 scale on real demo ratings).
MAX_RAISE = 0.15


@record
class Estimate:
    """A linear estimate with its standard error and 95% interval (Student's t with `df`)."""

    value: float
    se: float
    low: float
    high: float
    df: float

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


@record
class LevelChange:
    """One before/after, allowing for a trend. Days are relative to the change; `n_*` count logged days."""

    difference: Estimate  # D: after-window mean − before-window mean
    level: Estimate  # δ: D less what the common slope predicts between the windows' centres
    slope: Estimate  # the common slope, per day
    before_slope: Estimate | None  # the before segment's own slope, per day (None with too few days)
    phi: float  # the AR(1) autocorrelation used (corrected)
    sd: float  # the residual standard deviation
    before_days: int  # days of the before segment, window and earlier history (span, not logged)
    mdd: float  # the smallest level change these days would detect 80% of the time (two-sided 5%)


Points = Sequence[tuple[int, float]]  # (day relative to the change, value), ascending days


def fit(before: Points, window_from: int, after: Points, *, level: float = LEVEL) -> LevelChange | None:
    """The level change between `before` (all its points: the before window is those at day ≥ `window_from`)
    and `after`. None when a segment has fewer than 3 points or no spread in days."""
    window = [(t, y) for t, y in before if t >= window_from]
    if len(before) < 3 or len(after) < 3 or len(window) < 2:
        return None
    segments = (before, after)
    means = [(_mean(t for t, _ in seg), _mean(y for _, y in seg)) for seg in segments]
    stt = [math.fsum((t - mt) ** 2 for t, _ in seg) for seg, (mt, _) in zip(segments, means, strict=True)]
    sty = [math.fsum((t - mt) * (y - my) for t, y in seg) for seg, (mt, my) in zip(segments, means, strict=True)]
    if stt[0] <= 0 or stt[1] <= 0:
        return None
    pooled = stt[0] + stt[1]
    slope = (sty[0] + sty[1]) / pooled
    wt, wy = _mean(t for t, _ in window), _mean(y for _, y in window)
    at, ay = means[1]
    gap = at - wt  # days between the windows' centres
    difference = ay - wy
    change = difference - slope * gap

    points = [*before, *after]
    days = [t for t, _ in points]
    residuals = [y - my - slope * (t - mt) for seg, (mt, my) in zip(segments, means, strict=True) for t, y in seg]
    n = len(points)
    phi = _phi(days, residuals, n)
    sd = math.sqrt(math.fsum(r * r for r in residuals) / max(1, n - 3))
    n_window, n_after = len(window), len(after)
    # weights of each value in D, in the slope and in δ (before points first, then after points)
    in_window = [1.0 / n_window if t >= window_from else 0.0 for t, _ in before]
    w_diff = [-w for w in in_window] + [1.0 / n_after] * n_after
    w_slope = [(t - means[0][0]) / pooled for t, _ in before] + [(t - at) / pooled for t, _ in after]
    w_level = [d - gap * s for d, s in zip(w_diff, w_slope, strict=True)]
    df = max(2.0, n * (1 - phi) / (1 + phi) - 3)
    out_diff = _estimate(difference, w_diff, days, phi, sd, df, level)
    out_level = _estimate(change, w_level, days, phi, sd, df, level)
    out_slope = _estimate(slope, w_slope, days, phi, sd, df, level)
    before_slope = None
    if stt[0] > 0 and len(before) >= 7:
        mt0 = means[0][0]
        w_own = [(t - mt0) / stt[0] for t, _ in before]
        own = math.fsum(w * y for w, (_, y) in zip(w_own, before, strict=True))
        before_slope = _estimate(own, w_own, [t for t, _ in before], phi, sd,
                                 max(2.0, len(before) * (1 - phi) / (1 + phi) - 2), level)
    mdd = (_t(level, df) + _t(2 * POWER - 1, df)) * out_level.se  # t at 0.975 and at 0.80
    span = -min(days[: len(before)])
    return LevelChange(out_diff, out_level, out_slope, before_slope, phi, sd, span, mdd)


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return math.fsum(items) / len(items)


def _phi(days: list[int], residuals: list[float], n: int) -> float:
    """Lag-1 autocorrelation of the residuals over pairs of consecutive days, bias-corrected (module notes)."""
    index = {t: i for i, t in enumerate(days)}
    pairs = [(i, index[t + 1]) for i, t in enumerate(days) if t + 1 in index]
    total = math.fsum(r * r for r in residuals)
    if not pairs or total <= 0:
        return 0.0
    raw = math.fsum(residuals[i] * residuals[j] for i, j in pairs) / len(pairs) / (total / n)
    return min(MAX_PHI, max(0.0, raw + min(MAX_RAISE, PHI_CORRECTION * (1 + 3 * raw) / n)))


def _estimate(value: float, weights: list[float], days: list[int], phi: float, sd: float, df: float,
              level: float) -> Estimate:
    variance = sd * sd * _quadratic(weights, days, phi)
    se = math.sqrt(max(0.0, variance))
    half = _t(level, df) * se
    return Estimate(value, se, value - half, value + half, df)


def _quadratic(weights: list[float], days: list[int], phi: float) -> float:
    """Σ_ij w_i w_j φ^|t_i − t_j|: the variance factor of a weighted sum of AR(1) values on these days."""
    total = math.fsum(w * w for w in weights)
    if phi <= 0:
        return total
    powers = [phi ** k for k in range(max(days) - min(days) + 1)]
    cross = 0.0
    for i, (wi, ti) in enumerate(zip(weights, days, strict=True)):
        if wi:
            cross += wi * sum(w * powers[abs(ti - t)] for w, t in zip(weights[i + 1:], days[i + 1:], strict=True))
    return total + 2 * cross


def _t(level: float, df: float) -> float:
    # df to 0.1, or to whole days above 20: the quantile moves < 0.1%, and the cache then hits (a quantile costs
    # ~1 ms, and a comparison of six ratings asks for a dozen)
    return _t_rounded(level, round(df) if df > 20 else round(df, 1))


@lru_cache(maxsize=1024)
def _t_rounded(level: float, df: float) -> float:
    return t_quantile(0.5 + level / 2, df)
