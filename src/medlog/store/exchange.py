"""The whole journal as plain rows and back: what `medlog export --format json` writes and `medlog import` reads.

Rows travel with their UUIDs, never their integer ids: a reference (`substance_id`, `metric_id`, `dose_id`,
`other_substance_id`) is written as the referenced row's UUID (`substance_uuid`, …), and mapped back to the ids
of the journal it is imported into. Values are exactly as stored (instants and days as their stored text), so
export → import → export gives the same rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

from medlog.store import forms
from medlog.store.catalogue import JOURNAL, TABLES
from medlog.store.changes import json_object
from medlog.store.column import Column
from medlog.store.rows import new_uuid

# The journal's tables, parents before children, so that every reference can be resolved on import.
ORDER = JOURNAL


def columns_of(table: str) -> list[Column]:
    """The columns that travel: all but the integer id, which differs between journals."""
    return [c for c in TABLES[table] if not c.primary_key]


def file_key(column: Column) -> str:
    """The column's name in the file: a reference (`substance_id`) travels as the UUID it points at."""
    return column.name.removesuffix("_id") + "_uuid" if column.references else column.name


def rows(conn: sqlite3.Connection, table: str) -> Iterator[dict[str, object]]:
    """Every row of `table` (deleted ones too: the change log refers to them), oldest first, references as UUIDs."""
    columns = columns_of(table)
    select = [f"(SELECT uuid FROM {c.references} WHERE id = t.{c.name})" if c.references else f"t.{c.name}"
              for c in columns]
    names = [file_key(c) for c in columns]
    for values in conn.execute(f"SELECT {', '.join(select)} FROM {table} t ORDER BY t.id"):
        yield dict(zip(names, values, strict=True))


def change_log(conn: sqlite3.Connection) -> Iterator[dict[str, object]]:
    columns = [c.name for c in columns_of("change_log")]
    for values in conn.execute(f"SELECT {', '.join(columns)} FROM change_log ORDER BY id"):
        yield dict(zip(columns, values, strict=True))


def known_uuids(conn: sqlite3.Connection, table: str) -> dict[str, int]:
    return dict(conn.execute(f"SELECT uuid, id FROM {table}"))


def inserter(conn: sqlite3.Connection, table: str,
             ids: dict[str, dict[str, int]]) -> Callable[[dict[str, object]], int]:
    """A function that inserts one exported row of `table` and returns its new id, mapping reference UUIDs to
    this journal's ids (KeyError: a UUID not found). Every column of the table is written; one the file lacks
    (an older export) gets the column's default (NULL, or e.g. note.kind 'note' since schema 4). The statement is
    built once per table, not per row."""
    columns = columns_of(table)
    keys = [(file_key(c), c.references) for c in columns]
    fallback = [c.default for c in columns]
    checks = forms.checks(table)
    sql = f"INSERT INTO {table} ({', '.join(c.name for c in columns)}) VALUES ({', '.join('?' * len(columns))})"
    execute = conn.execute

    def insert(row: dict[str, object]) -> int:
        values = []
        for (key, target), default in zip(keys, fallback, strict=True):
            value = row.get(key, default)
            if target is None:
                forms.check(key, value, checks[key])  # forms.BadValue: nothing of the file is kept
                values.append(value)
            else:
                values.append(ids[target][str(value)] if value is not None else None)
        forms.check_row(table, row)
        return int(execute(sql, values).lastrowid or 0)

    return insert


def change_inserter(conn: sqlite3.Connection) -> Callable[[dict[str, object]], None]:
    """A function that appends one change-log entry of the file, once it is one `undo` can act on: a journal
    table, a row that table holds, and snapshots whose every value is in its column's form (forms.BadValue, or
    KeyError for a row the journal does not hold)."""
    log_checks = forms.checks("change_log")
    table_checks = {table: forms.checks(table) for table in ORDER}
    known = [c.name for c in columns_of("change_log")]

    def insert(entry: dict[str, object]) -> None:
        for column in known:
            forms.check(column, entry.get(column), log_checks[column])
        table = entry.get("table_name")
        if table not in table_checks:
            raise forms.BadValue(f"names the table {table!r}, which is not a journal table")
        if conn.execute(f"SELECT 1 FROM {table} WHERE uuid = ?", (entry.get("row_uuid"),)).fetchone() is None:
            raise KeyError(entry.get("row_uuid"))
        for what in ("after",) if entry.get("action") == "insert" else ("before", "after"):
            forms.check_snapshot(entry.get(what), table_checks[str(table)], what)
        columns = [c for c in known if c in entry]
        conn.execute(f"INSERT INTO change_log ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})",
                     {c: entry[c] for c in columns})

    return insert


def last_ids(conn: sqlite3.Connection) -> dict[str, int]:
    """Each journal table's largest id: the rows an import then adds are the ones past it (ids only grow, and the
    import's write transaction keeps every other writer out)."""
    return {table: conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0] for table in ORDER}


def log_added(conn: sqlite3.Connection, since: dict[str, int], *, batch: str, at: str, summary: str) -> int:
    """One change-log batch for the rows added past `since` (last_ids): an 'insert' entry with the row as written
    for each, parents first and in the order written, as Batch.insert logs one — so `undo` takes them back,
    newest first. The number of entries."""
    logged = 0
    for table in ORDER:
        added = conn.execute(f"SELECT uuid, {json_object(table)} FROM {table} WHERE id > ? ORDER BY id",
                             (since[table],)).fetchall()
        conn.executemany(
            "INSERT INTO change_log (uuid, batch, at, table_name, row_uuid, action, before, after, summary, undoes) "
            "VALUES (?, ?, ?, ?, ?, 'insert', NULL, ?, ?, NULL)",
            [(new_uuid(), batch, at, table, uuid, after, summary) for uuid, after in added])
        logged += len(added)
    return logged
