"""store/forms.py: the form of each column's values, which `medlog import` holds a file's rows to."""

from __future__ import annotations

import json
import sqlite3

import pytest

from medlog.store import forms
from medlog.store.catalogue import TABLES
from medlog.store.exchange import ORDER

# Where each column the cases below name lives: its form is the one the catalogue (schema.py) gives it there.
HOME = {"occurred_at": "dose", "journal_day": "dose", "severity": "symptom", "value": "observation",
        "flagged": "note", "text": "note", "zone": "dose", "slot": "dose", "schedule": "regimen_event",
        "amount_unit": "dose", "amount_value": "dose", "name": "substance", "note": "dose", "alias": "substance_alias",
        "design": "experiment", "assignment": "experiment", "metrics": "experiment", "seed": "experiment"}


def _form(column: str) -> forms.Check:
    return forms.checks(HOME[column])[column]


def _wrong(column: str, value: object) -> str | None:
    """What forms says is wrong with `value` in that column of the table it lives in (None: in form)."""
    try:
        forms.check(column, value, _form(column))
        return None
    except forms.BadValue as exc:
        return str(exc)


@pytest.mark.parametrize("column, value", [
    ("occurred_at", "2026-11-20 08:00:00.000000"), ("occurred_at", "1900-01-01 00:00:00.000000"),
    ("journal_day", "2026-02-28"), ("journal_day", "2024-02-29"), ("severity", 0), ("severity", -5),
    ("value", 7.5), ("value", 7), ("flagged", 0), ("flagged", True), ("text", "x" * 2000),
    ("text", "two lines\nand a tab\tkept"), ("name", "Magnesium glycinate"), ("note", "👨‍👩‍👧 family"),
    ("zone", "Europe/London"), ("zone", "UTC"), ("zone", "America/St_Johns"), ("slot", "08:00"), ("slot", "23:59"),
    ("schedule", "08:00"), ("schedule", "08:00,21:30"), ("schedule", "08:00;mon,wed,fri"),
    ("schedule", "08:00;every 2 days from 2026-11-20"), ("schedule", "08:00;every 3 days"), ("schedule", "as-needed"),
    ("amount_unit", "mg"), ("amount_unit", "IU"), ("amount_unit", "tablet"), ("amount_value", 0.5),
    ("amount_value", 1_000_000), ("occurred_at", None), ("zone", None),
])
def test_what_medlog_writes_is_in_form(column, value):
    assert _wrong(column, value) is None


@pytest.mark.parametrize("column, value, why", [
    ("occurred_at", "garbage", "not an instant"), ("occurred_at", "2026-11-20T08:00:00+00:00", "not an instant"),
    ("occurred_at", "2026-11-20 08:00:00", "not an instant"), ("occurred_at", "2026-02-30 08:00:00.000000", "instant"),
    ("occurred_at", "9999-12-31 23:59:59.999999", "years 1900–2999"), ("occurred_at", 20261120, "not an instant"),
    ("journal_day", "2026-02-30", "not a day"), ("journal_day", "1899-12-31", "not a day"),
    ("journal_day", "2026-1-2", "not a day"), ("severity", 2.5, "whole number"), ("severity", True, "whole number"),
    ("severity", 2**63, "whole number"), ("severity", "4", "whole number"), ("value", "7", "finite number"),
    ("value", float("nan"), "finite number"), ("value", float("inf"), "finite number"), ("value", 1e300, "finite"),
    ("flagged", 2, "0 or 1"), ("flagged", "true", "0 or 1"), ("flagged", 1.0, "0 or 1"), ("text", 5, "not text"),
    # issue 16, item 1: what typed input would refuse, an import refuses too
    ("text", "", "note is empty"), ("text", "x" * 2001, "the limit is 2000"), ("text", "x \x1b[2J", "control"),
    ("note", "a\u202eb", "invisible formatting character (U+202E)"), ("name", "Zero\u200bWidth", "U+200B"),
    ("name", " Vitamin D", "spaces trimmed"), ("name", "Vitamin  D", "spaces trimmed"), ("name", "", "is empty"),
    ("name", "Mag\x1b]0;T\x07", "control"), ("name", "x\n  21:30  took FAKE 999 mg", "control"),
    ("name", "x" * 101, "the limit is 100"), ("alias", "a\x00b", "control"),
    ("text", ["x"], "not text"), ("zone", "Mars/Base", "time zone"), ("zone", "", "time zone"),
    ("zone", "../../etc/passwd", "time zone"), ("zone", "Europe", "time zone"), ("zone", "\x00", "time zone"),
    ("slot", "8am", "time of day"), ("slot", "25:00", "time of day"), ("slot", "08:00:00", "time of day"),
    ("schedule", "", "schedule"), ("schedule", "25:00", "schedule"), ("schedule", "21:30,08:00", "schedule"),
    ("schedule", "08:00,08:00", "schedule"), ("schedule", "08:00;funday", "schedule"),
    ("schedule", "08:00;every x days", "schedule"), ("schedule", "08:00;every 0 days", "schedule"),
    ("schedule", "08:00;every 400 days", "schedule"), ("schedule", "08:00;every 2 days from 2026-02-30", "schedule"),
    ("schedule", "as needed", "schedule"), ("schedule", 8, "schedule"), ("amount_unit", "furlongs", "units"),
    ("amount_unit", "MG", "units"), ("amount_unit", "milligrams", "units"), ("amount_value", 0, "amount from 0"),
    ("amount_value", -5, "amount from 0"), ("amount_value", 1e7, "amount from 0"), ("amount_value", "5", "finite"),
])
def test_values_out_of_form_are_named_with_what_is_wrong(column, value, why):
    wrong = _wrong(column, value)
    assert wrong is not None and wrong.startswith(f"has {column} ") and why in wrong, wrong


