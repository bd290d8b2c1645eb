"""Merging two journals (issue 19): OTHER's rows staged beside the journal, on its connection, before the merged
state is worked out (store/merge.py) — each value held to the forms medlog writes, as an import holds it.

Every journal table T gets two temporary tables in the export's form (references as UUIDs, so that rows of either
side compare as they are): `merge_in_T`, OTHER's rows as they came in, and `merge_w_T`, the merged state, filled by
store/merge.py. Neither is ever part of the journal: they go when the connection closes.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence

from medlog.domain.errors import InputError
from medlog.domain.text import shown
from medlog.store import forms
from medlog.store.catalogue import TABLES
from medlog.store.exchange import ORDER, columns_of, file_key
from medlog.store.merge_source import UNDONE_MERGE_INSERTS
from medlog.store.rows import uuid4_text

KEYS = {table: [file_key(c) for c in columns_of(table)] for table in ORDER}  # the export's keys, in column order

# Forms whose columns hold few distinct values (zones, units, statuses, days…): each value is checked once per
# column, remembered by its type and value (as members of a set 1, 1.0 and True are one, but not to a check)
_FEW = {"zone", "unit", "schedule", "clock", "amount", "number", "integer", "flag", "text", "day", "name", "key",
        "design", "assignment", "metric_keys"}
_SIMPLE = (str, int, float, type(None))
_ROW_CHECKED = {table for table in ORDER if table == "experiment" or any(c.form == "key" for c in TABLES[table])}


def _sequential_uuids() -> Callable[[], str]:
    """UUIDs for the merge's change-log entries: 90 random bits for the merge, then a counter, so that the entries'
    UUIDs follow one another in the log's unique index (appended, where random ones land all over it: ~140,000 of
    them for two 10-year journals). In medlog's form (lower-case 8-4-4-4-12, version 4 bits), and unique."""
    prefix, count = os.urandom(12), itertools.count()
    return lambda: uuid4_text(prefix + next(count).to_bytes(4, "big"))


# The merge's page cache for the journal, in KiB (SQLite's default is 2 MiB): the rows a merge adds land all over
# the journal's indexes (a day's, a substance's), and each page pushed out of a small cache is written to the -wal
# again and again. Measured on two 10-year journals: 8 MiB saves ~0.5 s of ~8 for ~13 MB more memory; more buys
# little.
CACHE_KIB = 8 * 1024


def stage(conn: sqlite3.Connection) -> None:
    """The temporary tables of a merge, on the journal's connection (gone when it closes). merge_in_T is filled
    in OTHER's order and indexed once full; merge_w_T is filled in UUID order, so that its rows and its UUID index
    are appended to rather than written all over (as a WITHOUT ROWID table keyed by UUID, every scan of it read
    pages ~20 times over)."""
    conn.create_function("medlog_uuid", 0, _sequential_uuids())
    conn.execute(f"PRAGMA main.cache_size = -{CACHE_KIB}")  # this connection's only: it closes after the merge
    for table in ORDER:
        typed = ", ".join(f"{file_key(c)} {'VARCHAR' if c.references else c.type}" for c in columns_of(table))
        conn.execute(f"CREATE TEMP TABLE merge_in_{table} ({typed})")
        conn.execute(f"CREATE TEMP TABLE merge_w_{table} ({typed}, here INT, there INT, here_live INT, "
                     "there_live INT, from_there INT, ruled INT DEFAULT 0)")
        conn.execute(f"CREATE UNIQUE INDEX temp.merge_w_{table}_uuid ON merge_w_{table} (uuid)")
    conn.execute("CREATE TEMP TABLE merge_gone (side TEXT, tbl TEXT, uuid TEXT, at TEXT)")
    conn.execute("CREATE TEMP TABLE merge_lost (tbl TEXT, uuid TEXT, why TEXT, PRIMARY KEY (tbl, uuid))")
    conn.execute("CREATE TEMP TABLE merge_moved (tbl TEXT, old TEXT, new TEXT)")
    conn.execute("CREATE TEMP TABLE merge_kept (tbl TEXT, u TEXT, snap TEXT, cur TEXT)")
    conn.execute("CREATE TEMP TABLE merge_before (b_uuid TEXT PRIMARY KEY, b_snap TEXT)")


