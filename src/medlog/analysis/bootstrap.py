"""Block-bootstrap intervals for daily series, and the interval for a difference in means (after − before).

Why blocks. A day's mood, sleep or pain is like the day before's (autocorrelation), so a window of 28 days
carries less information than 28 independent draws; resampling single days (the iid bootstrap) then gives
intervals that are too narrow — on AR(1) series with φ = 0.5 its 95% interval covered the true difference in
only ~70% of runs. Resampling runs of consecutive days keeps that dependence inside each run.

Choices, each checked by simulation (two 28-day AR(1) windows, sd 1.5, 1,000 runs; tests/analysis/
test_coverage.py repeats the φ = 0.5 case with 300):

* **Blocks of 7 days** (`BLOCK_DAYS`) for series up to four weeks, fewer for short series (at least two blocks
  per series), longer for long ones (growing as n^(1/3), the rate that minimises a block bootstrap's error for
  a variance, scaled so 28 days → 7: 9 days for 56, 16 for a year). A week holds a weekday/weekend rhythm
  whole, and lag-1 dependence up to ~0.5 has decayed below 0.01 by day 7. 4-day blocks (the ceil(n^(1/3))
  rule) covered 89% against 92% for 7 days at φ = 0.5 in a first trial; longer blocks leave too few blocks.
* **Circular blocks** (Politis & Romano 1992: a block may wrap from the last day to the first). Every day then
  lies in the same number of blocks, so resampled means centre on the observed mean; plain moving blocks
  under-weight the first and last six days of a window.
* **Gaps are skipped, not filled**: None (an unlogged day) is dropped and blocks are runs of consecutive
  *observed* days in day order. Filling would invent data; a run across a gap still joins days close in time.
* **Calibrated for few blocks** (`calibrate=True`). A 28-day window holds only four independent weeks, and the
  plain block bootstrap is then too narrow (83% coverage at φ = 0.5) for two reasons, both corrected by
  widening each window's resampled means about its observed mean:
  - centring: the spread of block means about the window mean misses the variance of that mean itself, a
    share block/n of it (Bessel's n − 1 is the one-day case), so the spread is scaled by √(n / (n − block));
  - few blocks: the spread is itself estimated from ~n/block independent blocks, so, as for batch means, the
    normal quantile is replaced by Student's t with (blocks before − 1) + (blocks after − 1) degrees of freedom.
  Both factors tend to 1 as windows grow. Coverage at 28 days, calibrated (plain block; iid):
  φ = 0: 97.8% (89%; 94%), φ = 0.3: 96.1% (87%; 83%), φ = 0.5: 94.1% (83%; 73%), φ = 0.7: 89.9% (76%; 55%);
  with 30% of days missing 96.7% at φ = 0.5 and 98.1% at φ = 0. The price on independent days: intervals
  ~17% wider than Student's t interval. Very strong dependence (φ ≥ 0.7) still under-covers.
  With block = 1 and calibrate=False the interval is the textbook iid percentile bootstrap, which the tests
  hold to scipy.stats.bootstrap; with block = 1 and calibrate=True it approaches Student's two-sample t interval.
* **Percentile interval** of that (widened) bootstrap distribution, quantiles interpolated linearly (numpy's
  and scipy's default). BCa was not used: its acceleration needs a jackknife that blocks make ambiguous.
* **Seeded**: `random.Random(seed)` with a fixed default, so the same data always gives the same figures.
* **Fast**: block totals are summed once; two 28-day windows × 2,000 resamples take ~8 ms in CPython 3.11.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from functools import lru_cache
from statistics import NormalDist

from medlog.analysis.student_t import t_quantile
from medlog.domain.record import record

BLOCK_DAYS = 7
BLOCK_WINDOW = 28  # the number of days for which BLOCK_DAYS is right; longer series get longer blocks
RESAMPLES = 2000
SEED = 20260601  # any fixed number: it only makes the figures reproducible
LEVEL = 0.95


@record
class Interval:
    """A bootstrap interval for `estimate`, at `level` (0.95), from `resamples` resamples in blocks of `block`."""

    estimate: float
    low: float
    high: float
    block: int
    resamples: int
    level: float = LEVEL

    def excludes(self, value: float = 0.0) -> bool:
        return value < self.low or value > self.high


def observed(values: Iterable[float | None]) -> list[float]:
    """The logged values in day order, as floats (Decimals welcome); None marks an unlogged day and is dropped."""
    return [float(v) for v in values if v is not None]


def block_length(n: int) -> int:
    """Days per block for a series of `n` observed days: a week up to four weeks of days, then growing as n^(1/3)
    (16 days for a year), but never fewer than two blocks per series."""
    return max(1, min(n // 2, max(BLOCK_DAYS, round(BLOCK_DAYS * (n / BLOCK_WINDOW) ** (1 / 3)))))


def percentile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile (0 ≤ q ≤ 1) of sorted values, linearly interpolated (numpy's and scipy's default)."""
    h = (len(ordered) - 1) * q
    i = math.floor(h)
    j = min(i + 1, len(ordered) - 1)
    return ordered[i] + (h - i) * (ordered[j] - ordered[i])


