"""Day-by-day trends for the TUI's charts: values as logged, the 7-day mean, changes, adherence per day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from medlog.domain.errors import InputError
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import doses, entries, substances, trends
from medlog.services.substances import NewSubstance

TODAY = date(2026, 11, 21)


@pytest.fixture
def logged(journal):
    substances.add(journal, NewSubstance("Calmex", "supplement", dose=parse_amount("200 mg"),
                                         schedule=parse_schedule("08:00"),
                                         since=journal.moment("2026-11-10 07:00")))
    values = {}
    for back in range(20):
        if back in (2, 3, 4, 5):
            continue  # four unrated days in a row: the 7-day mean thins out
        day = TODAY - timedelta(days=back)
        values[day] = float(back % 4 + 3)
        entries.rate(journal, [f"mood={int(values[day])}"], day=day)
    for day in (date(2026, 11, 12), date(2026, 11, 13)):
        doses.take(journal, "calmex", at=journal.moment(f"{day.isoformat()} 08:10"))
    doses.skip(journal, "calmex", at=journal.moment("2026-11-14 08:00"), reason="ran out")
    return values


def test_values_rolling_mean_changes_and_adherence_by_day(journal, logged):
    since = date(2026, 11, 8)
    found = trends.daily(journal, since, TODAY)
    assert found.days[0] == since and found.days[-1] == TODAY and len(found.days) == 14
    assert found.values["mood"] == {d: v for d, v in logged.items() if d >= since}
    # the mean of the first day reaches back six days before `since`
    first = [logged[d] for d in (since - timedelta(days=i) for i in range(7)) if d in logged]
    assert found.rolling["mood"][0] == pytest.approx(sum(first) / len(first))
    # 21 Nov: of the 7 days 15–21 Nov only 3 were rated (16–19 were not): too thin to draw
    assert found.rolling["mood"][-1] is None
    assert [c.text for c in found.changes] == ["started Calmex (200 mg, 08:00)"]
    assert (found.adherence[date(2026, 11, 12)].on_time, found.adherence[date(2026, 11, 14)].skipped) == (1, 1)
    assert date(2026, 11, 9) not in found.adherence  # before the start: nothing scheduled


def test_weekly_can_end_on_an_earlier_week_but_not_a_later_one(journal, logged):
    earlier = trends.weekly(journal, 2, end=date(2026, 11, 14))
    assert earlier.bounds(0) == (date(2026, 11, 8), date(2026, 11, 14))
    mood = next(m for m in earlier.metrics if m.spec.key == "mood")
    week = [logged[d] for d in (date(2026, 11, 8) + timedelta(days=i) for i in range(7)) if d in logged]
    assert mood.weeks[0].mean == pytest.approx(sum(week) / len(week))
    assert earlier.adherence.weeks[0].until == date(2026, 11, 14)
    with pytest.raises(InputError, match="in the future"):
        trends.weekly(journal, 2, end=TODAY + timedelta(days=1))


def test_an_empty_journal_has_no_days_to_show(journal):
    found = trends.daily(journal, date(2026, 11, 1), TODAY)
    assert found.values == {} and found.changes == [] and found.adherence == {}
    with pytest.raises(InputError):
        trends.daily(journal, TODAY, date(2026, 11, 1))
