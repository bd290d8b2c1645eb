"""Each command as typed, its output, its --json shape, and what lands in the file."""

import json
import sqlite3

import pytest

from tests.conftest import default_journal


@pytest.fixture
def setup(medlog):
    assert medlog("substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--form", "tab",
                  "--dose", "5 mg", "--schedule", "08:00", "--alias", "Lexapro", "--reason", "anxiety",
                  "--since", "2026-11-01 08:00").code == 0
    assert medlog("substance", "add", "Gabapentin", "--kind", "medication", "--strength", "300 mg", "--form",
                  "capsule", "--as-needed", "--alias", "Neurontin").code == 0
    return medlog


def test_substance_list_and_show(setup):
    medlog = setup
    listed = medlog("substance", "list")
    assert "Escitalopram" in listed.out and "5 mg · 08:00 · started 2026-11-01" in listed.out
    assert "as needed" in listed.out
    data = json.loads(medlog("substance", "list", "--json").out)
    esc = next(s for s in data["substances"] if s["name"] == "Escitalopram")
    assert esc == {
        "id": esc["id"], "name": "Escitalopram", "kind": "medication", "form": "tablet",
        "strength": {"value": 10.0, "unit": "mg"}, "elemental": None, "iu_mass": None, "onset_lag_days": None,
        "reason": "anxiety",
        "prescriber": None,
        "notes": None,
        "aliases": ["Lexapro"], "classes": ["ssri"], "ingredients": ["escitalopram"],  # from the name dictionary
        "active": True, "dose": {"value": 5.0, "unit": "mg"}, "schedule": ["08:00"],
        "days": None,
        "since": "2026-11-01T08:00:00+00:00", "stopped_at": None,
    }
    shown = medlog("substance", "show", "lexapro")
    assert "Escitalopram (medication)" in shown.out and "10 mg per tablet" in shown.out


def test_regimen_changes_are_dated_history(setup):
    medlog = setup
    assert medlog("substance", "change", "esc", "--dose", "1 tablet", "--at", "2026-11-15 08:00",
                  "--note", "titration").code == 0
    assert medlog("substance", "change", "esc", "--schedule", "08:00,20:00").code == 0
    assert medlog("take", "esc", "--at", "08:05").out.startswith("Logged: took Escitalopram 10 mg (08:00 dose)")
    assert medlog("substance", "stop", "esc", "--note", "side effects").code == 0
    assert medlog("substance", "stop", "esc").code == 2
    history = json.loads(medlog("substance", "show", "esc", "--json").out)["history"]
    assert [h["event"] for h in history] == ["start", "dose_change", "schedule_change", "stop"]
    assert history[1]["dose"] == {"value": 10.0, "unit": "mg"} and history[1]["note"] == "titration"
    assert history[2]["schedule"] == ["08:00", "20:00"]
    assert medlog("substance", "start", "esc", "--dose", "5 mg").code == 0
    state = json.loads(medlog("substance", "show", "esc", "--json").out)
    assert state["active"] and state["dose"] == {"value": 5.0, "unit": "mg"} and state["schedule"] == ["08:00", "20:00"]


def test_doses_answer_the_nearest_open_slot_and_tablets_become_mg(setup):
    medlog = setup
    assert medlog("substance", "change", "esc", "--schedule", "08:00,20:00", "--at", "2026-11-20 00:00").code == 0
    assert "(08:00 dose)" in medlog("take", "esc", "1 tab", "--at", "07:40").out
    # 08:00 is answered: a second dose answers 20:00 even though it is nearer 08:00
    assert "(20:00 dose)" in medlog("take", "esc", "--at", "08:30").out
    # both answered: an extra dose answers none
    extra = medlog("take", "esc", "--at", "08:45")
    assert "took Escitalopram 5 mg (extra dose)" in extra.out and "recorded as an extra dose" in extra.err
    assert "took Escitalopram 10 mg (08:00 dose)" in medlog("log").out  # 1 tab of 10 mg


def test_as_needed_doses_need_no_schedule_and_cannot_be_skipped(setup):
    medlog = setup
    assert "took Gabapentin 300 mg —" in medlog("take", "neurontin", "1 capsule").out
    assert "took Gabapentin 600 mg" in medlog("take", "gaba", "2 caps").out
    ran = medlog("take", "gaba")
    assert ran.code == 2 and "no regular dose" in ran.err
    assert medlog("skip", "gaba").code == 2


def test_skip_with_reason(setup):
    medlog = setup
    ran = medlog("skip", "esc", "--reason", "felt nauseous", "--at", "08:00")
    assert ran.code == 0 and "skipped Escitalopram (08:00 dose): felt nauseous" in ran.out
    entry = json.loads(medlog("log", "--json", "--kind", "dose").out)["entries"][0]
    assert entry["status"] == "skipped" and entry["amount"] is None and entry["note"] == "felt nauseous"


