"""Does the 95% interval cover the true difference ~95% of the time on autocorrelated days? (AR(1), φ = 0.5)

Each run draws two 28-day windows of an AR(1) series (a day is half the day before plus fresh noise, roughly how
mood and sleep ratings drift), adds a known effect to the second, and asks whether the interval holds it. With
300 runs a coverage of 0.93 is measured to ±0.03 (two standard errors), so the bands below are wide enough not
to be luck and narrow enough to catch a broken method. The same series are given to the iid bootstrap (blocks of
one day), which under-covers badly: the reason the block bootstrap is used.
"""

import math
import random

import pytest
from scipy import stats

from medlog.analysis.bootstrap import mean_difference

RUNS = 300
PHI = 0.5
RESAMPLES = 1000  # the coverage barely moves with more; the default 2000 would double this file's time
IID_RESAMPLES = 400  # the iid bootstrap is far below the band; resampling 28 single days is the slow part


def ar1(n, phi, sd, rng):
    x = rng.gauss(0, sd / math.sqrt(1 - phi * phi))  # start in the stationary distribution
    out = []
    for _ in range(n):
        out.append(x)
        x = phi * x + rng.gauss(0, sd)
    return out


def coverage(effect, first_seed, phi=PHI, runs=RUNS):
    block = iid = 0
    for seed in range(first_seed, first_seed + runs):
        rng = random.Random(seed)
        before = [5 + v for v in ar1(28, phi, 1.5, rng)]
        after = [5 + effect + v for v in ar1(28, phi, 1.5, rng)]
        found = mean_difference(before, after, resamples=RESAMPLES, seed=seed)
        block += found.low <= effect <= found.high
        naive = mean_difference(before, after, block=1, calibrate=False, resamples=IID_RESAMPLES, seed=seed)
        iid += naive.low <= effect <= naive.high
    return block / runs, iid / runs


@pytest.fixture(scope="module")
def runs():
    return {"none": coverage(0.0, first_seed=0), "effect": coverage(2.0, first_seed=10_000)}


def test_the_block_interval_covers_the_true_difference_about_95_percent_of_the_time(runs):
    (none, _), (effect, _) = runs["none"], runs["effect"]
    print(f"block bootstrap coverage, AR(1) φ={PHI}: no effect {none:.3f}, effect +2 {effect:.3f}")
    assert 0.88 <= none <= 0.99 and 0.88 <= effect <= 0.99
    assert 0.90 <= (none + effect) / 2 <= 0.99


def test_the_iid_bootstrap_under_covers_on_the_same_series(runs):
    (block_none, iid_none), (block_effect, iid_effect) = runs["none"], runs["effect"]
    print(f"iid bootstrap coverage, AR(1) φ={PHI}: no effect {iid_none:.3f}, effect +2 {iid_effect:.3f}")
    assert iid_none < 0.80 and iid_effect < 0.80
    assert block_none - iid_none > 0.12 and block_effect - iid_effect > 0.12


def test_on_independent_days_the_block_interval_covers_and_is_not_far_too_wide():
    """The price of guarding against dependence: on independent days the interval is somewhat wider than
    Student's t interval (the right answer there) and covers a little more than 95% (97.8% over 1,000 runs)."""
    rng = random.Random(20_000)
    hits, ratios = 0, []
    for seed in range(200):
        before = [rng.gauss(5, 1.5) for _ in range(28)]
        after = [rng.gauss(5, 1.5) for _ in range(28)]
        found = mean_difference(before, after, resamples=RESAMPLES, seed=seed)
        student = stats.ttest_ind(after, before).confidence_interval(0.95)
        hits += found.low <= 0 <= found.high
        ratios.append((found.high - found.low) / (student.high - student.low))
    print(f"independent days: coverage {hits / 200:.3f}, width / Student's t width {sum(ratios) / 200:.2f}")
    assert hits / 200 >= 0.93 and 1.0 < sum(ratios) / 200 < 1.35
