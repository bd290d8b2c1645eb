"""Merging two journals (issue 19): the merged state (store/merge.py) written into the journal, every change with
its change-log entry, in the order that lets `undo` take the merge back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from medlog.domain.errors import InputError
from medlog.domain.text import shown
from medlog.store.changes import json_object
from medlog.store.cipher import errors, quote
from medlog.store.column import Column
from medlog.store.exchange import ORDER, columns_of, file_key
from medlog.store.merge import REPOINTED, SET_ASIDE, writes

_LOG = ("INSERT INTO main.change_log (uuid, batch, at, table_name, row_uuid, action, before, after, summary, "
        "undoes) SELECT medlog_uuid(), ?, ?, ?, {row}, {action}, {before}, {after}, ?, NULL")


def write(conn: sqlite3.Connection, *, batch: str, kept_batch: str, at: str, summary: str, kept_summary: str,
          where: str) -> None:
    """The merged state into the journal. First OTHER's versions that the journal's later edits beat, as a batch
    of their own (`kept_batch`: undoing it puts them in); then the merge (`batch`): table by table, parents
    first, the rows it sets aside, the rows it adds, the rows it changes — each with its change-log entry, in the
    order that lets `undo` reverse the merge without two live rows of one name at any moment. A row the journal's
    constraints refuse (a value out of range, a clash no rule settles) is InputError naming it."""
    for table in ORDER:
        conn.execute(_LOG.format(row="u", action="'update'", before="snap", after="cur")
                     + f" FROM merge_kept WHERE tbl = '{table}' ORDER BY rowid",
                     (kept_batch, at, table, kept_summary))
    for table in ORDER:
        params = (batch, at, table, summary)
        how = writes(table)
        steps = ((_update, how["delete"]), (_insert, how["insert"]), (_update, how["update"]))
        for step, which in steps:
            try:
                step(conn, table, which, params)
            except errors() as exc:
                if type(exc).__name__ != "IntegrityError":
                    raise
                raise _refused(conn, table, step, which, params, where, str(exc)) from None


def _mapped(column: Column) -> str:
    """A column's value from merge_w_T (`w`), a reference as the journal's id of the row it names."""
    if column.references:
        return f"(SELECT id FROM main.{column.references} WHERE uuid = w.{file_key(column)})"
    return f"w.{file_key(column)}"


Step = Callable[[sqlite3.Connection, str, str, tuple[str, str, str, str]], None]


def _insert(conn: sqlite3.Connection, table: str, which: str, params: tuple[str, str, str, str]) -> None:
    """The rows of merge_w_T (`w`) that `which` selects, new to the journal, each with its change-log entry."""
    columns = columns_of(table)
    conn.execute(f"INSERT INTO main.{table} ({', '.join(c.name for c in columns)}) "
                 f"SELECT {', '.join(_mapped(c) for c in columns)} FROM merge_w_{table} AS w WHERE {which} "
                 "ORDER BY w.uuid")
    conn.execute(_LOG.format(row="uuid", action="'insert'", before="NULL", after=json_object(table))
                 + f" FROM main.{table} WHERE uuid IN (SELECT w.uuid FROM merge_w_{table} AS w WHERE {which}) "
                 "ORDER BY id", params)


def _update(conn: sqlite3.Connection, table: str, which: str, params: tuple[str, str, str, str]) -> None:
    """The journal's rows that `which` selects (over merge_w_T as `w`) take their merged values, each change
    logged with the row before and after."""
    conn.execute(f"INSERT INTO merge_before SELECT uuid, {json_object(table)} FROM main.{table} WHERE uuid IN "
                 f"(SELECT w.uuid FROM merge_w_{table} AS w WHERE {which})")
    # A row OTHER's version replaced takes every column; one only a rule changed, the columns that rule sets (an
    # index is rewritten only when one of its columns is assigned: ~30,000 re-pointed doses in a 10-year merge).
    columns = [c for c in columns_of(table) if c.name != "uuid"]
    for ruled, written in ((None, columns), (REPOINTED, [c for c in columns if c.references]),
                           (SET_ASIDE, [c for c in columns if c.name == "deleted_at"]),
                           (REPOINTED | SET_ASIDE, [c for c in columns if c.references or c.name == "deleted_at"])):
        if written:
            rows = "w.from_there" if ruled is None else f"NOT w.from_there AND w.ruled = {ruled}"
            conn.execute(f"UPDATE main.{table} AS t SET {', '.join(f'{c.name} = {_mapped(c)}' for c in written)} "
                         f"FROM merge_w_{table} AS w WHERE w.uuid = t.uuid AND {rows} AND {which}")
    before = "(SELECT b_snap FROM merge_before WHERE b_uuid = uuid)"
    action = "'delete'" if which == writes(table)["delete"] else "'update'"
    conn.execute(_LOG.format(row="uuid", action=action, before=before, after=json_object(table))
                 + f" FROM main.{table} WHERE uuid IN (SELECT b_uuid FROM merge_before) ORDER BY id", params)
    conn.execute("DELETE FROM merge_before")


def _refused(conn: sqlite3.Connection, table: str, step: Step, which: str, params: tuple[str, str, str, str],
             where: str, error: str) -> InputError:
    """Which row a constraint refused (each tried alone, then rolled back), said without SQLite's wording."""
    why = ("clashes with a row of the journal that no merge rule settles" if "UNIQUE" in error
           else "holds a value the journal does not allow (a kind, a status or a number out of its range)")
    conn.execute("DELETE FROM merge_before")
    for (uuid,) in conn.execute(f"SELECT w.uuid FROM merge_w_{table} AS w WHERE {which}").fetchall():
        conn.execute("SAVEPOINT merge_culprit")
        try:
            step(conn, table, f"{which} AND w.uuid = {quote(uuid)}", params)
        except errors():
            return InputError(f"{where}'s {table} row {shown(uuid)} {why}; nothing was merged")
        finally:
            conn.execute("ROLLBACK TO merge_culprit")
            conn.execute("RELEASE merge_culprit")
    return InputError(f"{where}'s {table} rows cannot all be merged: one {why}; nothing was merged")
