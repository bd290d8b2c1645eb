"""The ten-year demo's finished self-experiment (`medlog demo --years N`): magnesium glycinate, already taken for
months, tested in 6 pairs of 7-day periods (abab) ending three weeks ago, rating sleep quality and mood.

Sleep quality is a little higher on the on days once the washout is over (the demo's made-up difference; mood
carries none), so `medlog experiment analyze` on the demo has something to find — and something not to.
The 120-day story has no experiment: its magnesium is the before/after example.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from medlog.analysis import experiment as ex
from medlog.domain.record import record
from medlog.services.demo.recorder import Recorder
from medlog.services.experiments import planned_changes
from medlog.store import writes

SUBSTANCE = "Magnesium glycinate"
DESIGN, PAIRS, BLOCK, WASHOUT, SEED = "abab", 6, 7, 2, 17
ENDS = 21  # days before today
METRICS = ("sleep_quality", "mood")
SLEEP_BONUS = 1.2  # on the analysable on days


@record
class Trial:
    plan: ex.Plan

    def off(self, day: date) -> bool:
        k = self.plan.period_of(day)
        return k is not None and not self.plan.periods[k]

    def bonus(self, key: str, day: date) -> float:
        k = self.plan.period_of(day)
        on = k is not None and self.plan.periods[k] and self.plan.analysable(day)
        return SLEEP_BONUS if on and key == "sleep_quality" else 0.0


def trial_for(today: date, taken_since: date) -> Trial | None:
    """The trial's calendar, when the journal has magnesium long enough before it (else None)."""
    start = today - timedelta(days=ENDS + 2 * PAIRS * BLOCK)
    if taken_since >= start - timedelta(days=14):
        return None
    periods = ex.draw(DESIGN, PAIRS, random.Random(SEED))  # its own stream: the journal's draws are untouched
    return Trial(ex.Plan(DESIGN, PAIRS, BLOCK, WASHOUT, start, periods))


def write_trial(rec: Recorder, trial: Trial, substance_id: int) -> None:
    """The record (planned the week before it began) and its starts and stops, as `experiment plan` writes them."""
    plan = trial.plan
    planned_on = datetime.combine(plan.start - timedelta(days=7), time(20, 0), tzinfo=rec.home)
    uuid = rec.writer.add(writes.experiment_row(
        substance_id=substance_id, design=DESIGN, block_days=BLOCK, washout_days=WASHOUT, onset_lag_days=None,
        pairs=PAIRS, seed=SEED, assignment=ex.to_text(plan.periods), metrics=",".join(METRICS),
        start_day=plan.start, with_clinician=False, note="is my sleep different on magnesium?"), at=planned_on)
    rec.counts["experiments"] += 1
    for event in planned_changes(plan, uuid[:8], was_on=True):
        begins = datetime.combine(event.day, rec.settings.rollover)  # as the journal day begins
        rec.regimen(substance_id, event.kind, begins, note=event.note, planned=True)
