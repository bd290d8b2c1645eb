"""Self-experiments: the designs' admissible assignments, the randomisation test on hand-made data, the effect's
interval, the planner's power against a brute-force run of the analysis, and the sentences."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from itertools import permutations

import pytest
from scipy import stats

from medlog.analysis import experiment as ex
from medlog.analysis import experiment_power as pw
from medlog.analysis.experiment_wording import describe_forecast, describe_result, describe_suggestion

START = date(2026, 12, 1)


@pytest.mark.parametrize("design, pairs, count", [
    ("abab", 2, 4), ("abab", 3, 8), ("abab", 4, 16), ("abab", 6, 64), ("abba", 2, 2), ("abba", 4, 4),
    ("abba", 6, 8), ("random-pairs", 2, 6), ("random-pairs", 3, 20), ("random-pairs", 4, 70),
])
def test_each_design_enumerates_its_admissible_assignments(design, pairs, count):
    listed = list(ex.assignments(design, pairs))
    assert ex.orders(design, pairs) == count == len(listed) == len(set(listed))
    assert all(ex.admissible(design, pairs, a) for a in listed)
    assert all(tuple(not on for on in a) in set(listed) for a in listed)  # each mirror is admissible too
    assert all(sum(a) == pairs and len(a) == 2 * pairs for a in listed)
    assert ex.smallest_p(design, pairs) == min(1.0, 2 / count)


def test_the_designs_differ_in_what_they_admit():
    assert ex.to_text((True, False, True, False)) == "AB,AB"
    assert ex.admissible("abab", 2, ex.from_text("AB,AB")) and not ex.admissible("abba", 2, ex.from_text("AB,AB"))
    assert ex.admissible("abba", 2, ex.from_text("BA,AB")) and ex.admissible("abba", 4, ex.from_text("AB,BA,BA,AB"))
    assert not ex.admissible("abab", 2, ex.from_text("AA,BB")) and ex.admissible("random-pairs", 2,
                                                                                ex.from_text("AA,BB"))
    assert not ex.admissible("random-pairs", 2, ex.from_text("AA,AB")) and not ex.admissible("abab", 3,
                                                                                           ex.from_text("AB,BA"))


@pytest.mark.parametrize("design, pairs, why", [
    ("abab", 1, "at least 2 pairs"), ("abba", 3, "even number"), ("crossover", 2, "choose abab"),
    ("random-pairs", 0, "at least 2 pairs"),
])
def test_designs_that_cannot_be_made_say_why(design, pairs, why):
    assert why in ex.design_problem(design, pairs)


@pytest.mark.parametrize("text", ["", "AB,", "ab,ba", "AC", "A,B", "ABBA", "AB, BA", ",AB"])
def test_assignment_text_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        ex.from_text(text)


def test_draws_are_seeded_admissible_and_uniform():
    for design, pairs in (("abab", 3), ("abba", 4), ("random-pairs", 3)):
        one = [ex.draw(design, pairs, random.Random(7)) for _ in range(3)]
        assert one[0] == one[1] == one[2]
        rng = random.Random(1)
        seen = [ex.draw(design, pairs, rng) for _ in range(4000)]
        assert all(ex.admissible(design, pairs, a) for a in seen)
        counts = {a: seen.count(a) for a in ex.assignments(design, pairs)}
        expected = 4000 / len(counts)
        assert min(counts.values()) > 0.7 * expected and max(counts.values()) < 1.3 * expected


def test_the_plan_calendar_and_its_analysable_days():
    plan = ex.Plan("random-pairs", 2, 7, 3, START, ex.from_text("AA,BB"))
    assert plan.end == START + timedelta(days=27)
    assert plan.span(1) == (START + timedelta(days=7), START + timedelta(days=13))
    assert plan.period_of(START - timedelta(days=1)) is None and plan.period_of(plan.end + timedelta(days=1)) is None
    assert [plan.analysable(START + timedelta(days=n)) for n in range(8)] == [False] * 3 + [True] * 4 + [False]
    assert plan.pairs_of() == [(0, 2), (1, 3)]  # the i-th on period with the i-th off period
    assert ex.Plan("abab", 2, 7, 3, START, ex.from_text("BA,AB")).pairs_of() == [(1, 0), (2, 3)]


def separated(plan: ex.Plan, on: float = 8.0, off: float = 5.0) -> dict[date, float]:
    days = (plan.end - plan.start).days + 1
    return {plan.start + timedelta(days=n): on if plan.periods[plan.period_of(plan.start + timedelta(days=n))]
            else off for n in range(days)}


def test_a_perfectly_separated_abab_of_two_pairs_cannot_go_below_one_half():
    """Two-sided, 4 orders: the observed one and its mirror are equally far from 0, so p = 2/4."""
    plan = ex.Plan("abab", 2, 10, 2, START, ex.from_text("AB,BA"))
    result = ex.analyse(plan, separated(plan), plan.end)
    assert result.effect == pytest.approx(3.0) and result.test.p == 0.5 and result.test.exact
    six = ex.Plan("abab", 6, 5, 1, START, ex.from_text("AB,BA,BA,AB,AB,BA"))
    assert ex.analyse(six, separated(six), six.end).test.p == pytest.approx(2 / 64)


def test_exact_p_on_hand_made_period_means():
    # pair differences 1 and 2 (AB,AB): the four orders give +1.5, +0.5, -0.5, -1.5; |d| >= 1.5 twice
    test = ex.randomisation_test("abab", ex.from_text("AB,AB"), [6.0, 5.0, 7.0, 5.0], [1, 1, 1, 1])
    assert test.statistic == pytest.approx(1.5) and test.p == 0.5 and test.orders == 4
    # pair differences 1 and 3 (AB,BA), weights unequal: on = (6·2 + 8·1)/3, off = (5·2 + 5·1)/3
    test = ex.randomisation_test("abab", ex.from_text("AB,BA"), [12.0, 10.0, 5.0, 8.0], [2, 2, 1, 1])
    assert test.statistic == pytest.approx(20 / 3 - 15 / 3)


def test_random_pairs_p_matches_a_brute_force_over_distinct_orders():
    rng = random.Random(3)
    means = [rng.gauss(5, 1) for _ in range(8)]
    actual = ex.from_text("AB,BA,AA,BB")
    test = ex.randomisation_test("random-pairs", actual, means, [1] * 8)
    orders = set(permutations(actual))
    observed = abs(sum(m for m, on in zip(means, actual, strict=True) if on) / 4 -
                   sum(m for m, on in zip(means, actual, strict=True) if not on) / 4)
    hits = sum(abs(sum(m for m, on in zip(means, o, strict=True) if on) / 4 -
                   sum(m for m, on in zip(means, o, strict=True) if not on) / 4) >= observed - 1e-12 for o in orders)
    assert len(orders) == 70 and test.p == pytest.approx(hits / 70)


def test_an_order_with_no_rated_day_on_one_side_counts_as_extreme():
    # only the first pair is rated: the orders that flip it are computable, the others put no rated day on a side
    test = ex.randomisation_test("random-pairs", ex.from_text("AB,AB"), [7.0, 5.0, 0.0, 0.0], [1, 1, 0, 0])
    assert test.statistic == 2.0 and test.p == 1.0


def test_many_orders_are_sampled_with_a_seed():
    plan = ex.Plan("abab", 14, 3, 0, START, ex.draw("abab", 14, random.Random(1)))
    rng = random.Random(2)
    values = {d: v + rng.gauss(0, 0.5) for d, v in separated(plan, 5.5, 5.0).items()}
    first, again = ex.analyse(plan, values, plan.end), ex.analyse(plan, values, plan.end)
    assert not first.test.exact and first.test.orders == 2 ** 14 and first == again
    assert 1 / (ex.SAMPLES + 1) <= first.test.p < 0.05
    assert ex.analyse(plan, values, plan.end, seed=99).test.p != first.test.p or first.test.p < 0.001


def test_the_interval_is_t_over_the_pair_differences():
    diffs = [0.4, 1.3, 0.9, 0.2]
    low, high = ex.pair_interval(0.7, diffs)
    half = stats.t.ppf(0.975, 3) * stats.tstd(diffs) / math.sqrt(4)
    assert (low, high) == pytest.approx((0.7 - half, 0.7 + half), abs=1e-9)
    assert ex.pair_interval(0.7, [0.4]) is None


def test_washout_days_are_left_out_and_counted():
    plan = ex.Plan("abab", 2, 7, 3, START, ex.from_text("AB,BA"))
    values = separated(plan)
    for k in range(4):  # wild values on every washout day: they must not count
        first, _ = plan.span(k)
        for n in range(3):
            values[first + timedelta(days=n)] = 100.0
    del values[START + timedelta(days=5)]  # one analysable day unrated
    result = ex.analyse(plan, values, plan.end)
    assert result.effect == pytest.approx(3.0)
    assert (result.analysable, result.left_out, result.on_days, result.off_days) == (16, 12, 7, 8)
    assert result.completeness == pytest.approx(15 / 16) and result.pairs_used == 2 and result.periods_begun == 4


def test_a_running_experiment_is_analysed_so_far():
    plan = ex.Plan("abab", 2, 7, 3, START, ex.from_text("AB,BA"))
    early = ex.analyse(plan, separated(plan), START + timedelta(days=9))  # the first off days are washout
    assert early.periods_begun == 2 and (early.analysable, early.left_out, early.off_days) == (4, 6, 0)
    assert early.effect is None and early.test.p is None
    result = ex.analyse(plan, separated(plan), START + timedelta(days=11))
    assert (result.analysable, result.left_out, result.on_days, result.off_days) == (6, 6, 4, 2)
    assert result.effect == pytest.approx(3.0)


def test_the_history_gives_sd_and_phi_and_too_little_gives_the_defaults():
    rng = random.Random(4)
    x, values = 0.0, {}
    for n in range(2000):
        x = 0.6 * x + rng.gauss(0, 1.2 * math.sqrt(1 - 0.36))
        if n % 10 != 3:  # some days unrated
            values[START + timedelta(days=n)] = 5 + x
    noise = pw.noise_from_history(values)
    assert noise.from_history and noise.sd == pytest.approx(1.2, abs=0.1) and noise.phi == pytest.approx(0.6, abs=0.06)
    few = dict(list(values.items())[:27])
    assert pw.noise_from_history(few) == pw.Noise(pw.DEFAULT_SD, pw.DEFAULT_PHI, 0)
    flat = {START + timedelta(days=n): 5.0 for n in range(40)}
    assert not pw.noise_from_history(flat).from_history


@pytest.mark.parametrize("design, pairs, block", [("random-pairs", 4, 10), ("abab", 6, 6)])
def test_the_planners_power_agrees_with_the_analysis_run_on_simulated_days(design, pairs, block):
    """At the difference the planner says is found 80% of the time, the real analysis finds it (p ≤ 0.05, on
    above off) in about 80% of simulated experiments."""
    noise, washout = pw.Noise(1.5, 0.5, 0), 2
    forecast = pw.forecast(design, pairs, block, washout, noise)
    assert forecast.detectable is not None
    rng, runs, found = random.Random(11), 400, 0
    for _ in range(runs):
        plan = ex.Plan(design, pairs, block, washout, START, ex.draw(design, pairs, rng))
        x, values = rng.gauss(0, 1.5), {}
        for n in range(2 * pairs * block):
            if n:
                x = 0.5 * x + rng.gauss(0, 1.5 * math.sqrt(0.75))
            day = START + timedelta(days=n)
            values[day] = x + (forecast.detectable if plan.periods[plan.period_of(day)] else 0.0)
        result = ex.analyse(plan, values, plan.end)
        found += result.test.p <= 0.05 and result.effect > 0
    assert 0.72 <= found / runs <= 0.88, found / runs


def test_the_planner_is_seeded_and_says_when_the_design_cannot_answer():
    noise = pw.Noise(1.5, 0.5, 0)
    assert pw.forecast("random-pairs", 4, 10, 2, noise) == pw.forecast("random-pairs", 4, 10, 2, noise)
    small = pw.forecast("abab", 2, 14, 3, noise)
    assert small.orders == 4 and small.smallest_p == 0.5 and small.detectable is None and small.problems == ("p",)
    better = pw.suggest(small)
    assert better is not None and better.smallest_p <= 0.05 and better.block_days >= 5
    assert pw.pairs_for_p("abab", 2) == 6 and pw.pairs_for_p("random-pairs", 2) == 4 and pw.pairs_for_p("abba", 2) == 12
    assert pw.suggest(pw.forecast("random-pairs", 6, 14, 3, noise)) is None


def test_more_noise_and_more_dependence_need_a_larger_difference():
    quiet = pw.forecast("random-pairs", 4, 10, 2, pw.Noise(1.0, 0.2, 40))
    loud = pw.forecast("random-pairs", 4, 10, 2, pw.Noise(2.0, 0.2, 40))
    sticky = pw.forecast("random-pairs", 4, 10, 2, pw.Noise(1.0, 0.8, 40))
    assert loud.detectable == pytest.approx(2 * quiet.detectable, rel=0.01)  # linear in the SD, same draws
    assert sticky.detectable > quiet.detectable


def test_the_sentences():
    test = ex.Test(0.83, 0.0625, 16, True, 0.125)
    result = ex.Result(test, -0.12, 1.78, 40, 38, 80, 24, 4, 8)
    # p above 0.05 and an interval holding 0: no "higher", as compare says none
    assert describe_result(result, "Sleep quality", "Magnesium", periods=8) == (
        "No clear difference in Sleep quality between days on and off Magnesium (+0.8 on − off; 95% interval -0.1 "
        "to +1.8; randomisation p = 0.06 over 16 possible orders; 78 of 80 analysable days rated, 24 washout days "
        "left out).")
    clear = result._replace(test=test._replace(p=0.03), low=0.2)
    assert describe_result(clear, "Sleep quality", "Magnesium", periods=8).startswith(
        "Sleep quality was 0.8 higher on days on Magnesium than off (95% interval +0.2 to +1.8; randomisation "
        "p = 0.03")
    lower = result._replace(test=test._replace(statistic=-0.5, exact=False, orders=16384, p=0.0004), low=-0.9,
                            high=-0.1)
    assert describe_result(lower, "Mood", "Magnesium", periods=8).startswith(
        "Mood was 0.5 lower on days on Magnesium than off (95% interval")
    assert "p < 0.001 over a sample of 10,000 of 16,384 possible orders" in describe_result(lower, "Mood", "M",
                                                                                              periods=8)
    running = result._replace(periods_begun=3, test=test._replace(statistic=None, p=None), on_days=5, off_days=0)
    assert describe_result(running, "Mood", "M", periods=8) == (
        "So far (3 of 8 periods begun): Not enough data on Mood yet: it needs a rated day, after the washout, in "
        "both an on and an off period (5 on, 0 off).")
    same = result._replace(test=test._replace(statistic=0.01), low=None, high=None)
    assert "about the same on days on M as off (+0.01; no 95% interval" in describe_result(same, "Mood", "M",
                                                                                            periods=8)
    lines = describe_forecast(pw.forecast("abab", 2, 14, 3, pw.Noise(1.5, 0.5, 0)), "Sleep quality")
    assert ("4 possible orders, so the smallest possible p is 1/4 = 0.25 for a difference in a direction named in "
            "advance, and 0.5 either way") in lines[0]
    assert "cannot reach p ≤ 0.05" in lines[1] and "stated defaults" in lines[1]
    good = pw.forecast("random-pairs", 4, 14, 3, pw.Noise(1.2, 0.4, 64))
    assert "80% of the time" in describe_forecast(good, "Mood")[1] and "your 64 rated days" in \
        describe_forecast(good, "Mood")[1]
    assert describe_suggestion(good).startswith("Consider 4 pairs of 14-day periods (112 days): smallest possible p")
