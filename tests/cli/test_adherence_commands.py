"""`medlog adherence` and `medlog due` as typed, on journals built through the real commands."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def fifteen_days(medlog):
    """Escitalopram at 08:00 since 15 days ago (the suite's now is Sat 21 Nov 09:00 London): 10 taken, 1 skipped,
    4 missed; a rating every day, so no day is unlogged."""
    assert medlog("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule",
                  "08:00", "--since", "2026-11-06 08:00").code == 0
    for n in range(15):
        day = f"2026-11-{6 + n:02d}"
        assert medlog("rate", "mood=6", "--day", day).code == 0
        if n < 10:
            assert medlog("take", "esc", "--at", f"{day} {'08:30' if n < 8 else '11:00'}").code == 0
        elif n == 10:
            assert medlog("skip", "esc", "--at", f"{day} 08:00", "--reason", "nausea").code == 0
    return medlog


def test_fifteen_days_report_exactly_ten_taken_one_skipped_four_missed(fifteen_days):
    report = json.loads(fifteen_days("adherence", "--weeks", "3", "--json").out)
    [total] = report["totals"]
    assert total == {"substance": "Escitalopram", "scheduled": 16, "on_time": 8, "late": 2, "skipped": 1,
                     "missed": 4, "unlogged": 0, "pending": 1, "percent_taken": 66.7}
    weeks = report["weeks"]
    assert [w["from"] for w in weeks] == ["2026-11-15", "2026-11-08", "2026-11-01"]
    assert sum(w["substances"][0]["missed"] for w in weeks if w["substances"]) == 4
    text = fifteen_days("adherence", "--weeks", "3").out
    assert "3 weeks         Escitalopram" in text and "67%" in text


def test_days_with_no_entries_at_all_are_unlogged_not_missed(medlog):
    medlog("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00",
           "--since", "2026-11-14 08:00")
    medlog("take", "esc", "--at", "2026-11-15 08:00")
    medlog("note", "out of tablets", "--at", "2026-11-16 20:00")
    [total] = json.loads(medlog("adherence", "--weeks", "1", "--json").out)["totals"]
    # 15th taken; 16th had a note, so missed; 17th–20th nothing at all: unlogged; today 08:00 still in its window
    assert (total["on_time"], total["missed"], total["unlogged"], total["pending"]) == (1, 1, 4, 1)


def test_due_shows_an_overdue_dose_until_it_is_taken(medlog, cli_env, monkeypatch):
    medlog("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00,21:00")
    medlog("substance", "add", "Gabapentin", "--kind", "medication", "--dose", "300 mg", "--as-needed")
    assert json.loads(medlog("due", "--json").out)["due"] == [
        {"substance": "Escitalopram", "slot": "08:00", "due_at": "2026-11-21T08:00:00+00:00", "overdue": False}]
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-21T12:00:00+00:00")
    assert medlog("due").out == "overdue 08:00  Escitalopram\n"
    medlog("take", "esc", "--at", "09:00")
    assert medlog("due").out == ""
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-21T19:30:00+00:00")  # the evening dose's window has opened
    assert medlog("due").out == "due     21:00  Escitalopram\n"


def test_a_wider_window_from_the_config(medlog, cli_env):
    import os

    config = os.path.join(cli_env["XDG_CONFIG_HOME"], "medlog")
    os.makedirs(config)
    with open(os.path.join(config, "config.toml"), "w", encoding="utf-8") as fh:
        fh.write('adherence_window = "4h"\n')
    medlog("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00",
           "--since", "2026-11-20 08:00")
    medlog("take", "esc", "--at", "2026-11-20 11:30")
    [total] = json.loads(medlog("adherence", "--weeks", "1", "--json").out)["totals"]
    assert total["on_time"] == 1 and total["late"] == 0
    with open(os.path.join(config, "config.toml"), "w", encoding="utf-8") as fh:
        fh.write('adherence_window = "forever"\n')
    bad = medlog("adherence")
    assert bad.code == 2 and "adherence_window" in bad.err


@pytest.mark.parametrize("args", [["adherence", "--weeks", "0"], ["adherence", "--weeks", "9999"],
                                  ["adherence", "--weeks", "two"]])
def test_bad_weeks_are_refused(medlog, args):
    ran = medlog(*args)
    assert ran.code == 2 and len(ran.err.strip().splitlines()) == 1


def test_no_journal_yet(medlog):
    assert medlog("due").code == 0 and medlog("due").out == ""
    assert "No scheduled doses" in medlog("adherence").out


def test_a_trip_to_new_york_keeps_the_08_00_dose_on_time(medlog, monkeypatch):
    medlog("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00",
           "--since", "2026-11-15 08:00")
    medlog("take", "esc", "--at", "2026-11-15 08:05")
    monkeypatch.setenv("MEDLOG_TZ", "America/New_York")  # the user flies out and logs in local time
    assert medlog("take", "esc", "--at", "2026-11-16 08:15").code == 0
    monkeypatch.setenv("MEDLOG_TZ", "Europe/London")
    week = json.loads(medlog("adherence", "--weeks", "1", "--json").out)["totals"][0]
    assert (week["on_time"], week["late"]) == (2, 0)
