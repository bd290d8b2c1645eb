"""Calibration of `medlog compare` and `medlog experiment` by simulation: journals with a known truth, run
through the real services.

    python benchmarks/calibration.py                      # every scenario, 200 replicates each
    python benchmarks/calibration.py --quick              # ~20 replicates each (CI-sized; the exp-* ~1.5 min of it)
    python benchmarks/calibration.py --scenario null-0.3 --scenario power --reps 500 --seed 7
    python benchmarks/calibration.py --markdown --json out.json   # the table for docs/analysis.md, all figures

Each replicate simulates one person's daily ratings with a known effect of the substance (usually none), writes
them as a genuine journal file (the store's own schema and migrations, rows through store/bulk.py and the demo's
Recorder, as `medlog demo` does), and asks `medlog.services.compare.compare` about it in process, with a pinned
clock. One scenario per run is also asked through the real CLI in a subprocess (`medlog --db FILE compare NAME
--metric M --json`) on a few replicates, which must agree with the in-process verdict and interval.

The simulated person (unless a scenario says otherwise):
    latent rating   5 + AR(1) with lag-1 correlation φ and a stationary SD of 1.5 (so 1.5 is "1 SD");
                    the day's rating is the latent value rounded to a whole number and clipped to 0..10
    the change      a start of Magnesium glycinate 200 mg at 21:30 daily, on the change day; doses taken on 95%
                    of days (the rest missed, no entry); 56 days of ratings before the change; `today` is the
                    last day of the after window (change + 7 + 27), the clock at 23:30 local (Europe/London)
    an effect       reaches its full size over the first 5 days after the change (a ramp, 1/5 a day), so it is
                    whole in the after window (days 7..34)

The truth of a question is the expected after − before difference of the *rated* values that the substance
causes (rounding and clipping included; for a null, 0): what `difference` and its interval estimate. So a drift,
a recovery after a bad week, or another substance's effect are not the substance's and count against a verdict.

Measured per question: the claim rate (verdicts "higher", "lower", "improved" or "worsened"; anything else is
not a claim), how often the claim points the true way (the power, where there is an effect), the coverage of the
truth by the interval (where one is given), the bias (mean estimate − truth), the mean days logged before and
after, the verdicts seen, and the rate of day-by-day association sentences that claim a difference. Claim rates
carry a Monte Carlo 95% interval (Wilson's), coverage too: with 200 replicates a rate of 5% is known to ±3%.

Self-experiments (the `exp-*` scenarios, calibration_lives.ExperimentScenario) go through the real experiment
code instead: 120 days of ratings before (magnesium taken daily, the rating an AR(1) with φ = 0.5 and SD 1.5 as
above, its effect in full) are written as a journal; `medlog.services.experiments.plan` plans the experiment on
that journal with the clock at 23:30 the evening before its first day (so it reads the person's SD and φ from the
history, forecasts, draws the order from a seed of the replicate and writes its record and planned start/stop
events); the experiment's days are then lived in the order drawn — the same AR(1) path continued, magnesium taken
on 95% of on days (21:30 ± 30 min) and never on off days, the effect following the days on and off (whole on every
on day, or building and carrying over: calibration_lives.Kinetics) — and `experiments.analyze` reads it with the
clock the evening after its last day. A result claims a difference when its randomisation p ≤ 0.05 (the sentence
always says "higher"/"lower"; p is what says whether to believe it); the truth is the steady-state on − off
difference of the rated values; "days before/after" are the analysable rated days off / on. Beside each, the
planner's own forecast: its power at the true difference (the share of its simulated experiments, the thresholds
behind `experiment_power.forecast`, at most that difference) and the difference it finds 80% of the time, both
from the noise it read; for the exp-power-* scenarios the observed power must be within 10 points of it. The CLI
check of an experiment scenario runs `medlog --db FILE experiment analyze --json` with MEDLOG_NOW.

Replicate i of a run uses seed `--seed` + i (the scenario's name is mixed in, so scenarios are independent);
`--seed S+i --reps 1` re-runs that one journal. Runs are reproducible: compare's bootstrap is seeded too.
Needs only the standard library and the installed medlog; run it in medlog's environment.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from random import Random
from zoneinfo import ZoneInfo

from calibration_lives import BY_NAME, MAG, ExperimentLife, ExperimentScenario, Life, Question, Scenario

ZONE = "Europe/London"
NOW_CLOCK = clock(23, 30)  # local time of `now` on `today`: every entry of today is in
RATED_AT = clock(21, 0)

NULL_TARGET = 0.07  # at most this share of claims in every null question
COVERAGE_TARGET = 0.93  # at least this coverage wherever an interval is given
AGREEMENT_TARGET = 0.10  # an experiment design's observed power within this of the planner's predicted power
EXP_ALPHA = 0.05  # an experiment's result claims a difference when its randomisation p is at most this
CLAIMS = frozenset({"higher", "lower", "improved", "worsened"})
QUICK_REPS = 20
FULL_REPS = 200
CLI_CHECK_REPS = 3


# ---------------------------------------------------------------------------------------------------------------
# What is read from a compare result. The analysis is being rewritten: every field is read with a default, and
# the choice of the estimate and its interval is made here, once.

# Tried in order: the first triple whose interval is given is "the estimate" (a rewrite that adjusts the raw
# difference for a trend or a co-intervention may name its fields so; put the marked one first).
ESTIMATE_FIELDS = (
    ("adjusted_difference", "adjusted_low", "adjusted_high"),
    ("adjusted", "adjusted_low", "adjusted_high"),
    ("difference", "low", "high"),
)


def estimate_of(result: object) -> tuple[float | None, float | None, float | None]:
    """(estimate, low, high) of the after − before difference in the metric's units; Nones when not given.

    If the result names its primary estimate (an attribute `estimate_field`, e.g. "adjusted_difference"), that
    triple is read first; otherwise the first of ESTIMATE_FIELDS whose interval is present."""
    marked = getattr(result, "estimate_field", None)
    order = list(ESTIMATE_FIELDS)
    if isinstance(marked, str):
        order.insert(0, next((t for t in ESTIMATE_FIELDS if t[0] == marked), (marked, "low", "high")))
    for centre, low, high in order:
        lo, hi = getattr(result, low, None), getattr(result, high, None)
        if lo is not None and hi is not None:
            est = getattr(result, centre, None)
            return (None if est is None else float(est)), float(lo), float(hi)
    est = getattr(result, "difference", None)
    return (None if est is None else float(est)), None, None


def is_claim(verdict: object) -> bool:
    return isinstance(verdict, str) and verdict.strip().casefold() in CLAIMS


def association_claims(sentence: object) -> bool:
    """A day-by-day sentence that says the metric was higher or lower with more of the substance."""
    return (isinstance(sentence, str) and not sentence.startswith("No clear") and "says nothing" not in sentence
            and (" higher " in sentence or " lower " in sentence))


# ---------------------------------------------------------------------------------------------------------------
# A journal file from a life, and the real compare


def write_journal(path: str, life: Life, seed: int):  # -> medlog.services.context.Journal
    """A genuine journal at `path` (created and migrated by the store) holding `life`; the Journal to read it
    with, its clock pinned at `today` 23:30."""
    from medlog.clock import FixedClock
    from medlog.config import Settings
    from medlog.domain.schedule import AS_NEEDED, Schedule
    from medlog.domain.units import Amount
    from medlog.services.context import Journal
    from medlog.services.demo.recorder import Recorder
    from medlog.store.bulk import BulkWriter
    from medlog.store.connection import connect, translate_errors, write_transaction

    zone = ZoneInfo(ZONE)
    settings = Settings(zone)
    now = datetime.combine(life.today, NOW_CLOCK, tzinfo=zone).astimezone(UTC)

    def mg(value: int) -> Amount:
        return Amount(Decimal(value), "mg")

    def local(day: date, hhmm: str) -> datetime:
        hour, minute = map(int, hhmm.split(":"))
        return datetime.combine(day, clock(hour, minute))

    conn = connect(path, create=True)
    try:
        with translate_errors(path), write_transaction(conn):
            metric_ids = dict(conn.execute("SELECT key, id FROM metric WHERE builtin"))
            rec = Recorder(BulkWriter(conn, lambda: rec.uuid()), settings, now, Random(seed), metric_ids)
            created = local(life.first, "07:00").replace(tzinfo=zone)
            for sub in life.substances:
                sid = rec.substance(sub.name, sub.kind, form=sub.form, strength=mg(sub.strength_mg), created=created)
                for day, kind, at, dose, times in sub.events:
                    schedule = None if times is None else AS_NEEDED if times == "as needed" else Schedule((times,))
                    rec.regimen(sid, kind, local(day, at), dose=None if dose is None else mg(dose),
                                schedule=schedule)
                for day, at, amount, slot in sub.doses:
                    rec.dose(sid, local(day, at), zone, amount=mg(amount), slot=slot)
            for key, values in life.ratings.items():
                for day, value in values.items():
                    rec.rating(key, value, day, local(day, RATED_AT.strftime("%H:%M")), zone)
            rec.writer.flush()
    finally:
        conn.close()
    return Journal(path, settings, FixedClock(now))


@dataclass
class Outcome:
    """One replicate's answer to one question."""

    question: str
    seed: int
    verdict: str
    estimate: float | None
    low: float | None
    high: float | None
    before_n: int | None
    after_n: int | None
    same_day_claim: bool  # the lag-0 association sentence claims higher/lower
    next_day_claim: bool
    same_day_sentence: str | None = None
    # self-experiments only: the randomisation p, and what the planner said before the start (its power at the
    # truth from its own simulation, the difference it finds 80% of the time, the SD and φ it read from the history)
    p: float | None = None
    predicted_power: float | None = None
    detectable: float | None = None
    planner_sd: float | None = None
    planner_phi: float | None = None
    on_taken: float | None = None  # adherence: share of on days with a dose, of off days without one
    off_free: float | None = None

    @property
    def same_day_direction(self) -> str | None:
        """"higher" or "lower" when the same-day sentence claims a difference."""
        if not self.same_day_claim or self.same_day_sentence is None:
            return None
        return "higher" if " higher " in self.same_day_sentence else "lower"


