"""Reads for the safety rules: the rules about a substance, and the taken doses around a new one (stdlib)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from medlog.domain.rules import LOOKAROUND, Rule, Taken
from medlog.store.records import RULE_COLUMNS, amount_of, columns
from medlog.store.records import rule_of as _rule
from medlog.store.rows import db_time, from_db_time

_RULE_SELECT = (
    f"SELECT {columns(RULE_COLUMNS)}"
    " FROM rule r JOIN substance s ON s.id = r.substance_id LEFT JOIN substance o ON o.id = r.other_substance_id"
    " WHERE r.deleted_at IS NULL"
)


def rules(conn: sqlite3.Connection) -> list[Rule]:
    return [_rule(row) for row in conn.execute(_RULE_SELECT + " ORDER BY r.id")]


def rule(conn: sqlite3.Connection, rule_id: int) -> Rule | None:
    row = conn.execute(_RULE_SELECT + " AND r.id = ?", (rule_id,)).fetchone()
    return None if row is None else _rule(row)


def rules_about(conn: sqlite3.Connection, substance_id: int) -> list[Rule]:
    """The enabled rules a dose of this substance can cross (as NAME, or as the OTHER of a spacing rule)."""
    rows = conn.execute(_RULE_SELECT + " AND r.enabled AND (r.substance_id = ? OR r.other_substance_id = ?)",
                        (substance_id, substance_id))
    return [_rule(row) for row in rows]


def taken_around(conn: sqlite3.Connection, substance_ids: set[int], at: datetime) -> list[Taken]:
    """Live taken doses of these substances within LOOKAROUND of `at` (the index on substance and day serves)."""
    marks = ",".join("?" * len(substance_ids))
    rows = conn.execute(
        f"SELECT substance_id, occurred_at, journal_day, amount_value, amount_unit FROM dose"
        f" WHERE substance_id IN ({marks}) AND status = 'taken' AND deleted_at IS NULL"
        f" AND occurred_at BETWEEN ? AND ?",
        (*substance_ids, db_time(at - LOOKAROUND), db_time(at + LOOKAROUND)),
    )

    return [Taken(sid, from_db_time(when), date.fromisoformat(day), amount_of(value, unit))
            for sid, when, day, value, unit in rows]


def warned_rules(conn: sqlite3.Connection, rule_ids: list[int]) -> set[int]:
    """Which of these rules have a live warning kept in the journal (an interaction is told once)."""
    marks = ",".join("?" * len(rule_ids))
    rows = conn.execute(f"SELECT DISTINCT rule_id FROM rule_warning WHERE deleted_at IS NULL AND rule_id IN ({marks})",
                        rule_ids)
    return {rule_id for (rule_id,) in rows}
