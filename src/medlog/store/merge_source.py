"""The other journal of a merge (issue 19), read and never written: opened read-only with the identity checks the
journal gets, its rows in the export's form (references as UUIDs), whatever schema it has.

Never migrated, never given a journal mode, never checkpointed: `immutable=1` when no `-wal` lies beside it (no
connection in WAL mode has it open, so nothing can change under the read; SQLite then takes no lock and makes no
`-shm`), else `mode=ro`, which reads what the `-wal` holds. A problem with the file is bad input (InputError,
exit 2): the journal is fine, the file given is not.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator

from medlog.domain.errors import InputError
from medlog.domain.text import shown
from medlog.store.cipher import errors, open_database
from medlog.store.exchange import columns_of
from medlog.store.migrate import CURRENT_VERSION
from medlog.store.sqlite_file import APPLICATION_ID, file_uri

# A row of a journal table whose tombstone is the undoing of a merge's insert: the journal's user took back what a
# merge brought, which is not a deletion to carry into the journal it came from (docs/architecture.md, "Merging
# two journals"). Run on either side's change log (`{log}`); each answer is (table, row uuid, when undone).
UNDONE_MERGE_INSERTS = (
    "SELECT u.table_name, u.row_uuid, u.at FROM {log} AS u"
    " WHERE u.undoes IS NOT NULL AND u.action = 'delete' AND EXISTS ("
    "SELECT 1 FROM {log} AS i WHERE i.batch = u.undoes AND i.row_uuid = u.row_uuid AND i.action = 'insert'"
    " AND i.summary LIKE 'merged %')"
)


def open_other(path: str, passphrase: str | None) -> sqlite3.Connection:
    """OTHER, a journal file, opened for reading only and checked: a medlog journal (its application id), of a
    schema this medlog knows, whose pages pass SQLite's quick_check. InputError, in one line, for anything else."""
    full = os.path.abspath(path)
    uri = file_uri(full, "ro") + ("" if os.path.exists(full + "-wal") else "&immutable=1")
    try:
        conn = open_database(uri, passphrase, isolation_level=None, check_same_thread=False)
    except errors() as exc:
        raise InputError(f"cannot open {shown(path)} ({exc}); nothing was merged") from None
    try:
        _check(conn, path, keyed=passphrase is not None)
    except BaseException:
        conn.close()
        raise
    return conn


def _check(conn: sqlite3.Connection, path: str, *, keyed: bool) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except errors() as exc:
        if keyed and "not a database" in str(exc):
            raise InputError(f"the passphrase does not open {shown(path)} (or it is not a medlog journal); "
                             "nothing was merged") from None
        raise InputError(f"{shown(path)} is neither a medlog journal nor a medlog export, or it is damaged; "
                         "nothing was merged") from None
    if app_id != APPLICATION_ID:
        raise InputError(f"{shown(path)} is an SQLite file but not a medlog journal; nothing was merged")
    if version > CURRENT_VERSION:
        raise InputError(f"{shown(path)} was written by a newer medlog (schema {version}; this one knows "
                         f"{CURRENT_VERSION}): upgrade medlog to merge it; nothing was merged")
    try:
        sound = [row[0] for row in conn.execute("PRAGMA quick_check(1)")] == ["ok"]
    except errors():
        sound = False
    if not sound:
        raise InputError(f"{shown(path)} is damaged (SQLite's check of its pages fails); nothing was merged")


def damaged(path: str) -> InputError:
    """What a read of OTHER that failed part-way says."""
    return InputError(f"{shown(path)} could not be read to the end (damaged, or changed while it was read); "
                      "nothing was merged")


def rows(conn: sqlite3.Connection, table: str) -> Iterator[tuple[object, ...]]:
    """Every row of `table` in OTHER (tombstones too), oldest first, as the export's values in its key order
    (exchange's columns; references as the referenced row's UUID). A column OTHER's older schema lacks gives the
    column's default, as an import of an older export does; a table it lacks gives no rows."""
    present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    if not present:
        return iter(())
    select, defaults = [], []
    for column in columns_of(table):
        if column.name not in present:
            select.append("?")
            defaults.append(column.default)
        elif column.references:
            select.append(f"(SELECT uuid FROM {column.references} WHERE id = t.{column.name})")
        else:
            select.append(f"t.{column.name}")
    return iter(conn.execute(f"SELECT {', '.join(select)} FROM {table} AS t ORDER BY t.id", defaults))


def undone_merge_inserts(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """UNDONE_MERGE_INSERTS of OTHER's own change log."""
    return conn.execute(UNDONE_MERGE_INSERTS.format(log="change_log")).fetchall()

