"""Interactions and class-matched starter rules through the real CLI, with the shipped dictionary and starter
rules: told once when the second substance arrives, kept for the report, matched by class so brands match."""

from __future__ import annotations

import sqlite3

import pytest


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "j.sqlite")


def warnings_kept(db: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [t for (t,) in conn.execute("SELECT text FROM rule_warning WHERE deleted_at IS NULL ORDER BY id")]


def rules(db: str) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT r.kind, s.name, o.name FROM rule r JOIN substance s ON s.id = r.substance_id "
                            "LEFT JOIN substance o ON o.id = r.other_substance_id "
                            "WHERE r.enabled AND r.deleted_at IS NULL ORDER BY r.id").fetchall()


def add(medlog, db, *args):
    ran = medlog("--db", db, "substance", "add", *args)
    assert ran.code == 0, (args, ran.err)
    return ran


@pytest.mark.parametrize("second", ["St John's wort", "5-HTP", "L-tryptophan", "SAMe", "Tramadol"])
def test_a_serotonergic_second_substance_with_an_ssri_is_told_once(medlog, db, second):
    add(medlog, db, "Lexapro", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00")
    kind = "medication" if second == "Tramadol" else "supplement"
    ran = add(medlog, db, second, "--kind", kind, "--dose", "100 mg")
    assert "warning: interaction" in ran.err and "serotonin syndrome" in ran.err
    assert "Escitalopram with" in ran.err
    assert ("interaction", "Escitalopram", rules(db)[0][2]) in rules(db)
    assert len(warnings_kept(db)) == 1
    took = medlog("--db", db, "take", second)
    assert took.code == 0, took.err
    assert "interaction" not in took.err  # once
    assert len(warnings_kept(db)) == 1


def test_the_interaction_is_told_at_the_next_dose_when_it_was_not_told_when_added(medlog, db):
    add(medlog, db, "Sertraline", "--kind", "medication", "--dose", "50 mg", "--schedule", "08:00")
    add(medlog, db, "St John's wort", "--kind", "supplement", "--dose", "300 mg")
    with sqlite3.connect(db) as conn:  # as a merge from a device that never told it would leave it
        conn.execute("DELETE FROM rule_warning")
    took = medlog("--db", db, "take", "hypericum")
    assert took.code == 0 and "warning: interaction" in took.err
    again = medlog("--db", db, "take", "st john")
    assert "interaction" not in again.err


def test_a_disabled_interaction_is_not_told(medlog, db, cli_env):
    add(medlog, db, "Escitalopram", "--kind", "medication")
    ran = add(medlog, db, "Tramadol", "--kind", "medication", "--dose", "50 mg")
    adopted = [line for line in ran.err.splitlines() if "starter rule" in line][0]
    rule_id = adopted.split("starter rule ")[1].split(" ")[0]
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM rule_warning")
    assert medlog("--db", db, "rule", "disable", rule_id).code == 0
    took = medlog("--db", db, "take", "tramadol")
    assert took.code == 0 and "interaction" not in took.err


def test_gabapentin_with_an_opioid_is_told(medlog, db):
    add(medlog, db, "Neurontin", "--kind", "medication", "--dose", "300 mg", "--schedule", "08:00,20:00")
    ran = add(medlog, db, "OxyContin", "--kind", "medication", "--dose", "10 mg")
    assert "warning: interaction" in ran.err and "breathing" in ran.err


def test_brands_of_antacids_meet_the_gabapentin_spacing_rule_by_their_ingredients(medlog, db):
    add(medlog, db, "Gabapentin", "--kind", "medication", "--dose", "300 mg", "--schedule", "08:00")
    add(medlog, db, "Maalox", "--kind", "medication", "--dose", "10 mL")
    assert ("spacing", "Gabapentin", "Maalox") in rules(db)
    assert medlog("--db", db, "take", "maalox", "--at", "07:30").code == 0
    took = medlog("--db", db, "take", "gabapentin", "--at", "08:30")
    assert took.code == 0 and "less than 2 h" in took.err
    assert any("Gabapentin was taken 1 h 00 min after Maalox" in w for w in warnings_kept(db))


def test_levothyroxine_and_calcium_are_kept_4_hours_apart_both_ways(medlog, db):
    add(medlog, db, "Synthroid", "--kind", "medication", "--dose", "100 mcg", "--schedule", "07:00")
    add(medlog, db, "Calcium carbonate", "--kind", "supplement", "--dose", "500 mg")
    kinds = [r for r in rules(db) if r[0] == "spacing"]
    assert ("spacing", "Levothyroxine", "Calcium carbonate") in kinds
    assert ("spacing", "Calcium carbonate", "Levothyroxine") in kinds
    medlog("--db", db, "take", "levothyroxine", "--at", "07:00")
    took = medlog("--db", db, "take", "calcium", "--at", "08:00")
    assert "less than 4 h" in took.err


def test_vitamin_d_above_4000_iu_a_day_is_warned(medlog, db):
    add(medlog, db, "Vitamin D3", "--kind", "supplement", "--dose", "2000 IU")
    assert medlog("--db", db, "take", "vitamin d3", "--at", "07:00").code == 0
    assert medlog("--db", db, "take", "vitamin d3", "--at", "08:00").code == 0
    took = medlog("--db", db, "take", "vitamin d3", "--at", "08:30")
    assert "above 4000 IU" in took.err


def test_the_rule_list_says_it_is_not_an_interaction_checker(medlog, db):
    add(medlog, db, "Escitalopram", "--kind", "medication")
    add(medlog, db, "St John's wort", "--kind", "supplement")
    listed = medlog("--db", db, "rule", "list")
    assert "not an interaction checker" in listed.out and "pharmacist" in listed.out
    assert "Escitalopram with St John's wort" in listed.out
    starters = medlog("--db", db, "rule", "starters")
    assert starters.code == 0 and "serotonergic-with-ssri-snri" in starters.out
    assert starters.out.count("source: ") >= 8


def test_classes_set_later_adopt_the_rules_they_bring_and_undo_takes_them_back(medlog, db):
    add(medlog, db, "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00")
    add(medlog, db, "Grandma's tea", "--kind", "supplement")
    shown = medlog("--db", db, "substance", "classes", "grandma")
    assert shown.code == 0 and "classes      none" in shown.out
    assert rules(db) == []
    ran = medlog("--db", db, "substance", "classes", "grandma", "--class", "serotonergic-supplement")
    assert ran.code == 0, ran.err
    assert "warning: interaction" in ran.err
    assert rules(db) == [("interaction", "Escitalopram", "Grandma's tea")] and len(warnings_kept(db)) == 1
    assert medlog("--db", db, "undo").code == 0
    assert rules(db) == [] and warnings_kept(db) == []
    assert "classes      none" in medlog("--db", db, "substance", "classes", "grandma").out
    bad = medlog("--db", db, "substance", "classes", "grandma", "--class", "Not A Class!")
    assert bad.code == 2 and len(bad.err.strip().splitlines()) == 1


def test_an_interaction_not_told_is_told_when_its_substance_starts_again(medlog, db):
    add(medlog, db, "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00", "--since",
        "2026-11-01")
    assert medlog("--db", db, "substance", "stop", "escitalopram", "--at", "2026-11-20 09:00").code == 0
    added = add(medlog, db, "5-HTP", "--kind", "supplement", "--dose", "100 mg")
    assert "warning: interaction" not in added.err  # escitalopram is stopped: nothing in use with it
    started = medlog("--db", db, "substance", "start", "escitalopram")
    assert started.code == 0 and "warning: interaction" in started.err and "serotonin" in started.err
    assert len(warnings_kept(db)) == 1
    assert medlog("--db", db, "substance", "stop", "escitalopram").code == 0
    again = medlog("--db", db, "substance", "start", "escitalopram")
    assert "interaction" not in again.err  # once
