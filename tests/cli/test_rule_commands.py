"""`medlog rule …` and the warnings a dose gets: as typed, through the real entry point, checked in the file."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from tests.conftest import default_journal


@pytest.fixture
def stocked(medlog):
    for args in (["Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg", "--schedule", "21:30"],
                 ["Gabapentin", "--kind", "medication", "--strength", "300 mg", "--form", "capsule", "--as-needed",
                  "--alias", "Neurontin"],
                 ["Escitalopram", "--kind", "medication", "--strength", "10 mg", "--form", "tablet", "--dose",
                  "10 mg", "--schedule", "08:00"]):
        assert medlog("substance", "add", *args, "--since", "2026-11-01 08:00").code == 0
    return medlog


def doses(name_like: str) -> int:
    conn = sqlite3.connect(default_journal(os.environ))
    try:
        return conn.execute("SELECT count(*) FROM dose JOIN substance s ON s.id = dose.substance_id"
                            " WHERE s.name LIKE ?", (name_like,)).fetchone()[0]
    finally:
        conn.close()


def test_one_tablet_of_a_10_mg_tablet_is_logged_as_10_mg(stocked):
    ran = stocked("take", "esc", "1", "tablet", "--at", "08:00")
    assert ran.code == 0 and "took Escitalopram 10 mg (08:00 dose)" in ran.out


def test_a_second_magnesium_dose_warns_about_the_350_mg_limit_and_is_recorded(stocked):
    first = stocked("take", "mag", "--at", "08:00")
    assert first.code == 0 and "warning" not in first.err
    second = stocked("take", "mag", "200", "mg", "--at", "08:30")
    assert second.code == 0 and "took Magnesium glycinate 200 mg" in second.out
    [warning] = [line for line in second.err.splitlines() if line.startswith("medlog: warning:")]
    assert "at most 350 mg a day" in warning and "400 mg" in warning
    assert "ods.od.nih.gov" in warning  # its public source
    assert doses("Magnesium%") == 2


def test_spacing_gabapentin_after_magnesium_warns_at_one_hour_not_at_three(stocked):
    added = stocked("rule", "add", "spacing", "gabapentin", "magnesium", "2")
    assert added.code == 0 and "Gabapentin at least 2 h after Magnesium glycinate" in added.out
    stocked("take", "mag", "--at", "2026-11-20 21:30")
    late = stocked("take", "neurontin", "300", "mg", "--at", "2026-11-20 22:30")
    assert late.code == 0 and "medlog: warning: rule 2" in late.err and "1 h 00 min after Magnesium" in late.err
    stocked("take", "mag", "--at", "2026-11-19 21:30")
    fine = stocked("take", "gaba", "300", "mg", "--at", "2026-11-20 00:30")
    assert fine.code == 0 and "warning" not in fine.err
    assert doses("Gabapentin") == 2


def test_list_disable_enable_change_and_undo(stocked):
    stocked("rule", "add", "as-needed", "gaba", "--max-per-day", "3", "--min-interval", "6", "--source", "Dr Lee")
    listed = json.loads(stocked("rule", "list", "--json").out)["rules"]
    assert [(r["id"], r["kind"], r["enabled"]) for r in listed] == [(1, "daily_max", True), (2, "as_needed", True)]
    assert listed[1]["max_per_day"] == 3 and listed[1]["min_interval_hours"] == 6 and listed[1]["source"] == "Dr Lee"
    assert stocked("rule", "disable", "1").code == 0
    stocked("take", "mag", "--at", "08:00")
    assert "warning" not in stocked("take", "mag", "--at", "08:30").err  # disabled: silent
    assert "(disabled)" in stocked("rule", "list").out
    assert stocked("rule", "enable", "1").code == 0
    assert "warning" in stocked("take", "mag", "--at", "08:40").err
    changed = stocked("rule", "change", "1", "--amount", "1g")
    assert changed.code == 0 and "at most 1 g a day" in changed.out
    assert stocked("undo").code == 0
    assert "at most 350 mg a day" in stocked("rule", "list").out


@pytest.mark.parametrize(("args", "says"), [
    (["rule", "add", "spacing", "gaba", "mag", "99"], "at most 48"),
    (["rule", "add", "spacing", "gaba", "gaba", "2"], "two different substances"),
    (["rule", "add", "spacing", "gaba", "aspirin", "2"], "aspirin"),
    (["rule", "add", "daily-max", "mag"], "give the daily maximum"),
    (["rule", "add", "daily-max", "mag", "2", "scoops"], "unit of mass"),
    (["rule", "add", "daily-max", "mag", "-5", "mg"], "amount"),
    (["rule", "add", "as-needed", "gaba"], "--max-per-day"),
    (["rule", "add", "as-needed", "gaba", "--max-per-day", "0"], "from 1 to 100"),
    (["rule", "disable", "99"], "no rule 99"),
    (["rule", "change", "1", "--hours", "3"], "no --hours"),
    (["rule", "change", "1"], "say what changes"),
])
def test_bad_rules_are_refused_with_one_line_and_nothing_written(stocked, args, says):
    before = stocked("rule", "list", "--json").out
    ran = stocked(*args)
    assert ran.code == 2 and says in ran.err and len(ran.err.strip().splitlines()) == 1
    assert stocked("rule", "list", "--json").out == before


def test_starter_rules_follow_the_config(medlog, cli_env):
    config = os.path.join(cli_env["XDG_CONFIG_HOME"], "medlog")
    os.makedirs(config)
    with open(os.path.join(config, "config.toml"), "w", encoding="utf-8") as fh:
        fh.write("starter_rules = false\n")
    ran = medlog("substance", "add", "Magnesium citrate", "--kind", "supplement")
    assert ran.code == 0 and "starter rule" not in ran.err
    assert "No rules yet" in medlog("rule", "list").out


def test_your_own_starter_file_replaces_the_shipped_one(medlog, cli_env):
    config = os.path.join(cli_env["XDG_CONFIG_HOME"], "medlog")
    os.makedirs(config)
    with open(os.path.join(config, "starter_rules.toml"), "w", encoding="utf-8") as fh:
        fh.write('[[rule]]\nid = "vit-d"\nkind = "daily_max"\nmatches = ["vitamin d"]\namount = "4000 IU"\n'
                 'text = "my doctor\'s limit"\nsource = "Dr Lee, 2026-11"\n')
    assert "starter rule" not in medlog("substance", "add", "Magnesium citrate", "--kind", "supplement").err
    ran = medlog("substance", "add", "Vitamin D3", "--kind", "supplement", "--alias", "Vitamin D")
    assert "starter rule 1 added: Vitamin D3: at most 4000 IU a day (Dr Lee, 2026-11)" in ran.err
    with open(os.path.join(config, "starter_rules.toml"), "w", encoding="utf-8") as fh:
        fh.write('[[rule]]\nid = "broken"\nkind = "daily_max"\n')
    bad = medlog("substance", "add", "Zinc", "--kind", "supplement")
    assert bad.code == 2 and "starter rules file" in bad.err
    assert "Zinc" not in medlog("substance", "list").out  # nothing half-written


def test_the_gabapentin_antacid_starter_rule_is_adopted_whichever_comes_second(medlog):
    medlog("substance", "add", "Neurontin", "--kind", "medication", "--dose", "300 mg", "--schedule", "08:00")
    ran = medlog("substance", "add", "Maalox", "--kind", "medication", "--as-needed")
    # Neurontin is added as Gabapentin (the name dictionary); Maalox, a combination, keeps its brand name and takes
    # its ingredients (aluminium and magnesium hydroxide), which bring the rule — and magnesium's daily limit
    assert "Gabapentin at least 2 h after Maalox" in ran.err
    assert "dailymed" in ran.err
    first = medlog("substance", "add", "Mylanta", "--kind", "medication", "--as-needed")  # this time, the antacid
    assert "Gabapentin at least 2 h after Mylanta" in first.err


def test_a_daily_maximum_in_mcg_counts_doses_in_iu_through_the_substances_factor(medlog):
    """Vitamin D3 softgels of 1000 IU, with the label's factor (1000 IU = 25 mcg) and a 100 mcg/day maximum:
    2 softgels and then 3000 IU make 125 mcg. Without the factor, IU doses are never turned into mass."""
    added = medlog("substance", "add", "Vitamin D3", "--kind", "supplement", "--form", "softgel", "--strength",
                   "1000 IU", "--iu", "1000 IU = 25 mcg", "--dose", "2 softgels", "--since", "2026-11-01 08:00")
    assert added.code == 0
    assert "1 IU = 0.025 mcg" in medlog("substance", "show", "vitamin").out
    assert json.loads(medlog("substance", "show", "vitamin", "--json").out)["iu_mass"] == {"value": 0.025,
                                                                                          "unit": "mcg"}
    assert medlog("rule", "add", "daily-max", "Vitamin D3", "100 mcg").code == 0
    assert medlog("take", "vitamin", "--at", "08:00").err == ""
    crossed = medlog("take", "vitamin", "3000 IU", "--at", "08:30")
    assert crossed.code == 0 and "the total for Sat 21 Nov is 125 mcg over 2 dose(s), above 100 mcg" in crossed.err
    assert doses("Vitamin D3") == 2

    assert medlog("substance", "add", "Vitamin E", "--kind", "supplement", "--dose", "400 IU",
                  "--since", "2026-11-01 08:00").code == 0
    assert medlog("rule", "add", "daily-max", "Vitamin E", "1000 mg").code == 0
    apart = medlog("take", "vitamin e", "--at", "08:00")
    assert apart.code == 0 and apart.err == ""  # 400 IU cannot count toward a mass limit, so nothing is claimed
    medlog("take", "vitamin e", "1200 mg", "--at", "08:30")
    assert "(1 dose(s) in other units not counted)" in medlog("take", "vitamin e", "10 mg", "--at", "09:00").err


@pytest.mark.parametrize("verb", [["disable"], ["enable"], ["change", "--source", "x"]], ids=lambda v: v[0])
def test_a_rule_number_too_big_for_sqlite_is_no_rule_not_an_internal_error(stocked, verb):
    # found by tests/reliability/test_cli_fuzz.py: `rule change 99999999999999999999` was an OverflowError
    before = stocked("rule", "list", "--json").out
    ran = stocked("rule", verb[0], "99999999999999999999", *verb[1:])
    assert ran.code == 2 and "no rule 99999999999999999999" in ran.err and ran.err.count("\n") == 1, ran
    assert stocked("rule", "list", "--json").out == before