def test_rating_again_replaces_and_undo_restores(medlog, cli_env):
    assert medlog("rate", "mood=4").code == 0
    assert medlog("rate", "mood=6", "anxiety=2").code == 0
    ratings = json.loads(medlog("log", "--json", "--kind", "rating").out)["entries"]
    assert sorted((r["metric"], r["value"]) for r in ratings) == [("anxiety", 2.0), ("mood", 6.0)]
    assert "Undid: rated mood 6, anxiety 2" in medlog("undo").out
    ratings = json.loads(medlog("log", "--json", "--kind", "rating").out)["entries"]
    assert [(r["metric"], r["value"]) for r in ratings] == [("mood", 4.0)]
    conn = sqlite3.connect(default_journal(cli_env))
    assert conn.execute("SELECT count(*) FROM observation").fetchone()[0] == 3  # nothing is really deleted
    conn.close()


def test_ratings_for_yesterday_and_unique_prefixes(medlog):
    assert "for 2026-11-20" in medlog("rate", "sleep_q=5", "en=4", "--day", "yesterday").out
    entries = json.loads(medlog("log", "--json", "--since", "yesterday", "--until", "yesterday").out)["entries"]
    assert {(e["metric"], e["journal_day"]) for e in entries} == {("sleep_quality", "2026-11-20"),
                                                                   ("energy", "2026-11-20")}


def test_symptoms_keep_one_spelling(medlog):
    medlog("symptom", "Dizziness", "moderate")
    medlog("symptom", "dizziness", "2", "--at", "1h ago")
    names = {e["name"] for e in json.loads(medlog("log", "--json", "--kind", "symptom").out)["entries"]}
    assert names == {"Dizziness"}


def test_log_ranges_and_filters(medlog):
    medlog("note", "old note", "--at", "2026-11-01 12:00")
    medlog("note", "recent note", "--at", "2h ago")
    medlog("symptom", "headache", "4", "--at", "30m ago")
    default = json.loads(medlog("log", "--json").out)["entries"]
    assert [e.get("text") for e in default if e["kind"] == "note"] == ["recent note"]  # the last 7 days
    everything = json.loads(medlog("log", "--json", "--since", "2026-10-01").out)["entries"]
    assert len(everything) == 3
    recent = json.loads(medlog("log", "--json", "--since", "1h ago").out)["entries"]
    assert [e["kind"] for e in recent] == ["symptom"]
    assert json.loads(medlog("log", "--json", "--until", "2026-11-02", "--since", "2026-11-01").out)["entries"][0][
        "text"] == "old note"
    assert medlog("log", "--since", "whenever").code == 2


def test_log_filters_by_substance(setup):
    medlog = setup
    assert medlog("take", "lexapro", "--at", "2026-11-02 08:00").code == 0
    assert medlog("take", "gaba", "300 mg", "--at", "2h ago").code == 0
    medlog("note", "slept badly", "--at", "2026-11-02 09:00")
    found = json.loads(medlog("log", "--json", "--since", "2026-11-01", "--substance", "Lexapro").out)["entries"]
    assert [(e["kind"], e["substance"]) for e in found] == [("regimen", "Escitalopram"), ("dose", "Escitalopram")]
    doses = medlog("log", "--since", "2026-11-01", "--substance", "gaba", "--kind", "dose")
    assert "took Gabapentin" in doses.out and "Escitalopram" not in doses.out and "slept" not in doses.out
    unknown = medlog("log", "--substance", "aspirin")
    assert unknown.code == 2 and len(unknown.err.strip().splitlines()) == 1


def test_log_text_groups_by_journal_day(medlog):
    medlog("note", "late night", "--at", "01:30")  # before the 04:00 rollover: yesterday's journal day
    medlog("note", "morning", "--at", "08:00")
    out = medlog("log").out.splitlines()
    assert out == ["Fri 2026-11-20", "  01:30 (Sat)  note: late night", "Sat 2026-11-21", "  08:00  note: morning"]


def test_confirmation_names_the_journal_day_when_it_differs(medlog):
    ran = medlog("note", "insomnia again", "--at", "01:30")
    assert "Sat 2026-11-21 01:30, journal day Fri 2026-11-20" in ran.out


def test_dst_overlap_is_noted_on_stderr(medlog, monkeypatch):
    monkeypatch.setenv("MEDLOG_TZ", "America/New_York")
    ran = medlog("note", "fall back", "--at", "2026-11-01 01:30")
    assert ran.code == 0 and "happened twice" in ran.err and "2026-11-01T01:30-05:00" in ran.err


