"""Reads for stock and refills (stdlib: `remind` and `due` read them, and they run often).

On hand is not stored: it is reckoned from these rows when read (domain/stock.py) — the stock events of a
substance and its doses taken since the first of them.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from medlog.domain.record import record
from medlog.domain.stock import StockEvent, Taken
from medlog.store.records import SUBSTANCE_COLUMNS, SubstanceRef, amount_of, columns, substance_of
from medlog.store.rows import db_time, from_db_time


@record
class Details:
    """A substance's refill settings and optional prescription details (substance columns, schema 6)."""

    warn_days: int | None = None  # None: the default
    pharmacy: str | None = None
    rx_number: str | None = None
    refills_left: int | None = None


DETAIL_COLUMNS = ("refill_warn_days", "pharmacy", "rx_number", "refills_left")


def stocked(conn: sqlite3.Connection) -> list[SubstanceRef]:
    """The live substances with any live stock event, by name (one query; none at all is the common case)."""
    rows = conn.execute(f"SELECT {columns(SUBSTANCE_COLUMNS, 's')} FROM substance s WHERE s.deleted_at IS NULL"
                        " AND EXISTS (SELECT 1 FROM stock_event e WHERE e.substance_id = s.id AND e.deleted_at IS"
                        " NULL) ORDER BY s.name COLLATE NOCASE")
    return [substance_of(row) for row in rows]


def events(conn: sqlite3.Connection, substance_id: int) -> list[StockEvent]:
    rows = conn.execute("SELECT kind, occurred_at, amount_value, amount_unit FROM stock_event WHERE substance_id = ?"
                        " AND deleted_at IS NULL ORDER BY occurred_at, id", (substance_id,))
    out = []
    for kind, at, value, unit in rows:
        amount = amount_of(value, unit)
        assert amount is not None  # NOT NULL in the schema
        out.append(StockEvent(kind, from_db_time(at), amount))
    return out


def taken_since(conn: sqlite3.Connection, substance_id: int, since: datetime, since_day: date) -> list[Taken]:
    """The doses of a substance taken at or after `since`, or filed on `since_day` or later (the as-needed
    average looks back further than the stock may): along the (substance_id, journal_day, …) index."""
    rows = conn.execute(
        "SELECT occurred_at, journal_day, amount_value, amount_unit, slot FROM dose WHERE substance_id = ?"
        " AND status = 'taken' AND deleted_at IS NULL AND (journal_day >= ? OR occurred_at >= ?)"
        " ORDER BY occurred_at, id", (substance_id, since_day.isoformat(), db_time(since)))
    return [Taken(from_db_time(at), date.fromisoformat(day), amount_of(value, unit), slot)
            for at, day, value, unit, slot in rows]


def details(conn: sqlite3.Connection, substance_id: int) -> Details:
    row = conn.execute(f"SELECT {', '.join(DETAIL_COLUMNS)} FROM substance WHERE id = ?", (substance_id,)).fetchone()
    return Details(*row) if row else Details()


def first_start(conn: sqlite3.Connection, substance_id: int) -> datetime | None:
    """When the substance was first started (the as-needed average looks no further back)."""
    (at,) = conn.execute("SELECT min(effective_at) FROM regimen_event WHERE substance_id = ? AND kind = 'start'"
                         " AND deleted_at IS NULL", (substance_id,)).fetchone()
    return None if at is None else from_db_time(at)


def any_stock(conn: sqlite3.Connection) -> bool:
    """Whether the journal holds any live stock event: most journals hold none, and then `due` and `remind`,
    which run often, need not load the stock code at all."""
    return conn.execute("SELECT 1 FROM stock_event WHERE deleted_at IS NULL LIMIT 1").fetchone() is not None
