"""Symptoms after doses, and the unlogged stretches: table-driven cases and a brute-force cross-check."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from medlog.analysis.completeness import gaps
from medlog.analysis.timing import after_dose

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def _h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_reports_within_the_hours_after_a_dose_are_counted():
    doses = {"Escitalopram": [_h(24 * d) for d in range(5)], "Ibuprofen": [_h(24 * d + 10) for d in range(5)]}
    # 3 reports 2 h after escitalopram, 1 report 1 h after ibuprofen: escitalopram, 3 of 4
    reports = [_h(2), _h(26), _h(50), _h(83)]
    found = after_dose(reports, doses)
    assert (found.substance, found.within, found.reports, found.hours) == ("Escitalopram", 3, 4, 6)


@pytest.mark.parametrize(("reports", "expected"), [
    ([_h(2), _h(26)], None),  # too few reports to say anything
    ([_h(7), _h(31), _h(55)], None),  # 7 h after: outside the 6 h
    ([_h(-1), _h(23), _h(47)], None),  # before the dose, not after
    ([_h(0), _h(24), _h(48)], 3),  # at the very instant counts
    ([_h(6), _h(30), _h(54)], 3),  # exactly 6 h after counts
    ([_h(2), _h(36), _h(60), _h(84)], None),  # 1 of 4: under half
])
def test_edges(reports, expected):
    found = after_dose(reports, {"X": [_h(24 * d) for d in range(5)]})
    assert (found.within if found else None) == expected


def test_ties_go_to_the_first_name_whatever_the_order():
    same = [_h(0), _h(24), _h(48)]
    reports = [_h(1), _h(25), _h(49)]
    assert after_dose(reports, {"b": same, "A": same}).substance == "A"


def test_agrees_with_a_brute_force_count():
    rng = random.Random(3)
    for _ in range(200):
        doses = {name: sorted(_h(rng.uniform(0, 240)) for _ in range(rng.randint(0, 12))) for name in "ABC"}
        reports = [_h(rng.uniform(0, 240)) for _ in range(rng.randint(0, 10))]
        counts = {name: sum(any(timedelta(0) <= r - d <= timedelta(hours=6) for d in ds) for r in reports)
                  for name, ds in doses.items()}
        found = after_dose(reports, doses)
        best = max(counts.values(), default=0)
        if len(reports) < 3 or best < 0.5 * len(reports):
            assert found is None
        else:
            assert found.within == best and counts[found.substance] == best


D = date(2026, 11, 1)


def _d(i: int) -> date:
    return D + timedelta(days=i)


@pytest.mark.parametrize(("kept", "expected"), [
    (range(10), []),
    ([0, 1, 5, 6, 7, 8, 9], [(2, 4)]),  # three days: named
    ([0, 1, 4, 5, 6, 7, 8, 9], []),  # two days: not
    ([5, 6, 7, 8, 9], [(0, 4)]),  # at the start
    ([0, 1, 2, 3, 4, 5], [(6, 9)]),  # running to the end
    ([], [(0, 9)]),
    ([0, 4, 8], [(1, 3), (5, 7)]),
])
def test_gaps(kept, expected):
    assert gaps({_d(i) for i in kept}, _d(0), _d(9), 3) == [(_d(a), _d(b)) for a, b in expected]
