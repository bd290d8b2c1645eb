"""Self-experiments (N-of-1): the designs, their admissible assignments, the randomisation test and the effect.

An experiment is `2 × pairs` periods of `block_days` days each, every period either *on* (the substance taken as
scheduled) or *off*. Which periods are on was drawn at random, before the start, from the design's admissible
assignments; the analysis asks how unusual the observed on − off difference is among the differences every other
admissible assignment would have given (a randomisation test: Edgington & Onghena, *Randomization Tests*), and
gives the difference an interval from the spread of the per-pair differences. See docs/analysis.md,
"Self-experiments", for the reasoning and the sources.

Periods are written as letters: A = on, B = off, grouped by pair ("AB,BA").

* `abab` — pairs of periods, each pair's order drawn on its own (AB or BA): 2^pairs assignments.
* `abba` — counterbalanced: pairs are taken two at a time, and each two is AB,BA or BA,AB (pairs must be even):
  2^(pairs/2) assignments. Balanced against a steady trend within each four periods, but few assignments.
* `random-pairs` — any order with as many on periods as off (AA,BB is allowed): C(2·pairs, pairs) assignments.
  Per-pair differences pair the i-th on period with the i-th off period in time.

Every design holds each assignment's mirror (on and off swapped), whose difference is the same in size with the
other sign, so a two-sided test can never go below 2 / (number of assignments).

The first `left_out` days of every period (the washout, or the substance's onset lag when that is longer) are
left out of the analysis, whether or not the period follows a switch: a fixed set of analysable days is what
keeps the randomisation test exact (which days count must not depend on the assignment).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from itertools import combinations, product

from medlog.analysis.student_t import t_quantile
from medlog.domain.record import record

DESIGNS = ("abab", "abba", "random-pairs")
MAX_EXACT = 10_000  # up to this many assignments the test enumerates them all; beyond, a seeded sample
SAMPLES = 10_000
LEVEL = 0.95
SEED = 20260717  # the Monte-Carlo sample's default seed (only for designs with more than MAX_EXACT assignments)
_TIE = 1e-9  # differences this close (relative) count as equal: float sums of the same days in another order


def design_problem(design: str, pairs: int) -> str | None:
    """Why `pairs` pairs cannot make a `design` experiment, or None."""
    if design not in DESIGNS:
        return f"design {design!r}: choose {', '.join(DESIGNS)}"
    if pairs < 2:
        return f"{pairs} pair{'s' if pairs != 1 else ''}: an experiment needs at least 2 pairs of periods"
    if design == "abba" and pairs % 2:
        return f"abba needs an even number of pairs (it counterbalances two pairs at a time), not {pairs}"
    return None


def orders(design: str, pairs: int) -> int:
    """How many admissible assignments the design has."""
    if design == "abab":
        return 2 ** pairs
    if design == "abba":
        return 2 ** (pairs // 2)
    return math.comb(2 * pairs, pairs)


def smallest_p(design: str, pairs: int) -> float:
    """The smallest two-sided p the randomisation test can give: the observed order and its mirror tie."""
    return min(1.0, 2 / orders(design, pairs))


_PAIR = ((True, False), (False, True))  # AB, BA
_FOUR = ((True, False, False, True), (False, True, True, False))  # AB,BA and BA,AB


def assignments(design: str, pairs: int) -> Iterator[tuple[bool, ...]]:
    """Every admissible assignment, each a tuple of periods (True = on), in a fixed order."""
    if design == "abab":
        for choice in product(_PAIR, repeat=pairs):
            yield sum(choice, ())
    elif design == "abba":
        for fours in product(_FOUR, repeat=pairs // 2):
            yield sum(fours, ())
    else:
        periods = 2 * pairs
        for on in combinations(range(periods), pairs):
            chosen = set(on)
            yield tuple(k in chosen for k in range(periods))


def draw(design: str, pairs: int, rng: random.Random) -> tuple[bool, ...]:
    """One admissible assignment, uniformly at random."""
    if design == "abab":
        return sum((rng.choice(_PAIR) for _ in range(pairs)), ())
    if design == "abba":
        return sum((rng.choice(_FOUR) for _ in range(pairs // 2)), ())
    on = set(rng.sample(range(2 * pairs), pairs))
    return tuple(k in on for k in range(2 * pairs))


def admissible(design: str, pairs: int, periods: Sequence[bool]) -> bool:
    """Whether `periods` is one of the design's assignments (a record read back, or imported, is checked)."""
    if design_problem(design, pairs) or len(periods) != 2 * pairs:
        return False
    if design == "abab":
        return all(tuple(periods[k:k + 2]) in _PAIR for k in range(0, len(periods), 2))
    if design == "abba":
        return all(tuple(periods[k:k + 4]) in _FOUR for k in range(0, len(periods), 4))
    return sum(periods) == pairs


