"""The block bootstrap: held to scipy.stats.bootstrap (blocks of one day, uncalibrated) and to Student's t."""

import random

import numpy as np
import pytest
from scipy import stats

from medlog.analysis.bootstrap import (
    BLOCK_DAYS,
    Interval,
    block_length,
    mean_difference,
    observed,
    percentile,
    resample_totals,
    widening,
)
from medlog.analysis.student_t import t_cdf, t_quantile


def _samples(seed, n=28, skewed=False):
    rng = random.Random(seed)
    draw = (lambda: rng.expovariate(0.5)) if skewed else (lambda: rng.gauss(5, 1.5))
    return [draw() for _ in range(n)], [draw() + 1 for _ in range(n)]


def _scipy_percentile(before, after, resamples):
    return stats.bootstrap((np.array(before), np.array(after)), lambda x, y, axis: y.mean(axis) - x.mean(axis),
                           vectorized=True, paired=False, method="percentile", n_resamples=resamples,
                           rng=np.random.default_rng(0))


@pytest.mark.parametrize("skewed", [False, True], ids=["normal", "skewed"])
def test_blocks_of_one_day_uncalibrated_agree_with_scipy_percentile_bootstrap(skewed):
    """The independent reference: the iid percentile bootstrap of a difference in means (independent samples).
    Both are Monte Carlo estimates; with 20,000 resamples each their percentiles differ by ~0.03 standard errors,
    so a tenth of a standard error is a tight bound that a wrong resampling scheme or quantile rule would break."""
    before, after = _samples(7, skewed=skewed)
    ours = mean_difference(before, after, block=1, calibrate=False, resamples=20_000)
    ref = _scipy_percentile(before, after, 20_000)
    se = ref.standard_error
    assert ours.estimate == pytest.approx(np.mean(after) - np.mean(before), abs=1e-12)
    assert abs(ours.low - ref.confidence_interval.low) < 0.1 * se
    assert abs(ours.high - ref.confidence_interval.high) < 0.1 * se


def test_blocks_of_one_day_calibrated_approach_students_two_sample_t_interval():
    """Calibration (n/(n−1) and t for z) turns the iid bootstrap into Student's pooled t interval on normal data."""
    before, after = _samples(11)
    ours = mean_difference(before, after, block=1, resamples=20_000)
    ref = stats.ttest_ind(after, before, equal_var=True).confidence_interval(0.95)
    se = (ref.high - ref.low) / (2 * stats.t.ppf(0.975, 54))
    assert abs(ours.low - ref.low) < 0.1 * se and abs(ours.high - ref.high) < 0.1 * se


def test_the_default_is_seven_day_blocks_and_calibrated_wider_than_plain():
    before, after = _samples(3)
    default = mean_difference(before, after)
    plain = mean_difference(before, after, calibrate=False)
    assert default.block == BLOCK_DAYS and default.resamples == 2000 and default.level == 0.95
    assert default.low < plain.low < plain.high < default.high


def test_same_data_same_numbers_and_the_seed_is_the_only_source_of_chance():
    before, after = _samples(5)
    assert mean_difference(before, after) == mean_difference(list(before), list(after))
    assert mean_difference(before, after, seed=1) != mean_difference(before, after, seed=2)


def test_gaps_are_skipped_and_blocks_run_over_the_observed_days():
    before, after = _samples(9)
    with_gaps = before[:5] + [None, None] + before[5:]
    assert observed(with_gaps) == before
    assert mean_difference(with_gaps, after + [None]) == mean_difference(before, after)


def test_circular_blocks_centre_resampled_means_on_the_observed_mean():
    """Every day lies in `block` circular blocks, so the resampled means average to the window's mean even for
    a trending series (non-circular blocks pull it toward the middle days)."""
    series = [float(i) ** 2 for i in range(28)]
    [totals] = resample_totals([series], 7, 20_000, random.Random(1))
    centre = sum(series) / 28
    spread = np.std([t / 28 for t in totals])
    assert abs(np.mean(totals) / 28 - centre) < 0.05 * spread


def test_resample_totals_cut_the_last_block_to_the_series_length():
    ones = [1.0] * 23  # 3 blocks of 7 and 2 days of a fourth
    [totals] = resample_totals([ones], 7, 50, random.Random(0))
    assert totals == [23.0] * 50


def test_block_length_is_a_week_for_four_weeks_then_grows_as_the_cube_root_and_leaves_two_blocks():
    assert [block_length(n) for n in (1, 2, 5, 13, 14, 28, 56, 90, 180, 365)] == [1, 1, 2, 6, 7, 7, 9, 10, 13, 16]


def test_widening_corrects_the_centring_and_uses_students_t_for_few_blocks():
    assert widening(28, 7, 6) == pytest.approx((28 / 21) ** 0.5 * stats.t.ppf(0.975, 6) / stats.norm.ppf(0.975))
    assert widening(10_000, 1, 10_000) == pytest.approx(1.0, abs=1e-3)
    with pytest.raises(ValueError, match="fewer than two blocks"):
        widening(13, 7, 1)


def test_percentile_interpolates_like_numpy():
    rng = random.Random(2)
    values = sorted(rng.gauss(0, 1) for _ in range(101))
    for q in (0, 0.025, 0.3, 0.5, 0.975, 1):
        assert percentile(values, q) == pytest.approx(np.quantile(values, q), abs=1e-12)


def test_refusals():
    with pytest.raises(ValueError, match="two logged days"):
        mean_difference([1.0, None], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="fewer than two blocks"):
        mean_difference([1.0] * 10, [2.0] * 10, block=7)


def test_constant_windows_give_a_point_interval():
    found = mean_difference([5.0] * 20, [7.0] * 20)
    assert found == Interval(2.0, 2.0, 2.0, 7, 2000) and found.excludes(0)


@pytest.mark.parametrize("df", [1, 1.5, 2, 2.29, 3, 5.5, 10, 54, 1000])
def test_student_t_quantiles_match_scipy(df):
    for p in (0.5, 0.6, 0.9, 0.975, 0.995, 0.025):
        assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9, abs=1e-9)
    assert t_cdf(1.7, df) == pytest.approx(stats.t.cdf(1.7, df), rel=1e-10)
