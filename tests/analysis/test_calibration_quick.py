"""The calibration study (benchmarks/calibration.py) runs end to end: two replicates of every scenario through the
real compare service, and one through the CLI. Only that it runs and its figures are rates; the figures themselves
come from the full run (docs/analysis.md)."""

import importlib
import math
import os
import sys
from types import SimpleNamespace

import pytest

BENCHMARKS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "benchmarks")


@pytest.fixture(scope="module")
def calibration():
    sys.path.insert(0, BENCHMARKS)
    try:
        yield importlib.import_module("calibration")
    finally:
        sys.path.remove(BENCHMARKS)


def test_every_scenario_runs_and_gives_rates(calibration, tmp_path):
    names = list(calibration.BY_NAME)
    summaries = calibration.run(names, 2, 11, workdir=str(tmp_path))
    assert {s.scenario for s in summaries} == set(names)
    for s in summaries:
        assert s.reps == 2 and s.errors == 0, s.verdicts
        for rate in (s.claim_rate, s.coverage, s.right_way / s.reps, s.same_day_claims / s.reps):
            assert rate is None or 0 <= rate <= 1
        for low, high in (s.claim_ci, s.coverage_ci or (0, 1)):
            assert 0 <= low <= high <= 1
        assert s.bias is None or math.isfinite(s.bias)
        assert s.before_days is None or 0 <= s.before_days <= 28
    assert "| question |" in calibration.markdown_table(summaries)
    assert list(tmp_path.iterdir()) == []  # the scratch journals are removed


def test_the_cli_agrees_with_the_service(calibration, tmp_path):
    assert calibration.cli_check(calibration.BY_NAME["co-intervention"], [5], str(tmp_path)) == []


def test_reading_a_result_prefers_an_adjusted_estimate(calibration):
    raw = SimpleNamespace(difference=1.0, low=0.2, high=1.8)
    assert calibration.estimate_of(raw) == (1.0, 0.2, 1.8)
    adjusted = SimpleNamespace(difference=1.0, low=0.2, high=1.8, adjusted_difference=0.1, adjusted_low=-0.9,
                               adjusted_high=1.1)
    assert calibration.estimate_of(adjusted) == (0.1, -0.9, 1.1)
    assert calibration.estimate_of(SimpleNamespace(difference=None, low=None, high=None)) == (None, None, None)
    assert [calibration.is_claim(v) for v in ("higher", "improved", "already rising", "no clear change", None)] == [
        True, True, False, False, False]
