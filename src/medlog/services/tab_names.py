"""The journal's names a shell's Tab offers (issue 22): substances and aliases, metrics, symptoms, rules and
experiments, read without creating, migrating or unlocking anything (store/tab_names.py)."""

from __future__ import annotations

import sqlite3

from medlog.store.tab_names import READERS, open_for_names

KINDS = tuple(READERS)


def names(kind: str, path: str) -> list[tuple[str, str]]:
    """(name, what it is) of one kind in the journal at `path`; nothing when there is no journal, or it cannot be
    read at once and without a passphrase."""
    conn = open_for_names(path)
    if conn is None:
        return []
    try:
        return READERS[kind](conn)
    except sqlite3.Error:  # busy past the short wait, damaged, or from another schema: no names this time
        return []
    finally:
        conn.close()
