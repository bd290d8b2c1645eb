"""The journal file at SQLite's level, beneath everything else in the store: its mark, how a path becomes a URI
for SQLite, and the one way a write transaction is taken. connection, cipher, backup and migrate all build on
this module and it on none of them, so the store's imports run one way (no module needs another that needs it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

# 'medl' in the database header marks a file as a medlog journal (PRAGMA application_id).
APPLICATION_ID = 0x6D65646C


def file_uri(path: str, mode: str) -> str:
    # Escape only what SQLite's URI syntax reserves (urllib.parse would cost the quick path ~4 ms to import).
    escaped = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{escaped}?mode={mode}"


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT: take the write lock up front so a read-then-write never hits BUSY_SNAPSHOT."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # SQLite may already have rolled back (e.g. on a full disk)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
