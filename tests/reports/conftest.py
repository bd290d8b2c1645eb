"""The report renderers' tests share one real journal: the demo, written once with the suite's fixed clock."""

from __future__ import annotations

import shutil
from zoneinfo import ZoneInfo

import pytest

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.units import parse_amount
from medlog.reports.model import Report
from medlog.services import entries, metrics, report, substances
from medlog.services.context import Journal
from medlog.services.demo.build import build_demo
from tests.conftest import NOW, ZONE


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory) -> str:
    """The demo journal's file (the default 120-day story); copy it before writing to it."""
    path = str(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    build_demo(Journal(path, Settings(ZoneInfo(ZONE)), FixedClock(NOW)))
    return path


@pytest.fixture(scope="session")
def demo_report(demo_path) -> Report:
    """The visit report of the demo's last 90 days, as `medlog report` builds it."""
    journal = Journal(demo_path, Settings(ZoneInfo(ZONE)), FixedClock(NOW))
    since, until = report.period(journal)
    return report.build(journal, since, until)


def marked_report(demo_path: str, folder: str, *, note: str, question: str, change_note: str, label: str,
                  ratings: tuple[tuple[str, int], ...]) -> Report:
    """The report of a copy of the demo with the user's own text in a flagged note, a question, a change's note
    and a metric's label (rated on `ratings`, charted beside sleep quality): what a renderer must escape."""
    path = f"{folder}/journal.sqlite"
    shutil.copyfile(demo_path, path)
    journal = Journal(path, Settings(ZoneInfo(ZONE)), FixedClock(NOW))
    entries.add_note(journal, note, at=journal.moment("2026-11-20 10:00"), flagged=True)
    entries.add_note(journal, question, question=True)
    substances.change(journal, "escitalopram", dose=parse_amount("15 mg", what="dose"),
                      at=journal.moment("2026-11-14 08:00", future=True), note=change_note)
    metrics.add(journal, "focus", min_text="0", max_text="10", higher_is_better=True, integer=True, label=label)
    for day, value in ratings:
        entries.rate(journal, [f"focus={value}"], day=journal.parse_day(day))
    since, until = report.period(journal)
    return report.build(journal, since, until, ("sleep_quality", "focus"))
