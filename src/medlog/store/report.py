"""The visit report's reads that no other view makes (stdlib: `medlog report` stays a small process)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from medlog.store.rows import db_day, from_db_time


def substance_details(conn: sqlite3.Connection) -> dict[str, tuple[str, str | None, str | None]]:
    """Per live substance name: (kind, reason, prescriber)."""
    return {name: (kind, reason, prescriber) for name, kind, reason, prescriber in conn.execute(
        "SELECT name, kind, reason, prescriber FROM substance WHERE deleted_at IS NULL")}


def skip_reasons(conn: sqlite3.Connection, since: date, until: date) -> list[tuple[str, str, int]]:
    """(substance name, reason, times) for the skipped doses that gave a reason, most frequent first."""
    return conn.execute(
        "SELECT s.name, d.note, count(*) AS n FROM dose d JOIN substance s ON s.id = d.substance_id"
        " WHERE d.deleted_at IS NULL AND d.status = 'skipped' AND d.note IS NOT NULL"
        " AND d.journal_day BETWEEN ? AND ? GROUP BY s.name, d.note ORDER BY n DESC, d.note",
        (db_day(since), db_day(until))).fetchall()


def unscheduled_doses(conn: sqlite3.Connection, since: date,
                      until: date) -> list[tuple[str, int, int, int, datetime]]:
    """(substance name, doses, days, most in a day, the last one's instant) of the doses taken outside a schedule
    (as needed or extra)."""
    rows = conn.execute(
        "SELECT name, sum(n), count(*), max(n), max(last) FROM ("
        "  SELECT s.name AS name, d.journal_day, count(*) AS n, max(d.occurred_at) AS last"
        "  FROM dose d JOIN substance s ON s.id = d.substance_id"
        "  WHERE d.deleted_at IS NULL AND d.status = 'taken' AND d.slot IS NULL AND d.journal_day BETWEEN ? AND ?"
        "  GROUP BY s.name, d.journal_day) GROUP BY name ORDER BY name",
        (db_day(since), db_day(until)))
    return [(name, doses, days, most, from_db_time(last)) for name, doses, days, most, last in rows]


def dose_instants(conn: sqlite3.Connection, since: date, until: date) -> dict[str, list[datetime]]:
    """Per substance name, the instants (UTC) of the doses taken in the range, oldest first."""
    out: dict[str, list[datetime]] = {}
    for name, at in conn.execute(
        "SELECT s.name, d.occurred_at FROM dose d JOIN substance s ON s.id = d.substance_id"
        " WHERE d.deleted_at IS NULL AND d.status = 'taken' AND d.journal_day BETWEEN ? AND ?"
        " ORDER BY d.occurred_at", (db_day(since), db_day(until))):
        out.setdefault(name, []).append(from_db_time(at))
    return out


def symptoms(conn: sqlite3.Connection, since: date, until: date) -> list[tuple[str, int, datetime, str]]:
    """(name as first written, severity, instant, journal day) of every symptom in the range, by name and time."""
    rows = conn.execute(
        "SELECT name_key, name, severity, occurred_at, journal_day FROM symptom"
        " WHERE deleted_at IS NULL AND journal_day BETWEEN ? AND ? ORDER BY name_key, occurred_at",
        (db_day(since), db_day(until))).fetchall()
    first: dict[str, str] = {}
    return [(first.setdefault(key, name), severity, from_db_time(at), day) for key, name, severity, at, day in rows]


def notes_for_visit(conn: sqlite3.Connection, since: date, until: date) -> list[tuple[str, str, datetime, str]]:
    """(kind, text, instant, zone) of the notes flagged for the clinician and the questions, oldest first."""
    return [(kind, text, from_db_time(at), zone) for kind, text, at, zone in conn.execute(
        "SELECT kind, text, occurred_at, zone FROM note WHERE deleted_at IS NULL"
        " AND (flagged OR kind = 'question') AND journal_day BETWEEN ? AND ? ORDER BY occurred_at",
        (db_day(since), db_day(until)))]



def rule_warnings(conn: sqlite3.Connection, since: date, until: date) -> list[tuple[int, date, date, int]]:
    """The safety warnings kept in the range, by rule: its id, first and last journal day, how many."""
    rows = conn.execute("SELECT rule_id, min(journal_day), max(journal_day), count(*) FROM rule_warning"
                        " WHERE deleted_at IS NULL AND journal_day BETWEEN ? AND ?"
                        " GROUP BY rule_id ORDER BY min(journal_day), rule_id", (db_day(since), db_day(until)))
    return [(rule_id, date.fromisoformat(first), date.fromisoformat(last), n) for rule_id, first, last, n in rows]
