"""The visit report's model, built from a journal written through the services, checked against what was written.

Three weeks, 1–21 Nov 2026 (the suite's clock is Sat 21 Nov, 09:00 London): a scheduled medication with doses
on time, late, skipped (with a reason) and missed; an as-needed one; a supplement started halfway; ratings with a
four-day gap; a symptom that follows the as-needed doses; a flagged note, a plain note and a question.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from medlog.cli import args
from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.errors import InputError
from medlog.domain.periods import parse_period
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import entries, report
from medlog.services.context import Journal
from medlog.services.doses import skip, take
from medlog.services.substances import NewSubstance, add
from tests.conftest import NOW, ZONE

SINCE, UNTIL = date(2026, 11, 1), date(2026, 11, 20)
GAP = [date(2026, 11, 10) + timedelta(days=i) for i in range(4)]  # no entries at all on 10–13 Nov


def _day(i: int) -> date:
    return SINCE + timedelta(days=i)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[str, dict[date, int]]:
    """The journal, written once through the services; each test gets a copy."""
    path = str(tmp_path_factory.mktemp("report") / "journal.sqlite")
    return path, _write(Journal(path, Settings(ZoneInfo(ZONE)), FixedClock(NOW)))


@pytest.fixture
def logged(journal, written) -> dict[date, int]:
    path, moods = written
    os.makedirs(os.path.dirname(journal.path), mode=0o700, exist_ok=True)
    shutil.copyfile(path, journal.path)
    return moods


def _write(journal: Journal) -> dict[date, int]:
    add(journal, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                              schedule=parse_schedule("08:00"), reason="anxiety",
                              since=journal.moment("2026-10-20 08:00")))
    add(journal, NewSubstance("Ibuprofen", "medication", dose=parse_amount("200 mg"),
                              schedule=parse_schedule("as-needed"), since=journal.moment("2026-10-20 08:00")))
    add(journal, NewSubstance("Magnesium", "supplement", dose=parse_amount("200 mg"),
                              schedule=parse_schedule("21:30"), reason="sleep",
                              since=journal.moment("2026-11-08 12:00")))
    moods: dict[date, int] = {}
    for i in range(20):
        day = _day(i)
        if day in GAP:
            continue
        if i == 3:
            skip(journal, "escitalopram", at=journal.moment(f"{day} 08:10"), reason="nausea")
        elif i == 5:
            pass  # missed: other entries that day, no dose
        elif i == 6:
            take(journal, "escitalopram", at=journal.moment(f"{day} 11:30"))  # late: outside the ±2 h window
        else:
            take(journal, "escitalopram", at=journal.moment(f"{day} 08:05"))
        moods[day] = 3 + i % 5
        entries.rate(journal, [f"mood={moods[day]}", f"sleep_quality={4 + i % 3}"], day=day)
        if i % 4 == 0:
            take(journal, "ibuprofen", at=journal.moment(f"{day} 13:00"))
            entries.symptom(journal, "headache", 2 + i % 3, at=journal.moment(f"{day} 15:00"))
    entries.add_note(journal, "Dizzy <after> the morning dose & tired", at=journal.moment("2026-11-05 19:00"),
                      flagged=True)
    entries.add_note(journal, "Nice walk", at=journal.moment("2026-11-06 19:00"))
    entries.add_note(journal, "Can I take magnesium with escitalopram?", at=journal.moment("2026-11-15 19:00"),
                      question=True)
    return moods


def test_the_model_holds_what_was_written(journal, logged):
    built = report.build(journal, SINCE, UNTIL)
    assert (built.header.since, built.header.until, built.header.days) == (SINCE, UNTIL, 20)
    assert [line.name for line in built.medications] == ["Escitalopram", "Ibuprofen"]
    assert [(line.name, line.dose, line.schedule, line.reason) for line in built.supplements] == [
        ("Magnesium", "200 mg", "21:30", "sleep")]
    assert [(c.mark, c.day, c.substance) for c in built.changes] == [("A", date(2026, 11, 8), "Magnesium")]

    escitalopram = next(line for line in built.adherence if line.name == "Escitalopram")
    t = escitalopram.tally
    # 20 days: 4 unlogged (the gap), 1 skipped, 1 missed, 1 late, the other 13 on time
    assert (t.on_time, t.late, t.skipped, t.missed, t.unlogged) == (13, 1, 1, 1, 4)
    assert escitalopram.skip_reasons == (("nausea", 1),)
    assert t.percent == round(100 * 14 / 16, 1)
    ibuprofen_days = [i for i in range(20) if i % 4 == 0 and _day(i) not in GAP]
    assert [(a.name, a.doses, a.days, a.most_in_a_day) for a in built.as_needed] == [
        ("Ibuprofen", len(ibuprofen_days), len(ibuprofen_days), 1)]


def test_weekly_means_and_completeness_follow_the_logged_days(journal, logged):
    built = report.build(journal, SINCE, UNTIL)
    assert [m.spec.key for m in built.metrics] == ["sleep_quality", "mood", "anxiety", "pain"]
    mood = next(m for m in built.metrics if m.spec.key == "mood")
    assert mood.values == {day: float(v) for day, v in logged.items()}
    # weeks end on the last day: 14–20 Nov, 7–13 Nov, and a short first week 1–6 Nov
    assert [(w.first, w.last) for w in built.weeks] == [
        (date(2026, 11, 1), date(2026, 11, 6)), (date(2026, 11, 7), date(2026, 11, 13)),
        (date(2026, 11, 14), date(2026, 11, 20))]
    for week, mean in zip(built.weeks, mood.weekly, strict=True):
        found = [v for d, v in logged.items() if week.first <= d <= week.last]
        assert mean == pytest.approx(sum(found) / len(found))
    assert [w.logged for w in built.weeks] == [6, 3, 7]
    anxiety = next(m for m in built.metrics if m.spec.key == "anxiety")
    assert anxiety.values == {} and anxiety.weekly == (None, None, None)
    c = built.completeness
    assert (c.days, c.logged, c.rated["mood"], c.rated["anxiety"]) == (20, 16, 16, 0)
    assert c.gaps == ((GAP[0], GAP[-1]),)


def test_symptom_timing_notes_and_questions(journal, logged):
    built = report.build(journal, SINCE, UNTIL)
    (headache,) = built.symptoms
    reports = [i for i in range(20) if i % 4 == 0 and _day(i) not in GAP]
    assert (headache.name, headache.reports, headache.worst) == ("headache", len(reports), 4)
    assert headache.mean_severity == pytest.approx(sum(2 + i % 3 for i in reports) / len(reports))
    assert headache.after_dose == f"{len(reports)} of {len(reports)} within 6 h after Ibuprofen"
    assert [n.text for n in built.flagged] == ["Dizzy <after> the morning dose & tired"]
    assert [n.text for n in built.questions] == ["Can I take magnesium with escitalopram?"]
    assert built.flagged[0].at.hour == 19  # local time, as written


def test_before_after_matches_compare_and_caveats_are_listed_once(journal, logged):
    from medlog.services.compare import compare

    built = report.build(journal, SINCE, UNTIL, ["mood"])
    (comparison,) = built.comparisons
    alone = compare(journal, "magnesium", metric="mood")
    (row,) = comparison.rows
    assert (row.before, row.after, row.verdict) == (alone.metrics[0].result.before.mean,
                                                   alone.metrics[0].result.after.mean, alone.metrics[0].result.verdict)
    assert comparison.after == alone.after and comparison.lag == alone.lag
    assert any("association in time" in c for c in built.caveats)
    assert comparison.notes == ("The after window is not over: it runs to 2026-12-12, 21 days from today.",)


def test_an_earlier_range_shows_the_regimen_as_it_was(journal, logged):
    built = report.build(journal, SINCE, date(2026, 11, 5))
    assert built.supplements == () and built.changes == () and built.comparisons == ()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"last": "0d"}, "--last"), ({"last": "1e309"}, "--last"), ({"last": "٣٠"}, "--last"),
    ({"last": "400d"}, "--last"), ({"last": "90d", "since": "2026-11-01"}, "either"),
    ({"since": "2026-11-20", "until": "2026-11-01"}, "comes after"),
    ({"since": "2025-01-01"}, "over 366 days"), ({"until": "2026-12-01"}, "future"),
])
def test_a_bad_period_is_refused(journal, logged, kwargs, message):
    """The options' text as `medlog report` reads it: parsed at the edge (cli/args.py), then the range checked."""
    with pytest.raises(InputError, match=message):
        report.period(journal, last=args.period(kwargs.get("last")), since=args.day(journal, kwargs.get("since")),
                      until=args.day(journal, kwargs.get("until")))


def test_the_period_defaults_to_the_last_90_days(journal, logged):
    assert report.period(journal) == (date(2026, 11, 21) - timedelta(days=89), date(2026, 11, 21))
    assert report.period(journal, last=parse_period("12w")) == (date(2026, 11, 21) - timedelta(days=83),
                                                             date(2026, 11, 21))


def test_unknown_metrics_and_no_journal_are_refused(journal):
    with pytest.raises(InputError, match="no journal"):
        report.build(journal, SINCE, UNTIL)
    add(journal, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                              schedule=parse_schedule("08:00")))
    with pytest.raises(InputError):
        report.build(journal, SINCE, UNTIL, ["wellbeing"])
    with pytest.raises(InputError, match="at most"):
        report.build(journal, SINCE, UNTIL, ["mood"] * 7)


def test_a_future_end_built_by_hand_is_refused_by_the_service_too(journal):
    """The edge refuses a future --to (parse_day); the service holds the same rule for a caller that skips it."""
    with pytest.raises(InputError, match="in the future"):
        report.period(journal, until=date(2026, 11, 22))
