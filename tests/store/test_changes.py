"""Writes with their change log; undo; the log is append-only."""

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from medlog.store.changes import Batch, last_undoable, undo
from medlog.store.connection import connect, write_transaction
from medlog.store.writes import Row

T0 = datetime(2026, 11, 21, 9, tzinfo=UTC)


@pytest.fixture
def conn(tmp_path):
    c = connect(str(tmp_path / "j.sqlite"), create=True)
    yield c
    c.close()


def note(batch, text):
    return batch.insert(Row("note", {"text": text, "flagged": False, "occurred_at": "2026-11-21 09:00:00.000000",
                                 "zone": "UTC", "journal_day": "2026-11-21", "source": "cli"}))


def live_notes(conn):
    return [r[0] for r in conn.execute("SELECT text FROM note WHERE deleted_at IS NULL ORDER BY id")]


def test_every_write_is_logged_with_the_row_as_stored(conn):
    with write_transaction(conn):
        batch = Batch(conn, T0, "note one")
        row = note(batch, "one")
    entry = conn.execute(
        "SELECT batch, table_name, row_uuid, action, before, after, summary FROM change_log").fetchall()
    assert len(entry) == 1
    batch_id, table, row_uuid, action, before, after, summary = entry[0]
    assert (batch_id, table, row_uuid, action, before, summary) == (batch.id, "note", row["uuid"], "insert", None,
                                                                    "note one")
    assert json.loads(after)["text"] == "one" and json.loads(after)["id"] == row["id"]


def test_undo_walks_back_one_batch_at_a_time_and_never_undoes_an_undo(conn):
    for i, text in enumerate(["one", "two"]):
        with write_transaction(conn):
            note(Batch(conn, T0 + timedelta(minutes=i), f"note {text}"), text)
    with write_transaction(conn):
        batch = Batch(conn, T0 + timedelta(minutes=5), "edit two")
        two = conn.execute("SELECT uuid FROM note WHERE text = 'two'").fetchone()[0]
        batch.update("note", two, {"text": "TWO"})
    assert live_notes(conn) == ["one", "TWO"]
    for expected, remaining in (("edit two", ["one", "two"]), ("note two", ["one"]), ("note one", [])):
        target = last_undoable(conn)
        assert target.summary == expected
        with write_transaction(conn):
            undo(conn, target, T0 + timedelta(hours=1))
        assert live_notes(conn) == remaining
    assert last_undoable(conn) is None
    # rows are tombstoned, never deleted
    assert conn.execute("SELECT count(*) FROM note").fetchone()[0] == 2


def test_the_change_log_is_append_only(conn):
    with write_transaction(conn):
        note(Batch(conn, T0, "note"), "x")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE change_log SET summary = 'rewritten'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM change_log")


def test_a_batch_must_say_what_it_is(conn):
    with pytest.raises(ValueError, match="summary"):
        with write_transaction(conn):
            note(Batch(conn, T0, ""), "x")
    assert live_notes(conn) == []


def test_only_journal_tables_can_be_named(conn):
    with pytest.raises(ValueError, match="not a journal table"):
        Batch(conn, T0, "x").insert(Row("sqlite_schema; DROP TABLE note", {}))
