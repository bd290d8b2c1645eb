"""Building the demo journal in its own file, safely."""

from __future__ import annotations

import os
import random
from datetime import date, timedelta

from medlog.domain.errors import StoreError
from medlog.domain.record import record
from medlog.services.context import Journal
from medlog.services.demo.decade import write_decade
from medlog.services.demo.recorder import SOURCE, Recorder
from medlog.services.demo.story import DAYS, write_story
from medlog.store.bulk import BulkWriter
from medlog.store.connection import connect, translate_errors, write_transaction

MAX_YEARS = 30
# The default life: its noise happens to leave the story as written (sleep quality up after magnesium, mood and
# anxiety flat). Other seeds are other lives, with their own chance ups and downs, as real journals have.
DEFAULT_SEED = 2


@record
class DemoSummary:
    path: str
    seed: int
    first_day: date
    last_day: date
    days_logged: int
    counts: dict[str, int]


def build_demo(journal: Journal, *, years: int | None = None, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Write a fresh demo journal at journal.path (replacing an earlier demo there, and nothing else)."""
    if years is not None and not 1 <= years <= MAX_YEARS:
        from medlog.domain.errors import InputError

        raise InputError(f"--years {years}: choose 1 to {MAX_YEARS}")
    _refuse_unless_demo(journal.path)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(journal.path + suffix):
            os.remove(journal.path + suffix)
    rng = random.Random(seed)
    today = journal.today()
    conn = connect(journal.path, create=True)
    try:
        with translate_errors(journal.path), write_transaction(conn):
            metric_ids = dict(conn.execute("SELECT key, id FROM metric WHERE builtin"))
            rec = Recorder(BulkWriter(conn, lambda: rec.uuid()), journal.settings, journal.now(), rng, metric_ids)
            if years is None:
                write_story(rec, today)
                first = today - timedelta(days=DAYS - 1)
            else:
                write_decade(rec, today, years)
                first = today - timedelta(days=years * 365 - 1)
            rec.writer.flush()
        conn.execute("PRAGMA optimize")
    finally:
        conn.close()
    return DemoSummary(journal.path, seed, first, today, len(rec.days), dict(rec.counts))


def _refuse_unless_demo(path: str) -> None:
    """Only a demo journal (every entry made by the demo) may be replaced."""
    if not os.path.exists(path):
        return
    conn = connect(path, create=False)  # refuses, untouched, anything that is not a medlog journal
    try:
        with translate_errors(path):
            own = conn.execute(
                "SELECT (SELECT count(*) FROM metric WHERE NOT builtin) + "
                + " + ".join(f"(SELECT count(*) FROM {table} WHERE source != ?)"
                             for table in ("regimen_event", "dose", "observation", "symptom", "note")),
                (SOURCE,) * 5).fetchone()[0]
    finally:
        conn.close()
    if own:
        raise StoreError(f"{path} holds your own entries; the demo never replaces a real journal — "
                         "give it another --db")
