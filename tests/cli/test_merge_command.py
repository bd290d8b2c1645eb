"""`medlog merge OTHER [--dry-run]` through the real entry point (issue 19): the issue's two devices that each
have their own Escitalopram, the one line it prints, --dry-run, undo, an encrypted OTHER, and bad input."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from tests.conftest import dump
from tests.services.test_merge import rewrite

ESCITALOPRAM = ["substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--form",
                "tablet", "--dose", "10 mg", "--schedule", "08:00", "--since", "2026-11-01 08:00"]
SQL_WORDING = re.compile(r"constraint|UNIQUE|CHECK|NOT NULL|sqlite3|no such (table|column)|syntax error")


@pytest.fixture
def devices(medlog, tmp_path, monkeypatch):
    """Two devices' journals, each with its own Escitalopram and a dose of it."""
    phone, laptop = str(tmp_path / "phone.sqlite"), str(tmp_path / "laptop.sqlite")
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-10T09:00:00+00:00")
    assert medlog(*ESCITALOPRAM, "--alias", "Lexapro", "--db", phone).code == 0
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-12T09:00:00+00:00")
    assert medlog(*ESCITALOPRAM, "--alias", "Cipralex", "--db", laptop).code == 0
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-21T09:00:00+00:00")
    assert medlog("take", "esc", "--at", "2026-11-20 08:05", "--db", phone).code == 0
    assert medlog("take", "esc", "--at", "2026-11-20 08:05:30", "--db", laptop).code == 0  # the same dose
    assert medlog("take", "esc", "5 mg", "--at", "2026-11-19 08:00", "--db", laptop).code == 0
    return phone, laptop


def test_the_issues_two_devices_merge_into_one_journal(medlog, devices, tmp_path):
    phone, laptop = devices
    exported = str(tmp_path / "laptop.json")
    assert medlog("export", "--format", "json", "-o", exported, "--db", laptop).code == 0
    refused = medlog("import", exported, "--db", phone)  # what the issue saw
    assert refused.code == 2

    ran = medlog("merge", laptop, "--db", phone)
    assert ran.code == 0, ran.err
    assert ran.out == f"Logged: merged {laptop}: 3 added, 0 updated, 1 double kept once, 1 substance joined\n"
    listed = medlog("log", "--since", "2026-11-19", "--kind", "dose", "--db", phone).out
    assert listed.count("took Escitalopram") == 2 and "5 mg" in listed
    assert medlog("take", "cipralex", "--db", phone).code == 0  # the laptop's alias finds the one substance
    assert medlog("take", "lexapro", "--db", phone).code == 0

    again = medlog("merge", exported, "--db", phone)  # the same journal as an export: nothing more
    assert again.code == 0 and again.out == f"Logged: merged {exported}: nothing new (the journal already holds " \
                                            "all of it)\n"


def test_a_dry_run_says_what_and_writes_nothing(medlog, devices):
    phone, laptop = devices
    before = dump(phone)
    ran = medlog("merge", laptop, "--dry-run", "--db", phone)
    assert ran.code == 0
    assert ran.out == (f"Would merge {laptop}: 3 added, 0 updated, 1 double kept once, 1 substance joined\n"
                       "Nothing was written (--dry-run).\n")
    assert dump(phone) == before


def test_undo_takes_the_whole_merge_back(medlog, devices):
    phone, laptop = devices
    before = medlog("log", "--since", "2026-11-01", "--json", "--db", phone).out
    assert medlog("merge", laptop, "--db", phone).code == 0
    undone = medlog("undo", "--db", phone)
    assert undone.code == 0 and undone.out.startswith(f"Undid: merged {laptop}: 3 added")
    assert medlog("log", "--since", "2026-11-01", "--json", "--db", phone).out == before
    assert medlog("substance", "list", "--db", phone).out.count("Escitalopram") == 1


