"""Where a self-experiment's observed power and the planner's forecast part: a side study to calibration.py.

    python benchmarks/calibration_experiments.py              # 2,000 simulated experiments per design
    python benchmarks/calibration_experiments.py --runs 500 --design abab

calibration.py's exp-power-* scenarios compare the power of real journals (planned, lived and analysed through
medlog's services) with the planner's prediction from the noise it read from 120 days of history. Here the same
designs are simulated without a journal, straight through `medlog.analysis.experiment.analyse` (the analysis the
service calls), so the gap can be taken apart:

    latent      the ratings as real numbers (the planner's own model: a Gaussian AR(1), no rounding)
    rated       the same days rounded to whole numbers and clipped to 0..10, as people rate and as calibration.py
                writes them (whole-number days make exact ties between orders' differences; a tie counts against
                the observed order, so the test is conservative)
    planner, true noise        `thresholds` with SD 1.5, φ 0.5: its power at δ
    planner, noise from history  the same with the SD and φ `noise_from_history` reads from 120 rated days (the
                mean over runs, each its own history), as `experiment plan` does

With --drift, the pair interval's coverage and the claim rate under no effect instead, with a steady drift per
day through the experiment, centred on its middle day (as calibration.py's exp-drift) or starting from 0 on its
first day (so the ratings climb towards the top of the scale and are clipped there).

Each run draws the order from the design (as the planner does), an AR(1) path (φ 0.5, SD 1.5, mean 5), adds δ to
the on days (every on day: no build-up, no carry-over), and counts p ≤ 0.05 with on above off. Also reported:
how often the rated analysis had an order tied with the observed one in |difference| (besides its mirror).
Pure standard library plus medlog.
"""

from __future__ import annotations

import argparse
import bisect
import math
import sys
import time
from datetime import date, timedelta
from random import Random

from calibration_lives import EXP_HISTORY, MEAN, SD, rated, shift_truth

from medlog.analysis import experiment as ex
from medlog.analysis import experiment_power as pw

DESIGNS = (("abab", 6, 7), ("abba", 12, 5), ("random-pairs", 4, 7))
WASHOUT = 2
PHI = 0.5
START = date(2026, 3, 2)


def ar1(n: int, rng: Random, phi: float = PHI, sd: float = SD) -> list[float]:
    step = sd * math.sqrt(1 - phi * phi)
    x, out = rng.gauss(0, sd), []
    for _ in range(n):
        out.append(x)
        x = phi * x + rng.gauss(0, step)
    return out


def ties(plan: ex.Plan, values: dict[date, float]) -> bool:
    """Whether an order other than the observed one and its mirror has exactly the observed |difference|."""
    sums, counts = ex.period_totals(plan, values, plan.end)
    observed = ex.difference(plan.periods, sums, counts)
    if observed is None:
        return False
    mirror = tuple(not on for on in plan.periods)
    return any(abs(abs(d) - abs(observed)) <= 1e-9
               for o in ex.assignments(plan.design, plan.pairs) if o not in (plan.periods, mirror)
               and (d := ex.difference(o, sums, counts)) is not None)


