"""Opening the journal: modes, pragmas, and every kind of file it must refuse without touching."""

import hashlib
import os
import sqlite3
import stat

import pytest

from medlog.domain.errors import StoreError
from medlog.store import connection
from medlog.store.connection import NoJournal, connect, write_transaction
from medlog.store.migrate import CURRENT_VERSION


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_new_journal_is_private_and_has_the_pragmas(tmp_path):
    path = str(tmp_path / "new" / "journal.sqlite")
    conn = connect(path, create=True)
    try:
        with write_transaction(conn):
            conn.execute("INSERT INTO note (uuid, text, flagged, occurred_at, zone, journal_day, source, "
                         "created_at, updated_at) VALUES ('u', 't', 0, 'x', 'UTC', '2026-01-01', 'cli', 'x', 'x')")
        assert mode(tmp_path / "new") == 0o700
        for name in (path, path + "-wal", path + "-shm"):
            assert mode(name) == 0o600, name
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == connection.APPLICATION_ID
    finally:
        conn.close()


def test_loosened_modes_are_tightened_on_open(tmp_path):
    path = str(tmp_path / "j.sqlite")
    connect(path, create=True).close()
    os.chmod(path, 0o644)
    connect(path, create=False).close()
    assert mode(path) == 0o600


def test_reads_never_create_a_journal(tmp_path):
    with pytest.raises(NoJournal):
        connect(str(tmp_path / "missing.sqlite"), create=False)
    assert not (tmp_path / "missing.sqlite").exists()


def test_an_empty_file_becomes_a_journal(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    connect(str(path), create=False).close()
    assert path.stat().st_size > 0


@pytest.mark.parametrize("content, message", [
    (b"this is my shopping list\n" * 100, "not a medlog journal"),
    (b"SQLite format 3\x00" + b"\xff" * 4000, "damaged|not a medlog journal"),
], ids=["text", "bad-header"])
def test_foreign_and_corrupt_files_are_refused_and_left_untouched(tmp_path, content, message):
    path = tmp_path / "journal.sqlite"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(StoreError, match=message):
        connect(str(path), create=True)
    assert digest(path) == before
    assert not (tmp_path / "journal.sqlite-wal").exists()


def test_another_apps_sqlite_file_is_refused(tmp_path):
    path = str(tmp_path / "other.sqlite")
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE songs (title TEXT)")
    other.commit()
    other.close()
    before = digest(path)
    with pytest.raises(StoreError, match="not a medlog journal"):
        connect(path, create=True)
    assert digest(path) == before


def test_a_corrupt_schema_page_is_reported_and_not_written(tmp_path):
    path = str(tmp_path / "j.sqlite")
    conn = connect(path, create=True)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(open(path, "rb").read())
    data[100:4096] = b"\x42" * (4096 - 100)  # scribble over page 1's schema b-tree, keep the header
    open(path, "wb").write(bytes(data))
    before = digest(path)
    with pytest.raises(StoreError, match="damaged"):
        conn = connect(path, create=False)
        with connection.translate_errors(path):
            conn.execute("SELECT count(*) FROM substance").fetchall()
    assert digest(path) == before


def test_a_newer_journal_is_refused_untouched(tmp_path):
    path = str(tmp_path / "j.sqlite")
    connect(path, create=True).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    raw.close()
    before = digest(path)
    with pytest.raises(StoreError, match="newer medlog"):
        connect(path, create=False)
    assert digest(path) == before


def test_a_lock_held_past_the_timeout_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    path = str(tmp_path / "j.sqlite")
    holder = connect(path, create=True)
    holder.execute("BEGIN IMMEDIATE")
    try:
        other = connect(path, create=False)
        with pytest.raises(StoreError, match="busy"):
            with connection.translate_errors(path), write_transaction(other):
                pass
        other.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes")
def test_a_read_only_journal_is_reported(tmp_path):
    path = str(tmp_path / "j.sqlite")
    connect(path, create=True).close()
    os.chmod(path, 0o400)
    with pytest.raises(StoreError, match="read-only|could not be used|cannot"):
        conn = connect(path, create=False)
        with connection.translate_errors(path), write_transaction(conn):
            conn.execute("DELETE FROM metric WHERE 0")


def test_read_only_by_pragma_is_reported(tmp_path):
    """Root ignores file modes, so also prove the message with SQLite's own read-only switch."""
    path = str(tmp_path / "j.sqlite")
    conn = connect(path, create=True)
    conn.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="read-only"):
        with connection.translate_errors(path), write_transaction(conn):
            conn.execute("UPDATE metric SET label = label")
    conn.close()


def test_an_unreachable_path_is_reported(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot reach"):
        connect(str(blocker / "journal.sqlite"), create=True)


def test_write_transaction_rolls_back_on_error(tmp_path):
    path = str(tmp_path / "j.sqlite")
    conn = connect(path, create=True)
    with pytest.raises(RuntimeError):
        with write_transaction(conn):
            conn.execute("UPDATE metric SET label = 'changed'")
            raise RuntimeError("boom")
    assert conn.execute("SELECT count(*) FROM metric WHERE label = 'changed'").fetchone()[0] == 0
    conn.close()


HOLDER = """
import subprocess, sys
from medlog.store.connection import connect, write_transaction
path = sys.argv[1]
held = connect(path, create=False)                 # like the TUI's watcher: one idle connection, kept open
held.execute("PRAGMA data_version").fetchone()
for i in range(15):
    other = connect(path, create=False)            # like every service call in the same process
    with write_transaction(other):
        other.execute("INSERT INTO note (uuid, text, flagged, occurred_at, zone, journal_day, source, created_at, "
                      "updated_at) VALUES (?, 'mine', 0, 'x', 'UTC', '2026-01-01', 'tui', 'x', 'x')", (f"a{i}",))
    other.close()
    # another process writes and exits: it must still see this process as a user of the WAL
    subprocess.run([sys.executable, "-c", WRITER, path, f"b{i}"], check=True)
    held.execute("PRAGMA data_version").fetchone()
print(held.execute("PRAGMA integrity_check").fetchone()[0], held.execute("SELECT count(*) FROM note").fetchone()[0])
"""

WRITER = """
import sys
from medlog.store.connection import connect, write_transaction
conn = connect(sys.argv[1], create=False)
with write_transaction(conn):
    conn.execute("INSERT INTO note (uuid, text, flagged, occurred_at, zone, journal_day, source, created_at, "
                 "updated_at) VALUES (?, 'theirs', 0, 'x', 'UTC', '2026-01-01', 'cli', 'x', 'x')", (sys.argv[2],))
conn.close()
"""


def test_a_long_lived_connection_survives_other_connections_and_processes(tmp_path):
    """Regression: reading the header with open()/close() dropped this process's POSIX locks, so another
    process checkpointed and deleted the -wal under the TUI's open connection and the journal was corrupted."""
    import subprocess
    import sys

    path = str(tmp_path / "j.sqlite")
    connect(path, create=True).close()
    script = f"WRITER = {WRITER!r}\n{HOLDER}"
    proc = subprocess.run([sys.executable, "-c", script, path], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ok", "30"]