def ask(journal, question: Question, seed: int) -> tuple[Outcome, object]:
    """The real service's answer, read defensively (fields may be renamed or added by a rewrite)."""
    from medlog.services.compare import compare

    try:
        report = compare(journal, question.substance, metric=question.metric)
    except Exception as exc:  # noqa: BLE001 — a crash is an outcome to count, not a reason to stop the study
        return Outcome(question.name, seed, f"error: {type(exc).__name__}: {exc}"[:160], None, None, None, None,
                       None, False, False), None
    metrics = [m for m in getattr(report, "metrics", ()) if getattr(getattr(m, "spec", None), "key", None)
               == question.metric] or list(getattr(report, "metrics", ()))[:1]
    if not metrics:
        return Outcome(question.name, seed, "no metric in report", None, None, None, None, None, False, False), report
    m = metrics[0]
    result = getattr(m, "result", None)
    estimate, low, high = estimate_of(result)
    verdict = getattr(result, "verdict", None)
    same = next_ = False
    same_sentence = None
    sentences = tuple(getattr(m, "association_sentences", ()) or ())
    associations = tuple(getattr(m, "associations", ()) or ())
    for i, sentence in enumerate(sentences):
        lag = getattr(associations[i], "lag", i) if i < len(associations) else i
        if lag == 0:
            same, same_sentence = association_claims(sentence), sentence
        elif lag == 1:
            next_ = association_claims(sentence)
    return Outcome(question.name, seed, str(verdict), estimate, low, high,
                   getattr(getattr(result, "before", None), "n", None),
                   getattr(getattr(result, "after", None), "n", None), same, next_, same_sentence), report


