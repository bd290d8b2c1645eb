"""The simulated lives of benchmarks/calibration.py: daily ratings with a known truth, the regimens and doses
around them, and the scenarios (each a life and the questions asked of it). Pure Python; no medlog imports.

A life is plain data (days, values, regimen events, doses); calibration.py writes it as a journal. A
self-experiment's life (ExperimentLife) is a history plus the experiment's days drawn in advance, laid out once
the real planner has drawn the order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from functools import cache
from random import Random
from statistics import NormalDist

MEAN = 5.0  # the latent rating's mean, 0–10 scale
SD = 1.5  # its stationary SD: "1 SD"
LAG = 7  # the default onset lag (days after the change left out)
WINDOW = 28  # the default window
AFTER = LAG + WINDOW - 1  # today = change + AFTER: the after window is complete
HISTORY = 56  # days rated before the change
RAMP_DAYS = 5  # an effect grows to full size over these days after its change
ADHERENCE = 0.95  # share of scheduled doses taken
CHANGE_DAY = date(2026, 3, 2)  # the journal day of the change (scenario 5 moves it with the bad week)



@dataclass
class Substance:
    name: str
    kind: str
    form: str
    strength_mg: int
    # day, kind, HH:MM, mg, schedule ("21:30", "as needed", or None: unchanged)
    events: list[tuple[date, str, str, int | None, str | None]] = field(default_factory=list)
    doses: list[tuple[date, str, int, str | None]] = field(default_factory=list)  # day, HH:MM, mg, slot


@dataclass
class Life:
    first: date
    today: date
    ratings: dict[str, dict[date, float]]
    substances: list[Substance]
    change: date  # the change asked about (for the record)


def ar1(n: int, phi: float, rng: Random, sd: float = SD) -> list[float]:
    """n days of a stationary AR(1) around 0 with lag-1 correlation `phi` and stationary SD `sd`."""
    step = sd * math.sqrt(1 - phi * phi)
    x = rng.gauss(0, sd)
    out = []
    for _ in range(n):
        out.append(x)
        x = phi * x + rng.gauss(0, step)
    return out


def rated(value: float) -> float:
    """What the person writes down: a whole number on the 0–10 scale."""
    return float(min(10, max(0, math.floor(value + 0.5))))


def ramp(days_since: int) -> float:
    """Share of an effect present `days_since` days after its change (0 before it)."""
    return 0.0 if days_since < 0 else min(1.0, (days_since + 1) / RAMP_DAYS)


def scheduled(substance: Substance, first: date, last: date, at: str, mg: int, rng: Random) -> None:
    """Daily doses at `at`, each taken with probability ADHERENCE (a missed one leaves no entry), ±30 minutes."""
    hour, minute = map(int, at.split(":"))
    day = first
    while day <= last:
        if rng.random() < ADHERENCE:
            jitter = rng.randint(-30, 30)
            when = (datetime.combine(day, clock(hour, minute)) + timedelta(minutes=jitter)).strftime("%H:%M")
            substance.doses.append((day, when, mg, at))
        day += timedelta(days=1)


def magnesium(start: date, today: date, rng: Random) -> Substance:
    mag = Substance("Magnesium glycinate", "supplement", "capsule", 200)
    mag.events.append((start, "start", "21:00", 200, "21:30"))
    scheduled(mag, start, today, "21:30", 200, rng)
    return mag


def single_change(rng: Random, *, metric: str, phi: float, effect: float = 0.0, drift: float = 0.0,
                  history: int = HISTORY, after: int = AFTER,
                  missing: Callable[[float], float] | None = None) -> Life:
    """Magnesium started on CHANGE_DAY; `metric` rated daily from `history` days before to `after` days after.

    `effect` (ramped in after the start) and `drift` (per day, 0 on the change day) move the latent rating;
    `missing(latent)`: the chance that day goes unrated."""
    x = ar1(history + after + 1, phi, rng)
    first = CHANGE_DAY - timedelta(days=history)
    values: dict[date, float] = {}
    for i, noise in enumerate(x):
        d = i - history
        latent = MEAN + noise + drift * d + effect * ramp(d)
        if missing is not None and rng.random() < missing(latent):
            continue
        values[CHANGE_DAY + timedelta(days=d)] = rated(latent)
    today = CHANGE_DAY + timedelta(days=after)
    return Life(first, today, {metric: values}, [magnesium(CHANGE_DAY, today, rng)], CHANGE_DAY)


# Scenario 5: the worst week. Threshold: the 90th percentile of a stationary 7-day mean of the latent series.
def week_mean_sd(phi: float, sd: float = SD, days: int = 7) -> float:
    return sd * math.sqrt(sum(phi ** abs(i - j) for i in range(days) for j in range(days))) / days


def after_worst_week(rng: Random, *, metric: str = "anxiety", phi: float = 0.7) -> Life:
    """Anxiety (higher is worse); magnesium starts the day after the 7-day mean first reaches the worst decile,
    searched from the day that leaves HISTORY days of ratings before the change."""
    threshold = MEAN + NormalDist().inv_cdf(0.9) * week_mean_sd(phi)
    series = [MEAN + v for v in ar1(HISTORY + 400, phi, rng)]
    start = HISTORY - 1
    t = start
    while True:
        while t >= len(series):
            series.append(MEAN + phi * (series[-1] - MEAN) + rng.gauss(0, SD * math.sqrt(1 - phi * phi)))
        if sum(series[t - 6:t + 1]) / 7 >= threshold:
            break
        t += 1
    change_index = t + 1
    while len(series) < change_index + AFTER + 1:
        series.append(MEAN + phi * (series[-1] - MEAN) + rng.gauss(0, SD * math.sqrt(1 - phi * phi)))
    first = CHANGE_DAY - timedelta(days=change_index)
    values = {first + timedelta(days=i): rated(v) for i, v in enumerate(series[:change_index + AFTER + 1])}
    today = CHANGE_DAY + timedelta(days=AFTER)
    return Life(first, today, {metric: values}, [magnesium(CHANGE_DAY, today, rng)], CHANGE_DAY)


ESC_EFFECT = -1.5  # escitalopram 5 → 10 mg on anxiety
ESC_BEFORE = 3  # days before the magnesium start


def co_intervention(rng: Random, *, phi: float = 0.5) -> Life:
    """Escitalopram 5 mg daily from the first day; 10 mg from 3 days before magnesium starts. Only escitalopram's
    increase lowers anxiety (by 1.5, ramped in from its own day)."""
    first = CHANGE_DAY - timedelta(days=HISTORY)
    today = CHANGE_DAY + timedelta(days=AFTER)
    up = CHANGE_DAY - timedelta(days=ESC_BEFORE)
    x = ar1(HISTORY + AFTER + 1, phi, rng)
    values = {}
    for i, noise in enumerate(x):
        day = first + timedelta(days=i)
        values[day] = rated(MEAN + noise + ESC_EFFECT * ramp((day - up).days))
    esc = Substance("Escitalopram", "medication", "tablet", 10)
    esc.events.append((first, "start", "07:50", 5, "08:00"))
    esc.events.append((up, "dose_change", "07:45", 10, None))
    scheduled(esc, first, up - timedelta(days=1), "08:00", 5, rng)
    scheduled(esc, up, today, "08:00", 10, rng)
    return Life(first, today, {"anxiety": values}, [esc, magnesium(CHANGE_DAY, today, rng)], CHANGE_DAY)


# Scenario 7: gabapentin as needed, taken on painful days.
PRN_DAYS = 120  # days of the journal; gabapentin available from day 28 (the association reads the last 90)
PRN_START = 28


def take_probability(pain: float) -> float:
    """The chance of taking gabapentin on a day with this (latent, untreated) pain: ~25% on average."""
    return 1 / (1 + math.exp(-(pain - 6.2) / 0.6))


def as_needed(rng: Random, *, relief: float = 0.0, phi: float = 0.5) -> Life:
    """Pain rated daily for PRN_DAYS; from PRN_START gabapentin (300 mg, 600 at latent pain ≥ 8) is taken with
    `take_probability` of that day's pain; `relief` lowers the rated pain of a day it is taken."""
    first = CHANGE_DAY - timedelta(days=PRN_START)
    today = first + timedelta(days=PRN_DAYS - 1)
    gaba = Substance("Gabapentin", "medication", "capsule", 300)
    gaba.events.append((CHANGE_DAY, "start", "07:50", 300, "as needed"))
    values = {}
    for i, noise in enumerate(ar1(PRN_DAYS, phi, rng)):
        day = first + timedelta(days=i)
        pain = MEAN + noise
        taken = day >= CHANGE_DAY and rng.random() < take_probability(pain)
        if taken:
            gaba.doses.append((day, f"{rng.randint(12, 16)}:{rng.randint(0, 59):02d}", 600 if pain >= 8 else 300,
                               None))
        values[day] = rated(pain - (relief if taken else 0.0))
    return Life(first, today, {"pain": values}, [gaba], CHANGE_DAY)