def load(conn: sqlite3.Connection, table: str, rows: Iterable[Sequence[object]], where: str) -> int:
    """OTHER's rows of `table` (values in KEYS order) into merge_in_T, each held first to the forms medlog writes
    (the import's checks: store/forms.py); InputError naming the row for any value out of form. A UUID given
    twice keeps its first row, as an import does. `where` names OTHER in messages."""
    keys, columns = KEYS[table], columns_of(table)
    forms_of = forms.checks(table)
    typed: list[tuple[int, str, forms.Check, set[object] | None]] = [
        (i, c.name, forms_of[c.name], set() if c.form in _FEW else None) for i, c in enumerate(columns)
        if not c.references]
    refs = [i for i, c in enumerate(columns) if c.references]
    needed = [(i, c.name) for i, c in enumerate(columns) if c.not_null and c.default is None]
    whole = table in _ROW_CHECKED
    last: list[Sequence[object]] = [()]

    def checked() -> Iterator[Sequence[object]]:
        for values in rows:
            last[0] = values
            uuid = values[0]
            if not isinstance(uuid, str) or not uuid:
                raise InputError(f"a {table} row of {where} has no uuid; nothing was merged")
            try:
                for i, name, form, passed in typed:
                    value = values[i]
                    if passed is None or not isinstance(value, _SIMPLE):  # a list or an object: refused
                        forms.check(name, value, form)
                    elif (seen := (value.__class__, value)) not in passed:
                        forms.check(name, value, form)
                        passed.add(seen)
                for i in refs:
                    if values[i] is not None and not isinstance(values[i], str):
                        raise forms.BadValue(f"has {keys[i]} {values[i]!r}, which is not a UUID")
                for i, name in needed:
                    if values[i] is None:
                        raise forms.BadValue(f"has no {name}, which every {table} row needs")
                if whole:
                    forms.check_row(table, dict(zip(keys, values, strict=True)))
            except forms.BadValue as exc:
                raise InputError(f"{where}'s {table} row {shown(uuid)} {exc}; nothing was merged") from None
            yield values

    before = conn.total_changes
    try:
        conn.executemany(f"INSERT INTO merge_in_{table} VALUES ({', '.join('?' * len(keys))})", checked())
    except (UnicodeEncodeError, OverflowError):  # a lone surrogate, or an integer SQLite cannot hold
        uuid = last[0][0] if last[0] else "?"
        raise InputError(f"{where}'s {table} row {shown(str(uuid))} holds a value SQLite cannot store (text that is "
                         "not valid Unicode, or a number too large); nothing was merged") from None
    loaded = conn.total_changes - before
    conn.execute(f"CREATE INDEX temp.merge_in_{table}_uuid ON merge_in_{table} (uuid)")
    if conn.execute(f"SELECT 1 FROM merge_in_{table} GROUP BY uuid HAVING count(*) > 1 LIMIT 1").fetchone():
        conn.execute(f"DELETE FROM merge_in_{table} WHERE rowid NOT IN "
                     f"(SELECT min(rowid) FROM merge_in_{table} GROUP BY uuid)")
    return loaded


def load_gone(conn: sqlite3.Connection, there: Iterable[tuple[object, object, object]]) -> None:
    """The rows each side holds as an undone merge's insert (merge_source.UNDONE_MERGE_INSERTS): this journal's
    from its own change log, OTHER's as given."""
    conn.executemany("INSERT INTO merge_gone VALUES ('there', ?, ?, ?)",
                     ((t, u, a) for t, u, a in there if all(isinstance(v, str) for v in (t, u, a))))
    conn.execute(f"INSERT INTO merge_gone SELECT 'here', * FROM ({UNDONE_MERGE_INSERTS.format(log='main.change_log')})")
    conn.execute("CREATE INDEX temp.merge_gone_row ON merge_gone (tbl, uuid)")


_LOG_KEYS = ("batch", "at", "table_name", "row_uuid", "action", "summary", "undoes")


def gone_in_log(conn: sqlite3.Connection, entries: Iterable[object]) -> list[tuple[str, str, str]]:
    """UNDONE_MERGE_INSERTS of a change log given as an export's entries (dicts): the few entries it reads are
    staged beside the journal and asked the same query as a journal's own log."""
    conn.execute(f"CREATE TEMP TABLE merge_log_in ({', '.join(_LOG_KEYS)})")
    wanted = (tuple(e.get(k) for k in _LOG_KEYS) for e in entries if isinstance(e, dict)
              and e.get("action") in ("insert", "delete"))
    conn.executemany(f"INSERT INTO merge_log_in VALUES ({', '.join('?' * len(_LOG_KEYS))})",
                     (v for v in wanted if all(x is None or isinstance(x, str) and _storable(x) for x in v)))
    conn.execute("CREATE INDEX temp.merge_log_in_batch ON merge_log_in (batch)")
    return conn.execute(UNDONE_MERGE_INSERTS.format(log="temp.merge_log_in")).fetchall()


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not text SQLite can hold, and no entry merge looks for
        return False
    return True
