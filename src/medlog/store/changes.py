"""Writing rows with their change-log entries, and undoing a batch. Every write in medlog goes through here.

One command is one batch; `undo` reverses the newest batch that is neither an undo nor already undone, by
appending the reversal (tombstone the inserted rows, restore the updated ones) as a new batch. The change
log itself is append-only (triggers refuse UPDATE and DELETE).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from medlog.domain.record import record
from medlog.store.catalogue import JOURNAL
from medlog.store.catalogue import TABLES as COLUMNS
from medlog.store.rows import db_time, from_db_time, new_uuid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from medlog.store.writes import Row

# Tables the change log may name (the catalogue's journal tables); names are interpolated into SQL, so only these.
TABLES = frozenset(JOURNAL)


class Batch:
    """The rows one command writes, under one change-log batch id."""

    def __init__(self, conn: sqlite3.Connection, now: datetime, summary: str, *, undoes: str | None = None,
                 batch_id: str | None = None):
        self.conn = conn
        self.now = now
        self.summary = summary  # what the history and undo will call this batch
        self.id = batch_id or new_uuid()
        self.undoes = undoes

    def insert(self, new: Row) -> dict[str, object]:
        table = new.table
        _check(table)
        stamp = db_time(self.now)
        row = {"uuid": new_uuid(), **new.values, "created_at": stamp, "updated_at": stamp}
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        cursor = self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
        row["id"] = cursor.lastrowid
        self._log(table, str(row["uuid"]), "insert", None, self._snapshot(table, str(row["uuid"])))
        return row

    def update(self, table: str, row_uuid: str, changes: dict[str, object], *, action: str = "update") -> None:
        _check(table)
        before = self._snapshot(table, row_uuid)
        values = {**changes, "updated_at": db_time(self.now)}
        assignments = ", ".join(f"{column} = ?" for column in values)
        self.conn.execute(f"UPDATE {table} SET {assignments} WHERE uuid = ?", (*values.values(), row_uuid))
        self._log(table, row_uuid, action, before, self._snapshot(table, row_uuid))

    def delete(self, table: str, row_uuid: str) -> None:
        """Soft delete: a tombstone, so undo, merges and the history can still see the row."""
        self.update(table, row_uuid, {"deleted_at": db_time(self.now)}, action="delete")

    def _snapshot(self, table: str, row_uuid: str) -> str:
        """The whole row as JSON, made by SQLite itself (exactly what is stored; no json import on this path)."""
        row = self.conn.execute(f"SELECT {json_object(table)} FROM {table} WHERE uuid = ?",
                                (row_uuid,)).fetchone()
        if row is None:
            raise LookupError(f"no {table} row {row_uuid}")
        return row[0]

    def _log(self, table: str, row_uuid: str, action: str, before: str | None, after: str) -> None:
        if not self.summary:
            raise ValueError("a batch needs a summary before it writes")  # the history must say what it was
        self.conn.execute(
            "INSERT INTO change_log (uuid, batch, at, table_name, row_uuid, action, before, after, summary, undoes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_uuid(), self.id, db_time(self.now), table, row_uuid, action, before, after, self.summary,
             self.undoes),
        )


def inserted_id(row: dict[str, object]) -> int:
    """The id of a row Batch.insert wrote (its INSERT's lastrowid)."""
    found = row["id"]
    if not isinstance(found, int):  # never: a successful INSERT always has a rowid
        raise TypeError(f"the inserted row {row.get('uuid')} has no id ({found!r})")
    return found


def keyed_batch_id(key: str) -> str:
    """The batch id an idempotency key names: the same key always gives the same id (a name-based UUID), so a
    command replayed after a crash finds the batch its first run committed."""
    import uuid  # only when a key is given (~5 ms; the quick-log path without one never pays it)

    return str(uuid.uuid5(uuid.UUID(KEY_NAMESPACE), key))


KEY_NAMESPACE = "8a1d6c52-3f0e-4f4b-9a59-6d6564c06b65"  # fixed forever: changing it would forget every key


def batch_summary(conn: sqlite3.Connection, batch_id: str) -> str | None:
    """What an existing batch was (its summary), or None if no batch has this id."""
    row = conn.execute("SELECT summary FROM change_log WHERE batch = ? LIMIT 1", (batch_id,)).fetchone()
    return row[0] if row else None


_JSON_OBJECTS: dict[str, str] = {}


def json_object(table: str) -> str:
    """`json_object('col', col, …)` over every column of `table` (the catalogue's, built once per table)."""
    found = _JSON_OBJECTS.get(table)
    if found is None:
        found = _JSON_OBJECTS[table] = "json_object(" + ", ".join(f"'{c.name}', {c.name}" for c in COLUMNS[table]) + ")"
    return found


def fetch_row(conn: sqlite3.Connection, table: str, row_uuid: str) -> dict[str, object]:
    """One live row as a dict (for editing it)."""
    _check(table)
    cursor = conn.execute(f"SELECT * FROM {table} WHERE uuid = ? AND deleted_at IS NULL", (row_uuid,))
    row = cursor.fetchone()
    if row is None:
        raise LookupError(f"no live {table} row {row_uuid}")
    return dict(zip((d[0] for d in cursor.description), row, strict=True))


@record
class UndoableBatch:
    id: str
    summary: str
    at: datetime  # when the batch was written


def last_undoable(conn: sqlite3.Connection) -> UndoableBatch | None:
    """The newest batch that is not an undo and has not been undone."""
    row = conn.execute(
        "SELECT batch, summary, at FROM change_log AS c"
        " WHERE undoes IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM change_log AS u WHERE u.undoes = c.batch)"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return UndoableBatch(row[0], row[1], from_db_time(row[2])) if row else None


def undo(conn: sqlite3.Connection, target: UndoableBatch, now: datetime, *, batch_id: str | None = None) -> Batch:
    """Append the reversal of `target`, newest change first (as batch `batch_id`, when a key names it)."""
    import json  # not on the quick-log path
    reversal = Batch(conn, now, f"undo: {target.summary}", undoes=target.id, batch_id=batch_id)
    entries = conn.execute(
        "SELECT table_name, row_uuid, action, before, after FROM change_log WHERE batch = ? ORDER BY id DESC",
        (target.id,),
    ).fetchall()
    for table, row_uuid, action, before, after in entries:
        if action == "insert":
            reversal.delete(table, row_uuid)
        else:
            # Only what the change changed goes back. The snapshots hold the ids of the journal that wrote them,
            # and after an import into another journal `substance_id` 1 may be another substance: writing the
            # whole snapshot back would move a rule or a dose to it.
            was, became = json.loads(before), json.loads(after)
            restored = {k: v for k, v in was.items()
                        if k not in {"id", "uuid", "updated_at"} and (k not in became or became[k] != v)}
            reversal.update(table, row_uuid, restored)
    return reversal


def _check(table: str) -> None:
    if table not in TABLES:
        raise ValueError(f"not a journal table: {table}")
