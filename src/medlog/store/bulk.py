"""Writing many rows at once (the demo journal): one transaction, executemany per table.

Rows come from the same `*_row` builders as single writes, so the columns cannot drift. Bulk rows get no
change-log entries: they are generated, not logged (the demo says so), and a 10-year journal would otherwise
carry a second copy of every row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from medlog.store.changes import TABLES
from medlog.store.rows import db_time
from medlog.store.writes import Row


class BulkWriter:
    def __init__(self, conn: sqlite3.Connection, new_uuid: Callable[[], str]) -> None:
        self.conn = conn
        self.new_uuid = new_uuid
        self.pending: dict[str, list[dict[str, object]]] = {}

    def add(self, new: Row, *, at: datetime) -> str:
        """Queue a row (created and updated at `at`); its UUID."""
        if new.table not in TABLES:
            raise ValueError(f"not a journal table: {new.table}")
        stamp = db_time(at)
        row = {"uuid": self.new_uuid(), **new.values, "created_at": stamp, "updated_at": stamp}
        self.pending.setdefault(new.table, []).append(row)
        return str(row["uuid"])

    def insert_now(self, new: Row, *, at: datetime) -> int:
        """Write one row straight away (a parent others refer to by id); its id."""
        self.add(new, at=at)
        self.flush(new.table)
        return self.conn.execute("SELECT last_insert_rowid()").fetchone()[0]

    def flush(self, *tables: str) -> int:
        written = 0
        for table in tables or tuple(self.pending):
            rows = self.pending.pop(table, [])
            if not rows:
                continue
            columns = list(rows[0])
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            self.conn.executemany(sql, [tuple(row[c] for c in columns) for row in rows])
            written += len(rows)
        return written
