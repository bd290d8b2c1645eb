"""compare(): the issue's done-when on a synthetic journal, verdicts, windows, confounders, determinism."""

import math
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from medlog.analysis.before_after import (
    IMPROVED,
    NO_CLEAR_CHANGE,
    NOT_ENOUGH_DATA,
    WORSENED,
    Confounder,
    compare,
    windows,
)
from medlog.analysis.changes import Change

START = date(2026, 6, 1)  # the day a magnesium supplement starts


def ratings(seed, level, shift, *, phi=0.3, sd=1.0, days=range(-40, 50)):
    """Daily 0–10 ratings (whole numbers, as logged) drifting around `level`, `shift` higher from START on."""
    rng = random.Random(seed)
    x = rng.gauss(0, sd / math.sqrt(1 - phi * phi))
    out = {}
    for offset in days:
        x = phi * x + rng.gauss(0, sd)
        value = level + x + (shift if offset >= 0 else 0)
        out[START + timedelta(days=offset)] = Decimal(max(0, min(10, round(value))))
    return out


def test_done_when_sleep_quality_up_two_points_after_a_supplement_starts():
    found = compare(ratings(1, 5, 2), START, higher_is_better=True)
    assert found.verdict == IMPROVED
    assert found.difference == pytest.approx(2, abs=0.5) and found.low > 0
    assert found.better_by == found.difference and (found.better_low, found.better_high) == (found.low, found.high)


def test_done_when_mood_unchanged_is_no_clear_change():
    found = compare(ratings(2, 6, 0), START, higher_is_better=True)
    assert found.verdict == NO_CLEAR_CHANGE
    assert found.low < 0 < found.high


def test_done_when_a_metric_logged_on_five_days_is_not_enough_data():
    every = ratings(3, 5, 0)
    five = {day: every[day] for day in (START + timedelta(days=i) for i in (-20, -9, -2, 10, 30))}
    found = compare(five, START, higher_is_better=True)
    assert found.verdict == NOT_ENOUGH_DATA
    assert (found.before.n, found.after.n) == (3, 2)
    assert found.difference is found.low is found.better_by is None


def test_lower_is_better_anxiety_going_down_is_improved():
    found = compare(ratings(4, 6, -2), START, higher_is_better=False)
    assert found.verdict == IMPROVED
    assert found.difference < 0 < found.better_by == -found.difference
    assert found.better_low == -found.high and found.better_high == -found.low and found.better_low > 0


def test_higher_is_better_going_down_is_worsened():
    assert compare(ratings(5, 6, -2), START, higher_is_better=True).verdict == WORSENED


def test_windows_lag_and_completeness():
    values = ratings(6, 5, 0)
    for day in list(values):  # leave 21 of the 28 days before logged
        if START - timedelta(days=7) <= day < START:
            del values[day]
    found = compare(values, START, higher_is_better=True)
    before, after = found.before, found.after
    assert windows(START) == (date(2026, 5, 4), date(2026, 5, 31), date(2026, 6, 8), date(2026, 7, 5))
    assert (before.start, before.end, after.start, after.end) == windows(START)
    assert (before.days, before.n, before.completeness) == (28, 21, 0.75)
    assert (after.days, after.n, after.completeness) == (28, 28, 1.0)
    logged = [float(values[d]) for d in sorted(values) if before.start <= d <= before.end]
    assert before.mean == pytest.approx(sum(logged) / 21)
    assert before.median == sorted(logged)[10]


def test_the_lag_days_and_days_outside_the_windows_are_not_used():
    values = ratings(7, 5, 0)
    noisy = dict(values)
    for offset in [*range(0, 7), *range(-60, -28), *range(35, 50)]:
        noisy[START + timedelta(days=offset)] = Decimal(10)
    assert compare(noisy, START, higher_is_better=True) == compare(values, START, higher_is_better=True)


def test_the_minimum_of_logged_days_is_per_window():
    values = ratings(8, 5, 2)
    after_days = sorted(d for d in values if d >= START + timedelta(days=7))
    for day in after_days[13:]:
        del values[day]
    assert compare(values, START, higher_is_better=True).verdict == NOT_ENOUGH_DATA  # 13 after
    values[after_days[13]] = Decimal(7)
    assert compare(values, START, higher_is_better=True).verdict != NOT_ENOUGH_DATA  # 14 after


def test_other_changes_in_or_between_the_windows_are_named_as_confounders():
    others = [
        (date(2026, 5, 3), "Ibuprofen stopped"),  # the day before the before window
        (date(2026, 5, 20), "Escitalopram dose 5 mg → 10 mg"),
        (date(2026, 6, 1), "Vitamin D started"),  # the same day
        (date(2026, 6, 4), "Melatonin started"),  # in the lag, between the windows
        Change(None, date(2026, 7, 5), "Iron", "stop", "Iron stopped"),  # the after window's last day
        (date(2026, 7, 6), "Zinc started"),
    ]
    found = compare(ratings(9, 5, 0), START, higher_is_better=True, other_changes=others)
    assert found.confounders == (
        Confounder(date(2026, 5, 20), "Escitalopram dose 5 mg → 10 mg"),
        Confounder(date(2026, 6, 1), "Vitamin D started"),
        Confounder(date(2026, 6, 4), "Melatonin started"),
        Confounder(date(2026, 7, 5), "Iron stopped"),
    )
    assert compare(ratings(9, 5, 0), START, higher_is_better=True).confounders == ()


def test_same_input_same_result():
    values = ratings(10, 5, 1)
    first = compare(values, START, higher_is_better=True, other_changes=[(START, "x")])
    again = compare(dict(reversed(list(values.items()))), START, higher_is_better=True,
                    other_changes=[(START, "x")])
    assert first == again and first.low == again.low


def test_options_change_the_windows():
    found = compare(ratings(11, 5, 2), START, higher_is_better=True, window_days=14, lag_days=0, min_days=10)
    assert (found.before.start, found.after.start, found.after.end) == (
        date(2026, 5, 18), START, date(2026, 6, 14))
    assert found.before.days == 14 and found.min_days == 10


@pytest.mark.parametrize("options", [{"window_days": 0}, {"lag_days": -1}, {"min_days": 1}, {"min_days": 29}])
def test_bad_options_are_refused(options):
    with pytest.raises(ValueError):
        compare({}, START, higher_is_better=True, **options)


def test_an_empty_journal_is_not_enough_data():
    found = compare({}, START, higher_is_better=True)
    assert found.verdict == NOT_ENOUGH_DATA and found.before.mean is None and found.before.completeness == 0
