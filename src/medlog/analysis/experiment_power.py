"""What a self-experiment's design can tell, before it starts: the smallest on − off difference it would find
(two-sided p ≤ 0.05 in the randomisation test, with the estimate on the right side of 0) 80% of the time.

Days are simulated as an AR(1) series (today's noise carries a share φ of yesterday's) with the person's own
day-to-day SD and φ, estimated from their ratings of the metric when they have at least MIN_HISTORY rated days,
else DEFAULT_SD and DEFAULT_PHI. Each simulated experiment is analysed as `experiment.randomisation_test`
analyses a real one: the same statistic (mean of the analysable on days − mean of the analysable off days) over
the same admissible assignments, the assignment actually used drawn from the design as the planner will draw it.

The statistic is linear in the data, so adding a true difference δ to the on days moves each assignment's
statistic by δ × (its overlap with the true assignment): for each simulated series the smallest δ beyond which
the test rejects can be solved for (one quadratic per assignment), rather than rerun over a grid of δ. The
answer is the 80th percentile of those thresholds. tests/analysis/test_experiment.py holds it to a brute-force
run of the real analysis at that difference.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from datetime import date, timedelta

from medlog.analysis.experiment import assignments, draw, orders, smallest_p
from medlog.domain.record import record

DEFAULT_SD = 1.5
DEFAULT_PHI = 0.5
MIN_HISTORY = 28  # rated days before the person's own SD and φ are used
SIMULATIONS = 2000
ALPHA = 0.05
POWER = 0.8
PLANNER_ORDERS = 128  # beyond this many assignments, each simulation samples this many (as the analysis samples)
TOO_BIG = 1.5  # a detectable difference above this many SDs is called too large to be useful
SEED = 17


@record
class Noise:
    sd: float
    phi: float
    days: int  # rated days they were estimated from (0: the defaults)

    @property
    def from_history(self) -> bool:
        return self.days > 0


def noise_from_history(values: Mapping[date, float]) -> Noise:
    """The day-to-day SD and lag-1 autocorrelation of a metric's ratings (journal day → value). φ is the
    correlation of consecutive rated days, kept within 0 to 0.9 (a negative estimate from a short history would
    promise more than the days can give). Fewer than MIN_HISTORY days, or no variation: the defaults."""
    n = len(values)
    if n < MIN_HISTORY:
        return Noise(DEFAULT_SD, DEFAULT_PHI, 0)
    mean = math.fsum(values.values()) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values.values()) / (n - 1))
    if sd <= 0:
        return Noise(DEFAULT_SD, DEFAULT_PHI, 0)
    pairs = [(v, values[d + timedelta(days=1)]) for d, v in values.items() if d + timedelta(days=1) in values]
    phi = DEFAULT_PHI
    if len(pairs) >= MIN_HISTORY // 2:
        xs, ys = [a for a, _ in pairs], [b for _, b in pairs]
        mx, my = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
        sxy = math.fsum((a - mx) * (b - my) for a, b in pairs)
        sxx, syy = math.fsum((a - mx) ** 2 for a in xs), math.fsum((b - my) ** 2 for b in ys)
        phi = sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else 0.0
    return Noise(sd, min(0.9, max(0.0, phi)), n)


def _series_sums(rng: random.Random, periods: int, block: int, left_out: int, noise: Noise) -> list[float]:
    """One simulated experiment's noise, summed over each period's analysable days (a stationary AR(1) path)."""
    phi, gauss = noise.phi, rng.gauss
    step = noise.sd * math.sqrt(1 - phi * phi)
    x = gauss(0.0, noise.sd)
    sums = []
    for k in range(periods):
        total = 0.0
        for d in range(block):
            if k or d:
                x = phi * x + gauss(0.0, step)
            if d >= left_out:
                total += x
        sums.append(total)
    return sums


def _beaten_from(u_true: float, u: float, v: float) -> float:
    """The δ ≥ 0 beyond which |u + vδ| < |u_true + δ| for good (an assignment's statistic, moved by v per unit of
    true difference, stays below the observed one's); inf when it never does."""
    a, b, c = 1 - v * v, 2 * (u_true - u * v), u_true * u_true - u * u
    if a > 1e-12:
        disc = b * b - 4 * a * c
        return 0.0 if disc < 0 else max(0.0, (-b + math.sqrt(disc)) / (2 * a))
    if b > 1e-12:
        return max(0.0, -c / b)
    return 0.0 if abs(b) <= 1e-12 and c > 1e-12 else math.inf


def thresholds(design: str, pairs: int, block: int, left_out: int, noise: Noise, *, sims: int = SIMULATIONS,
               seed: int = SEED, alpha: float = ALPHA) -> list[float]:
    """Per simulated experiment, the smallest true difference from which on its test rejects (p ≤ alpha) with
    the estimate above 0 (inf: never), sorted."""
    rng = random.Random(seed)
    periods = 2 * pairs
    per_side = pairs * (block - left_out)
    everyone = orders(design, pairs) <= PLANNER_ORDERS
    # Designs with more assignments: one sample of PLANNER_ORDERS, drawn once, stands for them in every run
    pool = list(assignments(design, pairs)) if everyone else [draw(design, pairs, rng) for _ in range(PLANNER_ORDERS)]
    masks = [sum(1 << k for k, on in enumerate(o) if on) for o in pool]
    on_sets = [[k for k, on in enumerate(o) if on] for o in pool]
    n = len(pool) + (0 if everyone else 1)  # a sample counts the observed assignment once more
    need = n - math.floor(alpha * n + 1e-9)  # assignments the observed statistic must beat, itself excluded
    beaten_from = _beaten_from
    out = []
    for _ in range(sims):
        sums = _series_sums(rng, periods, block, left_out, noise)
        total = math.fsum(sums)
        actual = draw(design, pairs, rng)
        true = sum(1 << k for k, on in enumerate(actual) if on)
        u_true = (2 * sum(s for s, on in zip(sums, actual, strict=True) if on) - total) / per_side
        get = sums.__getitem__
        beaten = [beaten_from(u_true, (2 * sum(map(get, on)) - total) / per_side,
                              (2 * (mask & true).bit_count() - pairs) / pairs)
                  for mask, on in zip(masks, on_sets, strict=True) if mask != true or not everyone]
        if need <= len(beaten):
            beaten.sort()
            out.append(max(-u_true, beaten[need - 1]))
        else:
            out.append(math.inf)
    return sorted(out)


@record
class Forecast:
    design: str
    pairs: int
    block_days: int
    left_out: int
    orders: int
    smallest_p: float
    detectable: float | None  # the difference found 80% of the time, in the metric's units (None: never)
    noise: Noise
    sims: int

    @property
    def days(self) -> int:
        return 2 * self.pairs * self.block_days

    @property
    def in_sd(self) -> float | None:
        return None if self.detectable is None else self.detectable / self.noise.sd

    @property
    def problems(self) -> tuple[str, ...]:
        """What keeps the design from answering: "p" (it can never reach 0.05), "size" (it finds only
        differences larger than TOO_BIG SDs)."""
        found = []
        if self.smallest_p > ALPHA:
            found.append("p")
        elif self.in_sd is None or self.in_sd > TOO_BIG:
            found.append("size")
        return tuple(found)


def forecast(design: str, pairs: int, block: int, left_out: int, noise: Noise, *, sims: int = SIMULATIONS,
             seed: int = SEED) -> Forecast:
    least = smallest_p(design, pairs)
    found = None
    if least <= ALPHA:
        ts = thresholds(design, pairs, block, left_out, noise, sims=sims, seed=seed)
        at = ts[math.ceil(POWER * sims) - 1]
        found = None if math.isinf(at) else at
    return Forecast(design, pairs, block, left_out, orders(design, pairs), least, found, noise, sims)


def pairs_for_p(design: str, pairs: int, alpha: float = ALPHA) -> int:
    """The fewest pairs (at least `pairs`) whose smallest p is at most alpha."""
    step = 2 if design == "abba" else 1
    while smallest_p(design, pairs) > alpha:
        pairs += step
    return pairs


def suggest(current: Forecast, *, sims: int = SIMULATIONS // 2, tries: int = 4) -> Forecast | None:
    """A design of the same kind that can answer (or the best of those tried): first as many days with more,
    shorter periods; then more pairs. None when the current one can answer."""
    if not current.problems:
        return None
    shortest = current.left_out + 2
    step = 2 if current.design == "abba" else 1
    pairs = pairs_for_p(current.design, current.pairs)
    if pairs == current.pairs:
        pairs += step
    tried: list[Forecast] = []
    block = max(shortest, min(current.block_days, current.days // (2 * pairs)))
    for _ in range(tries):
        tried.append(forecast(current.design, pairs, block, current.left_out, current.noise, sims=sims))
        if not tried[-1].problems:
            return tried[-1]
        pairs += 2 * step
    return min(tried, key=lambda f: (f.in_sd is None, f.in_sd or 0.0))
