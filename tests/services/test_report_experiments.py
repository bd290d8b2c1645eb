"""A self-experiment in the visit report: its own section (design, the drawn order, washout, adherence, on − off
with its interval and p), and its starts and stops kept out of the regimen changes and their before/afters.

The journal is the demo's one year (`medlog demo --years 1`), which holds a finished magnesium abab experiment of
6 pairs of 7-day periods with sleep quality higher on the on days and mood not.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.services import compare, experiments, report
from medlog.services.context import Journal
from medlog.services.demo.build import build_demo
from medlog.services.formats import report_format
from tests.conftest import NOW, ZONE


def _built(journal: Journal):
    today = journal.today()
    return report.build(journal, today - timedelta(days=89), today)


@pytest.fixture(scope="module")
def journal(tmp_path_factory) -> Journal:
    path = str(tmp_path_factory.mktemp("year") / "journal.sqlite")
    journal = Journal(path, Settings(ZoneInfo(ZONE)), FixedClock(NOW))
    build_demo(journal, seed=7, years=1)
    return journal


def test_the_report_has_the_experiment_as_cent_asks(journal):
    built = _built(journal)
    [line] = built.experiments
    [done] = [a for a in experiments.overview(journal) if a.status.experiment.status == "done"]
    plan = done.status.experiment.plan
    assert (line.substance, line.design, line.pairs, line.block_days) == ("Magnesium glycinate", "abab", 6, 7)
    assert (line.first, line.last, line.status) == (plan.start, plan.end, "done")
    assert line.order.split() == ["on" if on else "off" for on in plan.periods]
    assert line.on_days == 42 and line.off_days == 42 and line.left_out == plan.left_out
    rows = {r.metric: r for r in line.rows}
    by_label = {f.label: f.result for f in done.findings}
    for label, row in rows.items():
        found = by_label[label]
        assert (row.effect, row.low, row.high, row.p, row.orders) == (
            found.effect, found.low, found.high, found.test.p, found.test.orders)
    assert rows["Sleep quality"].effect > 0 and rows["Sleep quality"].low > 0


def test_every_format_shows_the_section(journal):
    built = _built(journal)
    markdown = report_format("md").render(built)
    assert "## Self-experiments" in markdown and "Order drawn at random (seed" in markdown
    assert "(64 orders)" in markdown and "not blinded" in markdown
    assert "Self-experiments" in report_format("html").render(built)
    assert report_format("pdf").render(built)[:5] == b"%PDF-"


def test_the_experiments_switches_are_not_compared_one_by_one(journal):
    built = _built(journal)
    assert all("experiment" not in (c.note or "") for c in built.changes)
    assert all(c.change.substance != "Magnesium glycinate" or c.change.day < built.experiments[0].first
               for c in built.comparisons)
    # compare picks the substance's latest change that is not an experiment's period
    found = compare.compare(journal, "magnesium")
    assert found.change.experiment is None and found.change.kind == "start"
    assert all(c.experiment is None for c in found.history)
    assert all(c.experiment is None for c in compare.past_changes(journal))
