"""`medlog stock`, `stock add|set|details` and the refill line of `due`, through the real entry point (issue 20).

The suite's clock: Saturday 21 Nov 2026, 09:00 London."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import default_journal, dump


@pytest.fixture
def esc(medlog):
    ran = medlog("substance", "add", "Escitalopram", "--kind", "medication", "--strength", "5 mg", "--form",
                 "tablet", "--dose", "10 mg", "--schedule", "08:00", "--since", "2026-11-01")
    assert ran.code == 0, ran.err
    return medlog


def _stock_rows(cli_env):
    with sqlite3.connect(default_journal(cli_env)) as conn:
        return conn.execute("SELECT kind, amount_value, amount_unit, journal_day FROM stock_event").fetchall()


def test_a_pack_counts_down_and_shows_in_stock_and_due(esc, cli_env):
    ran = esc("stock", "add", "esc", "30", "tab", "--at", "2026-11-18")
    assert ran.code == 0 and ran.out.startswith("Logged: added a pack of 30 tablets of Escitalopram")
    for day in ("2026-11-18", "2026-11-19", "2026-11-20"):
        assert esc("take", "esc", "--at", f"{day} 08:00").code == 0  # 10 mg of a 5 mg tablet: 2 each
    assert esc("skip", "esc", "--at", "2026-11-21 08:01").code == 0  # a skipped dose does not count
    shown = esc("stock")
    assert shown.code == 0
    assert "Escitalopram" in shown.out and "24 tablets" in shown.out and "Thu 03 Dec" in shown.out
    data = json.loads(esc("stock", "--json").out)["stock"][0]
    assert (data["on_hand"], data["unit"], data["per_day"], data["days_left"], data["run_out"],
            data["refill_needed"]) == (24.0, "tablet", 2.0, 12.0, "2026-12-03", False)
    assert "refill" not in esc("due").out

    assert esc("stock", "details", "esc", "--warn-days", "14", "--pharmacy", "Riverside Pharmacy",
               "--rx-number", "RX 4471", "--refills", "2").code == 0
    shown = esc("stock").out
    assert "pharmacy Riverside Pharmacy, Rx RX 4471, 2 refills left" in shown
    assert "refill needed by Thu 03 Dec — Escitalopram, 24 tablets left, about 12 days" in shown
    due = esc("due")
    assert "refill  needed by Thu 03 Dec — Escitalopram, 24 tablets left, about 12 days" in due.out
    refills = json.loads(esc("due", "--json").out)["refills"]
    assert refills == [{"substance": "Escitalopram", "on_hand": 24.0, "unit": "tablet", "days_left": 12.0,
                        "run_out": "2026-12-03", "warn_days": 14}]


def test_set_resets_the_count_and_a_bare_number_takes_the_unit_of_form(esc, cli_env):
    assert esc("stock", "add", "esc", "30", "tab", "--at", "2026-11-10").code == 0
    assert esc("take", "esc", "--at", "2026-11-12 08:00").code == 0
    assert esc("stock", "set", "esc", "7").code == 0
    assert json.loads(esc("stock", "--json").out)["stock"][0]["on_hand"] == 7.0
    assert esc("stock", "set", "escitalopram", "0", "tablets").code == 0
    assert "refill  needed by Sat 21 Nov" in esc("due").out
    assert [r[:3] for r in _stock_rows(cli_env)] == [("add", 30.0, "tablet"), ("set", 7.0, "tablet"),
                                                    ("set", 0.0, "tablet")]


@pytest.mark.parametrize(("args", "said"), [
    (("add", "esc", "30", "ml"), "cannot be counted"),  # a volume of a tablet with a strength in mg
    (("add", "esc", "30", "capsules"), "cannot be counted"),
    (("add", "esc", "-5", "tab"), "negative"),
    (("set", "esc", "-5", "tab"), "negative"),
    (("add", "esc", "1e309", "tab"), "exponent"),
    (("add", "esc", "nan", "tab"), "not a number"),
    (("add", "esc", "0", "tab"), "not a pack"),
    (("add", "esc", "2000000", "tab"), "larger than"),
    (("add", "esc", "30", "furlongs"), "unknown unit"),
    (("add", "esc"), "give the amount"),
    (("add", "esc", "30", "tab", "--at", "2026-11-22"), "future"),
    (("add", "esc", "30", "tab", "--at", "2026-13-01"), "not a date"),
    (("add", "esc", "30", "tab", "--at", "soon"), "not a date"),
    (("add", "esc", "5", "tab", "--at", "2026-11-01"), "would have run out on 2026-11-03"),
    (("add", "nosuch", "30", "tab"), "no substance"),
    (("details", "esc", "--warn-days", "91"), "0 to 90"),
    (("details", "esc", "--refills", "-1"), "negative"),
    (("details", "esc"), "give --warn-days"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(esc, cli_env, args, said):
    for day in range(1, 8):
        assert esc("take", "esc", "--at", f"2026-11-0{day} 08:00").code == 0
    before = dump(default_journal(cli_env))
    ran = esc("stock", *args)
    assert ran.code == 2, ran
    assert said in ran.err and ran.err.count("\n") == 1 and ran.out == ""
    assert dump(default_journal(cli_env)) == before


def test_undo_takes_a_pack_back(esc, cli_env):
    assert esc("stock", "add", "esc", "30", "tab").code == 0
    assert esc("undo").code == 0
    assert json.loads(esc("stock", "--json").out)["stock"] == []
    assert "No stock recorded yet" in esc("stock").out


def test_stock_rows_travel_through_export_and_import(esc, cli_env, tmp_path):
    assert esc("stock", "add", "esc", "30", "tab", "--at", "2026-11-15", "--note", "from the pharmacy").code == 0
    assert esc("stock", "details", "esc", "--warn-days", "10", "--pharmacy", "Boots", "--refills", "3").code == 0
    assert esc("take", "esc", "--at", "2026-11-16 08:00").code == 0
    out = tmp_path / "journal.json"
    assert esc("export", "--format", "json", "-o", str(out)).code == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["tables"]["stock_event"]) == 1
    copy = str(tmp_path / "copy.sqlite")
    assert esc("--db", copy, "import", str(out)).code == 0
    assert esc("--db", copy, "stock", "--json").out == esc("stock", "--json").out


def test_a_hostile_stock_row_in_an_import_is_refused(esc, tmp_path):
    assert esc("stock", "add", "esc", "30", "tab").code == 0
    out = tmp_path / "journal.json"
    assert esc("export", "--format", "json", "-o", str(out)).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    data["tables"]["stock_event"][0]["amount_value"] = -5
    out.write_text(json.dumps(data), encoding="utf-8")
    ran = esc("--db", str(tmp_path / "copy.sqlite"), "import", str(out))
    assert ran.code == 2 and "amount_value" in ran.err