def widening(n: int, block: int, df: float, level: float = LEVEL) -> float:
    """The factor a block-bootstrap spread is widened by: √(n / (n − block)) · t(df) / z (see the module notes)."""
    if n < 2 * block:  # one block has no block-to-block spread to widen
        raise ValueError(f"a series of {n} days holds fewer than two blocks of {block}")
    return math.sqrt(n / (n - block)) * _t_over_z(df, level)


@lru_cache(maxsize=256)  # the same few (df, level) recur (full windows: df = 6), and a t quantile costs ~0.5 ms
def _t_over_z(df: float, level: float) -> float:
    upper = 0.5 + level / 2
    return t_quantile(upper, df) / NormalDist().inv_cdf(upper)


def resample_totals(columns: Sequence[Sequence[float]], block: int, resamples: int,
                    rng: random.Random) -> list[list[float]]:
    """Circular block bootstrap of several parallel day-ordered columns (one set of days for all of them).

    Each resample joins ⌈n / block⌉ blocks of consecutive days, starts drawn uniformly with replacement, cut to n
    days; what comes back is, per column, each resample's total (sum) — enough for means, and for correlations
    through sums of products. Block totals are computed once, so a resample costs ⌈n / block⌉ look-ups a column.
    """
    n = len(columns[0])
    if not 1 <= block <= n:
        raise ValueError(f"resample_totals: block {block} for a series of {n} days")
    whole, rest = divmod(n, block)
    draw = rng.random
    blocks = range(whole)
    # Draw every resample's block starts first (int(draw() * n) is what rng.choices does inside), then total
    # each column along that one plan: the loops stay in comprehensions (~1.7× faster than resample by resample).
    plan = [([int(draw() * n) for _ in blocks], int(draw() * n) if rest else 0) for _ in range(resamples)]
    out = []
    for column in columns:
        take = _circular_sums(column, block).__getitem__
        if rest:
            tail = _circular_sums(column, rest)
            out.append([sum(map(take, starts)) + tail[last] for starts, last in plan])
        else:
            out.append([sum(map(take, starts)) for starts, _ in plan])
    return out


def _circular_sums(column: Sequence[float], length: int) -> list[float]:
    """Total of the `length` days starting at each day, wrapping from the last day to the first."""
    wrapped = list(column) + list(column[:length])
    return [math.fsum(wrapped[s:s + length]) for s in range(len(column))]


def mean_difference(before: Iterable[float | None], after: Iterable[float | None], *, block: int | None = None,
                    resamples: int = RESAMPLES, seed: int = SEED, level: float = LEVEL,
                    calibrate: bool = True) -> Interval:
    """Interval for mean(after) − mean(before), two windows of daily values in day order (None = not logged).

    Each window is resampled on its own (the windows are apart in time). `block` defaults to
    `block_length` of the shorter series; with `calibrate` each window's resampled means are widened about its
    mean (module notes). Needs at least two observed days in each window (ValueError otherwise); callers apply
    their own, larger minimum (before_after.MIN_DAYS).
    """
    xs, ys = observed(before), observed(after)
    if len(xs) < 2 or len(ys) < 2:
        raise ValueError("mean_difference: each window needs at least two logged days")
    if not 0 < level < 1 or resamples < 1:
        raise ValueError("mean_difference: level must lie between 0 and 1, and resamples be at least 1")
    block = block_length(min(len(xs), len(ys))) if block is None else block
    rng = random.Random(seed)
    centres, spreads = [], []
    for series in (xs, ys):
        n = len(series)
        centre = math.fsum(series) / n
        [totals] = resample_totals([series], block, resamples, rng)
        centres.append(centre)
        spreads.append([total / n - centre for total in totals])
    if calibrate:
        df = len(xs) / block + len(ys) / block - 2
        stretch = [widening(len(xs), block, df, level), widening(len(ys), block, df, level)]
    else:
        stretch = [1.0, 1.0]
    estimate = centres[1] - centres[0]
    diffs = sorted(estimate + stretch[1] * a - stretch[0] * b for b, a in zip(spreads[0], spreads[1], strict=True))
    tail = (1 - level) / 2
    return Interval(estimate, percentile(diffs, tail), percentile(diffs, 1 - tail), block, resamples, level)
