"""The visit report's refill line (issue 20): the demo's escitalopram pack runs low, and every format says so."""

from __future__ import annotations

import pytest

from medlog.reports.sections import Table, sections
from medlog.services import report_file
from medlog.services.formats import REPORT_FORMATS
from tests.reports.test_pdf import text_of

LINE = "refill needed by Fri 27 Nov — Escitalopram, 6 tablets left, about 6 days"


def test_the_model_and_the_regimen_section_carry_the_refill(demo_report):
    assert demo_report.refills == (("Escitalopram", LINE),)
    regimen = next(s for s in sections(demo_report) if s.key == "regimen")
    captions = [b.caption for b in regimen.blocks if isinstance(b, Table)]
    assert captions == [f"Medications · {LINE}", "Supplements"]


@pytest.mark.parametrize("name", list(REPORT_FORMATS))
def test_every_format_shows_it(demo_report, name, tmp_path):
    data = report_file.render(demo_report, name)
    if REPORT_FORMATS[name].media_type == "application/pdf":
        assert "refill needed by Fri 27 Nov" in " ".join(text_of(data, tmp_path).split())
    else:
        assert LINE in data.decode()


def test_a_report_of_the_past_says_nothing_of_todays_stock(demo_path):
    from datetime import date
    from zoneinfo import ZoneInfo

    from medlog.clock import FixedClock
    from medlog.config import Settings
    from medlog.services import report
    from medlog.services.context import Journal
    from tests.conftest import NOW, ZONE

    journal = Journal(demo_path, Settings(ZoneInfo(ZONE)), FixedClock(NOW))
    assert report.build(journal, date(2026, 9, 1), date(2026, 10, 31)).refills == ()
