"""The Today screen's use cases: read a day, and notice writes from elsewhere."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import date

from medlog.domain.day import DayRows, DayView, build_day, read_at
from medlog.services.context import Journal
from medlog.store.connection import NoJournal, connect, translate_errors
from medlog.store.day import data_version, day_rows


def day_view(journal: Journal, day: date) -> DayView:
    """Everything logged on a journal day, with its scheduled slots (an empty day before any journal exists)."""
    try:
        with journal.reading() as conn:
            rows = day_rows(conn, day)
    except NoJournal:
        from medlog.domain.metrics import BUILTIN_METRICS

        rows = DayRows(day, [], {}, [], {}, list(BUILTIN_METRICS), [], [])
    return build_day(rows, noon=read_at(day, journal.settings.zone, journal.now()))


def active_substances(journal: Journal) -> list[str]:
    """Names of the substances in the regimen now (the command palette's "log …"), read without SQLModel."""
    from medlog.domain.regimen import regimen_at
    from medlog.store import lookup

    try:
        with journal.reading() as conn:
            refs = {c.target.id: c.target for c in lookup.substance_candidates(conn)}
            now = journal.now()
            return sorted((ref.name for ref in refs.values()
                           if regimen_at(lookup.regimen_events(conn, ref.id), now).active), key=str.casefold)
    except NoJournal:
        return []


class Watcher:
    """Holds one idle connection (no transaction open) and says when someone else has written."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.conn: sqlite3.Connection | None = None
        self.version: int | None = None
        # Checks run in worker threads, and cancelling a thread worker does not stop its thread: a check may still
        # be using the connection when the app quits and closes it (closing it under a running statement crashed
        # the process). One lock makes checks and close take turns; once closed, checks answer "no change".
        self._lock = threading.Lock()
        self._closed = False
        self._absent = False  # no journal yet when last asked: the first write (say, from the CLI) creates it
        self._file: tuple[int, ...] | None = None  # the journal file's identity, size and time when last asked

    def changed(self) -> bool:
        with self._lock:
            if self._closed:
                return False
            # A journal deleted, moved away, replaced or written over while watched: the open connection still
            # reads the old file (or its cache of it), whose data_version does not change. Say it changed (the
            # screens read it again, and say what they find), and watch whatever is at the path now. (A
            # checkpoint of the WAL also changes the file: one needless reload.)
            file = _identity(self.journal.path)
            replaced = self._file is not None and file != self._file
            self._file = file
            if replaced and self.conn is not None:
                self.conn.close()
                self.conn, self.version = None, None
            if self.conn is None:
                try:
                    self.conn = connect(self.journal.path, create=False)
                except NoJournal:
                    self._absent = True
                    return replaced
            with translate_errors(self.journal.path):
                version = data_version(self.conn)
            # A journal that has come into being while watched has changed: there was none to show before.
            changed = version != self.version if self.version is not None else self._absent or replaced
            self.version = version
            return changed

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self.conn is not None:
                self.conn.close()
                self.conn = None


def _identity(path: str) -> tuple[int, ...] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns
