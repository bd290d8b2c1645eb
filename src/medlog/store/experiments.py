"""Self-experiments in stdlib SQL: the records, and the rows their planning, status and analysis read."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from medlog.store.records import EXPERIMENT_COLUMNS, ExperimentRecord, columns, experiment_of
from medlog.store.rows import db_day, db_time, from_db_time


def experiments(conn: sqlite3.Connection, substance_id: int | None = None) -> list[ExperimentRecord]:
    """Every live experiment (or one substance's), oldest start first."""
    where = "" if substance_id is None else " AND e.substance_id = ?"
    rows = conn.execute(f"SELECT {columns(EXPERIMENT_COLUMNS)} FROM experiment e"
                        " JOIN substance s ON s.id = e.substance_id"
                        f" WHERE e.deleted_at IS NULL{where} ORDER BY e.start_day, e.id",
                        () if substance_id is None else (substance_id,))
    return [experiment_of(row) for row in rows]


def events_within(conn: sqlite3.Connection, substance_id: int, first: datetime, last: datetime) -> list[datetime]:
    """The instants of the substance's live regimen events from `first` to `last` (inclusive)."""
    rows = conn.execute("SELECT effective_at FROM regimen_event WHERE substance_id = ? AND deleted_at IS NULL"
                        " AND effective_at BETWEEN ? AND ? ORDER BY effective_at",
                        (substance_id, db_time(first), db_time(last)))
    return [from_db_time(at) for (at,) in rows]


def planned_events(conn: sqlite3.Connection, substance_id: int, after: datetime, short: str) -> list[str]:
    """UUIDs of the live regimen events an experiment planned (its note names it) that take effect after `after`."""
    rows = conn.execute("SELECT uuid FROM regimen_event WHERE substance_id = ? AND deleted_at IS NULL"
                        " AND effective_at > ? AND substr(note, 1, ?) = ? ORDER BY effective_at",
                        (substance_id, db_time(after), len(short) + 12, f"experiment {short}:"))
    return [uuid for (uuid,) in rows]


def ratings(conn: sqlite3.Connection, metric_id: int, first: date, last: date) -> dict[date, float]:
    """A metric's live ratings from `first` to `last`, by journal day."""
    rows = conn.execute("SELECT journal_day, value FROM observation WHERE metric_id = ? AND deleted_at IS NULL"
                        " AND journal_day BETWEEN ? AND ?", (metric_id, db_day(first), db_day(last)))
    return {date.fromisoformat(day): value for day, value in rows}


def taken_days(conn: sqlite3.Connection, substance_id: int, first: date, last: date) -> set[date]:
    """The journal days from `first` to `last` with at least one dose of the substance taken."""
    rows = conn.execute("SELECT DISTINCT journal_day FROM dose WHERE substance_id = ? AND status = 'taken'"
                        " AND deleted_at IS NULL AND journal_day BETWEEN ? AND ?",
                        (substance_id, db_day(first), db_day(last)))
    return {date.fromisoformat(day) for (day,) in rows}
