"""Logging a day: doses taken or skipped, ratings, symptoms, notes. The quick-log path: stdlib only."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.metrics import BUILTIN_METRICS, parse_metric_value, parse_severity, split_assignment
from medlog.domain.names import Candidate, match_name, name_key
from medlog.domain.numbers import format_decimal
from medlog.domain.record import record
from medlog.domain.regimen import RegimenState, regimen_at
from medlog.domain.text import clean_name, clean_note
from medlog.domain.units import Amount, format_amount, parse_amount, to_dose_units
from medlog.services.context import Journal
from medlog.store import lookup, writes
from medlog.store.connection import NoJournal
from medlog.store.lookup import SubstanceRef


@record
class Logged:
    """What was written, for the face to confirm in its own words."""

    summary: str
    at: datetime
    day: date
    zone: str
    notes: tuple[str, ...] = ()  # things to tell the user (a DST choice, a stopped drug)


def take(journal: Journal, name: str, amount_text: str | None = None, *, at: str | None = None,
         note: str | None = None, source: str = "cli") -> Logged:
    return _dose(journal, name, "taken", amount_text, at=at, note=note, source=source)


def skip(journal: Journal, name: str, *, at: str | None = None, reason: str | None = None,
         source: str = "cli") -> Logged:
    return _dose(journal, name, "skipped", None, at=at, note=reason, source=source)


def _dose(journal: Journal, name: str, status: str, amount_text: str | None, *, at: str | None,
          note: str | None, source: str) -> Logged:
    # Everything the user typed is checked before the journal is opened.
    query = clean_name(name, what="substance name")
    typed = parse_amount(amount_text) if amount_text is not None else None
    note = clean_note(note, what="reason" if status == "skipped" else "note") if note is not None else None
    stamp, when_note = journal.when(at)
    notes = [when_note] if when_note else []
    try:
        with journal.writing(create=False) as batch:
            substance = match_name(query, lookup.substance_candidates(batch.conn), what="substance")
            regimen = regimen_at(lookup.regimen_events(batch.conn, substance.id), stamp.at)
            amount = _dose_amount(substance, regimen, typed) if status == "taken" else None
            slot = _slot_for(journal, regimen, stamp.at, lookup.answered_slots(batch.conn, substance.id, stamp.day))
            if status == "skipped" and slot is None:
                raise InputError(_why_no_slot(substance, regimen))
            if not regimen.active:
                notes.append(f"{substance.name} was not in your regimen at that time; recorded anyway")
            what = format_amount(amount.value, amount.unit) if amount else "dose"
            verb = "took" if status == "taken" else "skipped"
            batch.summary = f"{verb} {substance.name} {what}" + (f" ({slot} dose)" if slot else "")
            writes.insert_dose(batch, substance_id=substance.id, status=status, stamp=stamp, amount=amount,
                               slot=slot, note=note, source=source)
    except NoJournal:
        raise InputError(f"no substance called {name!r}; there are none yet — add one with "
                         "'medlog substance add NAME --kind medication|supplement'") from None
    return Logged(batch.summary, stamp.at, stamp.day, stamp.zone, tuple(notes))


def _dose_amount(substance: SubstanceRef, regimen: RegimenState, typed: Amount | None) -> Amount:
    if typed is None:
        if regimen.dose is None:
            why = "has no regular dose" if regimen.active else "was not in your regimen at that time"
            raise InputError(f"{substance.name} {why}; give the amount, like "
                             f"'medlog take {substance.name.split()[0].lower()} 200mg'")
        return regimen.dose
    if typed.unit is None:  # a bare number is in the unit of the regular dose (or of the strength)
        unit = (regimen.dose or substance.strength or Amount(Decimal(0), None)).unit
        if unit is None:
            raise InputError(f"{typed.value}: give a unit, like '{typed.value} mg'")
        typed = Amount(typed.value, unit)
    # "1.5 tab" becomes mass through the strength per unit; without a strength it stays a count of tablets.
    return to_dose_units(typed, substance.strength)


def _slot_for(journal: Journal, regimen: RegimenState, at: datetime, answered: set[str]) -> str | None:
    """The scheduled slot this dose answers: the open slot of its journal day nearest to it in time."""
    if not regimen.active or regimen.schedule is None or regimen.schedule.as_needed:
        return None
    open_slots = [t for t in regimen.schedule.times if t not in answered]
    if not open_slots:
        return None
    local = at.astimezone(journal.settings.zone)
    minutes = _minutes_since_rollover(local.time(), journal.settings.rollover)
    return min(open_slots, key=lambda t: abs(_minutes_since_rollover(time.fromisoformat(t),
                                                                      journal.settings.rollover) - minutes))


def _minutes_since_rollover(clock: time, rollover: time) -> int:
    """Minutes into the journal day, so 01:30 sits after 23:00 when the day rolls over at 04:00."""
    minutes = clock.hour * 60 + clock.minute - (rollover.hour * 60 + rollover.minute)
    return minutes % (24 * 60)


def _why_no_slot(substance: SubstanceRef, regimen: RegimenState) -> str:
    if not regimen.active:
        return f"{substance.name} is not in your current regimen; there is no scheduled dose to skip"
    if regimen.schedule is None or regimen.schedule.as_needed:
        return f"{substance.name} is taken as needed; there is no scheduled dose to skip"
    return f"every scheduled {substance.name} dose of that day is already logged"


def rate(journal: Journal, assignments: list[str], *, day: str | None = None, source: str = "cli") -> Logged:
    """Record ratings for a journal day; rating a metric again that day replaces the earlier value."""
    if not assignments:
        raise InputError("give at least one rating, like mood=6")
    pairs = [split_assignment(a) for a in assignments]
    target_day = journal.day(day)
    now = journal.stamp(journal.now())
    if not os.path.exists(journal.path):
        # A new journal will hold only the built-in metrics: check against them before creating the file.
        _parse_ratings(pairs, [lookup.MetricRef(0, spec, True) for spec in BUILTIN_METRICS])
    with journal.writing() as batch:
        parsed = _parse_ratings(pairs, lookup.metrics(batch.conn))
        summary = ", ".join(f"{ref.spec.key} {format_decimal(value)}" for ref, value in parsed)
        batch.summary = f"rated {summary} for {target_day.isoformat()}"
        for ref, value in parsed:
            previous = lookup.live_observation(batch.conn, ref.id, target_day)
            if previous is not None:
                batch.delete("observation", previous[0])
            writes.insert_observation(batch, metric_id=ref.id, value=float(value), day=target_day,
                                      recorded=now, source=source)
    return Logged(batch.summary, now.at, target_day, now.zone)


def _parse_ratings(pairs: list[tuple[str, str]],
                   refs: list[lookup.MetricRef]) -> list[tuple[lookup.MetricRef, Decimal]]:
    """Every METRIC=VALUE checked against its scale; all or nothing."""
    candidates = [Candidate(ref.spec.key, ref.spec.key, ref) for ref in refs]
    parsed: dict[str, tuple[lookup.MetricRef, Decimal]] = {}
    for metric_name, value_text in pairs:
        ref = match_name(metric_name, candidates, what="metric")
        if ref.spec.key in parsed:
            raise InputError(f"{ref.spec.key} is rated twice in one command")
        parsed[ref.spec.key] = (ref, parse_metric_value(ref.spec, value_text))
    return list(parsed.values())


def symptom(journal: Journal, name: str, severity_text: str, *, at: str | None = None, note: str | None = None,
            source: str = "cli") -> Logged:
    clean = clean_name(name, what="symptom name")
    severity = parse_severity(severity_text)
    note = clean_note(note) if note is not None else None
    stamp, when_note = journal.when(at)
    key = name_key(clean)
    with journal.writing() as batch:
        display = lookup.symptom_names(batch.conn).get(key, clean)
        batch.summary = f"symptom {display} {severity}/10"
        writes.insert_symptom(batch, name=display, name_key=key, severity=severity, stamp=stamp, note=note,
                              source=source)
    return Logged(batch.summary, stamp.at, stamp.day, stamp.zone, (when_note,) if when_note else ())


def add_note(journal: Journal, text: str, *, at: str | None = None, flagged: bool = False,
             source: str = "cli") -> Logged:
    clean = clean_note(text)
    stamp, when_note = journal.when(at)
    with journal.writing() as batch:
        preview = clean if len(clean) <= 40 else clean[:39] + "…"
        batch.summary = f"{'flagged ' if flagged else ''}note “{preview}”"
        writes.insert_note(batch, text=clean, flagged=flagged, stamp=stamp, source=source)
    return Logged(batch.summary, stamp.at, stamp.day, stamp.zone, (when_note,) if when_note else ())
