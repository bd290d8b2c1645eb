"""The migration runner and the fixture journal of every released schema version."""

import glob
import os
import sqlite3
import stat

import pytest

from medlog.domain.errors import StoreError
from medlog.store import migrate
from medlog.store.connection import APPLICATION_ID, connect
from medlog.store.migrate import CURRENT_VERSION, statements

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures")


def columns(conn):
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in tables}


def table_checksums(conn, only=None):
    """Per table: its rows, sorted, as text — equal checksums mean equal data. `only`: the tables and columns
    to compare (those a journal had before a migration added some)."""
    return {t: sorted(map(repr, conn.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall()))
            for t, cols in (only or columns(conn)).items()}


def load_fixture(tmp_path, version):
    path = str(tmp_path / f"v{version}.sqlite")
    raw = sqlite3.connect(path)
    raw.executescript(open(os.path.join(FIXTURES, f"schema_v{version}.sql"), encoding="utf-8").read())
    raw.execute(f"PRAGMA user_version = {version}")
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.commit()
    raw.close()
    return path


def released_versions():
    return sorted(int(os.path.basename(p)[8:-4]) for p in glob.glob(os.path.join(FIXTURES, "schema_v*.sql")))


def test_there_is_a_fixture_for_every_released_version():
    assert released_versions() == list(range(1, CURRENT_VERSION + 1))


@pytest.mark.parametrize("version", released_versions())
def test_every_released_version_migrates_with_its_data_intact(tmp_path, version):
    path = load_fixture(tmp_path, version)
    raw = sqlite3.connect(path)
    had = columns(raw)
    before = table_checksums(raw)
    raw.close()
    assert sum(len(rows) for rows in before.values()) > 20, "the fixture should hold real entries"
    conn = connect(path, create=False)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        after = table_checksums(conn, only=had)
        for table, rows in before.items():
            assert after[table] == rows, table
        # columns a migration added hold nothing invented on the rows that were there: NULL, or the column's
        # declared default (every note written before schema 4 is a plain note)
        for table, cols in columns(conn).items():
            defaults = {r[1]: r[4] for r in conn.execute(f"PRAGMA table_info({table})")}
            for col in set(cols) - set(had.get(table, cols)):
                unlike = "NULL" if defaults[col] is None else defaults[col]
                assert conn.execute(f"SELECT count(*) FROM {table} WHERE {col} IS NOT {unlike}").fetchone()[0] == 0
    finally:
        conn.close()


@pytest.mark.parametrize("version", [v for v in released_versions() if v < 4])
def test_notes_from_before_schema_4_become_plain_notes(tmp_path, version):
    """Schema 4 adds note.kind (note | question): every note there was keeps its words and flag and is a note."""
    path = load_fixture(tmp_path, version)
    raw = sqlite3.connect(path)
    before = raw.execute("SELECT uuid, text, flagged, occurred_at, journal_day FROM note ORDER BY id").fetchall()
    raw.close()
    assert len(before) >= 2
    conn = connect(path, create=False)
    try:
        after = conn.execute("SELECT uuid, text, flagged, occurred_at, journal_day, kind FROM note ORDER BY id")
        assert after.fetchall() == [(*row, "note") for row in before]
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute("UPDATE note SET kind = 'memo' WHERE id = 1")
    finally:
        conn.close()


def test_the_schema_4_fixture_holds_a_question_written_after_the_migration(tmp_path):
    path = load_fixture(tmp_path, 4)
    conn = connect(path, create=False)
    try:
        kinds = conn.execute("SELECT kind, count(*) FROM note GROUP BY kind ORDER BY kind").fetchall()
    finally:
        conn.close()
    assert kinds == [("note", 2), ("question", 1)]


def test_the_schema_5_fixture_holds_an_experiment_and_its_planned_events(tmp_path):
    """Schema 5 adds the experiment table; the fixture's experiment (planned through the CLI) reads back."""
    path = load_fixture(tmp_path, 5)
    conn = connect(path, create=False)
    try:
        row = conn.execute("SELECT design, pairs, block_days, assignment, metrics, start_day, stopped_at"
                           " FROM experiment").fetchall()
        notes = [n for (n,) in conn.execute("SELECT note FROM regimen_event WHERE note LIKE 'experiment %'"
                                            " ORDER BY id")]
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute("UPDATE experiment SET assignment = 'AB' WHERE id = 1")  # two pairs need two letters each
    finally:
        conn.close()
    assert row == [("abab", 2, 7, "BA,AB", "sleep_quality,mood", "2026-11-23", None)]
    assert [n.split(": ")[1] for n in notes] == ["off period 1 of 2", "on period 1 of 2", "off period 2 of 2",
                                                 "ended; back to the regimen before it"]


NEXT = CURRENT_VERSION + 1  # a pretend next version, to attack the runner with

