"""The richer reads, through SQLModel: entry listings, substances with their history, metrics.

Heavy to import (SQLModel): used by listings, the TUI and reports, never by the quick-log path. Each query
runs on a connection the caller opened with medlog's pragmas; nothing holds a read transaction open.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine, select

from medlog.domain.entries import Entry
from medlog.domain.numbers import format_decimal
from medlog.domain.record import record
from medlog.domain.regimen import RegimenEvent as Event
from medlog.domain.regimen import RegimenState, apply, describe, is_scheduled, regimen_at
from medlog.domain.schedule import from_stored, json_fields
from medlog.domain.units import Amount, format_amount
from medlog.store.lookup import amount_of
from medlog.store.schema import Dose, Metric, Note, Observation, RegimenEvent, Substance, SubstanceAlias, Symptom


def session(conn: sqlite3.Connection) -> Session:
    """A SQLModel session over an already-open, already-checked medlog connection."""
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
    return Session(engine)


@record
class Range:
    """Inclusive journal-day bounds and/or instant bounds; None means open."""

    since_day: date | None = None
    until_day: date | None = None
    since_at: datetime | None = None
    until_at: datetime | None = None


def _text_amount(value: float | None, unit: str | None) -> str | None:
    return None if value is None else format_amount(value, unit)


def _bounded(query, day_col, at_col, bounds: Range):  # type: ignore[no-untyped-def]
    if bounds.since_day is not None:
        query = query.where(day_col >= bounds.since_day)
    if bounds.until_day is not None:
        query = query.where(day_col <= bounds.until_day)
    if bounds.since_at is not None:
        query = query.where(at_col >= bounds.since_at)
    if bounds.until_at is not None:
        query = query.where(at_col <= bounds.until_at)
    return query


def entries(conn: sqlite3.Connection, bounds: Range, kinds: tuple[str, ...] = (),
            substance_id: int | None = None) -> list[Entry]:
    """Every live entry in range (of the given kinds, or all), oldest first.

    With `substance_id`, only that substance's doses and regimen changes: the other kinds belong to the day,
    not to a substance. Rows are read as columns, not ORM objects: ten years of doses load several times
    faster that way.
    """
    wanted = set(kinds or _ORDER)
    if substance_id is not None:
        wanted &= {"dose", "regimen"}
    with session(conn) as s:
        histories = _Histories(s) if wanted & {"dose", "regimen"} else None
        out: list[Entry] = []
        if "dose" in wanted:
            out += _doses(s, bounds, histories, substance_id)  # type: ignore[arg-type]
        if "rating" in wanted:
            out += _ratings(s, bounds)
        if "symptom" in wanted:
            out += _symptoms(s, bounds)
        if "note" in wanted:
            out += _notes(s, bounds)
        if "regimen" in wanted:
            out += _regimen(s, bounds, histories, substance_id)  # type: ignore[arg-type]
    return sorted(out, key=lambda e: (e.day, e.at, _ORDER[e.kind]))


# At the same instant, a regimen change comes before the dose that follows it.
_ORDER = {"regimen": 0, "dose": 1, "rating": 2, "symptom": 3, "note": 4}


class _Histories:
    """Every substance's live regimen events in order, and the regimen just before each event."""

    def __init__(self, s: Session) -> None:
        self.events: dict[int, list[Event]] = {}
        self.before: dict[str, RegimenState] = {}  # event uuid → the regimen it changed
        states: dict[int, RegimenState] = {}
        query = select(RegimenEvent).where(RegimenEvent.deleted_at.is_(None)).order_by(  # type: ignore[union-attr]
            RegimenEvent.effective_at, RegimenEvent.id)
        for row in s.exec(query):  # a journal holds a few dozen regimen events at most
            event = _event(row)
            self.events.setdefault(row.substance_id, []).append(event)
            self.before[row.uuid] = states.get(row.substance_id, RegimenState())
            states[row.substance_id] = apply(self.before[row.uuid], event)

    def at(self, substance_id: int, instant: datetime) -> RegimenState:
        return regimen_at(self.events.get(substance_id, []), instant)


def _event(row: RegimenEvent) -> Event:
    return Event(row.kind, row.effective_at, amount_of(row.dose_value, row.dose_unit), from_stored(row.schedule),
                 row.note)


def _doses(s: Session, bounds: Range, histories: _Histories, substance_id: int | None) -> list[Entry]:
    query = select(Dose.uuid, Dose.substance_id, Dose.status, Dose.occurred_at, Dose.zone, Dose.journal_day,
                   Dose.amount_value, Dose.amount_unit, Dose.slot, Dose.note, Dose.source, Substance.name).join(
        Substance).where(Dose.deleted_at.is_(None))  # type: ignore[union-attr]
    if substance_id is not None:
        query = query.where(Dose.substance_id == substance_id)
    out = []
    for dose in s.exec(_bounded(query, Dose.journal_day, Dose.occurred_at, bounds)):
        name = dose.name
        amount = _text_amount(dose.amount_value, dose.amount_unit)
        verb = "took" if dose.status == "taken" else "skipped"
        if dose.slot:
            which = f" ({dose.slot} dose)"
        else:
            which = " (extra dose)" if is_scheduled(histories.at(dose.substance_id, dose.occurred_at)) else ""
        text = f"{verb} {name}" + (f" {amount}" if amount else "") + which
        if dose.note:
            text += f" — {dose.note}"
        out.append(Entry("dose", dose.uuid, dose.occurred_at, dose.zone, dose.journal_day, text, dose.source, {
            "substance": name, "status": dose.status, "amount": dose.amount_value, "unit": dose.amount_unit,
            "slot": dose.slot, "note": dose.note,
        }))
    return out


