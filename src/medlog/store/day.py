"""One journal day, read with the standard library (the TUI's Today screen paints from this)."""

from __future__ import annotations

import sqlite3
from datetime import date

from medlog.domain.day import DayRows
from medlog.store.lookup import metrics, regimen_events, substance_candidates
from medlog.store.rows import db_day, from_db_time


def day_rows(conn: sqlite3.Connection, day: date) -> DayRows:
    d = db_day(day)
    substances = {c.target.id: c.target for c in substance_candidates(conn)}
    doses = [
        (row[0], row[1], row[2], from_db_time(row[3]), row[4], row[5], row[6], row[7], row[8])
        for row in conn.execute(
            "SELECT uuid, substance_id, status, occurred_at, zone, amount_value, amount_unit, slot, note FROM dose"
            " WHERE journal_day = ? AND deleted_at IS NULL ORDER BY occurred_at", (d,))
    ]
    ratings = {
        key: value for key, value in conn.execute(
            "SELECT m.key, o.value FROM observation o JOIN metric m ON m.id = o.metric_id"
            " WHERE o.journal_day = ? AND o.deleted_at IS NULL", (d,))
    }
    symptoms = [
        (row[0], row[1], row[2], from_db_time(row[3]), row[4], row[5])
        for row in conn.execute(
            "SELECT uuid, name, severity, occurred_at, zone, note FROM symptom"
            " WHERE journal_day = ? AND deleted_at IS NULL ORDER BY occurred_at", (d,))
    ]
    notes = [
        (row[0], row[1], bool(row[2]), from_db_time(row[3]), row[4], row[5])
        for row in conn.execute(
            "SELECT uuid, text, flagged, occurred_at, zone, kind FROM note"
            " WHERE journal_day = ? AND deleted_at IS NULL ORDER BY occurred_at", (d,))
    ]
    return DayRows(day, list(substances.values()), {sid: regimen_events(conn, sid) for sid in substances},
                   doses, ratings, [ref.spec for ref in metrics(conn)], symptoms, notes)


def data_version(conn: sqlite3.Connection) -> int:
    """Changes whenever another connection commits to the file (how the TUI notices the CLI's writes)."""
    return conn.execute("PRAGMA data_version").fetchone()[0]