# Scenario 8: unrated more often on bad (low-mood) days.
MNAR_SLOPE = 0.6  # log-odds of going unrated per point of mood below 5


@cache
def mnar_offset(share: float = 0.4, effect: float = 1.5) -> float:
    """The intercept that leaves `share` of the days of the two windows (mood mean 5, then 5 + effect) unrated."""
    def unrated(alpha: float) -> float:
        total = 0.0
        for mu in (MEAN, MEAN + effect):
            d = NormalDist(mu, SD)
            xs = [mu + SD * (k / 50) for k in range(-300, 301)]
            weights = [d.pdf(x) * SD / 50 for x in xs]
            total += sum(w / (1 + math.exp(-(alpha + MNAR_SLOPE * (MEAN - x))))
                         for x, w in zip(xs, weights, strict=True))
        return total / 2
    low, high = -5.0, 5.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if unrated(mid) < share else (low, mid)
    return (low + high) / 2


def mnar_missing(latent: float) -> float:
    return 1 / (1 + math.exp(-(mnar_offset() + MNAR_SLOPE * (MEAN - latent))))


# ---------------------------------------------------------------------------------------------------------------
# Truths on the rated scale


def rated_mean(mu: float, sd: float = SD) -> float:
    """E[rated(X)] for X ~ N(mu, sd): the mean of whole-number ratings clipped to 0..10."""
    d = NormalDist(mu, sd)
    return sum(k * (d.cdf(k + 0.5) - d.cdf(k - 0.5)) for k in range(1, 10)) + 10 * (1 - d.cdf(9.5))