def scratch_dir(preferred: str | None = None) -> str:
    base = preferred or ("/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    return tempfile.mkdtemp(prefix="medlog-calibration-", dir=base)


def run_replicate(scenario: Scenario, seed: int, workdir: str) -> list[Outcome]:
    """Simulate one life, write its journal, ask every question of the scenario; the journal is then removed."""
    rng = Random(f"{scenario.name}:{seed}")
    life = scenario.simulate(rng)
    path = os.path.join(workdir, f"{scenario.name}-{seed}.sqlite")
    try:
        journal = write_journal(path, life, rng.getrandbits(64))
        return [ask(journal, q, seed)[0] for q in scenario.questions]
    finally:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


# ---------------------------------------------------------------------------------------------------------------
# Self-experiments: planned, lived and analysed through the real services.experiments


def _remove(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def append_days(path: str, metric: str, values: dict[date, float], doses: list[tuple[date, str, int, str | None]],
                now: datetime, seed: int):  # -> medlog.services.context.Journal
    """Write an experiment's ratings and doses into the journal at `path` (the same bulk path as write_journal);
    the Journal to read it with, its clock pinned at `now`."""
    from medlog.clock import FixedClock
    from medlog.config import Settings
    from medlog.domain.units import Amount
    from medlog.services.context import Journal
    from medlog.services.demo.recorder import Recorder
    from medlog.store.bulk import BulkWriter
    from medlog.store.connection import connect, translate_errors, write_transaction

    zone = ZoneInfo(ZONE)
    settings = Settings(zone)
    conn = connect(path, create=False)
    try:
        with translate_errors(path), write_transaction(conn):
            metric_ids = dict(conn.execute("SELECT key, id FROM metric WHERE builtin"))
            (sid,) = conn.execute("SELECT id FROM substance WHERE name = ?", (MAG,)).fetchone()
            rec = Recorder(BulkWriter(conn, lambda: rec.uuid()), settings, now, Random(seed), metric_ids)
            for day, at, amount, slot in doses:
                hour, minute = map(int, at.split(":"))
                rec.dose(sid, datetime.combine(day, clock(hour, minute)), zone,
                         amount=Amount(Decimal(amount), "mg"), slot=slot)
            for day, value in values.items():
                rec.rating(metric, value, day, datetime.combine(day, RATED_AT), zone)
            rec.writer.flush()
    finally:
        conn.close()
    return Journal(path, settings, FixedClock(now))


def live_experiment(scenario: ExperimentScenario, seed: int, path: str):  # -> (Journal, Planned, ExperimentLife)
    """One replicate's journal at `path`: the history written, the experiment planned through the real
    `experiments.plan` (clock the evening before its first day, order drawn from a seed of the replicate), its
    days lived in the order drawn, and the Journal to analyse it with (clock the evening after its last day)."""
    from medlog.services import experiments

    rng = Random(f"{scenario.name}:{seed}")
    life: ExperimentLife = scenario.simulate(rng)
    journal = write_journal(path, life.history, rng.getrandbits(64))
    request = experiments.Request(MAG, (life.metric,), design=scenario.design, block=scenario.block,
                                  washout=scenario.washout, pairs=scenario.pairs, seed=life.order_seed)
    planned = experiments.plan(journal, request)
    calendar = planned.experiment.plan
    values, doses = life.days(calendar.start, calendar.periods, calendar.block_days)
    zone = ZoneInfo(ZONE)
    after = datetime.combine(calendar.end + timedelta(days=1), NOW_CLOCK, tzinfo=zone).astimezone(UTC)
    later = append_days(path, life.metric, values, doses, after, rng.getrandbits(64))
    return later, planned, life


def predicted_power(planned: object, truth: float | None) -> float | None:
    """The planner's own power at a true difference `truth`: the share of its simulated experiments (the
    thresholds behind its forecast: the same design, noise read from the history, simulations and seed) whose
    smallest rejecting difference is at most `truth`."""
    from medlog.analysis.experiment_power import ALPHA, thresholds

    if not truth:
        return None
    _, forecast, _ = planned.forecasts[0]  # type: ignore[attr-defined]
    if forecast.smallest_p > ALPHA:
        return 0.0
    found = thresholds(forecast.design, forecast.pairs, forecast.block_days, forecast.left_out, forecast.noise,
                       sims=forecast.sims)
    return bisect.bisect_right(found, abs(truth)) / len(found)


def experiment_verdict(effect: float | None, p: float | None) -> str:
    """"higher"/"lower" (a claim: p ≤ EXP_ALPHA, said by the sign of on − off), else what was found."""
    if effect is None or p is None:
        return "no result"
    word = "higher" if effect > 0 else "lower"
    return word if p <= EXP_ALPHA else f"p > {EXP_ALPHA:g} ({word})"


def run_experiment_replicate(scenario: ExperimentScenario, seed: int, workdir: str) -> list[Outcome]:
    """Plan, live and analyse one experiment; the journal is then removed."""
    from medlog.services import experiments

    question = scenario.questions[0]
    path = os.path.join(workdir, f"{scenario.name}-{seed}.sqlite")
    try:
        later, planned, _ = live_experiment(scenario, seed, path)
        analysis = experiments.analyze(later)
        result = analysis.findings[0].result
        if result is None:
            return [Outcome(question.name, seed, "no finding", None, None, None, None, None, False, False)]
        _, forecast, _ = planned.forecasts[0]
        a = analysis.status.adherence
        return [Outcome(question.name, seed, experiment_verdict(result.effect, result.test.p), result.effect,
                        result.low, result.high, result.off_days, result.on_days, False, False, None,
                        p=result.test.p, predicted_power=predicted_power(planned, question.truth),
                        detectable=forecast.detectable, planner_sd=forecast.noise.sd, planner_phi=forecast.noise.phi,
                        on_taken=a.on_taken / a.on_days if a.on_days else None,
                        off_free=a.off_free / a.off_days if a.off_days else None)]
    except Exception as exc:  # noqa: BLE001 — a crash is an outcome to count
        return [Outcome(question.name, seed, f"error: {type(exc).__name__}: {exc}"[:160], None, None, None, None,
                        None, False, False)]
    finally:
        _remove(path)


_WORKDIR: str | None = None


def _init_worker(workdir: str) -> None:
    global _WORKDIR
    _WORKDIR = workdir


def _task(args: tuple[str, int]) -> list[Outcome]:
    name, seed = args
    assert _WORKDIR is not None
    scenario = BY_NAME[name]
    if isinstance(scenario, ExperimentScenario):
        return run_experiment_replicate(scenario, seed, _WORKDIR)
    return run_replicate(scenario, seed, _WORKDIR)


# ---------------------------------------------------------------------------------------------------------------
# The CLI check: the same journal through `medlog --db FILE compare NAME --metric M --json` in a subprocess


def _cli_env(workdir: str) -> dict[str, str]:
    home = os.path.join(workdir, "cli-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDLOG_", "XDG_"))}
    env.update(HOME=home, XDG_DATA_HOME=os.path.join(home, "data"), XDG_CONFIG_HOME=os.path.join(home, "config"),
               MEDLOG_TZ=ZONE)
    return env