REBUILD_SUBSTANCE = """
CREATE TABLE substance_new (
    id INTEGER NOT NULL PRIMARY KEY, uuid VARCHAR NOT NULL UNIQUE, name VARCHAR NOT NULL,
    name_key VARCHAR NOT NULL, kind VARCHAR NOT NULL, form VARCHAR, strength_value FLOAT, strength_unit VARCHAR,
    elemental_value FLOAT, elemental_unit VARCHAR, reason VARCHAR, prescriber VARCHAR, notes VARCHAR,
    created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, deleted_at DATETIME, iu_mass_value FLOAT,
    iu_mass_unit VARCHAR, onset_lag_days INTEGER, ingredients VARCHAR, classes VARCHAR, refill_warn_days INTEGER,
    pharmacy VARCHAR, rx_number VARCHAR, refills_left INTEGER, colour VARCHAR
);
INSERT INTO substance_new SELECT *, NULL FROM substance;
DROP TABLE substance;
ALTER TABLE substance_new RENAME TO substance;
CREATE UNIQUE INDEX substance_live_name ON substance (name_key) WHERE deleted_at IS NULL;
"""


def test_a_table_rebuild_runs_with_foreign_keys_off_after_a_backup(tmp_path, monkeypatch):
    """A pretend next schema that rebuilds the parent table: children survive, and a backup is taken first."""
    path = load_fixture(tmp_path, 1)
    raw = sqlite3.connect(path)
    before = table_checksums(raw)
    raw.close()
    monkeypatch.setattr(migrate, "MIGRATIONS", migrate.MIGRATIONS + ((NEXT, "rebuild.sql"),))
    monkeypatch.setattr(migrate, "CURRENT_VERSION", NEXT)
    real_read = migrate._read
    monkeypatch.setattr(migrate, "_read", lambda name: REBUILD_SUBSTANCE if name == "rebuild.sql" else real_read(name))
    conn = connect(path, create=False)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == NEXT
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # back on afterwards
        after = table_checksums(conn)
        assert after["dose"] == before["dose"] and after["regimen_event"] == before["regimen_event"]
    finally:
        conn.close()
    backups = glob.glob(str(tmp_path / "backups" / "v1-schema1-*.sqlite"))
    assert len(backups) == 1 and stat.S_IMODE(os.stat(backups[0]).st_mode) == 0o600
    copy = sqlite3.connect(backups[0])
    assert table_checksums(copy) == before
    copy.close()


def test_a_migration_that_breaks_references_is_not_applied(tmp_path, monkeypatch):
    path = load_fixture(tmp_path, CURRENT_VERSION)
    monkeypatch.setattr(migrate, "MIGRATIONS", migrate.MIGRATIONS + ((NEXT, "orphans.sql"),))
    monkeypatch.setattr(migrate, "CURRENT_VERSION", NEXT)
    real_read = migrate._read
    monkeypatch.setattr(migrate, "_read", lambda name: "DELETE FROM substance;" if name == "orphans.sql"
                        else real_read(name))
    with pytest.raises(StoreError, match="would break"):
        connect(path, create=False)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    assert raw.execute("SELECT count(*) FROM substance").fetchone()[0] > 0
    raw.close()


def test_statements_split_like_sqlite_does():
    script = "CREATE TABLE a (x);\n-- a comment\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\nEND;\n"
    trigger = "-- a comment\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\nEND;"
    assert statements(script) == ["CREATE TABLE a (x);", trigger]
    with pytest.raises(ValueError, match="incomplete"):
        statements("CREATE TABLE a (x)")


@pytest.mark.parametrize("version", released_versions())
def test_every_migration_is_preceded_by_a_backup_of_the_journal_as_it_was(tmp_path, version):
    """The real migrations from every released version: the copy taken first is the old schema with its data."""
    path = load_fixture(tmp_path, version)
    raw = sqlite3.connect(path)
    before = table_checksums(raw)
    raw.close()
    connect(path, create=False).close()
    connect(path, create=False).close()  # a journal already current is not backed up again
    made = glob.glob(str(tmp_path / "backups" / "*.sqlite"))
    if version == CURRENT_VERSION:
        assert made == []  # nothing to migrate, nothing to back up
        return
    assert [os.path.basename(p)[: len(f"v{version}-schema{version}-")] for p in made] == [
        f"v{version}-schema{version}-"]
    assert stat.S_IMODE(os.stat(made[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "backups").st_mode) == 0o700
    copy = sqlite3.connect(f"file:{made[0]}?mode=ro", uri=True)
    try:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == version
        assert copy.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert table_checksums(copy) == before
    finally:
        copy.close()


def test_the_newest_pre_migration_backups_are_kept_whatever_schema_they_came_from(tmp_path):
    """KEEP_SCHEMA copies are kept, the newest by when they were taken: a copy from an older schema (a journal
    restored from an old backup, then migrated) is newer than those taken before it, not older."""
    from medlog.store.backup import KEEP_SCHEMA

    path = str(tmp_path / "journal.sqlite")
    for version in (3, 3, 3, 1):
        if os.path.exists(path):
            os.remove(path)
        os.replace(load_fixture(tmp_path, version), path)
        connect(path, create=False).close()
    names = sorted(os.listdir(tmp_path / "backups"))
    assert len(names) == KEEP_SCHEMA == 3
    assert [n.split("-")[1] for n in names].count("schema1") == 1, f"the copy just taken was removed: {names}"
    assert [n.split("-")[1] for n in names].count("schema3") == 2
