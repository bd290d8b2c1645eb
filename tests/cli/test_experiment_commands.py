"""`medlog experiment plan|status|analyze|stop|list` through the real entry point: the plan and its planned
regimen events, the analysis of a finished experiment, stopping, refusals (one line, exit 2, nothing written),
keys, and the export round trip."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, timedelta

import pytest

from medlog.analysis import experiment as ex
from tests.conftest import default_journal, dump

SETUP = [
    ["substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg", "--schedule", "21:30",
     "--since", "2026-09-01 08:00"],
    ["substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00",
     "--since", "2026-09-01 08:00"],
    ["substance", "add", "Ibuprofen", "--kind", "medication", "--as-needed", "--dose", "200 mg"],
    ["substance", "add", "Melatonin", "--kind", "supplement", "--dose", "3 mg", "--schedule", "22:00",
     "--onset-lag", "9"],
]
PLAN = ["experiment", "plan", "magnesium", "--metric", "sleep_quality", "--design", "random-pairs", "--pairs", "4",
        "--block", "7", "--washout", "2", "--seed", "42"]
START = date(2026, 11, 22)  # the suite's today is 2026-11-21: a plan starts tomorrow


@pytest.fixture
def setup(medlog):
    for step in SETUP:
        assert medlog(*step).code == 0, step
    return medlog


def rows(env, sql, *args):
    conn = sqlite3.connect(default_journal(env))
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_a_dry_run_shows_what_the_design_can_tell_and_writes_nothing(setup, cli_env):
    before = dump(default_journal(cli_env))
    ran = setup("experiment", "plan", "mag", "--metric", "sleep_quality", "--dry-run")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("Dry run: nothing was written.\nWould plan on Magnesium glycinate — abab, 2 pairs of "
                              "14-day periods, Sun 2026-11-22 to Sat 2027-01-16")
    assert ("4 possible orders, so the smallest possible p is 1/4 = 0.25 for a difference in a direction named in "
            "advance, and 0.5 either way") in ran.out
    assert "It cannot reach p ≤ 0.05 whatever the difference" in ran.out and "stated defaults" in ran.out
    assert "Consider " in ran.out and "planned in your regimen" in ran.out
    assert dump(default_journal(cli_env)) == before
    data = json.loads(setup("experiment", "plan", "mag", "--metric", "sleep_quality", "--dry-run", "--json").out)
    assert data["written"] is False and data["forecast"][0]["problems"] == ["p"]
    assert data["forecast"][0]["smallest_p"] == 0.5 and data["forecast"][0]["suggestion"]["smallest_p"] <= 0.05
    assert dump(default_journal(cli_env)) == before


def test_a_plan_is_a_record_and_planned_starts_and_stops(setup, cli_env):
    ran = setup(*PLAN)
    assert ran.code == 0, ran.err
    assert "Planned: experiment " in ran.out and "(order AA,AB,BA,BB, seed 42)" in ran.out
    assert ("70 possible orders, so the smallest possible p is 1/70 = 0.0143 for a difference in a direction named in "
            "advance, and 0.0286 either way") in ran.out
    [(uuid, assignment, metrics, start)] = rows(cli_env, "SELECT uuid, assignment, metrics, start_day FROM experiment")
    assert (assignment, metrics, start) == ("AA,AB,BA,BB", "sleep_quality", "2026-11-22")
    events = rows(cli_env, "SELECT kind, effective_at, journal_day, note FROM regimen_event WHERE note LIKE"
                           " 'experiment %' ORDER BY effective_at")
    short = uuid[:8]
    # on, on, on, off, off, on, off, off — it was on before: stop, start, stop, and back on after the end
    assert events == [
        ("stop", "2026-12-13 04:00:00.000000", "2026-12-13", f"experiment {short}: off period 1 of 4"),
        ("start", "2026-12-27 04:00:00.000000", "2026-12-27", f"experiment {short}: on period 4 of 4"),
        ("stop", "2027-01-03 04:00:00.000000", "2027-01-03", f"experiment {short}: off period 3 of 4"),
        ("start", "2027-01-17 04:00:00.000000", "2027-01-17", f"experiment {short}: ended; back to the regimen "
                                                              "before it")]
    shown = setup("substance", "show", "magnesium").out
    assert f"stopped Magnesium glycinate — experiment {short}: off period 1 of 4  (planned)" in shown
    listed = setup("experiment", "list").out.splitlines()
    assert listed[1].split() == [short, "Magnesium", "glycinate", "random-pairs", "8×7d", "2026-11-22", "–",
                                 "2027-01-16", "planned", "sleep_quality"]
    assert setup("undo").code == 0  # the whole plan is one change
    assert rows(cli_env, "SELECT count(*) FROM experiment WHERE deleted_at IS NULL") == [(0,)]
    assert rows(cli_env, "SELECT count(*) FROM regimen_event WHERE deleted_at IS NULL AND note LIKE 'exp%'") == [(0,)]


def run_experiment(medlog, monkeypatch, *, on_bonus=1.5, upto=START + timedelta(days=56)):
    """Live through the planned periods: magnesium taken on the on days (a few missed), sleep rated most days,
    `on_bonus` higher on days on; then the clock moves on to the day after `upto`."""
    periods = ex.from_text("AA,AB,BA,BB")
    rng, x = random.Random(9), 0.0
    monkeypatch.setenv("MEDLOG_NOW", f"{upto + timedelta(days=1)}T12:00:00+00:00")
    for n in range((upto - START).days):
        day = START + timedelta(days=n)
        on = periods[n // 7]
        x = 0.5 * x + rng.gauss(0, 0.8)
        if n % 9 != 4:
            assert medlog("rate", f"sleep_quality={max(0, min(10, round(5 + x + (on_bonus if on else 0))))}",
                          "--day", day.isoformat()).code == 0
        if on and n % 11 != 3:
            assert medlog("take", "magnesium", "--at", f"{day} 21:35").code == 0


def test_a_finished_experiment_is_analysed(setup, cli_env, monkeypatch):
    assert setup(*PLAN).code == 0
    run_experiment(setup, monkeypatch)
    status = setup("experiment", "status")
    assert status.code == 0 and status.out.splitlines()[0].endswith("done")
    assert "taken on 25 of 28 on days; not taken on 28 of 28 off days" in status.out
    ran = setup("experiment", "analyze")
    assert ran.code == 0, ran.err
    [sentence] = [line.strip() for line in ran.out.splitlines() if line.strip().startswith("Sleep quality was")]
    assert sentence.startswith("Sleep quality was 1.") and " higher on days on Magnesium glycinate than off (95% " \
        "interval " in sentence
    assert "randomisation p = 0.03 over 70 possible orders; 36 of 40 analysable days rated, 16 washout days " \
           "left out)." in sentence
    assert "improved" not in ran.out and "association" in ran.out
    data = json.loads(setup("experiment", "analyze", "mag", "--json").out)
    [metric] = data["metrics"]
    assert metric["orders"] == 70 and metric["exact"] and metric["p"] == pytest.approx(2 / 70)
    assert metric["low"] < metric["difference"] < metric["high"] and metric["pairs_used"] == 4
    assert data["experiment"]["status"] == "done" and data["adherence"] == {"on_days": 28, "on_taken": 25,
                                                                           "off_days": 28, "off_not_taken": 28}


def test_a_running_experiment_says_its_phase_and_is_analysed_so_far(setup, cli_env, monkeypatch):
    assert setup(*PLAN).code == 0
    run_experiment(setup, monkeypatch, upto=START + timedelta(days=25))  # today: day 27, period 4 (off)
    status = setup("experiment", "status").out
    assert "Today: period 4 of 8, off; 1 more day in this period, 29 in the experiment." in status
    analysed = setup("experiment", "analyze").out
    assert "So far (4 of 8 periods begun): No clear difference in Sleep quality between days on and off" in analysed
    data = json.loads(setup("experiment", "status", "--json").out)
    assert data["experiments"][0]["today"] == {"period": 4, "on": False, "washout": False, "days_left_in_period": 1,
                                               "days_left": 29}


def test_stop_cancels_the_changes_ahead_and_keeps_the_record(setup, cli_env, monkeypatch):
    assert setup(*PLAN).code == 0
    run_experiment(setup, monkeypatch, upto=START + timedelta(days=23))
    stopped = setup("experiment", "stop", "mag")
    assert stopped.code == 0 and stopped.out.startswith("Logged: stopped experiment ")
    assert "cancelled 3 planned changes; Magnesium glycinate stays stopped, as it is now" in stopped.err
    live = rows(cli_env, "SELECT kind, journal_day FROM regimen_event WHERE deleted_at IS NULL AND note LIKE 'exp%'")
    assert live == [("stop", "2026-12-13")]  # the one that has happened stays: history is not rewritten
    assert rows(cli_env, "SELECT stopped_at IS NOT NULL FROM experiment") == [(1,)]
    assert "stopped" in setup("experiment", "list").out
    assert "So far" in setup("experiment", "analyze", "mag").out
    again = setup("experiment", "stop")
    assert again.code == 2 and again.err == "medlog: no experiment is planned or running\n"


def test_a_medication_needs_the_clinician_and_the_history_gives_the_spread(setup, cli_env):
    for n in range(30):
        assert setup("rate", f"mood={4 + n % 3}", "--day", str(date(2026, 10, 20) + timedelta(days=n))).code == 0
    ran = setup("experiment", "plan", "escitalopram", "--metric", "mood", "--with-clinician", "--pairs", "6",
                "--block", "7", "--start", "2026-12-01", "--note", "agreed with Dr Okafor")
    assert ran.code == 0, ran.err
    assert "from your 30 rated days of Mood" in ran.out and "64 possible orders" in ran.out
    assert rows(cli_env, "SELECT with_clinician, note FROM experiment") == [(1, "agreed with Dr Okafor")]


def test_the_onset_lag_lengthens_what_is_left_out(setup, cli_env):
    # onset lag 9 + washout 3: a block must outlast both (the rule), not only the 9 days left out + 2
    for block in ("10", "11"):
        short = setup("experiment", "plan", "melatonin", "--metric", "mood", "--block", block, "--dry-run")
        assert short.code == 2 and "each period needs its 9 days left out (the washout, or the onset lag when " \
                                   "longer), and to outlast the onset lag (9) and the washout (3) and at least 2 " \
                                   "days to rate; use --block 12 or more" in short.err, short.err
    ran = setup("experiment", "plan", "melatonin", "--metric", "mood", "--block", "12", "--dry-run")
    assert ran.code == 0 and "The first 9 days of every period are left out of the analysis (washout; " \
                             "Melatonin's onset lag is 9 days)." in ran.out


BAD = [
    (["experiment", "plan", "escitalopram", "--metric", "mood"], "is a medication: stopping and starting it changes a "
                                                                 "prescription"),
    (["experiment", "plan", "unknownium", "--metric", "mood"], "no substance called 'unknownium'"),
    (["experiment", "plan", "mag", "--metric", "moood"], "--metric 'moood' is not a metric"),
    (["experiment", "plan", "mag", "--metric", "mood", "--start", "2026-11-20"], "starts on a coming day"),
    (["experiment", "plan", "mag", "--metric", "mood", "--start", "today"], "starts on a coming day"),
    (["experiment", "plan", "mag", "--metric", "mood", "--start", "2026-02-30"], "not a date on the calendar"),
    (["experiment", "plan", "mag", "--metric", "mood", "--pairs", "1"], "at least 2 pairs"),
    (["experiment", "plan", "mag", "--metric", "mood", "--pairs", "31"], "--pairs 31: choose 2 to 30"),
    (["experiment", "plan", "mag", "--metric", "mood", "--design", "abba", "--pairs", "3"], "even number"),
    (["experiment", "plan", "mag", "--metric", "mood", "--design", "abac"], "invalid choice"),
    (["experiment", "plan", "mag", "--metric", "mood", "--block", "4"], "use --block 5 or more"),
    (["experiment", "plan", "mag", "--metric", "mood", "--block", "x"], "invalid int value"),
    (["experiment", "plan", "mag", "--metric", "mood", "--washout", "-1"], "--washout -1: choose 0 to 88"),
    (["experiment", "plan", "mag", "--metric", "mood", "--seed", "-1"], "--seed -1"),
    (["experiment", "plan", "mag"], "the following arguments are required: --metric"),
    (["experiment", "plan", "ibuprofen", "--metric", "mood", "--with-clinician"], "no regular schedule"),
    (["experiment", "plan", "mag", "--metric", "mood", "--pairs", "30", "--block", "90"], "more than 5 years ahead"),
    (["experiment", "analyze"], "no experiment has begun yet"),
    (["experiment", "stop"], "no experiment is planned or running"),
    (["experiment", "status", "melatonin"], "no experiment's substance called 'melatonin'"),
]


@pytest.mark.parametrize("args, why", BAD, ids=[" ".join(a[2:5]) or a[1] for a, _ in BAD])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(setup, cli_env, args, why):
    if args[1] == "status":
        assert setup(*PLAN).code == 0  # an experiment of another substance
    before = dump(default_journal(cli_env))
    ran = setup(*args)
    assert ran.code == 2 and ran.err.count("\n") == 1 and why in ran.err, ran.err
    assert dump(default_journal(cli_env)) == before


def test_overlapping_plans_and_changes_inside_the_dates_are_refused(setup, cli_env):
    assert setup(*PLAN).code == 0
    before = dump(default_journal(cli_env))
    ran = setup("experiment", "plan", "magnesium", "--metric", "mood", "--start", "2027-01-10")
    assert ran.code == 2 and "already has experiment" in ran.err and "stop it first" in ran.err
    assert setup("substance", "change", "melatonin", "--dose", "5 mg", "--at", "2026-12-05 09:00").code == 0
    before = dump(default_journal(cli_env))
    ran = setup("experiment", "plan", "melatonin", "--metric", "mood", "--block", "12")
    assert ran.code == 2 and "has a regimen change on 2026-12-05 inside the experiment's dates" in ran.err
    assert dump(default_journal(cli_env)) == before
    # back to back: the first one's return to the regimen before it, as the second begins, is not in its way
    assert setup("experiment", "plan", "magnesium", "--metric", "mood", "--start", "2027-01-17").code == 0


def test_a_key_plans_once(setup, cli_env):
    assert setup(*PLAN, "--key", "mag-trial").code == 0
    again = setup(*PLAN, "--key", "mag-trial")
    assert again.code == 0 and "already logged with key 'mag-trial'" in again.out
    assert rows(cli_env, "SELECT count(*) FROM experiment") == [(1,)]


def test_the_substance_regimen_cannot_change_inside_its_experiment(setup, cli_env):
    """Found in review: a start, a dose or a schedule change inside the plan's dates was accepted silently, and
    the periods the analysis counts on no longer held."""
    from tests.conftest import dump

    assert setup(*PLAN).code == 0
    before = dump(default_journal(cli_env))
    inside = (START + timedelta(days=10)).isoformat()
    for args in (("change", "magnesium", "--dose", "100 mg"), ("change", "magnesium", "--schedule", "08:00"),
                 ("stop", "magnesium"), ("start", "magnesium")):
        ran = setup("substance", *args, "--at", f"{inside} 09:00")
        assert ran.code == 2 and "is in experiment" in ran.err and "medlog experiment stop" in ran.err, ran.err
        assert ran.err.count("\n") == 1
    assert dump(default_journal(cli_env)) == before
    after = (START + timedelta(days=60)).isoformat()  # after the experiment: the regimen is the user's again
    assert setup("substance", "change", "magnesium", "--dose", "100 mg", "--at", f"{after} 09:00").code == 0
    assert setup("experiment", "stop").code == 0  # stopped: its dates are free
    assert setup("substance", "change", "magnesium", "--dose", "150 mg", "--at", f"{inside} 09:00").code == 0


def test_a_key_stops_once(setup, cli_env, monkeypatch):
    """Found in review: a replayed `stop --key` was refused as 'no experiment is planned or running'."""
    assert setup(*PLAN).code == 0
    run_experiment(setup, monkeypatch, upto=START + timedelta(days=23))
    assert setup("experiment", "stop", "--key", "k1").code == 0
    before = rows(cli_env, "SELECT count(*) FROM change_log")
    again = setup("experiment", "stop", "--key", "k1")
    assert again.code == 0 and "already logged with key 'k1'" in again.out
    assert rows(cli_env, "SELECT count(*) FROM change_log") == before


def test_metrics_are_named_as_compare_names_them(setup, cli_env):
    """By key, by label or by unique prefix: 'sleep quality' and 'sleep_q' are the key sleep_quality."""
    ran = setup("experiment", "plan", "magnesium", "--metric", "sleep quality", "--metric", "sleep_q",
                "--metric", "Mood", "--pairs", "6", "--block", "7", "--json")
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["experiment"]["metrics"] == ["sleep_quality", "mood"]
    ambiguous = setup("experiment", "plan", "magnesium", "--metric", "sleep", "--dry-run")
    assert ambiguous.code == 2 and "could be sleep_hours, sleep_quality" in ambiguous.err


def test_experiments_travel_in_the_json_export(setup, cli_env, tmp_path, monkeypatch):
    assert setup(*PLAN).code == 0
    out = tmp_path / "export.json"
    assert setup("export", "--format", "json", "-o", str(out)).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    [row] = data["tables"]["experiment"]
    assert row["substance_uuid"] and row["assignment"] == "AA,AB,BA,BB" and "substance_id" not in row
    other = str(tmp_path / "other.sqlite")
    assert setup("--db", other, "import", str(out)).code == 0
    assert setup("--db", other, "import", str(out)).out.startswith("Logged: nothing new")  # idempotent
    listed = json.loads(setup("--db", other, "experiment", "list", "--json").out)["experiments"]
    assert [(e["id"], e["assignment"], e["status"]) for e in listed] == [(row["uuid"], "AA,AB,BA,BB", "planned")]
    broken = dict(data)
    other = "00000000-0000-4000-8000-0000000000e1"  # another experiment's identity, in medlog's form
    broken["tables"] = {**data["tables"], "experiment": [{**row, "uuid": other, "assignment": "AB,AB,AB,A"}]}
    out.write_text(json.dumps(broken), encoding="utf-8")
    refused = setup("--db", str(tmp_path / "third.sqlite"), "import", str(out))
    assert refused.code == 2 and "assignment" in refused.err
