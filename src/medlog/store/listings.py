"""The listings' reads in stdlib SQL: journal entries in order, and substances with their aliases and history.

`medlog log`, `substance list|show`, the exports and the TUI's History and Substances screens read through here.
One converter turns a row into its record: `Entry` for each kind of entry here; store/records.py's
`substance_of` and `event_of` for substances and regimen events. Entries come as a generator, merged in order from one
ordered query per kind, so a listing of ten years can be written while it is read, never held whole.
SQLModel (store/schema.py) describes the same tables and is the tests' reference for them; it is not imported
here, because its import alone (~0.45 s) is several times a short command's budget.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime

from medlog.domain.entries import Entry
from medlog.domain.numbers import format_decimal
from medlog.domain.record import record
from medlog.domain.regimen import RegimenEvent, RegimenState, apply, describe, is_scheduled, regimen_at
from medlog.domain.schedule import from_stored, json_fields
from medlog.domain.units import format_amount
from medlog.store.records import EVENT_COLUMNS, SUBSTANCE_COLUMNS, SubstanceRef, columns, event_of, substance_of
from medlog.store.rows import db_day, db_time, from_db_time


@record
class Range:
    """Inclusive journal-day bounds and/or instant bounds; None means open."""

    since_day: date | None = None
    until_day: date | None = None
    since_at: datetime | None = None
    until_at: datetime | None = None


# At the same instant, a regimen change comes before the dose that follows it.
ORDER = {"regimen": 0, "dose": 1, "rating": 2, "symptom": 3, "note": 4}


def entries(conn: sqlite3.Connection, bounds: Range, kinds: tuple[str, ...] = (),
            substance_id: int | None = None) -> Iterator[Entry]:
    """Every live entry in range (of the given kinds, or all), oldest first: by journal day, instant, kind
    (ORDER), then the order rows were written.

    With `substance_id`, only that substance's doses and regimen changes: the other kinds belong to the day,
    not to a substance. A generator: the connection must stay open while it is consumed.
    """
    wanted = set(kinds or ORDER)
    if substance_id is not None:
        wanted &= {"dose", "regimen"}
    histories = _Histories(conn) if wanted & {"dose", "regimen"} else None
    streams = []
    if "regimen" in wanted:
        streams.append(_regimen(conn, bounds, histories, substance_id))  # type: ignore[arg-type]
    if "dose" in wanted:
        streams.append(_doses(conn, bounds, histories, substance_id))  # type: ignore[arg-type]
    if "rating" in wanted:
        streams.append(_ratings(conn, bounds))
    if "symptom" in wanted:
        streams.append(_symptoms(conn, bounds))
    if "note" in wanted:
        streams.append(_notes(conn, bounds))
    if len(streams) == 1:
        return streams[0]
    # Each stream is in (day, instant, id) order; merging them by (day, instant, kind) gives the listing's order.
    return heapq.merge(*streams, key=_key)


def _key(entry: Entry) -> tuple[date, datetime, int]:
    return entry.day, entry.at, ORDER[entry.kind]


def _bounded(sql: str, day_col: str, at_col: str, bounds: Range, id_col: str = "id") -> tuple[str, list[str]]:
    """`sql` (which ends in a WHERE clause) narrowed to the range, ordered as the listing is."""
    params: list[str] = []
    for column, op, value in ((day_col, ">=", bounds.since_day), (day_col, "<=", bounds.until_day)):
        if value is not None:
            sql += f" AND {column} {op} ?"
            params.append(db_day(value))
    for column, op, value in ((at_col, ">=", bounds.since_at), (at_col, "<=", bounds.until_at)):
        if value is not None:
            sql += f" AND {column} {op} ?"
            params.append(db_time(value))
    return sql + f" ORDER BY {day_col}, {at_col}, {id_col}", params


class _Days:
    """Stored days and instants as values, each day parsed once (a listing meets each day many times)."""

    def __init__(self) -> None:
        self._days: dict[str, date] = {}

    def day(self, text: str) -> date:
        found = self._days.get(text)
        if found is None:
            found = self._days[text] = date.fromisoformat(text)
        return found


class _Histories:
    """Every substance's live regimen events in order, and the regimen just before each event."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.events: dict[int, list[RegimenEvent]] = {}
        self.before: dict[str, RegimenState] = {}  # event uuid → the regimen it changed
        states: dict[int, RegimenState] = {}
        rows = conn.execute(f"SELECT {columns(EVENT_COLUMNS)}, substance_id, uuid FROM regimen_event"
                            " WHERE deleted_at IS NULL ORDER BY effective_at, id")
        for row in rows:  # a journal holds a few dozen regimen events at most
            event, substance_id, uuid = event_of(row), row[6], row[7]
            self.events.setdefault(substance_id, []).append(event)
            self.before[uuid] = states.get(substance_id, RegimenState())
            states[substance_id] = apply(self.before[uuid], event)

    def at(self, substance_id: int, instant: datetime) -> RegimenState:
        return regimen_at(self.events.get(substance_id, []), instant)