def cli_check(scenario: Scenario | ExperimentScenario, seeds: Iterable[int], workdir: str) -> list[str]:
    """Problems found (empty: the CLI agreed with the in-process call on every replicate and question: the same
    verdict and the same raw interval, `low`/`high` rounded as the JSON rounds them)."""
    if isinstance(scenario, ExperimentScenario):
        return cli_check_experiment(scenario, seeds, workdir)
    problems = []
    env = _cli_env(workdir)
    for seed in seeds:
        rng = Random(f"{scenario.name}:{seed}")
        life = scenario.simulate(rng)
        path = os.path.join(workdir, f"cli-{scenario.name}-{seed}.sqlite")
        journal = write_journal(path, life, rng.getrandbits(64))
        now = journal.now().isoformat()
        for question in scenario.questions:
            outcome, report = ask(journal, question, seed)
            result = next((getattr(m, "result", None) for m in getattr(report, "metrics", ())
                           if getattr(getattr(m, "spec", None), "key", None) == question.metric), None)
            mine = (outcome.verdict, _round(getattr(result, "low", None)), _round(getattr(result, "high", None)))
            proc = subprocess.run([sys.executable, "-m", "medlog", "--db", path, "compare", question.substance,
                                   "--metric", question.metric, "--json"], capture_output=True, text=True,
                                  env={**env, "MEDLOG_NOW": now}, timeout=120)
            if proc.returncode != 0:
                problems.append(f"{question.name} seed {seed}: exit {proc.returncode}: {proc.stderr.strip()[:200]}")
                continue
            row = next((m for m in json.loads(proc.stdout).get("metrics", []) if m.get("metric") == question.metric),
                       None)
            if row is None:
                problems.append(f"{question.name} seed {seed}: no {question.metric} in the CLI's JSON")
                continue
            said = (str(row.get("verdict")), row.get("low"), row.get("high"))
            if said != mine:
                problems.append(f"{question.name} seed {seed}: CLI {said} ≠ in-process {mine}")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    return problems


