"""Questions for the visit: `medlog note TEXT --question` (schema 4), as a user types it."""

from __future__ import annotations

import json
import sqlite3

from tests.conftest import default_journal, dump
from tests.store.test_migrate import load_fixture


def _notes(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT text, flagged, kind, deleted_at IS NOT NULL FROM note ORDER BY id").fetchall()
    finally:
        conn.close()


def test_a_question_is_written_listed_and_undone(medlog, cli_env):
    assert medlog("note", "felt calmer today", "--flag", "--at", "08:00").code == 0
    ran = medlog("note", "Should magnesium be taken apart from gabapentin?", "--question", "--at", "08:30")
    assert ran.code == 0 and ran.err == ""
    assert ran.out.startswith("Logged: question “Should magnesium be taken apart from ga…”")
    path = default_journal(cli_env)
    assert _notes(path) == [("felt calmer today", 1, "note", 0),
                            ("Should magnesium be taken apart from gabapentin?", 0, "question", 0)]

    shown = medlog("log").out
    assert "08:00  ⚑ note: felt calmer today" in shown
    assert "08:30  ? question: Should magnesium be taken apart from gabapentin?" in shown
    assert "? question:" in medlog("log", "--kind", "note").out  # a question is a note: `--kind note` keeps it

    entries = json.loads(medlog("log", "--json").out)["entries"]
    assert [(e["kind"], e["note_kind"], e["flagged"], e["text"]) for e in entries] == [
        ("note", "note", True, "felt calmer today"),
        ("note", "question", False, "Should magnesium be taken apart from gabapentin?")]

    ran = medlog("undo")
    assert ran.code == 0 and ran.out.startswith("Undid: question “Should magnesium")
    assert _notes(path)[1][3] == 1  # deleted (kept as a tombstone)
    assert "question" not in medlog("log").out


def test_a_flagged_question_keeps_its_flag(medlog, cli_env):
    ran = medlog("note", "Is the dizziness from the increase?", "--question", "--flag")
    assert ran.code == 0 and "flagged question “Is the dizziness" in ran.out
    assert _notes(default_journal(cli_env)) == [("Is the dizziness from the increase?", 1, "question", 0)]
    assert "⚑ ? question: Is the dizziness from the increase?" in medlog("log").out


def test_an_empty_question_is_refused_like_an_empty_note(medlog, cli_env):
    assert medlog("note", "something").code == 0
    before = dump(default_journal(cli_env))
    for text in ("", "   "):
        ran = medlog("note", text, "--question")
        assert ran.code == 2 and ran.out == "" and len(ran.err.strip().splitlines()) == 1, ran.err
        assert "empty" in ran.err and "Traceback" not in ran.err
    assert dump(default_journal(cli_env)) == before


def test_a_schema_3_journal_takes_a_question(medlog, tmp_path):
    """The first command on an older journal migrates it; its notes stay notes, the new one is a question."""
    path = load_fixture(tmp_path, 3)
    ran = medlog("--db", path, "note", "Ask about the weekly methotrexate?", "--question")
    assert ran.code == 0, ran.err
    entries = json.loads(medlog("--db", path, "log", "--kind", "note", "--since", "2026-11-01", "--json").out)
    assert sorted((e["text"], e["note_kind"]) for e in entries["entries"]) == [
        ("Ask about taking magnesium earlier", "note"), ("Ask about the weekly methotrexate?", "question"),
        ("felt calmer today", "note")]
