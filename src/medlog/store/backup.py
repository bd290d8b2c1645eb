"""Backups with SQLite's online backup API (copying the .db alone can miss what is still in -wal)."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime


def backups_dir(journal: str) -> str:
    return os.path.join(os.path.dirname(journal), "backups")


def backup_to(conn: sqlite3.Connection, target: str) -> str:
    """Write a consistent copy of the open journal to `target` (a new file, mode 0600)."""
    folder = os.path.dirname(target) or "."
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def backup_before_migration(conn: sqlite3.Connection, journal: str, version: int) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    base = os.path.splitext(os.path.basename(journal))[0]
    return backup_to(conn, os.path.join(backups_dir(journal), f"{base}-schema{version}-{stamp}.sqlite"))