def cli_check_experiment(scenario: ExperimentScenario, seeds: Iterable[int], workdir: str) -> list[str]:
    """Problems found (empty: `medlog --db FILE experiment analyze --json` in a subprocess, its clock pinned by
    MEDLOG_NOW, gave the in-process difference, interval and p on every replicate)."""
    from medlog.services import experiments

    problems = []
    env = _cli_env(workdir)
    metric = scenario.metric
    for seed in seeds:
        path = os.path.join(workdir, f"cli-{scenario.name}-{seed}.sqlite")
        try:
            later, _, _ = live_experiment(scenario, seed, path)
            result = experiments.analyze(later).findings[0].result
            mine = (None, None, None, None) if result is None else (result.effect, result.low, result.high,
                                                                    result.test.p)
            proc = subprocess.run([sys.executable, "-m", "medlog", "--db", path, "experiment", "analyze", "--json"],
                                  capture_output=True, text=True, env={**env, "MEDLOG_NOW": later.now().isoformat()},
                                  timeout=120)
            if proc.returncode != 0:
                problems.append(f"{scenario.name} seed {seed}: exit {proc.returncode}: {proc.stderr.strip()[:200]}")
                continue
            row = next((m for m in json.loads(proc.stdout).get("metrics", []) if m.get("metric") == metric), None)
            if row is None:
                problems.append(f"{scenario.name} seed {seed}: no {metric} in the CLI's JSON")
                continue
            said = (row.get("difference"), row.get("low"), row.get("high"), row.get("p"))
            if any((a is None) != (b is None) or (a is not None and not math.isclose(a, b, abs_tol=1e-9))
                   for a, b in zip(said, mine, strict=True)):
                problems.append(f"{scenario.name} seed {seed}: CLI {said} ≠ in-process {mine}")
        finally:
            _remove(path)
    return problems


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# ---------------------------------------------------------------------------------------------------------------
# Summaries


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return math.nan, math.nan
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Summary:
    question: str
    scenario: str
    title: str
    truth: float | None
    null: bool
    claim_kind: str
    reps: int
    claims: int
    claim_rate: float
    claim_ci: tuple[float, float]
    right_way: int  # claims pointing the true way (truth ≠ 0)
    verdict_claims: int  # before/after claims (also shown for the association questions)
    same_day_claims: int
    same_day_higher: int  # of those, "… was higher on days with more …"
    next_day_claims: int
    with_interval: int
    covered: int
    coverage: float | None
    coverage_ci: tuple[float, float] | None
    bias: float | None
    mean_width: float | None
    before_days: float | None
    after_days: float | None
    verdicts: dict[str, int]
    errors: int
    # self-experiments (kind "experiment"): the claim is p ≤ EXP_ALPHA; before/after days are off/on days
    kind: str = "compare"
    design: str | None = None
    power_target: bool = False  # the observed power is held to the planner's
    contrast: str | None = None  # a design chosen to fail: its coverage is shown, not held to the target
    predicted_power: float | None = None  # mean over replicates of the planner's power at the truth
    detectable: float | None = None  # mean of the planner's difference found 80% of the time
    detectable_sd: float | None = None  # the same in the planner's SDs
    planner_sd: float | None = None
    planner_phi: float | None = None
    mean_p: float | None = None
    on_taken: float | None = None
    off_free: float | None = None

    @property
    def power(self) -> float | None:
        """The share of replicates claiming the true direction (where there is a truth ≠ 0 and a verdict)."""
        return self.right_way / self.reps if self.truth and self.claim_kind != "association" and self.reps else None


def _mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def summarise(scenario: Scenario | ExperimentScenario, question: Question, outcomes: list[Outcome]) -> Summary:
    summary = _summarise(scenario, question, outcomes)
    if not isinstance(scenario, ExperimentScenario):
        return summary
    planner = [o for o in outcomes if o.planner_sd is not None]
    return replace(
        summary, kind="experiment", claim_kind=f"p ≤ {EXP_ALPHA:g}",
        design=f"{scenario.design} {scenario.pairs} × {scenario.block} d, washout {scenario.washout}",
        power_target=scenario.power_target, contrast=scenario.contrast,
        predicted_power=_mean([o.predicted_power for o in outcomes if o.predicted_power is not None]),
        detectable=_mean([o.detectable for o in planner if o.detectable is not None]),
        detectable_sd=_mean([o.detectable / o.planner_sd for o in planner if o.detectable is not None]),
        planner_sd=_mean([o.planner_sd for o in planner]),
        planner_phi=_mean([o.planner_phi for o in planner if o.planner_phi is not None]),
        mean_p=_mean([o.p for o in outcomes if o.p is not None]),
        on_taken=_mean([o.on_taken for o in outcomes if o.on_taken is not None]),
        off_free=_mean([o.off_free for o in outcomes if o.off_free is not None]))