def to_text(periods: Sequence[bool]) -> str:
    """(True, False, False, True) → "AB,BA"."""
    letters = "".join("A" if on else "B" for on in periods)
    return ",".join(letters[k:k + 2] for k in range(0, len(letters), 2))


def from_text(text: str) -> tuple[bool, ...]:
    """"AB,BA" → (True, False, False, True); ValueError for anything else."""
    letters = text.replace(",", "")
    if not letters or set(letters) - {"A", "B"} or to_text([c == "A" for c in letters]) != text:
        raise ValueError(f"not an assignment: {text!r}")
    return tuple(c == "A" for c in letters)


@record
class Plan:
    """An experiment's calendar: periods of `block_days` from `start`, on or off; `left_out` days of each
    period's start are not analysed."""

    design: str
    pairs: int
    block_days: int
    left_out: int
    start: date
    periods: tuple[bool, ...]

    @property
    def end(self) -> date:
        """The last day of the last period."""
        return self.start + timedelta(days=self.block_days * len(self.periods) - 1)

    def span(self, k: int) -> tuple[date, date]:
        """The first and last day of period k (0-based)."""
        first = self.start + timedelta(days=k * self.block_days)
        return first, first + timedelta(days=self.block_days - 1)

    def period_of(self, day: date) -> int | None:
        k = (day - self.start).days // self.block_days
        return k if 0 <= k < len(self.periods) and day >= self.start else None

    def analysable(self, day: date) -> bool:
        k = self.period_of(day)
        return k is not None and (day - self.start).days - k * self.block_days >= self.left_out

    def pairs_of(self) -> list[tuple[int, int]]:
        """(on period, off period) for each pair: consecutive periods, or for random-pairs the i-th on period
        with the i-th off period."""
        if self.design == "random-pairs":
            on = [k for k, flag in enumerate(self.periods) if flag]
            off = [k for k, flag in enumerate(self.periods) if not flag]
            return list(zip(on, off, strict=True))
        return [(k, k + 1) if self.periods[k] else (k + 1, k) for k in range(0, len(self.periods), 2)]


def difference(periods: Sequence[bool], sums: Sequence[float], counts: Sequence[int]) -> float | None:
    """mean(on days) − mean(off days) over the analysable rated days; None when one side has none."""
    on_sum = off_sum = 0.0
    on_n = off_n = 0
    for flag, s, n in zip(periods, sums, counts, strict=True):
        if flag:
            on_sum += s
            on_n += n
        else:
            off_sum += s
            off_n += n
    return on_sum / on_n - off_sum / off_n if on_n and off_n else None


@record
class Test:
    statistic: float | None  # on − off for the assignment actually used
    p: float | None  # two-sided: the share of assignments at least as far from 0 (the observed one included)
    orders: int  # admissible assignments of the design
    exact: bool  # every assignment enumerated (else a seeded sample of SAMPLES)
    smallest_p: float


