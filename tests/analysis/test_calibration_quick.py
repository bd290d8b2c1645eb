"""The calibration study (benchmarks/calibration.py) runs end to end: two replicates of every scenario through the
real compare service or, for the self-experiments, the real experiment plan and analysis; one of each kind through
the CLI. Only that it runs and its figures are rates; the figures themselves come from the full run
(docs/analysis.md)."""

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


@pytest.fixture(scope="module")
def every(calibration, tmp_path_factory):
    """(the scratch folder, the summaries of two replicates of every scenario)."""
    folder = tmp_path_factory.mktemp("calibration")
    return folder, calibration.run(list(calibration.BY_NAME), 2, 11, workdir=str(folder))


def test_every_scenario_runs_and_gives_rates(calibration, every):
    tmp_path, summaries = every
    names = list(calibration.BY_NAME)
    assert {s.scenario for s in summaries} == set(names)
    for s in summaries:
        assert s.reps == 2 and s.errors == 0, s.verdicts
        for rate in (s.claim_rate, s.coverage, s.right_way / s.reps, s.same_day_claims / s.reps):
            assert rate is None or 0 <= rate <= 1
        for low, high in (s.claim_ci, s.coverage_ci or (0, 1)):
            assert 0 <= low <= high <= 1
        assert s.bias is None or math.isfinite(s.bias)
        assert s.before_days is None or 0 <= s.before_days <= (42 if s.kind == "experiment" else 28)
    assert "| question |" in calibration.markdown_table(summaries)
    assert {s.kind for s in summaries} == {"compare", "experiment"}
    assert calibration.experiment_table(summaries).count("\n") == sum(s.kind == "experiment" for s in summaries)
    assert list(tmp_path.iterdir()) == []  # the scratch journals are removed


def test_the_cli_agrees_with_the_service(calibration, tmp_path):
    assert calibration.cli_check(calibration.BY_NAME["co-intervention"], [5], str(tmp_path)) == []


def test_self_experiments_are_planned_lived_and_analysed_through_the_services(calibration, every, tmp_path):
    experiments = {n for n, s in calibration.BY_NAME.items() if isinstance(s, calibration.ExperimentScenario)}
    assert {"exp-null-abab", "exp-power-abab", "exp-power-abba", "exp-power-random", "exp-carryover",
            "exp-drift"} <= experiments
    summaries = [s for s in every[1] if s.scenario in experiments]
    assert len(summaries) == len(experiments)
    for s in summaries:
        assert s.kind == "experiment" and s.errors == 0, s.verdicts
        assert s.planner_sd is not None and 1.0 < s.planner_sd < 2.2  # read from the simulated history
        assert s.on_taken is not None and s.on_taken > 0.7 and s.off_free == 1.0  # doses on on days only
        assert (s.predicted_power is None) == (not s.truth)
        assert s.predicted_power is None or 0 <= s.predicted_power <= 1
    agreement = [t for t in calibration.targets(summaries) if t[0].startswith("power within")]
    assert len(agreement) == sum(s.power_target for s in summaries) == 3
    assert "planner's power" in calibration.experiment_table(summaries, markdown=True)
    assert calibration.cli_check(calibration.BY_NAME["exp-power-random"], [5], str(tmp_path)) == []


def test_reading_a_result_prefers_an_adjusted_estimate(calibration):
    raw = SimpleNamespace(difference=1.0, low=0.2, high=1.8)
    assert calibration.estimate_of(raw) == (1.0, 0.2, 1.8)
    adjusted = SimpleNamespace(difference=1.0, low=0.2, high=1.8, adjusted_difference=0.1, adjusted_low=-0.9,
                               adjusted_high=1.1)
    assert calibration.estimate_of(adjusted) == (0.1, -0.9, 1.1)
    assert calibration.estimate_of(SimpleNamespace(difference=None, low=None, high=None)) == (None, None, None)
    assert [calibration.is_claim(v) for v in ("higher", "improved", "already rising", "no clear change", None)] == [
        True, True, False, False, False]