def _summarise(scenario: Scenario | ExperimentScenario, question: Question, outcomes: list[Outcome]) -> Summary:
    n = len(outcomes)
    verdict_claims = sum(is_claim(o.verdict) for o in outcomes)
    same = sum(o.same_day_claim for o in outcomes)
    claims = same if question.claim == "association" else verdict_claims
    truth = question.truth
    right = 0
    if truth:
        for o in outcomes:
            if question.claim == "association":
                continue
            if is_claim(o.verdict) and o.estimate is not None and (o.estimate > 0) == (truth > 0):
                right += 1
    with_interval = [o for o in outcomes if o.low is not None and o.high is not None]
    covered = sum(o.low <= truth <= o.high for o in with_interval) if truth is not None else 0
    estimates = [o.estimate for o in outcomes if o.estimate is not None]
    return Summary(
        question.name, scenario.name, scenario.title, truth, question.null, question.claim, n, claims,
        claims / n if n else math.nan, wilson(claims, n), right, verdict_claims, same,
        sum(o.same_day_direction == "higher" for o in outcomes),
        sum(o.next_day_claim for o in outcomes), len(with_interval), covered,
        covered / len(with_interval) if with_interval and truth is not None else None,
        wilson(covered, len(with_interval)) if with_interval and truth is not None else None,
        (_mean(estimates) - truth) if estimates and truth is not None else None,
        _mean([o.high - o.low for o in with_interval]),
        _mean([o.before_n for o in outcomes if o.before_n is not None]),
        _mean([o.after_n for o in outcomes if o.after_n is not None]),
        dict(Counter(o.verdict for o in outcomes).most_common()),
        sum(o.verdict.startswith("error") for o in outcomes))


def _pct(value: float | None) -> str:
    return "—" if value is None or math.isnan(value) else f"{100 * value:.1f}%"


def _num(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:+.{places}f}"


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


COLUMNS = ("question", "truth", "claim counted", "claim rate (95% MC)", "power", "coverage", "bias", "width",
           "days before/after", "verdict claims", "same-day assoc. claims (↑/↓)", "n")


def rows(summaries: list[Summary]) -> list[tuple[str, ...]]:
    out = []
    for s in summaries:
        claim = f"{_pct(s.claim_rate)} ({_pct(s.claim_ci[0])}–{_pct(s.claim_ci[1])})"
        if s.kind == "experiment":  # the claim is p ≤ 0.05; the days are the analysable rated days off / on
            out.append((s.question, "—" if s.truth is None else f"{s.truth:+.2f}", s.claim_kind, claim,
                        _pct(s.power), _pct(s.coverage), _num(s.bias),
                        "—" if s.mean_width is None else f"{s.mean_width:.2f}",
                        f"off {_days(s.before_days)} / on {_days(s.after_days)}", _pct(s.verdict_claims / s.reps),
                        "—", str(s.reps)))
            continue
        kind = "same-day assoc." if s.claim_kind == "association" else "verdict"
        power = _pct(s.right_way / s.reps) if s.truth and s.claim_kind == "verdict" else "—"
        out.append((s.question, "—" if s.truth is None else f"{s.truth:+.2f}", kind, claim, power,
                    _pct(s.coverage), _num(s.bias), "—" if s.mean_width is None else f"{s.mean_width:.2f}",
                    f"{_days(s.before_days)} / {_days(s.after_days)}", _pct(s.verdict_claims / s.reps),
                    f"{_pct(s.same_day_claims / s.reps)} ({s.same_day_higher}/{s.same_day_claims - s.same_day_higher})",
                    str(s.reps)))
    return out


def plain_table(summaries: list[Summary]) -> str:
    table = [COLUMNS, *rows(summaries)]
    widths = [max(len(r[i]) for r in table) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in table)