def test_entries_keep_the_zone_they_were_logged_in(medlog, monkeypatch):
    medlog("note", "at home", "--at", "08:00")
    monkeypatch.setenv("MEDLOG_TZ", "America/New_York")
    medlog("note", "travelling", "--at", "2026-11-21 02:00")  # 07:00 UTC; 02:00 is before rollover in NY
    entries = json.loads(medlog("log", "--json", "--since", "2026-11-19").out)["entries"]
    home = next(e for e in entries if e["text"] == "at home")
    away = next(e for e in entries if e["text"] == "travelling")
    assert home["zone"] == "Europe/London" and home["at"] == "2026-11-21T08:00:00+00:00"
    assert away["zone"] == "America/New_York" and away["at"] == "2026-11-21T02:00:00-05:00"
    assert away["journal_day"] == "2026-11-20"


def test_user_metrics(medlog):
    assert medlog("metric", "add", "headache", "--min", "0", "--max", "10", "--lower-is-better", "--integer").code == 0
    assert medlog("metric", "add", "headache", "--min", "0", "--max", "10", "--lower-is-better").code == 2
    assert medlog("rate", "headache=4").code == 0
    assert medlog("rate", "headache=4.5").code == 2
    listed = json.loads(medlog("metric", "list", "--json").out)["metrics"]
    mine = next(m for m in listed if m["name"] == "headache")
    assert mine == {"name": "headache", "label": "Headache", "min": 0.0, "max": 10.0, "higher_is_better": False,
                    "whole_numbers": True, "unit": "", "builtin": False}
    assert "headache       0–10, lower is better  (yours)" in medlog("metric", "list").out


def test_metric_list_works_before_any_journal_exists(medlog):
    ran = medlog("metric", "list")
    assert ran.code == 0 and "sleep_hours" in ran.out


def test_empty_journal_listings(medlog):
    nothing = medlog("log")
    assert nothing.code == 0 and nothing.out == "" and "no journal at" in nothing.err
    assert json.loads(medlog("log", "--json").out) == {"format": 1, "entries": []}
    assert "No substances yet" in medlog("substance", "list").out
    assert medlog("undo").out.strip() == "Nothing to undo."
    medlog("rate", "mood=5", "--day", "2026-01-01")
    assert medlog("log").out.strip() == "No entries in that range."
    assert medlog("undo").out.strip() == "Undid: rated mood 5 for 2026-01-01 (logged Sat 2026-11-21 09:00)"
    assert medlog("undo").out.strip() == "Nothing to undo."


def test_db_flag_and_env_choose_the_journal(medlog, tmp_path, monkeypatch):
    flag = tmp_path / "flag.sqlite"
    assert medlog("note", "via flag", "--db", str(flag)).code == 0
    assert medlog("--db", str(flag), "note", "flag before the command").code == 0
    monkeypatch.setenv("MEDLOG_DB", str(tmp_path / "env.sqlite"))
    assert medlog("note", "via env").code == 0
    assert flag.exists() and (tmp_path / "env.sqlite").exists()
    notes = [e["text"] for e in json.loads(medlog("log", "--json", "--db", str(flag)).out)["entries"]]
    assert notes == ["via flag", "flag before the command"]


def test_a_dose_outside_the_regimen_is_recorded_with_a_note(setup):
    medlog = setup  # Gabapentin was added today, so its regimen starts with today's journal day
    ran = medlog("take", "gaba", "300 mg", "--at", "yesterday 14:00")
    assert ran.code == 0 and "was not in your regimen at that time; recorded anyway" in ran.err
    assert medlog("take", "gaba", "--at", "yesterday 15:00").code == 2  # and without an amount, it asks for one


def test_doses_in_the_wrong_form_are_refused_and_other_units_are_noted(setup):
    medlog = setup
    ran = medlog("take", "gaba", "1 patch")
    assert ran.code == 2 and "Gabapentin is a capsule; say '1 capsule'" in ran.err
    assert medlog("substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg").code == 0
    ran = medlog("take", "magnesium", "1 tab")  # no strength: kept as a count, and said so
    assert ran.code == 0 and "recorded as 1 tablet" in ran.err


def test_a_dose_ten_times_the_regular_one_is_recorded_with_a_note(setup):
    ran = setup("take", "esc", "1 g")
    assert ran.code == 0 and "1 g is 200× your regular Escitalopram dose of 5 mg" in ran.err


def test_names_and_amounts_need_no_quotes(setup):
    medlog = setup
    assert medlog("substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg").code == 0
    assert "took Magnesium glycinate 400 mg" in medlog("take", "magnesium", "glycinate", "400", "mg").out
    assert "took Escitalopram 15 mg" in medlog("take", "esc", "1.5", "tab").out


