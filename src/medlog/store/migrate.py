"""Schema versions (PRAGMA user_version) and the runner that moves a journal to the current one.

Each migration runs in one BEGIN IMMEDIATE transaction with foreign keys OFF (a table rebuild with them on
cascade-deletes every child row), ends with an empty foreign_key_check, and is preceded by an online backup
whenever there is existing data to protect. Migrations are SQL files in migrations/, frozen once released.
"""

from __future__ import annotations

import os
import sqlite3

from medlog.domain.errors import StoreError
from medlog.store.catalogue import MIGRATIONS as LISTED
from medlog.store.sqlite_file import APPLICATION_ID, write_transaction

# (version, file) in order: the files of migrations/, as the generated catalogue lists them (a new one is listed
# by `python -m medlog.store.catalogue_gen`, which first checks that they make the tables of store/schema.py).
# Add one; never edit a released one.
MIGRATIONS: tuple[tuple[int, str], ...] = LISTED
CURRENT_VERSION = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, path: str) -> None:
    version = schema_version(conn)
    if version == CURRENT_VERSION:
        return
    if version > CURRENT_VERSION:
        raise StoreError(
            f"the journal {path} was written by a newer medlog (schema {version}; this one knows "
            f"{CURRENT_VERSION}); upgrade medlog — the file was left untouched"
        )
    if version > 0:
        from medlog.store.backup import backup_before_migration

        backup_before_migration(conn, path, version)
    conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction, so set it before BEGIN
    try:
        for target, filename in MIGRATIONS:
            if target > version:
                _apply(conn, target, filename)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _apply(conn: sqlite3.Connection, target: int, filename: str) -> None:
    with write_transaction(conn):
        if schema_version(conn) >= target:
            return  # another process migrated while we waited for the lock
        for statement in statements(_read(filename)):
            conn.execute(statement)
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise StoreError(f"migration to schema {target} would break {len(problems)} references; not applied")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {target}")


def _read(filename: str) -> str:
    with open(os.path.join(os.path.dirname(__file__), "migrations", filename), encoding="utf-8") as fh:
        return fh.read()


def statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (triggers and all), using SQLite's own tokenizer."""
    out, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                out.append(pending.strip())
            pending = ""
    if any(line.strip() and not line.strip().startswith("--") for line in pending.splitlines()):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {pending[:60]!r}")
    return out