def markdown_table(summaries: list[Summary]) -> str:
    head = "| " + " | ".join(COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    return "\n".join([head, rule, *("| " + " | ".join(r) + " |" for r in rows(summaries))])


EXPERIMENT_COLUMNS = ("question", "design", "truth", "observed power (95% MC)", "planner's power at the truth",
                      "observed − planner", "planner's 80% difference", "planner's SD / φ", "mean p",
                      "adherence on / off", "n")


def experiment_rows(summaries: list[Summary]) -> list[tuple[str, ...]]:
    """The self-experiments beside what the planner said of them before they began."""
    out = []
    for s in summaries:
        if s.kind != "experiment":
            continue
        power = s.power
        ci = wilson(s.right_way, s.reps) if power is not None else None
        gap = (f"{100 * (power - s.predicted_power):+.1f} pts" if power is not None and s.predicted_power is not None
               else "—")
        found = ("—" if s.detectable is None or s.detectable_sd is None
                 else f"{s.detectable:.2f} ({s.detectable_sd:.2f} SD)")
        noise = "—" if s.planner_sd is None else f"{s.planner_sd:.2f} / {s.planner_phi:.2f}"
        adherence = "—" if s.on_taken is None else f"{_pct(s.on_taken)} / {_pct(s.off_free)}"
        out.append((s.question, s.design or "—", "—" if s.truth is None else f"{s.truth:+.2f}",
                    "—" if ci is None else f"{_pct(power)} ({_pct(ci[0])}–{_pct(ci[1])})", _pct(s.predicted_power),
                    gap, found, noise, "—" if s.mean_p is None else f"{s.mean_p:.3f}", adherence, str(s.reps)))
    return out


def _table(columns: tuple[str, ...], body: list[tuple[str, ...]], markdown: bool) -> str:
    if markdown:
        return "\n".join(["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|",
                          *("| " + " | ".join(r) + " |" for r in body)])
    table = [columns, *body]
    widths = [max(len(r[i]) for r in table) for i in range(len(columns))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in table)


def experiment_table(summaries: list[Summary], *, markdown: bool = False) -> str:
    """'' when no self-experiment was run."""
    body = experiment_rows(summaries)
    return _table(EXPERIMENT_COLUMNS, body, markdown) if body else ""


def verdict_lines(summaries: list[Summary]) -> list[str]:
    out = []
    for s in summaries:
        seen = ", ".join(f"{v} {k}" for v, k in ((v, k) for v, k in s.verdicts.items()))
        if s.kind == "experiment":
            out.append(f"{s.question}: {seen}")
            continue
        extra = (f"; association claims same day {s.same_day_claims}/{s.reps} ({s.same_day_higher} higher, "
                 f"{s.same_day_claims - s.same_day_higher} lower), next day {s.next_day_claims}/{s.reps}"
                 f"; before/after claims {s.verdict_claims}/{s.reps}")
        out.append(f"{s.question}: {seen}{extra}")
    return out


def targets(summaries: list[Summary]) -> list[tuple[str, bool | None, str]]:
    """(target, met?, figures): None when nothing was measured for it."""
    out: list[tuple[str, bool | None, str]] = []
    for s in summaries:
        if s.null:
            out.append((f"≤ {NULL_TARGET:.0%} claims: {s.question}", s.claim_rate <= NULL_TARGET,
                        f"{_pct(s.claim_rate)} of {s.reps}"))
    for s in summaries:
        if s.truth is not None:
            if s.coverage is None:
                out.append((f"coverage ≥ {COVERAGE_TARGET:.0%}: {s.question}", None, "no interval given"))
            elif s.contrast:
                out.append((f"coverage ≥ {COVERAGE_TARGET:.0%}: {s.question}", None,
                            f"{_pct(s.coverage)} of {s.with_interval}; a contrast ({s.contrast}), not held to it"))
            else:
                out.append((f"coverage ≥ {COVERAGE_TARGET:.0%}: {s.question}", s.coverage >= COVERAGE_TARGET,
                            f"{_pct(s.coverage)} of {s.with_interval}"))
    for s in summaries:
        if s.power_target:
            text = f"power within {100 * AGREEMENT_TARGET:.0f} points of the planner's: {s.question} ({s.design})"
            if s.power is None or s.predicted_power is None:
                out.append((text, None, "not measured"))
            else:
                gap = s.power - s.predicted_power
                out.append((text, abs(gap) <= AGREEMENT_TARGET + 1e-12,
                            f"observed {_pct(s.power)}, planner {_pct(s.predicted_power)}, {100 * gap:+.1f} points"))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Running


def run(names: list[str], reps: int, seed: int, *, workers: int = 1, workdir: str | None = None,
        progress: Callable[[str], None] | None = None) -> list[Summary]:
    """Every question of the named scenarios over `reps` replicates (seeds seed..seed+reps−1)."""
    chosen = [BY_NAME[n] for n in names]
    tmp = scratch_dir(workdir)
    try:
        results: dict[str, list[Outcome]] = {}
        tasks = [(s.name, seed + i) for s in chosen for i in range(reps)]
        if workers > 1:
            with multiprocessing.get_context("fork").Pool(min(workers, 2), _init_worker, (tmp,)) as pool:
                found = pool.imap(_task, tasks, chunksize=4)
                collected = []
                for k, outcome in enumerate(found, 1):
                    collected.append(outcome)
                    if progress and k % max(1, reps) == 0:
                        progress(f"{k}/{len(tasks)} replicates")
        else:
            _init_worker(tmp)
            collected = []
            for k, task in enumerate(tasks, 1):
                collected.append(_task(task))
                if progress and k % max(1, reps) == 0:
                    progress(f"{k}/{len(tasks)} replicates ({task[0]} done)")
        for outcomes in collected:
            for o in outcomes:
                results.setdefault(o.question, []).append(o)
        return [summarise(s, q, results[q.name]) for s in chosen for q in s.questions]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def code_under_test() -> dict[str, str]:
    import medlog

    where = os.path.dirname(os.path.abspath(medlog.__file__))
    info = {"medlog": where}
    try:
        top = subprocess.run(["git", "-C", where, "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                             check=True).stdout.strip()
        info["commit"] = subprocess.run(["git", "-C", top, "rev-parse", "--short", "HEAD"], capture_output=True,
                                        text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", top, "status", "--porcelain", "--", "src"], capture_output=True,
                               text=True, check=True).stdout.strip()
        info["src"] = "modified (uncommitted changes under src/)" if dirty else "as committed"
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = "not a git checkout"
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, help=f"replicates per scenario (default {FULL_REPS}; --quick "
                                                  f"{QUICK_REPS})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REPS} replicates each, for CI")
    parser.add_argument("--scenario", action="append", choices=list(BY_NAME), metavar="NAME",
                        help="run only this scenario (repeatable): " + ", ".join(BY_NAME))
    parser.add_argument("--seed", type=int, default=20260601, help="base seed; replicate i uses seed + i")
    parser.add_argument("--json", metavar="FILE", help="write every figure (and each replicate's outcome) here")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument("--workers", type=int, default=1, choices=(1, 2), help="processes (at most 2)")
    parser.add_argument("--cli-check", metavar="NAME", help="the scenario also run through the CLI in a subprocess "
                        "(default: the first chosen); 'none' skips it")
    parser.add_argument("--tmp", help="folder for the scratch journals (default /dev/shm when writable)")
    parser.add_argument("--label", help="a note on the code under test (e.g. the commit of an exported tree), "
                        "printed and saved with the figures")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    args = parser.parse_args(argv)
    reps = args.reps or (QUICK_REPS if args.quick else FULL_REPS)
    names = args.scenario or list(BY_NAME)
    code = code_under_test()
    if args.label:
        code["label"] = args.label
    print(f"medlog calibration: {len(names)} scenarios × {reps} replicates, seed {args.seed}; code: "
          + ", ".join(f"{k} {v}" for k, v in code.items()), flush=True)
    started = time.perf_counter()
    problems: list[str] = []
    check = args.cli_check or names[0]
    if check != "none":
        if check not in BY_NAME:
            parser.error(f"--cli-check {check}: not a scenario")
        tmp = scratch_dir(args.tmp)
        try:
            problems = cli_check(BY_NAME[check], range(args.seed, args.seed + min(CLI_CHECK_REPS, reps)), tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        command = ("experiment analyze --json" if isinstance(BY_NAME[check], ExperimentScenario)
                   else "compare --json")
        print(f"CLI check ({check}, {min(CLI_CHECK_REPS, reps)} replicates through `medlog {command}` in a "
              f"subprocess): {'agrees with the in-process verdicts' if not problems else 'DISAGREES'}", flush=True)
        for p in problems:
            print(f"  {p}")
    summaries = run(names, reps, args.seed, workers=args.workers, workdir=args.tmp,
                    progress=lambda text: print(f"  … {text} ({time.perf_counter() - started:.0f} s)",
                                                file=sys.stderr, flush=True))
    elapsed = time.perf_counter() - started
    print()
    print(plain_table(summaries))
    if experiment_table(summaries):
        print("\nSelf-experiments beside the planner's forecast:")
        print(experiment_table(summaries))
    print("\nVerdicts seen:")
    for line in verdict_lines(summaries):
        print(f"  {line}")
    print("\nTargets:")
    met = targets(summaries)
    for text, ok, figures in met:
        mark = "—" if ok is None else ("met" if ok else "NOT MET")
        print(f"  {mark:<8} {text} ({figures})")
    for s in summaries:
        if s.scenario == "power":
            print(f"  power    {s.question}: {_pct(s.right_way / s.reps)} of {s.reps} replicates claim the true "
                  f"direction (any claim {_pct(s.claim_rate)})")
        elif s.kind == "experiment" and s.power is not None:
            print(f"  power    {s.question}: {_pct(s.power)} of {s.reps} replicates p ≤ {EXP_ALPHA:g} the true way; "
                  f"the planner predicted {_pct(s.predicted_power)}")
    print(f"\n{elapsed:.1f} s in all ({elapsed / max(1, reps * len(names)):.2f} s a replicate)")
    if args.markdown:
        print("\n" + markdown_table(summaries))
        if experiment_table(summaries):
            print("\n" + experiment_table(summaries, markdown=True))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"reps": reps, "seed": args.seed, "scenarios": names, "code": code, "seconds": round(elapsed, 1),
                       "cli_check": {"scenario": check, "problems": problems},
                       "summaries": [asdict(s) for s in summaries],
                       "targets": [{"target": t, "met": ok, "figures": f} for t, ok, f in met]},
                      out, indent=1, ensure_ascii=False)
    if problems:
        return 1
    if args.strict and any(ok is False for _, ok, _ in met):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