def shift_truth(effect: float) -> float:
    return rated_mean(MEAN + effect) - rated_mean(MEAN)


def relief_truth(relief: float) -> float:
    """Expected after − before difference of rated pain when gabapentin (taken by `take_probability`) lowers the
    rated pain of its day by `relief`: E[(rated(X − relief) − rated(X)) · p(X)]."""
    d = NormalDist(MEAN, SD)
    step = SD / 200
    total = 0.0
    for k in range(-1600, 1601):
        x = MEAN + k * step
        total += (rated(x - relief) - rated(x)) * take_probability(x) * d.pdf(x) * step
    return total


# ---------------------------------------------------------------------------------------------------------------
# Scenarios


@dataclass(frozen=True)
class Question:
    """One row of the table: a compare of `substance` on `metric`, with its truth (after − before, metric units;
    None: unknown) and what counts as a claim ("verdict", or "association": the same-day sentence)."""

    name: str
    substance: str
    metric: str
    truth: float | None
    null: bool
    claim: str = "verdict"


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    simulate: Callable[[Random], Life]
    questions: tuple[Question, ...]


MAG = "Magnesium glycinate"


def _scenarios() -> tuple[Scenario, ...]:
    power = shift_truth(1.5)
    return (
        Scenario("null-0.3", "null, AR(1) φ = 0.3 (mood)",
                 lambda rng: single_change(rng, metric="mood", phi=0.3),
                 (Question("1 null φ=0.3", MAG, "mood", 0.0, True),)),
        Scenario("null-0.7", "null, φ = 0.7 (mood)",
                 lambda rng: single_change(rng, metric="mood", phi=0.7),
                 (Question("2 null φ=0.7", MAG, "mood", 0.0, True),)),
        Scenario("power", "+1.5 (1 SD) on sleep quality, 5-day ramp, φ = 0.5, 4+4 weeks",
                 lambda rng: single_change(rng, metric="sleep_quality", phi=0.5, effect=1.5),
                 (Question("3 effect +1.5", MAG, "sleep_quality", power, False),)),
        Scenario("power-12w", "+1.5 (1 SD) on sleep quality, 5-day ramp, φ = 0.5, 12 weeks rated before",
                 lambda rng: single_change(rng, metric="sleep_quality", phi=0.5, effect=1.5, history=84),
                 (Question("3b effect +1.5, 12 weeks before", MAG, "sleep_quality", power, False),)),
        Scenario("power-2y", "+1.5 (1 SD) on sleep quality, 5-day ramp, φ = 0.5, 2 years rated before",
                 lambda rng: single_change(rng, metric="sleep_quality", phi=0.5, effect=1.5, history=730),
                 (Question("3c effect +1.5, 2 years before", MAG, "sleep_quality", power, False),)),
        Scenario("drift", "steady drift +0.05/day, no effect (mood, φ = 0.5)",
                 lambda rng: single_change(rng, metric="mood", phi=0.5, drift=0.05),
                 (Question("4 drift", MAG, "mood", 0.0, True),)),
        Scenario("worst-week", "start after the worst week (anxiety, φ = 0.7), no effect",
                 after_worst_week,
                 (Question("5 regression to mean", MAG, "anxiety", 0.0, True),)),
        Scenario("co-intervention", "escitalopram 5 → 10 mg 3 days before magnesium; −1.5 anxiety is escitalopram's",
                 co_intervention,
                 (Question("6 co-intervention: Mg", MAG, "anxiety", 0.0, True),
                  Question("6 co-intervention: esc", "Escitalopram", "anxiety", shift_truth(ESC_EFFECT), False))),
        Scenario("as-needed", "gabapentin as needed on painful days, no effect",
                 lambda rng: as_needed(rng),
                 (Question("7 as-needed, none", "Gabapentin", "pain", 0.0, True, "association"),)),
        Scenario("as-needed-relief", "gabapentin as needed on painful days, lowers that day's pain by 1",
                 lambda rng: as_needed(rng, relief=1.0),
                 (Question("7 as-needed, relief 1", "Gabapentin", "pain", relief_truth(1.0), False,
                           "association"),)),
        Scenario("mnar", "+1.5 on mood, 40% of days unrated, more often bad days (φ = 0.5)",
                 lambda rng: single_change(rng, metric="mood", phi=0.5, effect=1.5, missing=mnar_missing),
                 (Question("8 missing not at random", MAG, "mood", power, False),)),
        Scenario("short", "null, today = change + 7 + 5 (φ = 0.5)",
                 lambda rng: single_change(rng, metric="mood", phi=0.5, after=LAG + 5),
                 (Question("9 short after window", MAG, "mood", 0.0, True),)),
        Scenario("long-history", "null, 2 years of stationary history (φ = 0.5)",
                 lambda rng: single_change(rng, metric="mood", phi=0.5, history=730),
                 (Question("10 two years' history", MAG, "mood", 0.0, True),)),
    )