def _ratings(s: Session, bounds: Range) -> list[Entry]:
    metrics = {m.id: m for m in s.exec(select(Metric))}
    query = select(Observation.uuid, Observation.metric_id, Observation.value, Observation.recorded_at,
                   Observation.zone, Observation.journal_day, Observation.source).where(
        Observation.deleted_at.is_(None))  # type: ignore[union-attr]
    out = []
    for obs in s.exec(_bounded(query, Observation.journal_day, Observation.recorded_at, bounds)):
        metric = metrics[obs.metric_id]
        value = format_decimal(obs.value)
        scale = f"/{format_decimal(metric.max_value)}" if not metric.unit else f" {metric.unit}"
        out.append(Entry("rating", obs.uuid, obs.recorded_at, obs.zone, obs.journal_day,
                         f"{metric.label} {value}{scale}", obs.source, {"metric": metric.key, "value": obs.value}))
    return out


def _symptoms(s: Session, bounds: Range) -> list[Entry]:
    query = select(Symptom.uuid, Symptom.name, Symptom.severity, Symptom.occurred_at, Symptom.zone,
                   Symptom.journal_day, Symptom.note, Symptom.source).where(
        Symptom.deleted_at.is_(None))  # type: ignore[union-attr]
    return [
        Entry("symptom", row.uuid, row.occurred_at, row.zone, row.journal_day,
              f"symptom {row.name} {row.severity}/10" + (f" — {row.note}" if row.note else ""), row.source,
              {"name": row.name, "severity": row.severity, "note": row.note})
        for row in s.exec(_bounded(query, Symptom.journal_day, Symptom.occurred_at, bounds))
    ]


def _notes(s: Session, bounds: Range) -> list[Entry]:
    query = select(Note.uuid, Note.text, Note.flagged, Note.kind, Note.occurred_at, Note.zone, Note.journal_day,
                   Note.source).where(Note.deleted_at.is_(None))  # type: ignore[union-attr]
    # A question for the visit reads "? question: …", as a flagged note reads "⚑ note: …". Its kind is
    # `note_kind` in the details: the entry's own `kind` (note) is a key of the listing's JSON already.
    return [
        Entry("note", row.uuid, row.occurred_at, row.zone, row.journal_day,
              ("⚑ " if row.flagged else "") + ("? question: " if row.kind == "question" else "note: ") + row.text,
              row.source, {"text": row.text, "flagged": row.flagged, "note_kind": row.kind})
        for row in s.exec(_bounded(query, Note.journal_day, Note.occurred_at, bounds))
    ]


def _regimen(s: Session, bounds: Range, histories: _Histories, substance_id: int | None) -> list[Entry]:
    query = select(RegimenEvent, Substance.name).join(Substance).where(
        RegimenEvent.deleted_at.is_(None))  # type: ignore[union-attr]
    if substance_id is not None:
        query = query.where(RegimenEvent.substance_id == substance_id)
    out = []
    for event, name in s.exec(_bounded(query, RegimenEvent.journal_day, RegimenEvent.effective_at, bounds)):
        schedule = from_stored(event.schedule)
        out.append(Entry("regimen", event.uuid, event.effective_at, event.zone, event.journal_day,
                         describe(name, _event(event), histories.before[event.uuid]), event.source, {
                             "substance": name, "event": event.kind, "dose": event.dose_value,
                             "unit": event.dose_unit, **json_fields(schedule), "note": event.note,
                         }))
    return out


@record
class SubstanceInfo:
    uuid: str
    name: str
    kind: str
    form: str | None
    strength: Amount | None
    elemental: Amount | None
    reason: str | None
    prescriber: str | None
    notes: str | None
    aliases: tuple[str, ...]
    events: tuple[Event, ...]
    iu_mass: Amount | None = None  # the mass of one IU, when the substance defines it
    onset_lag: int | None = None  # days before a change can show, for compare; None: the default


def substances(conn: sqlite3.Connection) -> list[SubstanceInfo]:
    with session(conn) as s:
        rows = s.exec(select(Substance).where(Substance.deleted_at.is_(None)).order_by(  # type: ignore[union-attr]
            Substance.name_key)).all()
        aliases: dict[int, list[str]] = {}
        for alias in s.exec(select(SubstanceAlias).where(SubstanceAlias.deleted_at.is_(None))):  # type: ignore[union-attr]
            aliases.setdefault(alias.substance_id, []).append(alias.alias)
        events = _Histories(s).events
        return [
            SubstanceInfo(row.uuid, row.name, row.kind, row.form, amount_of(row.strength_value, row.strength_unit),
                          amount_of(row.elemental_value, row.elemental_unit), row.reason, row.prescriber, row.notes,
                          tuple(aliases.get(row.id or 0, ())), tuple(events.get(row.id or 0, ())),
                          amount_of(row.iu_mass_value, row.iu_mass_unit), row.onset_lag_days)
            for row in rows
        ]

