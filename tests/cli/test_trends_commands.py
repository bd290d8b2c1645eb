"""`medlog trends` as typed, on journals written through the real commands."""

from __future__ import annotations

import json
import statistics
from datetime import date, timedelta

import pytest

TODAY = date(2026, 11, 21)  # the suite's now: Sat 21 Nov 2026, 09:00 London


@pytest.fixture
def three_weeks(medlog):
    """Mood and sleep quality rated on known days over three weeks, a symptom, a supplement started 10 days ago."""
    moods = {}
    for back in range(21):
        if back in (3, 4, 17):
            continue  # days not rated
        day = TODAY - timedelta(days=back)
        mood, sleep = 3 + back % 5, 4 + back % 3
        moods[day] = mood
        assert medlog("rate", f"mood={mood}", f"sleep_quality={sleep}", "--day", day.isoformat()).code == 0
    medlog("symptom", "headache", "4", "--at", "2026-11-20 14:00")
    medlog("symptom", "headache", "6", "--at", "2026-11-19 14:00")
    medlog("symptom", "Headache", "2", "--at", "2026-11-10 14:00")
    medlog("substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg", "--schedule",
           "21:30", "--since", "2026-11-11 21:00")
    return moods


def test_weekly_means_equal_the_logged_datas_means(medlog, three_weeks):
    data = json.loads(medlog("trends", "--weeks", "3", "--json").out)
    assert [(w["from"], w["to"]) for w in data["weeks"]] == [
        ("2026-11-15", "2026-11-21"), ("2026-11-08", "2026-11-14"), ("2026-11-01", "2026-11-07")]
    for k, week in enumerate(data["weeks"]):
        days = [TODAY - timedelta(days=7 * k + i) for i in range(7)]
        logged = [three_weeks[d] for d in days if d in three_weeks]
        mood = week["metrics"]["mood"]
        assert mood["days"] == len(logged)
        assert mood["mean"] == round(statistics.mean(logged), 2)
        assert mood["median"] == statistics.median(logged)
        assert (mood["min"], mood["max"]) == (min(logged), max(logged))
    newest, before = data["weeks"][0]["metrics"]["mood"], data["weeks"][1]["metrics"]["mood"]
    assert newest["change"] == pytest.approx(newest["mean"] - before["mean"], abs=0.011)
    assert data["weeks"][0]["symptoms"] == {"headache": {"reports": 2, "days": 2, "mean_severity": 5.0, "worst": 6}}
    assert data["weeks"][1]["symptoms"]["headache"]["reports"] == 1  # "Headache" is the same symptom
    [change] = data["changes"]
    assert (change["day"], change["event"], change["substance"]) == ("2026-11-11", "start", "Magnesium glycinate")


def test_doses_per_week_count_as_needed_ones_apart(medlog, three_weeks):
    medlog("substance", "add", "Ibuprofen", "--kind", "medication", "--dose", "200 mg", "--as-needed",
           "--since", "2026-11-01 08:00")
    for when in ("2026-11-20 13:00", "2026-11-19 13:00", "2026-11-12 13:00"):
        medlog("take", "ibuprofen", "--at", when)
    medlog("take", "magnesium", "--at", "2026-11-20 21:40")
    medlog("skip", "magnesium", "--at", "2026-11-19 21:40", "--reason", "asleep")
    weeks = json.loads(medlog("trends", "--weeks", "2", "--json").out)["weeks"]
    assert weeks[0]["doses"] == {"Ibuprofen": {"taken": 2, "skipped": 0, "as_needed": 2},
                                 "Magnesium glycinate": {"taken": 1, "skipped": 1, "as_needed": 0}}
    assert weeks[1]["doses"] == {"Ibuprofen": {"taken": 1, "skipped": 0, "as_needed": 1}}
    assert "Ibuprofen                 1  2" in medlog("trends", "--weeks", "2").out


def test_the_table_marks_the_week_of_a_change_and_draws_each_metric(medlog, three_weeks):
    out = medlog("trends", "--weeks", "3").out
    assert "08 Nov–14 Nov*" in out and "15 Nov–21 Nov " in out
    assert "Mood " in out and "(0–10, higher is better)" in out
    assert "started Magnesium glycinate (200 mg, 21:30)" in out
    assert "headache" in out and "3×" in out


@pytest.mark.parametrize("weeks", ["0", "521", "many"])
def test_bad_weeks_are_refused(medlog, weeks):
    ran = medlog("trends", "--weeks", weeks)
    assert ran.code == 2 and len(ran.err.strip().splitlines()) == 1


def test_an_empty_or_missing_journal(medlog):
    assert medlog("trends").out == "Nothing logged in that time.\n"
    data = json.loads(medlog("trends", "--weeks", "2", "--json").out)
    assert [w["days_logged"] for w in data["weeks"]] == [0, 0] and data["changes"] == []
