"""The simulated lives of benchmarks/calibration.py: daily ratings with a known truth, the regimens and doses
around them, and the scenarios (each a life and the questions asked of it). Pure Python; no medlog imports.

A life is plain data (days, values, regimen events, doses); calibration.py writes it as a journal.
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


SCENARIOS = _scenarios()
BY_NAME = {s.name: s for s in SCENARIOS}
