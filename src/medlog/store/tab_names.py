"""The journal's names for a shell's Tab (issue 22): read through the stdlib sqlite3, read-only, never waiting.

A Tab must feel instant and must never change anything: the file is opened `mode=ro` (SQLite never creates a
file in that mode), or `immutable=1` when no -wal is beside it (then no -shm or -wal is made either). Nothing is
migrated, no pragma is set, and no passphrase is asked for: an encrypted journal, a locked, damaged or foreign
file all give no names (`None`), and the caller says nothing.
"""

from __future__ import annotations

import os
import sqlite3
import stat

from medlog.store.sqlite_file import APPLICATION_ID, file_uri

WAIT_SECONDS = 0.2  # a writer's lock held longer than this: no names this time, rather than a Tab that hangs

Named = list[tuple[str, str]]  # (the name as typed, what it is)


def open_for_names(path: str) -> sqlite3.Connection | None:
    """A read-only connection to the journal at `path`, or None when there is none or it cannot be read plainly."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
        return None
    uri = file_uri(path, "ro")
    try:
        if os.path.getsize(path + "-wal") == 0:
            uri += "&immutable=1"
    except OSError:
        uri += "&immutable=1"  # no -wal: nothing is being written, and none may be left behind by this read
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=WAIT_SECONDS, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
            return conn
    except sqlite3.Error:
        pass  # encrypted (SQLite reads no header), damaged, or busy past WAIT_SECONDS
    conn.close()
    return None


def substances(conn: sqlite3.Connection) -> Named:
    """Every substance's name and alias (stopped ones too: they can be started), with what each is."""
    found = [(name, kind) for name, kind in conn.execute(
        "SELECT name, kind FROM substance WHERE deleted_at IS NULL")]
    found += [(alias, f"another name for {name}") for alias, name in conn.execute(
        "SELECT a.alias, s.name FROM substance_alias a JOIN substance s ON s.id = a.substance_id"
        " WHERE a.deleted_at IS NULL AND s.deleted_at IS NULL")]
    return sorted(found, key=lambda pair: pair[0].casefold())


def metrics(conn: sqlite3.Connection) -> Named:
    """The metrics days are rated on (built-in and the user's), with their labels and scales."""
    rows = conn.execute("SELECT key, label, min_value, max_value, unit FROM metric WHERE deleted_at IS NULL"
                        " ORDER BY builtin DESC, id")
    return [(key, f"{label} ({low:g}–{high:g}{' ' + unit if unit else ''})") for key, label, low, high, unit in rows]


def symptoms(conn: sqlite3.Connection) -> Named:
    """The symptoms already logged, each once (its latest spelling), the most often logged first."""
    rows = conn.execute("SELECT name, max(occurred_at), count(*) FROM symptom WHERE deleted_at IS NULL"
                        " GROUP BY name_key ORDER BY count(*) DESC, name_key")
    return [(name, f"logged {count} time{'s' if count != 1 else ''}") for name, _, count in rows]


def rules(conn: sqlite3.Connection) -> Named:
    """The safety rules by number, each with what it says."""
    from medlog.store.rules import rules as every_rule  # the rule's own wording (domain.rules), only for this kind

    return [(str(r.id), r.describe() + ("" if r.enabled else " (disabled)")) for r in every_rule(conn)]


def experiments(conn: sqlite3.Connection) -> Named:
    """The substances experimented on (an experiment is named by its substance), with the latest one's start."""
    rows = conn.execute("SELECT s.name, max(e.start_day), count(*) FROM experiment e"
                        " JOIN substance s ON s.id = e.substance_id WHERE e.deleted_at IS NULL GROUP BY s.id"
                        " ORDER BY max(e.start_day) DESC")
    return [(name, f"experiment from {start}" + (f" (and {n - 1} before)" if n > 1 else ""))
            for name, start, n in rows]


READERS = {"substances": substances, "metrics": metrics, "symptoms": symptoms, "rules": rules,
           "experiments": experiments}
