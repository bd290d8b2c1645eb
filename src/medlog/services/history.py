"""Looking back: the entry log, and undo."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from medlog.domain.entries import Entry
from medlog.domain.errors import InputError
from medlog.domain.names import match_name
from medlog.domain.text import clean_name
from medlog.services.context import Journal
from medlog.store import changes, listings, lookup
from medlog.store.changes import UndoableBatch
from medlog.store.connection import NoJournal

DEFAULT_DAYS = 7


Bound = date | datetime  # a journal day (its entries all count), or an instant (entries from or to it)


def log(journal: Journal, *, since: Bound | None = None, until: Bound | None = None,
        kinds: tuple[str, ...] = (), substance: str | None = None) -> list[Entry]:
    """Entries from `since` to `until`, each a journal day or an instant (cli/args.bound reads either).

    Without --since: the last seven journal days, today included. With `substance` (a name, alias or
    unambiguous prefix), only its doses and regimen changes. NoJournal if there is no journal yet.
    """
    with streamed(journal, since=since, until=until, kinds=kinds, substance=substance) as found:
        return list(found)


@contextmanager
def streamed(journal: Journal, *, since: Bound | None = None, until: Bound | None = None,
             kinds: tuple[str, ...] = (), substance: str | None = None) -> Iterator[Iterator[Entry]]:
    """`log`'s entries as they are read, for a listing written while it is read (ten years of entries are
    never held at once). The journal is open inside the `with`; bad bounds and NoJournal are raised on entry."""
    since_day, since_at = _split(since) if since is not None else \
        (journal.today() - timedelta(days=DEFAULT_DAYS - 1), None)
    until_day, until_at = _split(until) if until is not None else (None, None)
    if since_day and until_day and since_day > until_day or since_at and until_at and since_at > until_at:
        raise InputError(f"--since {_said(journal, since)} comes after --until {_said(journal, until)}")
    with journal.reading() as conn:
        substance_id = None
        if substance is not None:
            substance_id = match_name(clean_name(substance, what="substance name"),
                                      lookup.substance_candidates(conn), what="substance").id
        now = journal.now()
        found = listings.entries(conn, listings.Range(since_day, until_day, since_at, until_at), kinds, substance_id)
        yield (_planned(entry, now) if entry.kind == "regimen" else entry for entry in found)


def _planned(entry: Entry, now: datetime) -> Entry:
    """A regimen change still ahead says so: '(planned)' in its text, `planned` in its details."""
    planned = entry.at > now
    return Entry(entry.kind, entry.id, entry.at, entry.zone, entry.day,
                 entry.text + (" (planned)" if planned else ""), entry.source, {**entry.details, "planned": planned})


def _split(bound: Bound) -> tuple[date | None, datetime | None]:
    return (None, bound) if isinstance(bound, datetime) else (bound, None)


def _said(journal: Journal, bound: Bound | None) -> str:
    if isinstance(bound, datetime):
        return f"{bound.astimezone(journal.settings.zone):%Y-%m-%d %H:%M}"
    return bound.isoformat() if bound is not None else ""


def undo(journal: Journal) -> UndoableBatch | None:
    """Reverse the newest change that is not already undone; what it was, or None if there is nothing."""
    try:
        with journal.writing(create=False) as batch:
            target = changes.last_undoable(batch.conn)
            if target is None:
                return None
            changes.undo(batch.conn, target, journal.now(), batch_id=batch.id)
            return target
    except NoJournal:
        return None


TABLE_OF_KIND = {"dose": "dose", "rating": "observation", "symptom": "symptom", "note": "note",
                 "regimen": "regimen_event"}


def delete(journal: Journal, kind: str, entry_id: str, text: str) -> str:
    """Delete one entry (a tombstone: undo brings it back). `text` is how the history will name it."""
    with journal.writing(create=False) as batch:
        batch.summary = f"deleted {text}"
        batch.delete(TABLE_OF_KIND[kind], entry_id)
    return batch.summary


def everything(conn: sqlite3.Connection) -> Iterator[Entry]:
    """Every live entry of the journal, oldest first, as it is read (for an export, on its open connection).
    Planned regimen changes are not marked as `log` marks them: an export says what the rows say."""
    return listings.entries(conn, listings.Range(), (), None)