def _doses(conn: sqlite3.Connection, bounds: Range, histories: _Histories,
           substance_id: int | None) -> Iterator[Entry]:
    sql = ("SELECT d.uuid, d.substance_id, d.status, d.occurred_at, d.zone, d.journal_day, d.amount_value,"
           " d.amount_unit, d.slot, d.note, d.source, s.name FROM dose d JOIN substance s ON s.id = d.substance_id"
           " WHERE d.deleted_at IS NULL")
    if substance_id is not None:
        sql += f" AND d.substance_id = {int(substance_id)}"
    sql, params = _bounded(sql, "d.journal_day", "d.occurred_at", bounds, "d.id")
    days = _Days()
    amounts: dict[tuple[float, str | None], str] = {}  # a journal has a handful of distinct amounts: each worded once
    for uuid, sid, status, occurred_at, zone, day, value, unit, slot, note, source, name in conn.execute(sql, params):
        at = from_db_time(occurred_at)
        if value is None:
            amount = None
        elif (amount := amounts.get((value, unit))) is None:
            amount = amounts[value, unit] = format_amount(value, unit)
        if slot:
            which = f" ({slot} dose)"
        else:
            which = " (extra dose)" if is_scheduled(histories.at(sid, at)) else ""
        text = f"{'took' if status == 'taken' else 'skipped'} {name}" + (f" {amount}" if amount else "") + which
        if note:
            text += f" — {note}"
        yield Entry("dose", uuid, at, zone, days.day(day), text, source, {
            "substance": name, "status": status, "amount": value, "unit": unit, "slot": slot, "note": note,
        })


def _ratings(conn: sqlite3.Connection, bounds: Range) -> Iterator[Entry]:
    scales = {}  # metric id → (key, the words before the value, after it)
    for metric_id, key, label, max_value, unit in conn.execute("SELECT id, key, label, max_value, unit FROM metric"):
        scales[metric_id] = (key, label, f"/{format_decimal(max_value)}" if not unit else f" {unit}")
    sql, params = _bounded("SELECT uuid, metric_id, value, recorded_at, zone, journal_day, source FROM observation"
                           " WHERE deleted_at IS NULL", "journal_day", "recorded_at", bounds)
    days = _Days()
    for uuid, metric_id, value, recorded_at, zone, day, source in conn.execute(sql, params):
        key, label, scale = scales[metric_id]
        yield Entry("rating", uuid, from_db_time(recorded_at), zone, days.day(day),
                    f"{label} {format_decimal(value)}{scale}", source, {"metric": key, "value": value})


def _symptoms(conn: sqlite3.Connection, bounds: Range) -> Iterator[Entry]:
    sql, params = _bounded("SELECT uuid, name, severity, occurred_at, zone, journal_day, note, source FROM symptom"
                           " WHERE deleted_at IS NULL", "journal_day", "occurred_at", bounds)
    days = _Days()
    for uuid, name, severity, occurred_at, zone, day, note, source in conn.execute(sql, params):
        yield Entry("symptom", uuid, from_db_time(occurred_at), zone, days.day(day),
                    f"symptom {name} {severity}/10" + (f" — {note}" if note else ""), source,
                    {"name": name, "severity": severity, "note": note})


def _notes(conn: sqlite3.Connection, bounds: Range) -> Iterator[Entry]:
    sql, params = _bounded("SELECT uuid, text, flagged, kind, occurred_at, zone, journal_day, source FROM note"
                           " WHERE deleted_at IS NULL", "journal_day", "occurred_at", bounds)
    days = _Days()
    # A question for the visit reads "? question: …", as a flagged note reads "⚑ note: …". Its kind is
    # `note_kind` in the details: the entry's own `kind` (note) is a key of the listing's JSON already.
    for uuid, text, flagged, kind, occurred_at, zone, day, source in conn.execute(sql, params):
        yield Entry("note", uuid, from_db_time(occurred_at), zone, days.day(day),
                    ("⚑ " if flagged else "") + ("? question: " if kind == "question" else "note: ") + text,
                    source, {"text": text, "flagged": bool(flagged), "note_kind": kind})


def _regimen(conn: sqlite3.Connection, bounds: Range, histories: _Histories,
             substance_id: int | None) -> Iterator[Entry]:
    sql = (f"SELECT {columns(EVENT_COLUMNS, 'e')}, e.uuid, e.zone, e.journal_day,"
           " e.source, s.name FROM regimen_event e JOIN substance s ON s.id = e.substance_id"
           " WHERE e.deleted_at IS NULL")
    if substance_id is not None:
        sql += f" AND e.substance_id = {int(substance_id)}"
    sql, params = _bounded(sql, "e.journal_day", "e.effective_at", bounds, "e.id")
    for row in conn.execute(sql, params):
        event = event_of(row)
        uuid, zone, day, source, name = row[6:]
        yield Entry("regimen", uuid, event.at, zone, date.fromisoformat(day),
                    describe(name, event, histories.before[uuid]), source, {
                        "substance": name, "event": event.kind, "dose": row[2], "unit": row[3],
                        **json_fields(from_stored(row[4])), "note": event.note,
                    })


def substances(conn: sqlite3.Connection) -> list[SubstanceRef]:
    """Every live substance by name, with its live aliases and its whole regimen history (planned events too)."""
    aliases: dict[int, list[str]] = {}
    for substance_id, alias in conn.execute("SELECT substance_id, alias FROM substance_alias WHERE deleted_at IS NULL"
                                            " ORDER BY id"):
        aliases.setdefault(substance_id, []).append(alias)
    events = _Histories(conn).events
    rows = conn.execute(f"SELECT {columns(SUBSTANCE_COLUMNS)} FROM substance WHERE deleted_at IS NULL"
                        " ORDER BY name_key")
    return [substance_of(row, tuple(aliases.get(row[0], ())), tuple(events.get(row[0], ()))) for row in rows]