def test_log_shows_changes_from_what_to_what_before_the_doses_they_govern(setup):
    medlog = setup
    medlog("substance", "change", "esc", "--dose", "10 mg", "--at", "08:00", "--note", "increased by Dr Okafor")
    medlog("take", "esc", "--at", "08:00")
    lines = medlog("log").out.splitlines()
    change = lines.index("  08:00  Escitalopram dose 5 mg → 10 mg — increased by Dr Okafor")
    assert lines[change + 1] == "  08:00  took Escitalopram 10 mg (08:00 dose)"


def test_a_change_dated_before_the_start_says_so(setup):
    ran = setup("substance", "change", "esc", "--dose", "10 mg", "--at", "2026-10-01 08:00")
    assert ran.code == 2 and "had not started by then" in ran.err


def test_multi_line_notes_stay_readable(medlog):
    assert "note “line one / line two”" in medlog("note", "line one\nline two", "--at", "08:00").out
    assert medlog("log").out.splitlines()[1:] == ["  08:00  note: line one", "         line two"]


def test_log_refuses_a_reversed_or_future_range(medlog):
    medlog("note", "x")
    assert "comes after" in medlog("log", "--since", "2026-11-20", "--until", "2026-11-10").err
    assert "in the future" in medlog("log", "--since", "2026-12-01").err


def test_a_titration_plan_is_future_dated_dose_changes(setup, monkeypatch):
    medlog = setup
    step = medlog("substance", "change", "esc", "--dose", "10 mg", "--at", "2026-12-01 08:00")
    assert step.code == 0 and "planned: this takes effect Tue 2026-12-01 08:00" in step.err
    assert medlog("substance", "stop", "esc", "--at", "2027-03-01 08:00").code == 0  # the planned end
    shown = medlog("substance", "show", "esc").out
    assert "dose 5 mg → 10 mg  (planned)" in shown and "stopped Escitalopram  (planned)" in shown
    assert "planned: dose change 2026-12-01 (+1 more)" in medlog("substance", "list").out
    assert "took Escitalopram 5 mg" in medlog("take", "esc").out  # until then, the current dose
    monkeypatch.setenv("MEDLOG_NOW", "2026-12-02T09:00:00+00:00")
    assert "took Escitalopram 10 mg" in medlog("take", "esc").out
    history = json.loads(medlog("substance", "show", "esc", "--json").out)["history"]
    assert [e["planned"] for e in history] == [False, False, True]


def test_plans_have_a_horizon_and_entries_stay_in_the_past(setup):
    medlog = setup
    far = medlog("substance", "change", "esc", "--dose", "10 mg", "--at", "2032-01-01 08:00")
    assert far.code == 2 and "years ahead" in far.err
    assert medlog("take", "esc", "--at", "2026-12-01 08:00").code == 2


def test_json_is_indented_at_a_terminal_and_compact_when_piped(monkeypatch):
    """Same content either way; piped output is one line (json's C encoder: indenting runs the slow one)."""
    import io
    import sys

    from medlog.cli.common import print_json

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    data = {"format": 1, "weeks": [{"mood": 6.5, "name": "Ünïcode"}]}
    for stream, lines in ((Terminal(), 9), (io.StringIO(), 1)):
        monkeypatch.setattr(sys, "stdout", stream)
        print_json(data)
        assert json.loads(stream.getvalue()) == data
        assert len(stream.getvalue().splitlines()) == lines


def test_a_medicine_already_taken_gets_its_start_from_since_a_plain_day(medlog, cli_env):
    """Issue 16, item 18: added the README's way (no --since), yesterday's dose was refused with a hint to give
    the amount, which logged it outside the regimen; `--since DAY` wanted a time."""
    assert medlog("substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--dose",
                  "10 mg", "--schedule", "08:00").code == 0
    ran = medlog("take", "escitalopram", "--at", "yesterday 08:00")
    assert ran.code == 2 and "--since DAY" in ran.err and ran.err.count("\n") == 1, ran.err
    assert medlog("undo").code == 0
    assert medlog("substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--dose",
                  "10 mg", "--schedule", "08:00", "--since", "2026-11-01").code == 0
    took = medlog("take", "escitalopram", "--at", "yesterday 08:00")
    assert took.code == 0 and "(08:00 dose)" in took.out, took


def test_substance_add_asks_since_when_at_a_terminal(medlog, cli_env, monkeypatch):
    import builtins
    import sys

    asked = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(builtins, "input", lambda prompt: asked.append(prompt) or "2026-11-01")
    assert medlog("substance", "add", "Sertraline", "--kind", "medication", "--dose", "50 mg", "--schedule",
                  "08:00").code == 0
    assert asked == ["Taking Sertraline since when? (a day like 2026-11-01, or Enter for today): "]
    shown = medlog("substance", "show", "sertraline", "--json")
    assert '"since": "2026-11-01' in shown.out
