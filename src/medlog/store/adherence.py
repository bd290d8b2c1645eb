"""Reads for adherence and `due` (stdlib: `due` is meant for a shell prompt)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from zoneinfo import ZoneInfo

from medlog.domain.adherence import Answer
from medlog.domain.regimen import RegimenEvent
from medlog.domain.zones import zone_named
from medlog.store.records import EVENT_COLUMNS, columns, event_of
from medlog.store.rows import db_day, from_db_time


def scheduled_substances(conn: sqlite3.Connection) -> dict[int, tuple[str, list[RegimenEvent]]]:
    """Every live substance, by name, with its regimen events (a never-scheduled one simply has no slots). One
    query for all of them: `trends` and `due` read this on every run."""
    out: dict[int, tuple[str, list[RegimenEvent]]] = {
        sid: (name, []) for sid, name in conn.execute(
            "SELECT id, name FROM substance WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE")}
    for row in conn.execute(f"SELECT {columns(EVENT_COLUMNS)}, substance_id FROM regimen_event"
                            " WHERE deleted_at IS NULL ORDER BY effective_at, id"):
        if row[-1] in out:
            out[row[-1]][1].append(event_of(row))
    return out


def answers(conn: sqlite3.Connection, since: date, until: date) -> list[Answer]:
    rows = conn.execute(
        "SELECT substance_id, journal_day, slot, status, occurred_at FROM dose WHERE slot IS NOT NULL"
        " AND deleted_at IS NULL AND journal_day BETWEEN ? AND ?", (db_day(since), db_day(until)))
    return [Answer(sid, date.fromisoformat(day), slot, status, from_db_time(at)) for sid, day, slot, status, at in rows]


_ENTRIES = ("SELECT journal_day, occurred_at AS at, zone FROM dose WHERE deleted_at IS NULL"
            " UNION ALL SELECT journal_day, occurred_at, zone FROM symptom WHERE deleted_at IS NULL"
            " UNION ALL SELECT journal_day, occurred_at, zone FROM note WHERE deleted_at IS NULL"
            " UNION ALL SELECT journal_day, recorded_at, zone FROM observation WHERE deleted_at IS NULL")


def days_kept(conn: sqlite3.Connection, since: date, until: date) -> dict[date, ZoneInfo]:
    """The journal days with any entry at all, each with the zone of its first entry (where the user was)."""
    rows = conn.execute(f"SELECT journal_day, min(at), zone FROM ({_ENTRIES}) WHERE journal_day BETWEEN ? AND ?"
                        " GROUP BY journal_day", (db_day(since), db_day(until)))
    return {date.fromisoformat(day): zone_named(zone) for day, _, zone in rows}


def last_taken(conn: sqlite3.Connection, names: list[str]) -> dict[str, datetime]:
    """The latest dose taken (UTC) of each named live substance; one never taken is absent. Each is one step back
    along the substance's (substance_id, journal_day, occurred_at) index, however long the journal."""
    if not names:
        return {}
    rows = conn.execute(
        "SELECT s.name, (SELECT d.occurred_at FROM dose d WHERE d.substance_id = s.id AND d.status = 'taken'"
        "  AND d.deleted_at IS NULL ORDER BY d.journal_day DESC, d.occurred_at DESC LIMIT 1)"
        f" FROM substance s WHERE s.deleted_at IS NULL AND s.name IN ({', '.join('?' * len(names))})", names)
    return {name: from_db_time(at) for name, at in rows if at is not None}