SCENARIOS = _scenarios()  # before/after questions to `compare`; the self-experiments follow (BY_NAME: both)


# ---------------------------------------------------------------------------------------------------------------
# Self-experiments (N-of-1): a history of ratings before the experiment, then its days once the order is drawn

EXP_HISTORY = 120  # days rated before the experiment (the planner reads their SD and φ)
EXP_PHI = 0.5
EXP_START = date(2026, 3, 2)  # the experiment's first day; the plan is made the day before


@dataclass(frozen=True)
class Kinetics:
    """How the substance's effect follows the on/off days: its level (share of the full effect) rises by `up` on
    each on day and falls by `down` on each off day, within 0..1. 1 and 1: whole on every on day, gone on every
    off day."""

    up: float = 1.0
    down: float = 1.0

    def levels(self, on_days: list[bool], start: float = 1.0) -> list[float]:
        """The level on each day, from `start` (the day before the first; magnesium is taken before the
        experiment, so 1)."""
        out, level = [], start
        for on in on_days:
            level = min(1.0, level + self.up) if on else max(0.0, level - self.down)
            out.append(level)
        return out


@dataclass
class ExperimentLife:
    """One person's history before an experiment and their experiment days, drawn in advance so that they do not
    depend on the order the planner draws: the AR(1) noise continues from the history into the experiment."""

    history: Life  # magnesium taken daily from its first day; `today` = the day the experiment is planned
    metric: str
    order_seed: int  # the seed given to `experiment plan` (it draws the order from it)
    noise: list[float]  # the latent noise of each experiment day
    adherence: list[float]  # uniforms: an on day's dose is taken when below ADHERENCE
    minutes: list[int]  # each on day's dose, minutes from 21:30
    effect: float
    kinetics: Kinetics
    drift: float  # per day through the experiment, centred on its middle day (the mean stays MEAN)

    def days(self, start: date, periods: tuple[bool, ...], block: int
             ) -> tuple[dict[date, float], list[tuple[date, str, int, str | None]]]:
        """The experiment's ratings (day → value) and doses (day, HH:MM, mg, slot) for its planned order."""
        on_days = [periods[n // block] for n in range(len(periods) * block)]
        levels = self.kinetics.levels(on_days)
        values: dict[date, float] = {}
        doses = []
        middle = (len(on_days) - 1) / 2
        for n, (on, level) in enumerate(zip(on_days, levels, strict=True)):
            day = start + timedelta(days=n)
            values[day] = rated(MEAN + self.noise[n] + self.effect * level + self.drift * (n - middle))
            if on and self.adherence[n] < ADHERENCE:
                at = datetime.combine(day, clock(21, 30)) + timedelta(minutes=self.minutes[n])
                doses.append((day, at.strftime("%H:%M"), 200, "21:30"))
        return values, doses


def experiment_life(rng: Random, *, metric: str, days: int, effect: float = 0.0, kinetics: Kinetics = Kinetics(),
                    drift: float = 0.0, phi: float = EXP_PHI, history: int = EXP_HISTORY) -> ExperimentLife:
    """`history` days rated before EXP_START (magnesium taken daily, with whatever effect it has in full), then
    `days` experiment days of noise continuing the same AR(1) path."""
    x = ar1(history + days, phi, rng)
    first = EXP_START - timedelta(days=history)
    today = EXP_START - timedelta(days=1)
    values = {first + timedelta(days=i): rated(MEAN + x[i] + effect) for i in range(history)}
    mag = Substance(MAG, "supplement", "capsule", 200)
    mag.events.append((first, "start", "21:00", 200, "21:30"))
    scheduled(mag, first, today, "21:30", 200, rng)
    life = Life(first, today, {metric: values}, [mag], EXP_START)
    return ExperimentLife(life, metric, rng.getrandbits(62), x[history:], [rng.random() for _ in range(days)],
                          [rng.randint(-30, 30) for _ in range(days)], effect, kinetics, drift)


@dataclass(frozen=True)
class ExperimentScenario:
    """A self-experiment planned through the real `experiments.plan` on the history, lived, then analysed through
    the real `experiments.analyze`. `questions` holds its one row (the truth: the steady-state on − off
    difference of the rated values); `power_target`: the observed power is held to the planner's prediction."""

    name: str
    title: str
    design: str
    pairs: int
    block: int
    washout: int
    questions: tuple[Question, ...]
    effect: float = 0.0
    kinetics: Kinetics = Kinetics()
    drift: float = 0.0
    power_target: bool = False
    contrast: str | None = None  # a design chosen to fail (why): shown, not held to the coverage target

    @property
    def metric(self) -> str:
        return self.questions[0].metric

    @property
    def days(self) -> int:
        return 2 * self.pairs * self.block

    def simulate(self, rng: Random) -> ExperimentLife:
        return experiment_life(rng, metric=self.metric, days=self.days, effect=self.effect, kinetics=self.kinetics,
                               drift=self.drift)


CARRY = Kinetics(up=1 / 3, down=1 / 4)  # ~2 days to build (⅓, ⅔, whole), 3 days of carry-over (¾, ½, ¼)


def _experiment_scenarios() -> tuple[ExperimentScenario, ...]:
    sd1 = shift_truth(SD)
    return (
        ExperimentScenario("exp-null-abab", "experiment abab 6 × 7 d, washout 2, no effect (mood)", "abab", 6, 7, 2,
                           (Question("E1 exp null abab", MAG, "mood", 0.0, True),)),
        ExperimentScenario("exp-power-abab", "experiment abab 6 × 7 d, washout 2, +1.5 (1 SD) on sleep quality",
                           "abab", 6, 7, 2, (Question("E2 exp power abab", MAG, "sleep_quality", sd1, False),),
                           effect=SD, power_target=True),
        ExperimentScenario("exp-power-abba", "experiment abba 12 × 5 d, washout 2, +1.5 (1 SD) on sleep quality",
                           "abba", 12, 5, 2, (Question("E3 exp power abba", MAG, "sleep_quality", sd1, False),),
                           effect=SD, power_target=True),
        ExperimentScenario("exp-power-random", "experiment random-pairs 4 × 7 d, washout 2, +1.5 (1 SD) on sleep "
                           "quality", "random-pairs", 4, 7, 2,
                           (Question("E4 exp power random-pairs", MAG, "sleep_quality", sd1, False),),
                           effect=SD, power_target=True),
        ExperimentScenario("exp-carryover", "experiment abab 6 × 7 d, washout 2, +1.5 building over 2 days, carried "
                           "3 days into off periods", "abab", 6, 7, 2,
                           (Question("E5 exp carry-over, washout 2", MAG, "sleep_quality", sd1, False),),
                           effect=SD, kinetics=CARRY),
        ExperimentScenario("exp-carryover-w0", "as exp-carryover with washout 0 (contrast)", "abab", 6, 7, 0,
                           (Question("E5b exp carry-over, washout 0", MAG, "sleep_quality", sd1, False),),
                           effect=SD, kinetics=CARRY, contrast="no washout against a 3-day carry-over"),
        ExperimentScenario("exp-drift", "experiment abab 6 × 7 d, washout 2, no effect, drift +0.05/day through it "
                           "(mood 2.9 → 7.1)",
                           "abab", 6, 7, 2, (Question("E6 exp drift", MAG, "mood", 0.0, True),), drift=0.05),
    )


EXPERIMENT_SCENARIOS = _experiment_scenarios()
BY_NAME: dict[str, Scenario | ExperimentScenario] = {s.name: s for s in (*SCENARIOS, *EXPERIMENT_SCENARIOS)}
