"""The ten-year demo's finished self-experiment: magnesium in 6 pairs of 7-day periods, sleep quality higher on
the on days, mood not; the off periods are stops in the regimen, so no dose is logged or missed in them."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from medlog.services import experiments
from medlog.services.demo.build import build_demo
from medlog.services.demo.trial import ENDS, PAIRS


def test_the_decade_demo_holds_a_finished_magnesium_experiment(journal):
    summary = build_demo(journal, years=1)
    assert summary.counts["experiments"] == 1
    [found] = experiments.list_experiments(journal)
    assert found.status == "done" and found.record.substance == "Magnesium glycinate"
    assert found.plan.end + timedelta(days=1) == journal.today() - timedelta(days=ENDS)
    assert len(found.plan.periods) == 2 * PAIRS
    analysis = experiments.analyze(journal)
    sleep, mood = analysis.findings
    assert sleep.result.test.p <= 0.05 and sleep.result.low > 0 and sleep.result.test.orders == 64
    assert mood.result.test.p > 0.2
    adherence = analysis.status.adherence
    assert adherence.off_free == adherence.off_days == 6 * 7 and adherence.on_taken >= 0.85 * adherence.on_days
    conn = sqlite3.connect(journal.path)
    try:
        notes = [n for (n,) in conn.execute("SELECT note FROM regimen_event WHERE note LIKE 'experiment %'")]
        in_off = conn.execute(
            "SELECT count(*) FROM dose d JOIN substance s ON s.id = d.substance_id WHERE s.name = ?"
            " AND d.journal_day BETWEEN ? AND ?", ("Magnesium glycinate", *map(str, found.plan.span(
                found.plan.periods.index(False))))).fetchone()[0]
    finally:
        conn.close()
    assert all(n.startswith(f"experiment {found.record.short}: ") for n in notes) and len(notes) >= PAIRS
    assert in_off == 0


def test_the_120_day_story_has_no_experiment(journal):
    build_demo(journal)
    assert experiments.list_experiments(journal) == []