def randomisation_test(design: str, actual: Sequence[bool], sums: Sequence[float], counts: Sequence[int], *,
                       seed: int = SEED) -> Test:
    """The randomisation test of on − off over the design's admissible assignments.

    An assignment under which one side has no rated day has no difference; it is counted as at least as extreme
    (conservative: such an order could have given anything)."""
    pairs = len(actual) // 2
    total = orders(design, pairs)
    observed = difference(actual, sums, counts)
    if observed is None:
        return Test(None, None, total, total <= MAX_EXACT, smallest_p(design, pairs))
    bar = abs(observed) * (1 - _TIE) - _TIE
    if total <= MAX_EXACT:
        others: Iterator[tuple[bool, ...]] | list[tuple[bool, ...]] = assignments(design, pairs)
        extreme, count, exact = 0, 0, True
    else:  # the observed assignment plus a sample (Edgington & Onghena: p = (1 + hits) / (1 + samples))
        rng = random.Random(seed)
        others = [draw(design, pairs, rng) for _ in range(SAMPLES)]
        extreme, count, exact = 1, 1, False
    for periods in others:
        d = difference(periods, sums, counts)
        count += 1
        extreme += d is None or abs(d) >= bar
    return Test(observed, extreme / count, total, exact, smallest_p(design, pairs))


def pair_interval(statistic: float, pair_differences: Sequence[float],
                  level: float = LEVEL) -> tuple[float, float] | None:
    """statistic ± t(level, k − 1) · sd(per-pair differences) / √k: a period-level interval (each pair's difference
    already averages its days, so the day-to-day autocorrelation inside a period does not shrink it). None with
    fewer than two pairs."""
    k = len(pair_differences)
    if k < 2:
        return None
    mean = math.fsum(pair_differences) / k
    sd = math.sqrt(math.fsum((d - mean) ** 2 for d in pair_differences) / (k - 1))
    half = t_quantile(0.5 + level / 2, k - 1) * sd / math.sqrt(k)
    return statistic - half, statistic + half


@record
class Result:
    """One metric of one experiment, as analysed."""

    test: Test
    low: float | None  # the interval of on − off (None: fewer than two pairs with both sides rated)
    high: float | None
    on_days: int  # analysable days rated, on and off
    off_days: int
    analysable: int  # analysable days so far (rated or not)
    left_out: int  # days so far left out as washout
    pairs_used: int  # pairs with a rated day on both sides
    periods_begun: int  # periods whose first day has come
    level: float = LEVEL

    @property
    def effect(self) -> float | None:
        return self.test.statistic

    @property
    def completeness(self) -> float | None:
        return (self.on_days + self.off_days) / self.analysable if self.analysable else None


def period_totals(plan: Plan, values: Mapping[date, float], today: date) -> tuple[list[float], list[int]]:
    """Per period: the sum and number of its analysable rated days up to `today`."""
    sums = [0.0] * len(plan.periods)
    counts = [0] * len(plan.periods)
    for day, value in values.items():
        if day <= today and plan.analysable(day):
            k = plan.period_of(day)
            assert k is not None
            sums[k] += value
            counts[k] += 1
    return sums, counts


def analyse(plan: Plan, values: Mapping[date, float], today: date, *, seed: int = SEED) -> Result:
    """The experiment's result for one metric's daily values (journal day → value), counting days up to `today`
    (an experiment still running is analysed so far)."""
    sums, counts = period_totals(plan, values, today)
    test = randomisation_test(plan.design, plan.periods, sums, counts, seed=seed)
    diffs = [sums[on] / counts[on] - sums[off] / counts[off] for on, off in plan.pairs_of()
             if counts[on] and counts[off]]
    interval = pair_interval(test.statistic, diffs) if test.statistic is not None else None
    last = min(today, plan.end)
    elapsed = max(0, (last - plan.start).days + 1)
    analysable = sum(1 for n in range(elapsed) if plan.analysable(plan.start + timedelta(days=n)))
    on_days = sum(n for flag, n in zip(plan.periods, counts, strict=True) if flag)
    begun = sum(1 for k in range(len(plan.periods)) if plan.span(k)[0] <= today)
    return Result(test, interval[0] if interval else None, interval[1] if interval else None, on_days,
                  sum(counts) - on_days, analysable, elapsed - analysable, len(diffs), begun)
