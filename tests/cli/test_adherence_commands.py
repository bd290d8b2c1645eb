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


def test_days_of_the_week_and_every_n_days_from_the_commands(medlog, monkeypatch):
    """Weekly methotrexate on Saturdays and vitamin D every 7 days, through the real commands: slots only on the
    days each schedule falls on; a dose on a day off is an extra dose, and a skip then is refused."""
    assert medlog("substance", "add", "Methotrexate", "--kind", "medication", "--dose", "15 mg", "--schedule",
                  "20:00 sat", "--since", "2026-11-01 08:00").code == 0
    added = medlog("substance", "add", "Vitamin D3", "--kind", "supplement", "--dose", "50000 IU", "--schedule",
                   "09:00 every 7 days", "--since", "2026-11-09 08:00")
    assert added.code == 0
    shown = json.loads(medlog("substance", "show", "vitamin", "--json").out)
    assert (shown["schedule"], shown["days"]) == (["09:00"], {"every": 7, "from": "2026-11-09"})
    assert json.loads(medlog("substance", "show", "metho", "--json").out)["days"] == ["sat"]
    assert "20:00 on Sat" in medlog("substance", "list").out
    assert "(20:00 dose)" in medlog("take", "metho", "--at", "2026-11-14 20:10").out
    day_off = medlog("take", "vitamin", "--at", "2026-11-10 09:00")
    assert day_off.code == 0 and "extra dose" in day_off.out and "not due on Tue 10 Nov" in day_off.err
    refused = medlog("skip", "vitamin", "--at", "2026-11-11 09:00", "--reason", "forgot")
    assert refused.code == 2 and "not due on Wed 2026-11-11" in refused.err
    assert medlog("take", "vitamin", "--at", "2026-11-16 09:30").out.count("(09:00 dose)") == 1
    week = {row["substance"]: row for row in json.loads(medlog("adherence", "--weeks", "2", "--json").out)["totals"]}
    # In the two weeks 8–21 Nov: Saturdays 14 and 21 (the 21st's 20:00 is not due yet at 09:00); D3 on 9 Nov
    # (no entries that day: unlogged) and 16 Nov (on time) — the extra dose on the 10th answers no slot
    assert (week["Methotrexate"]["scheduled"], week["Methotrexate"]["on_time"]) == (1, 1)
    d3 = week["Vitamin D3"]
    assert (d3["scheduled"], d3["on_time"], d3["unlogged"], d3["pending"]) == (2, 1, 1, 0)


def test_until_plans_the_stop_as_the_day_after_the_last_begins(medlog, monkeypatch):
    added = medlog("substance", "add", "Amoxicillin", "--kind", "medication", "--dose", "500 mg", "--schedule",
                   "08:00,16:00", "--until", "2026-11-27")
    assert added.code == 0 and "planned: its last day is Fri 2026-11-27" in added.err
    history = json.loads(medlog("substance", "show", "amox", "--json").out)["history"]
    assert [(e["event"], e["at"], e["planned"]) for e in history] == [
        ("start", "2026-11-21T04:00:00+00:00", False), ("stop", "2026-11-28T04:00:00+00:00", True)]
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-27T17:00:00+00:00")
    assert medlog("due").out == "overdue 08:00  Amoxicillin\ndue     16:00  Amoxicillin\n"
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-28T09:00:00+00:00")
    assert medlog("due").out == ""  # the course is over


@pytest.mark.parametrize("until, message", [("2026-11-20", "comes before the start"), ("2032-01-01", "years ahead"),
                                            ("next week", "not a date")])
def test_bad_until_is_refused_before_anything_is_written(medlog, until, message):
    ran = medlog("substance", "add", "Amoxicillin", "--kind", "medication", "--until", until)
    assert ran.code == 2 and message in ran.err and len(ran.err.strip().splitlines()) == 1
    assert "Amoxicillin" not in medlog("substance", "list").out