def test_a_name_key_must_be_its_names_key():
    forms.check_row("substance", {"name": "Magnesium glycinate", "name_key": "magnesium glycinate"})
    with pytest.raises(forms.BadValue, match="which is not the key of its name"):
        forms.check_row("substance", {"name": "Magnesium", "name_key": "vitamin d"})
    with pytest.raises(forms.BadValue, match="alias_key"):
        forms.check_row("substance_alias", {"alias": "Lexapro", "alias_key": "LEXAPRO"})


def test_an_experiments_design_order_and_metrics_have_their_forms():
    checks = forms.checks("experiment")
    for column, value in (("design", "abab"), ("design", "random-pairs"), ("assignment", "AB,BA"),
                          ("assignment", "AA,BB,AB"), ("metrics", "sleep_quality"), ("metrics", "mood,focus_2"),
                          ("seed", 7)):
        forms.check(column, value, checks[column])
    for column, value, why in (("design", "ABAB", "not a design"), ("design", 1, "not a design"),
                               ("assignment", "AB,B", "order of periods"), ("assignment", "ab,ba", "order"),
                               ("assignment", "AB,BA,", "order"), ("assignment", 12, "order"),
                               ("metrics", "", "metric keys"), ("metrics", "mood,", "metric keys"),
                               ("metrics", "Mood", "metric keys"), ("seed", "7", "whole number")):
        with pytest.raises(forms.BadValue, match=why):
            forms.check(column, value, checks[column])


def test_every_value_and_snapshot_in_a_journal_medlog_wrote_is_in_form(medlog, tmp_path):
    # The checks may not refuse a file medlog itself exported: every value of the demo journal (schedules on
    # weekdays and every N days, IU and tablets, travel zones) passes. The demo is written in bulk, without a
    # change log; the snapshots of journals written command by command are held by the export → import round
    # trips in tests/cli/test_export_import.py.
    path = str(tmp_path / "demo.sqlite")
    assert medlog("demo", "--no-tui", "--db", path).code == 0
    assert medlog("--db", path, "substance", "onset-lag", "escitalopram", "28").code == 0  # an update snapshot
    conn = sqlite3.connect(path)
    try:
        checked = 0
        for table in (*ORDER, "change_log"):
            checks = forms.checks(table)
            cursor = conn.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(names, row, strict=True):
                    forms.check(column, value, checks[column])
                    checked += 1
        snapshots = 0
        for table, before, after in conn.execute("SELECT table_name, before, after FROM change_log"):
            for snapshot in (before, after):
                if snapshot is not None:
                    forms.check_snapshot(snapshot, forms.checks(table), "after")
                    snapshots += 1
        updates = conn.execute("SELECT count(*) FROM change_log WHERE action != 'insert'").fetchone()[0]
    finally:
        conn.close()
    assert checked > 10_000 and snapshots >= 2 and updates >= 1, (checked, snapshots, updates)


def test_a_snapshot_must_be_a_row_of_its_table():
    checks = {"id": forms.FORMS["integer"], "zone": forms.FORMS["zone"]}
    forms.check_snapshot(json.dumps({"id": 1, "zone": "UTC"}), checks, "after")
    for text, why in ((None, "has no before snapshot"), ("[1]", "not a snapshot of a row"),
                      ("{", "not a snapshot of a row"), (5, "not a snapshot of a row"),
                      (json.dumps({"id": 1, "other": 2}), "'other', a column the table does not have"),
                      (json.dumps({"id": "1"}), "has id '1', which is not a whole number (in its before snapshot)")):
        with pytest.raises(forms.BadValue) as caught:
            forms.check_snapshot(text, checks, "before")
        assert why in str(caught.value), (text, str(caught.value))


def test_every_column_has_a_form_the_checks_know():
    """The catalogue's forms (store/schema.py's) are FORMS' keys, and each of FORMS is some column's form."""
    used = {column.form for columns in TABLES.values() for column in columns}
    assert used <= set(forms.FORMS), used - set(forms.FORMS)
    assert set(forms.FORMS) <= used, set(forms.FORMS) - used


def test_a_key_column_is_held_to_the_name_beside_it():
    """`NAME_key` columns (form `key`) are found from the catalogue: every table with one checks it."""
    keyed = {table: [c.name for c in columns if c.form == "key"] for table, columns in TABLES.items()}
    assert {t: k for t, k in keyed.items() if k} == {"substance": ["name_key"], "substance_alias": ["alias_key"],
                                                     "symptom": ["name_key"]}
    with pytest.raises(forms.BadValue, match="has name_key 'x', which is not the key of its name 'Dizziness'"):
        forms.check_row("symptom", {"name": "Dizziness", "name_key": "x"})