def test_both_ways_give_the_same_entries(medlog, devices, tmp_path):
    """`log --json` of A-into-B and of B-into-A lists the same entries, ids included (the rows' UUIDs). Only the
    order of entries at the same instant may differ: it follows each file's own integer ids."""
    phone, laptop = devices
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    shutil.copyfile(phone, a)
    shutil.copyfile(laptop, b)
    assert medlog("merge", laptop, "--db", a).code == 0
    assert medlog("merge", phone, "--db", b).code == 0
    logs = [json.loads(medlog("log", "--since", "2026-10-01", "--json", "--db", path).out)["entries"]
            for path in (a, b)]
    assert sorted(logs[0], key=lambda e: e["id"]) == sorted(logs[1], key=lambda e: e["id"])
    assert [e["kind"] for e in logs[0]] == ["regimen", "regimen", "dose", "dose"]  # the double kept once


def test_merge_runs_as_a_process(medlog_process, devices):
    phone, laptop = devices
    ran = medlog_process("merge", laptop, "--db", phone)
    assert ran.code == 0 and ran.out.startswith(f"Logged: merged {laptop}: 3 added")


@pytest.mark.parametrize("case", ["missing", "folder", "itself", "not a journal", "another app's", "damaged", "newer",
                                  "clash"])
def test_bad_input_is_one_line_exit_2_and_nothing_written(medlog, devices, tmp_path, case):
    phone, laptop = devices
    other = str(tmp_path / "other")
    if case == "folder":
        os.mkdir(other)
    elif case == "itself":
        other = phone
    elif case == "not a journal":
        open(other, "w").write("medication,dose\nEscitalopram,10 mg\n")
    elif case == "another app's":
        other = os.path.join(os.path.dirname(__file__), "..", "fixtures", "daylio", "currin_sample.csv")
    elif case == "damaged":
        data = bytearray(open(laptop, "rb").read())
        data[4096 * 2:4096 * 2 + 300] = b"\x00\xff" * 150
        open(other, "wb").write(bytes(data))
    elif case == "newer":
        shutil.copyfile(laptop, other)
        import sqlite3

        conn = sqlite3.connect(other)
        conn.execute("PRAGMA user_version = 42")
        conn.close()
    elif case == "clash":  # a value no form check covers, only the journal's own constraints
        assert medlog("export", "--format", "json", "-o", other, "--db", laptop).code == 0
        rewrite(other, '"status": "taken"', '"status": "eaten"')
    before = dump(phone)
    ran = medlog("merge", other, "--db", phone)
    assert ran.code == 2, ran.err
    assert ran.err.count("\n") == 1 and ran.err.startswith("medlog: ") and ran.out == ""
    assert not SQL_WORDING.search(ran.err), ran.err
    if case == "clash":
        assert "dose row" in ran.err and "holds a value the journal does not allow" in ran.err
    if case == "another app's":
        assert "is a Daylio file, not a medlog journal or export: 'medlog import' reads it" in ran.err
    if case == "not a journal":  # a CSV no importer knows: merge has no --from, so no word of it (issue 19)
        assert "is a CSV file, not a medlog journal or export: 'medlog import' reads it" in ran.err
        assert "--from" not in ran.err and "mapping file" in ran.err
    assert dump(phone) == before


def test_an_encrypted_other_merges_with_its_passphrase(medlog, devices, tmp_path, monkeypatch):
    pytest.importorskip("sqlcipher3", reason="SQLCipher (pip install 'medlog[encrypt]') is not installed")
    phone, _ = devices
    sealed = str(tmp_path / "sealed.sqlite")
    monkeypatch.setenv("MEDLOG_PASSPHRASE", "a tablet a day")
    assert medlog("init", "--encrypt", "--db", sealed).code == 0
    assert medlog(*ESCITALOPRAM, "--db", sealed).code == 0
    assert medlog("take", "esc", "--at", "2026-11-18 08:00", "--db", sealed).code == 0
    ran = medlog("merge", sealed, "--db", phone)
    assert ran.code == 0 and "2 added" in ran.out and "1 substance joined" in ran.out
    monkeypatch.setenv("MEDLOG_PASSPHRASE", "not it")
    wrong = medlog("merge", sealed, "--db", phone)
    assert wrong.code == 2 and "the passphrase does not open" in wrong.err
    monkeypatch.delenv("MEDLOG_PASSPHRASE")
    asked = medlog("merge", sealed, "--db", phone)  # no terminal to ask at, no variable: said how
    assert asked.code == 1 and "MEDLOG_PASSPHRASE" in asked.err and asked.err.count("\n") == 1
