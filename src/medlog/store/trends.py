"""Aggregates for the weekly trends, computed by SQLite (stdlib: `medlog trends` stays a small process).

Weeks are counted back from a journal day `end`: week 0 is the seven journal days ending on `end`, week 1 the
seven before, and so on — the same weeks `medlog adherence` reports. Grouping happens in SQL over the stored
journal day (DESIGN §8: never a date library per row in Python).
"""

from __future__ import annotations

import sqlite3
from datetime import date

from medlog.domain.regimen import RegimenEvent
from medlog.store.records import EVENT_COLUMNS, columns, event_of
from medlog.store.rows import db_day

# whole weeks back from the end day: julianday differences are exact for dates
_WEEK = "CAST((julianday(:end) - julianday(journal_day)) AS INTEGER) / 7"


def metric_weeks(conn: sqlite3.Connection, since: date, end: date) -> list[tuple]:
    """Per metric key and week: (key, week, days logged, mean, min, max, values as text) — the values give the
    median (at most seven a week)."""
    return conn.execute(
        f"SELECT m.key, {_WEEK} AS week, count(*), avg(o.value), min(o.value), max(o.value), group_concat(o.value)"
        " FROM observation o JOIN metric m ON m.id = o.metric_id"
        " WHERE o.deleted_at IS NULL AND o.journal_day BETWEEN :since AND :end"
        " GROUP BY m.key, week", {"since": db_day(since), "end": db_day(end)}).fetchall()


def symptom_weeks(conn: sqlite3.Connection, since: date, end: date) -> list[tuple]:
    """Per symptom and week: (name, week, times reported, days with it, mean severity, worst severity)."""
    return conn.execute(
        f"SELECT min(name), {_WEEK} AS week, count(*), count(DISTINCT journal_day), avg(severity), max(severity)"
        " FROM symptom WHERE deleted_at IS NULL AND journal_day BETWEEN :since AND :end"
        " GROUP BY name_key, week", {"since": db_day(since), "end": db_day(end)}).fetchall()


def dose_weeks(conn: sqlite3.Connection, since: date, end: date) -> list[tuple]:
    """Per substance and week: (substance name, week, doses taken, doses skipped, as-needed doses taken)."""
    return conn.execute(
        f"SELECT (SELECT name FROM substance WHERE id = substance_id), {_WEEK} AS week, sum(status = 'taken'),"
        " sum(status = 'skipped'), sum(status = 'taken' AND slot IS NULL)"
        " FROM dose WHERE deleted_at IS NULL AND journal_day BETWEEN :since AND :end"
        " GROUP BY substance_id, week", {"since": db_day(since), "end": db_day(end)}).fetchall()


def logged_days(conn: sqlite3.Connection, since: date, end: date) -> set[str]:
    """Journal days with any entry at all (what 'days logged' and data completeness count)."""
    params = {"since": db_day(since), "end": db_day(end)}
    where = "deleted_at IS NULL AND journal_day BETWEEN :since AND :end"
    return {row[0] for row in conn.execute(
        " UNION ".join(f"SELECT journal_day FROM {table} WHERE {where}"
                       for table in ("observation", "dose", "symptom", "note")), params)}


def first_day(conn: sqlite3.Connection) -> date | None:
    """The journal day of the journal's first entry or regimen event (None for an empty journal)."""
    where = "deleted_at IS NULL"
    found = conn.execute("SELECT min(d) FROM (" + " UNION ALL ".join(
        f"SELECT min(journal_day) AS d FROM {table} WHERE {where}"
        for table in ("observation", "dose", "symptom", "note", "regimen_event")) + ")").fetchone()[0]
    return date.fromisoformat(found) if found else None


def regimen_histories(conn: sqlite3.Connection) -> dict[str, list[tuple[date, RegimenEvent]]]:
    """Every live substance's regimen events with the journal day each was filed under, by substance name."""
    out: dict[str, list[tuple[date, RegimenEvent]]] = {}
    for row in conn.execute(
        f"SELECT {columns(EVENT_COLUMNS, 'e')}, e.journal_day, s.name FROM regimen_event e"
        " JOIN substance s ON s.id = e.substance_id"
        " WHERE e.deleted_at IS NULL AND s.deleted_at IS NULL ORDER BY e.effective_at, e.id"
    ):
        out.setdefault(row[-1], []).append((date.fromisoformat(row[-2]), event_of(row)))
    return out


def daily_values(conn: sqlite3.Connection, since: date, until: date) -> dict[str, dict[date, float]]:
    """Per metric key, journal day → the rating of that day (one per metric and day at most), in [since, until]."""
    out: dict[str, dict[date, float]] = {}
    days: dict[str, date] = {}  # each day's text parsed once: every metric repeats it (10 years: 6 × 3,650 rows)
    for key, day, value in conn.execute(
        "SELECT m.key, o.journal_day, o.value FROM observation o JOIN metric m ON m.id = o.metric_id"
        " WHERE o.deleted_at IS NULL AND o.journal_day BETWEEN ? AND ?", (db_day(since), db_day(until))):
        when = days.get(day)
        if when is None:
            when = days[day] = date.fromisoformat(day)
        out.setdefault(key, {})[when] = value
    return out


def daily_doses(conn: sqlite3.Connection, substance_id: int, since: date, until: date) -> list[tuple]:
    """Doses of one substance taken in [since, until], per journal day and unit: (day, unit, total of the
    amounts, doses, doses without an amount). The caller converts units (a day may mix mg and tablets)."""
    return conn.execute(
        "SELECT journal_day, amount_unit, sum(amount_value), count(*), sum(amount_value IS NULL) FROM dose"
        " WHERE deleted_at IS NULL AND status = 'taken' AND substance_id = ? AND journal_day BETWEEN ? AND ?"
        " GROUP BY journal_day, amount_unit", (substance_id, db_day(since), db_day(until))).fetchall()
