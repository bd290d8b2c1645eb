"""Small stdlib reads used on the quick-log path (name matching, the regimen in force, answered slots).

Each entity's record and its converter from a row are store/records.py's.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from medlog.domain.names import Candidate
from medlog.domain.regimen import RegimenEvent
from medlog.store.records import (
    EVENT_COLUMNS,
    METRIC_COLUMNS,
    SUBSTANCE_COLUMNS,
    MetricRef,
    SubstanceRef,
    columns,
    event_of,
    metric_of,
    substance_of,
)
from medlog.store.rows import db_day


def substance_candidates(conn: sqlite3.Connection) -> list[Candidate]:
    """Every live substance under its name and each alias, for `match_name`."""
    rows = conn.execute(f"SELECT {columns(SUBSTANCE_COLUMNS)}, name_key FROM substance WHERE deleted_at IS NULL")
    refs: dict[int, SubstanceRef] = {}
    out: list[Candidate] = []
    for row in rows:
        refs[row[0]] = ref = substance_of(row)
        out.append(Candidate(row[-1], ref.name, ref))
    for substance_id, key in conn.execute(
        "SELECT substance_id, alias_key FROM substance_alias WHERE deleted_at IS NULL"
    ):
        if substance_id in refs:
            out.append(Candidate(key, refs[substance_id].name, refs[substance_id]))
    return out


def regimen_events(conn: sqlite3.Connection, substance_id: int) -> list[RegimenEvent]:
    rows = conn.execute(f"SELECT {columns(EVENT_COLUMNS)} FROM regimen_event WHERE substance_id = ?"
                        " AND deleted_at IS NULL ORDER BY effective_at, id", (substance_id,))
    return [event_of(row) for row in rows]


def answered_slots(conn: sqlite3.Connection, substance_id: int, day: date) -> set[str]:
    rows = conn.execute(
        "SELECT slot FROM dose WHERE substance_id = ? AND journal_day = ? AND slot IS NOT NULL"
        " AND deleted_at IS NULL",
        (substance_id, db_day(day)),
    )
    return {slot for (slot,) in rows}


def metrics(conn: sqlite3.Connection) -> list[MetricRef]:
    rows = conn.execute(f"SELECT {columns(METRIC_COLUMNS)} FROM metric WHERE deleted_at IS NULL"
                        " ORDER BY builtin DESC, id")
    return [metric_of(row) for row in rows]


def live_observation(conn: sqlite3.Connection, metric_id: int, day: date) -> tuple[str, float] | None:
    return conn.execute(
        "SELECT uuid, value FROM observation WHERE metric_id = ? AND journal_day = ? AND deleted_at IS NULL",
        (metric_id, db_day(day)),
    ).fetchone()


def symptom_names(conn: sqlite3.Connection) -> dict[str, str]:
    """name_key → the name as first written, so 'Dizziness' and 'dizziness' stay one symptom."""
    rows = conn.execute("SELECT name_key, name FROM symptom WHERE deleted_at IS NULL ORDER BY id DESC")
    return dict(rows.fetchall())


def by_substance(candidates: list[Candidate]) -> dict[int, tuple[SubstanceRef, list[str]]]:
    """The candidates grouped by substance: each live substance with every key it answers to (name and aliases),
    for what looks at a substance's names together (the name dictionary's generic of them, the starter rules)."""
    out: dict[int, tuple[SubstanceRef, list[str]]] = {}
    for candidate in candidates:
        out.setdefault(candidate.target.id, (candidate.target, []))[1].append(candidate.key)
    return out
