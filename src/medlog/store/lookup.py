"""Small stdlib reads used on the quick-log path (name matching, the regimen in force, answered slots)."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

from medlog.domain.metrics import MetricSpec
from medlog.domain.names import Candidate
from medlog.domain.record import record
from medlog.domain.regimen import RegimenEvent
from medlog.domain.schedule import from_stored
from medlog.domain.units import Amount
from medlog.store.rows import db_day, from_db_time


@record
class SubstanceRef:
    """A substance: the one record of its row, for name matching on the quick path and for listings."""

    id: int
    uuid: str
    name: str
    kind: str
    form: str | None
    strength: Amount | None
    elemental: Amount | None
    iu_mass: Amount | None = None  # the mass of one IU, when the substance defines it
    onset_lag: int | None = None  # days before a change can show (compare's after window); None: the default
    reason: str | None = None
    prescriber: str | None = None
    notes: str | None = None
    # What a listing reads besides the row (store/listings.substances); a name lookup leaves them empty, unread.
    aliases: tuple[str, ...] = ()
    events: tuple[RegimenEvent, ...] = ()


def amount_of(value: float | None, unit: str | None) -> Amount | None:
    """A stored value and unit as an Amount (exact: through the float's shortest text)."""
    return None if value is None else Amount(Decimal(str(value)), unit)


SUBSTANCE_COLUMNS = ("id, uuid, name, kind, form, strength_value, strength_unit, elemental_value, elemental_unit,"
                     " iu_mass_value, iu_mass_unit, onset_lag_days, reason, prescriber, notes")


def substance_of(row: tuple, aliases: tuple[str, ...] = (), events: tuple[RegimenEvent, ...] = ()) -> SubstanceRef:
    """A row of SUBSTANCE_COLUMNS as its record (with its aliases and events when the caller read them)."""
    return SubstanceRef(row[0], row[1], row[2], row[3], row[4], amount_of(row[5], row[6]), amount_of(row[7], row[8]),
                        amount_of(row[9], row[10]), row[11], row[12], row[13], row[14], aliases, events)


EVENT_COLUMNS = "kind, effective_at, dose_value, dose_unit, schedule, note"


def event_of(row: tuple) -> RegimenEvent:
    """A row of EVENT_COLUMNS as its record."""
    kind, at, value, unit, schedule, note = row[:6]
    return RegimenEvent(kind, from_db_time(at), amount_of(value, unit), from_stored(schedule), note)


def substance_candidates(conn: sqlite3.Connection) -> list[Candidate]:
    """Every live substance under its name and each alias, for `match_name`."""
    rows = conn.execute(f"SELECT {SUBSTANCE_COLUMNS}, name_key FROM substance WHERE deleted_at IS NULL")
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
    rows = conn.execute(f"SELECT {EVENT_COLUMNS} FROM regimen_event WHERE substance_id = ? AND deleted_at IS NULL"
                        " ORDER BY effective_at, id", (substance_id,))
    return [event_of(row) for row in rows]


def answered_slots(conn: sqlite3.Connection, substance_id: int, day: date) -> set[str]:
    rows = conn.execute(
        "SELECT slot FROM dose WHERE substance_id = ? AND journal_day = ? AND slot IS NOT NULL"
        " AND deleted_at IS NULL",
        (substance_id, db_day(day)),
    )
    return {slot for (slot,) in rows}


@record
class MetricRef:
    id: int
    spec: MetricSpec
    builtin: bool


def metrics(conn: sqlite3.Connection) -> list[MetricRef]:
    rows = conn.execute(
        "SELECT id, key, label, min_value, max_value, higher_is_better, whole_numbers, unit, builtin FROM metric"
        " WHERE deleted_at IS NULL ORDER BY builtin DESC, id"
    )
    return [
        MetricRef(row[0], MetricSpec(row[1], row[2], Decimal(str(row[3])), Decimal(str(row[4])),
                                     bool(row[5]), bool(row[6]), row[7]), bool(row[8]))
        for row in rows
    ]


def live_observation(conn: sqlite3.Connection, metric_id: int, day: date) -> tuple[str, float] | None:
    return conn.execute(
        "SELECT uuid, value FROM observation WHERE metric_id = ? AND journal_day = ? AND deleted_at IS NULL",
        (metric_id, db_day(day)),
    ).fetchone()


def symptom_names(conn: sqlite3.Connection) -> dict[str, str]:
    """name_key → the name as first written, so 'Dizziness' and 'dizziness' stay one symptom."""
    rows = conn.execute("SELECT name_key, name FROM symptom WHERE deleted_at IS NULL ORDER BY id DESC")
    return dict(rows.fetchall())
