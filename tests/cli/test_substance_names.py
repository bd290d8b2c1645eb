"""Names through the real CLI: a brand becomes its generic with the brand as an alias, the same medicine is not
added twice under two names, a name the journal lacks is found through the dictionary, and an unknown name is
kept with a hint. The shipped dictionary's contents are held by tests/unit/test_names_data.py; the cases here
that need a particular name write it into the user's own dictionary files."""

from __future__ import annotations

import os
import sqlite3

import pytest


def substances(db: str) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT name, classes, ingredients FROM substance WHERE deleted_at IS NULL "
                            "ORDER BY id").fetchall()


def aliases(db: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [a for (a,) in conn.execute("SELECT alias FROM substance_alias ORDER BY id")]


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "j.sqlite")


def test_a_brand_is_added_as_its_generic_with_the_brand_as_an_alias(medlog, db):
    ran = medlog("--db", db, "substance", "add", "Lexapro", "--kind", "medication", "--dose", "10 mg",
                 "--schedule", "08:00")
    assert ran.code == 0, ran.err
    assert "added Escitalopram" in ran.out
    assert "Lexapro is a brand" in ran.err and "--as-typed" in ran.err
    assert substances(db) == [("Escitalopram", "ssri", "escitalopram")]
    assert aliases(db) == ["Lexapro"]
    took = medlog("--db", db, "take", "cipralex")  # a UK brand of the same generic: found through the dictionary
    assert took.code == 0, took.err
    assert "took Escitalopram 10 mg" in took.out


def test_as_typed_keeps_the_brand_but_still_knows_what_it_is(medlog, db):
    ran = medlog("--db", db, "substance", "add", "Zoloft", "--kind", "medication", "--as-typed")
    assert ran.code == 0, ran.err
    assert substances(db) == [("Zoloft", "ssri", "sertraline")]
    took = medlog("--db", db, "take", "sertraline", "50", "mg")
    assert took.code == 0, took.err and "took Zoloft 50 mg" in took.out


def test_the_same_medicine_under_another_name_is_refused_with_the_way_to_alias_it(medlog, db):
    assert medlog("--db", db, "substance", "add", "Escitalopram", "--kind", "medication", "--alias",
                  "Lexapro").code == 0
    before = substances(db)
    ran = medlog("--db", db, "substance", "add", "Cipralex", "--kind", "medication")
    assert ran.code == 2 and ran.out == ""
    assert len(ran.err.strip().splitlines()) == 1
    assert "already in your journal as Escitalopram" in ran.err
    assert "medlog substance alias Escitalopram Cipralex" in ran.err and "--separate" in ran.err
    assert substances(db) == before  # nothing written
    forced = medlog("--db", db, "substance", "add", "Cipralex", "--kind", "medication", "--separate", "--as-typed")
    assert forced.code == 0, forced.err
    assert [name for name, _, _ in substances(db)] == ["Escitalopram", "Cipralex"]


@pytest.mark.parametrize("typed", ["St. John's Wort", "St John\u2019s wort", "Hypericum perforatum",
                                   "st john's wort"])
def test_supplement_spellings_and_latin_names_are_one_substance(medlog, db, typed):
    ran = medlog("--db", db, "substance", "add", typed, "--kind", "supplement")
    assert ran.code == 0, ran.err
    assert substances(db)[0][0] == "St John's wort"
    for other in ("St. John's Wort", "Hypericum perforatum", "St John\u2019s wort"):
        again = medlog("--db", db, "substance", "add", other, "--kind", "supplement")
        assert again.code == 2, (other, again)
    assert len(substances(db)) == 1


def test_an_unknown_name_is_kept_as_typed_with_the_nearest_names(medlog, db):
    ran = medlog("--db", db, "substance", "add", "Zolofft", "--kind", "medication")
    assert ran.code == 0, ran.err
    assert "not in the name dictionary; check the spelling" in ran.err and "Zoloft" in ran.err
    assert substances(db) == [("Zolofft", None, None)]


def _twin_brand(cli_env) -> None:
    own = os.path.join(cli_env["XDG_CONFIG_HOME"], "medlog")
    os.makedirs(own)
    with open(os.path.join(own, "generics.tsv"), "w", encoding="utf-8") as fh:
        fh.write("generic\tkind\tingredients\tclasses\tiu_mass\n"
                 "Testodrine\tmedication\ttestodrine\tantihistamine\t\n"
                 "Probanol\tmedication\tprobanol\tsedating-antihistamine\t\n")
    with open(os.path.join(own, "names.tsv"), "w", encoding="utf-8") as fh:
        fh.write("name\tgeneric\tregions\ttype\nTwinbrand\tTestodrine\tUS\tbrand\nTwinbrand\tProbanol\tUK\tbrand\n")


def test_a_brand_that_is_different_products_by_country_takes_the_locale_country(medlog, db, cli_env, monkeypatch):
    _twin_brand(cli_env)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    ran = medlog("--db", db, "substance", "add", "Twinbrand", "--kind", "medication")
    assert ran.code == 0, ran.err
    assert "sold in UK as probanol" in ran.err
    assert substances(db) == [("Probanol", "sedating-antihistamine", "probanol")]


def test_without_a_country_such_a_brand_keeps_its_name_and_every_meaning_for_the_rules(medlog, db, cli_env):
    _twin_brand(cli_env)  # LANG is C.UTF-8: no country
    ran = medlog("--db", db, "substance", "add", "Twinbrand", "--kind", "medication")
    assert ran.code == 0, ran.err
    assert "different product in different countries" in ran.err
    assert "testodrine" in ran.err and "probanol" in ran.err
    assert substances(db) == [("Twinbrand", "antihistamine,sedating-antihistamine", None)]
    exact = medlog("--db", db, "substance", "add", "Twinbrand", "--kind", "medication", "--separate",
                   "--as-typed", "--alias", "Twin2", "--class", "antihistamine")
    assert exact.code == 2  # the name is taken: refused, not doubled


@pytest.mark.parametrize("bad", [["--class", "SSRI!"], ["--ingredient", "mag\x1b[31mnesium"], ["--class", ""]])
def test_bad_classes_and_ingredients_are_refused(medlog, db, bad):
    ran = medlog("--db", db, "substance", "add", "Thing", "--kind", "supplement", *bad)
    if bad == ["--class", ""]:
        assert ran.code == 0, ran.err  # an empty class list is no class: the dictionary's are not taken either
        assert substances(db) == [("Thing", None, None)]
        return
    assert ran.code == 2 and len(ran.err.strip().splitlines()) == 1
    assert not os.path.exists(db)
