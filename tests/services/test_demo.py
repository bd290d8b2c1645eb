"""The demo journal: the story it tells, its determinism, its scale, and that it never touches a real journal."""

import hashlib
import os
import sqlite3
import statistics
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.errors import InputError, StoreError
from medlog.services import entries
from medlog.services.context import Journal
from medlog.services.demo.build import build_demo
from tests.conftest import NOW, ZONE, dump

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    from zoneinfo import ZoneInfo

    from medlog.clock import FixedClock
    from medlog.config import Settings
    from tests.conftest import NOW, ZONE

    path = str(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    journal = Journal(path, Settings(ZoneInfo(ZONE)), FixedClock(NOW))
    summary = build_demo(journal)
    conn = sqlite3.connect(path)
    yield summary, conn
    conn.close()


def q(conn, sql, *args):
    return conn.execute(sql, args).fetchall()


def test_the_substances_and_their_history(story):
    _, conn = story
    assert sorted(r[0] for r in q(conn, "SELECT name FROM substance")) == [
        "Co-codamol", "Escitalopram", "Gabapentin", "Maalox", "Magnesium glycinate", "Vitamin D3"]
    events = q(conn, "SELECT s.name, e.kind, e.dose_value, e.schedule, e.journal_day FROM regimen_event e "
                     "JOIN substance s ON s.id = e.substance_id ORDER BY e.effective_at")
    esc = [e for e in events if e[0] == "Escitalopram"]
    assert [(k, v) for _, k, v, _, _ in esc] == [("start", 5.0), ("dose_change", 10.0)]
    mag_start = date.fromisoformat(next(e for e in events if e[0] == "Magnesium glycinate")[4])
    assert 35 <= (TODAY - mag_start).days <= 49  # "about six weeks ago"
    assert next(e for e in events if e[0] == "Gabapentin")[3] == "as-needed"


def test_at_least_ninety_days_with_a_few_unlogged(story):
    summary, conn = story
    days = {date.fromisoformat(r[0]) for r in q(conn, "SELECT journal_day FROM observation UNION "
                                                      "SELECT journal_day FROM dose")}
    assert len(days) >= 90
    assert max(days) == TODAY and min(days) == TODAY - timedelta(days=119)
    unlogged = {TODAY - timedelta(days=i) for i in range(120)} - days
    assert 2 <= len(unlogged) <= 6


def test_missed_skipped_and_as_needed_doses(story):
    _, conn = story
    skipped = q(conn, "SELECT note FROM dose WHERE status = 'skipped'")
    assert skipped and any(note for (note,) in skipped)
    esc_days = q(conn, "SELECT count(DISTINCT journal_day) FROM dose d JOIN substance s ON s.id = d.substance_id "
                       "WHERE s.name = 'Escitalopram'")[0][0]
    assert esc_days < 116  # some scheduled mornings have no entry at all: missed
    gaba = q(conn, "SELECT count(*) FROM dose d JOIN substance s ON s.id = d.substance_id "
                   "WHERE s.name = 'Gabapentin' AND slot IS NULL")[0][0]
    assert 120 / 7 * 1.5 <= gaba <= 120 / 7 * 5  # a few times a week


def test_schedules_rules_and_plans_as_the_services_read_them(story):
    """What `substance list`, `rule list` and `adherence` show of the demo: a weekly course in IU with its end
    planned ahead, the two starter rules that match and the prescriber's as-needed limits, and every status."""
    from zoneinfo import ZoneInfo

    from medlog.clock import FixedClock
    from medlog.config import Settings
    from medlog.services import adherence, rules, substances
    from tests.conftest import NOW, ZONE

    summary, _ = story
    journal = Journal(summary.path, Settings(ZoneInfo(ZONE)), FixedClock(NOW))
    d3 = next(v for v in substances.list_substances(journal) if v.info.name == "Vitamin D3")
    assert str(d3.state.schedule).startswith("09:00 every 7 days") and str(d3.info.iu_mass) == "0.025 mcg"
    [planned] = d3.planned
    assert planned.kind == "stop" and (planned.at.date() - TODAY).days == 35
    kinds = sorted(r.kind for r in rules.list_rules(journal))
    assert kinds == ["as_needed", "daily_max", "interaction", "spacing"]
    totals = dict(adherence.weekly(journal, weeks=17).totals)
    assert totals["Vitamin D3"].scheduled == 4  # 21, 14, 7 days ago and today
    together = [totals[name] for name in ("Escitalopram", "Magnesium glycinate")]
    for status in ("on_time", "late", "skipped", "missed", "unlogged"):
        assert sum(getattr(t, status) for t in together) > 0, status


def test_symptoms_tell_the_story(story):
    _, conn = story
    names = {r[0] for r in q(conn, "SELECT DISTINCT name FROM symptom")}
    assert {"dizziness", "drowsiness", "upset stomach"} <= names
    dizzy_days = [(TODAY - date.fromisoformat(r[0])).days for r in q(conn, "SELECT journal_day FROM symptom "
                                                                          "WHERE name = 'dizziness'")]
    assert dizzy_days and min(dizzy_days) >= 90  # early on the higher escitalopram dose


def test_notes_two_flagged_and_one_question_for_the_visit(story):
    _, conn = story
    notes = q(conn, "SELECT text, flagged, kind FROM note")
    assert len(notes) >= 5 and sum(flagged for _, flagged, _ in notes) == 2
    assert [text for text, _, kind in notes if kind == "question"] == [
        "Ask whether magnesium and gabapentin should be taken apart."]


def test_a_week_in_another_time_zone(story):
    _, conn = story
    away = q(conn, "SELECT DISTINCT journal_day FROM dose WHERE zone = 'America/New_York'")
    assert 5 <= len(away) <= 7
    local_hours = q(conn, "SELECT occurred_at FROM dose WHERE zone = 'America/New_York' AND slot = '08:00'")
    # 08:00 in New York is 12:00 or 13:00 UTC: the schedule followed local time
    assert all(r[0][11:13] in ("11", "12", "13") for r in local_hours)


def test_sleep_quality_improves_after_magnesium_and_mood_does_not(story):
    _, conn = story

    def means(metric):
        rows = q(conn, "SELECT o.journal_day, o.value FROM observation o JOIN metric m ON m.id = o.metric_id "
                       "WHERE m.key = ?", metric)
        # the 28 days before magnesium started, and from a week after it started (onset) until today
        before = [v for d, v in rows if 43 <= (TODAY - date.fromisoformat(d)).days <= 70]
        after = [v for d, v in rows if (TODAY - date.fromisoformat(d)).days <= 35]
        return statistics.mean(after) - statistics.mean(before)

    assert means("sleep_quality") >= 1.0
    assert abs(means("mood")) < 0.3 and abs(means("anxiety")) < 0.3


def test_compare_on_the_demo_sees_sleep_rise_and_says_why_it_cannot_tell(story, tmp_path):
    """The demo's sleep quality rose after magnesium, but only six weeks were rated before it and a vitamin D
    course began inside the after window: compare shows the rise and gives no verdict about magnesium."""
    from medlog.services.compare import compare

    summary, _ = story
    journal = Journal(summary.path, Settings(ZoneInfo(ZONE)), FixedClock(NOW))
    found = compare(journal, "magnesium")
    assert found.change.kind == "start" and found.change.day == TODAY - timedelta(days=42)
    by_key = {m.spec.key: m.result for m in found.metrics}
    sleep, mood = by_key["sleep_quality"], by_key["mood"]
    assert sleep.raw > 1 and sleep.raw_low > 0  # the windows differ clearly …
    assert not sleep.claims and sleep.verdict in ("could be a trend", "cannot be separated")  # … no verdict
    assert sleep.difference is None and sleep.together is not None  # figures of both changes together
    assert [c.substance for c in sleep.blocking] == ["Vitamin D3"]
    assert mood.verdict == "no clear difference"
    # the vitamin D course started inside the after window: named as another change in these weeks
    assert [c.description.split(" (")[0] for c in found.confounders] == ["started Vitamin D3"]


def test_same_seed_same_journal_and_another_seed_another(tmp_path, journal):
    first = Journal(str(tmp_path / "a.sqlite"), journal.settings, journal.clock)
    again = Journal(str(tmp_path / "b.sqlite"), journal.settings, journal.clock)
    other = Journal(str(tmp_path / "c.sqlite"), journal.settings, journal.clock)
    build_demo(first, seed=7)
    build_demo(again, seed=7)
    build_demo(other, seed=8)
    assert dump(first.path) == dump(again.path)
    assert dump(first.path) != dump(other.path)


def test_the_story_holds_an_interaction_told_once_when_its_second_substance_arrived(story):
    """Co-codamol (an opioid) for three days while gabapentin is in use: the starter interaction rule, adopted
    and told once when co-codamol was added, as `substance add` would have done (issue 20)."""
    _, conn = story
    [(kind, first, second, starter)] = q(
        conn, "SELECT r.kind, s.name, o.name, r.starter FROM rule r JOIN substance s ON s.id = r.substance_id"
              " JOIN substance o ON o.id = r.other_substance_id WHERE r.kind = 'interaction'")
    assert (kind, first, second, starter) == ("interaction", "Gabapentin", "Co-codamol",
                                              "gabapentinoid-with-cns-depressant")
    [(text, day)] = q(conn, "SELECT w.text, w.journal_day FROM rule_warning w")
    [(added,)] = q(conn, "SELECT e.journal_day FROM regimen_event e JOIN substance s ON s.id = e.substance_id"
                         " WHERE s.name = 'Co-codamol' AND e.kind = 'start'")
    assert day == added and "Gabapentin with Co-codamol" in text and "FDA" in text
    taken = q(conn, "SELECT count(*) FROM dose d JOIN substance s ON s.id = d.substance_id WHERE s.name = 'Co-codamol'")
    assert taken == [(6,)]


def test_rebuilding_replaces_an_earlier_demo(journal):
    build_demo(journal, seed=1)
    build_demo(journal, seed=2)
    conn = sqlite3.connect(journal.path)
    assert conn.execute("SELECT count(*) FROM substance").fetchone()[0] == 6
    conn.close()


def test_it_never_replaces_a_journal_with_your_entries(journal):
    entries.add_note(journal, "my own note")
    before = hashlib.sha256(open(journal.path, "rb").read()).hexdigest()
    with pytest.raises(StoreError, match="holds your own entries"):
        build_demo(journal)
    assert hashlib.sha256(open(journal.path, "rb").read()).hexdigest() == before


def test_it_never_replaces_a_file_that_is_not_a_journal(journal):
    os.makedirs(os.path.dirname(journal.path))
    with open(journal.path, "w") as fh:
        fh.write("not mine to delete")
    with pytest.raises(StoreError, match="not a medlog journal"):
        build_demo(journal)
    assert open(journal.path).read() == "not mine to delete"


def test_years_at_scale(journal):
    summary = build_demo(journal, years=1)
    per_day = (summary.counts["doses taken"] + summary.counts["skipped doses"]) / 365
    assert 15 <= per_day <= 25
    assert summary.first_day == TODAY - timedelta(days=364)
    for bad in (0, 31):
        with pytest.raises(InputError, match="choose 1 to 30"):
            build_demo(journal, years=bad)