def study(design: str, pairs: int, block: int, delta: float, runs: int, seed: int) -> dict[str, float]:
    rng = Random(f"{design}:{seed}")
    days = 2 * pairs * block
    found = {"latent": 0, "rated": 0}
    tied = 0
    powers = []
    for _ in range(runs):
        plan = ex.Plan(design, pairs, block, WASHOUT, START, ex.draw(design, pairs, rng))
        x = ar1(EXP_HISTORY + days, rng)
        history = {START - timedelta(days=EXP_HISTORY - i): rated(MEAN + x[i] + delta) for i in range(EXP_HISTORY)}
        latent, whole = {}, {}
        for n in range(days):
            day = START + timedelta(days=n)
            k = plan.period_of(day)
            assert k is not None
            value = MEAN + x[EXP_HISTORY + n] + (delta if plan.periods[k] else 0.0)
            latent[day], whole[day] = value, rated(value)
        for name, values in (("latent", latent), ("rated", whole)):
            result = ex.analyse(plan, values, plan.end)
            found[name] += result.test.p is not None and result.test.p <= pw.ALPHA and (result.effect or 0) > 0
        tied += ties(plan, whole)
        noise = pw.noise_from_history(history)
        ts = pw.thresholds(design, pairs, block, WASHOUT, noise, sims=400, seed=rng.getrandbits(32))
        powers.append(bisect.bisect_right(ts, shift_truth(delta)) / len(ts))
    true_noise = pw.thresholds(design, pairs, block, WASHOUT, pw.Noise(SD, PHI, 1), sims=4000)
    return {"latent": found["latent"] / runs, "rated": found["rated"] / runs, "ties": tied / runs,
            "planner true noise": bisect.bisect_right(true_noise, delta) / len(true_noise),
            "planner from history": sum(powers) / runs}


def drift_study(design: str, pairs: int, block: int, drift: float, runs: int, seed: int,
                centred: bool) -> dict[str, float]:
    """Under no effect: the share of runs with p ≤ 0.05, and of intervals covering 0."""
    rng = Random(f"drift:{design}:{seed}")
    days = 2 * pairs * block
    middle = (days - 1) / 2 if centred else 0.0
    claims = covered = given = 0
    for _ in range(runs):
        plan = ex.Plan(design, pairs, block, WASHOUT, START, ex.draw(design, pairs, rng))
        x = ar1(days, rng)
        values = {START + timedelta(days=n): rated(MEAN + x[n] + drift * (n - middle)) for n in range(days)}
        result = ex.analyse(plan, values, plan.end)
        claims += result.test.p is not None and result.test.p <= pw.ALPHA
        if result.low is not None and result.high is not None:
            given += 1
            covered += result.low <= 0 <= result.high
    return {"claims": claims / runs, "coverage": covered / given if given else math.nan}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20260601)
    parser.add_argument("--delta", type=float, default=SD, help="the true difference (default 1.5: 1 SD)")
    parser.add_argument("--design", action="append", choices=[d for d, _, _ in DESIGNS])
    parser.add_argument("--drift", type=float, help="the null with this drift per day instead (e.g. 0.05)")
    args = parser.parse_args(argv)
    chosen = [d for d in DESIGNS if not args.design or d[0] in args.design]
    if args.drift is not None:
        print(f"no effect, drift {args.drift:+g}/day (φ {PHI}, SD {SD}, washout {WASHOUT}); {args.runs} runs")
        print(f"{'design':<26} {'drift from':<12} {'p ≤ 0.05':>9} {'coverage':>9}")
        for design, pairs, block in chosen:
            for centred in (True, False):
                r = drift_study(design, pairs, block, args.drift, args.runs, args.seed, centred)
                print(f"{f'{design} {pairs} × {block} d':<26} {'the middle' if centred else 'day 0':<12} "
                      f"{r['claims']:>9.1%} {r['coverage']:>9.1%}", flush=True)
        return 0
    se = 100 * math.sqrt(0.25 / args.runs)
    print(f"power at δ = {args.delta:g} (φ {PHI}, SD {SD}, washout {WASHOUT}); {args.runs} runs per design "
          f"(Monte Carlo SE ≤ {se:.1f} points)")
    print(f"{'design':<26} {'latent':>7} {'rated':>7} {'tied':>6} {'planner (true noise)':>21} "
          f"{'planner (from history)':>23}")
    for design, pairs, block in chosen:
        t = time.perf_counter()
        r = study(design, pairs, block, args.delta, args.runs, args.seed)
        took = time.perf_counter() - t
        print(f"{f'{design} {pairs} × {block} d':<26} {r['latent']:>7.1%} {r['rated']:>7.1%} {r['ties']:>6.1%} "
              f"{r['planner true noise']:>21.1%} {r['planner from history']:>23.1%}   ({took:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
