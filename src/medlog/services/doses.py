"""take and skip: the quick-log path for doses (stdlib only)."""

from __future__ import annotations

import sqlite3

from medlog.domain.dosing import choose_slot, dose_amount, dose_notes
from medlog.domain.errors import InputError
from medlog.domain.names import Unknown, match_name
from medlog.domain.regimen import RegimenState, due_schedule, regimen_at
from medlog.domain.rules import Content, Rule, Taken
from medlog.domain.rules import crossed as crossed_rules
from medlog.domain.schedule import Schedule
from medlog.domain.text import clean_name, clean_note
from medlog.domain.timeparse import When
from medlog.domain.units import Amount
from medlog.services.context import Journal, Logged, logged
from medlog.store import lookup, writes
from medlog.store import rules as rule_store
from medlog.store.changes import inserted_id
from medlog.store.connection import NoJournal
from medlog.store.records import SubstanceRef
from medlog.store.writes import Stamp


def take(journal: Journal, name: str, amount: Amount | None = None, *, at: When | None = None,
         note: str | None = None, slot: str | None = None, source: str = "cli") -> Logged:
    """Log a dose taken (`at` None: now; `amount` None: the regular dose). `slot` names the scheduled time it
    answers (the TUI's checklist); by default the open slot of its journal day nearest in time."""
    return _dose(journal, name, "taken", amount, at=at, note=note, slot=slot, source=source)


def skip(journal: Journal, name: str, *, at: When | None = None, reason: str | None = None,
         slot: str | None = None, source: str = "cli") -> Logged:
    return _dose(journal, name, "skipped", None, at=at, note=reason, slot=slot, source=source)


def _dose(journal: Journal, name: str, status: str, typed: Amount | None, *, at: When | None,
          note: str | None, slot: str | None, source: str) -> Logged:
    # Everything the user typed is checked before the journal is opened.
    query = clean_name(name, what="substance name")
    note = clean_note(note, what="reason" if status == "skipped" else "note") if note is not None else None
    stamp, when_note = journal.at(at)
    notes = [when_note] if when_note else []
    try:
        with journal.writing(create=False) as batch:
            substance = _find(batch.conn, query)
            regimen = regimen_at(lookup.regimen_events(batch.conn, substance.id), stamp.at)
            schedule = due_schedule(regimen)
            scheduled = schedule is not None
            if slot is not None and not scheduled:
                raise InputError(f"{substance.name} has no scheduled doses then")
            slot, note_about_slot = _slot(journal, batch.conn, substance, schedule, stamp, slot, status) \
                if schedule is not None else (None, None)
            if status == "skipped":
                if slot is None:
                    raise InputError(_why_no_slot(substance.name, regimen, scheduled))
                batch.summary = f"skipped {substance.name} ({slot} dose)" + (f": {note}" if note else "")
                amount = None
            else:
                amount = dose_amount(substance.name, substance.form, substance.strength, regimen, typed)
                notes += dose_notes(substance.name, amount, regimen, substance.iu_mass)
                what = f"({slot} dose)" if slot else "(extra dose)" if scheduled else ""
                batch.summary = f"took {substance.name} {amount} {what}".rstrip()
                notes += [note_about_slot] if note_about_slot else []
            if not regimen.active:
                notes.append(f"{substance.name} was not in your regimen at that time; recorded anyway")
            about = rule_store.rules_about(batch.conn, substance.id) if status == "taken" else []
            crossed = _rules_crossed(batch.conn, substance, stamp, amount, about)
            row = batch.insert(writes.dose_row(substance_id=substance.id, status=status, stamp=stamp, amount=amount,
                                               slot=slot, note=note, source=source))
            if about:  # kept for the visit report; an interaction not told yet is told now
                from medlog.services import interactions  # only with rules about it: not on take's usual path

                interactions.keep(batch, stamp, crossed, inserted_id(row))
                told = interactions.tell(batch, substance.id, stamp, about, dose_id=inserted_id(row))
            else:
                told = []
    except NoJournal:
        raise InputError(f"no substance called {name!r}; there are none yet — add one with "
                         "'medlog substance add NAME --kind medication|supplement'") from None
    return logged(batch.summary, stamp, *notes, warnings=[line for _, line in crossed] + told)


def _find(conn: sqlite3.Connection, query: str) -> SubstanceRef:
    """The journal's substance by name, alias or prefix; a name it does not know, through the name dictionary
    (services/naming.py, imported only then: the quick-log path's usual way reads no dictionary)."""
    try:
        found: SubstanceRef = match_name(query, lookup.substance_candidates(conn), what="substance")
        return found
    except Unknown:
        from medlog.services.naming import find_substance

        return find_substance(conn, query)


def _rules_crossed(conn: sqlite3.Connection, substance: SubstanceRef, stamp: Stamp, amount: Amount | None,
                   about: list[Rule]) -> list[tuple[Rule, str]]:
    """The safety rules about this substance the new dose crosses; read before the new dose is inserted."""
    if not about:
        return []  # the usual case: one small query
    ids = {substance.id} | {r.substance_id for r in about} | {r.other_id for r in about if r.other_id}
    new = Taken(substance.id, stamp.at, stamp.day, amount)
    # only a daily maximum reads a content, and only the logged substance's: the ref already holds it
    content = {substance.id: Content(substance.strength, substance.elemental, substance.iu_mass)}
    return crossed_rules(about, new, rule_store.taken_around(conn, ids, stamp.at), content)


def _slot(journal: Journal, conn: sqlite3.Connection, substance: SubstanceRef, schedule: Schedule,
          stamp: Stamp, asked: str | None, status: str) -> tuple[str | None, str | None]:
    """The scheduled slot a dose answers — the one asked for (the TUI's checklist), else the open slot of its
    journal day nearest in time — and a note when it answers none (a day off, every slot already logged)."""
    if not schedule.falls_on(stamp.day):
        if status == "skipped" or asked is not None:
            raise InputError(f"{substance.name} is not due on {stamp.day:%a %Y-%m-%d} (its schedule: {schedule})")
        return None, (f"{substance.name} is not due on {stamp.day:%a %d %b} (its schedule: {schedule}); "
                      "recorded as an extra dose")
    answered = lookup.answered_slots(conn, substance.id, stamp.day)
    if asked is not None:
        if asked not in schedule.times or asked in answered:
            raise InputError(f"{substance.name} has no open {asked} dose on {stamp.day:%a %Y-%m-%d}")
        return asked, None
    local = stamp.at.astimezone(journal.settings.zone).time()
    slot = choose_slot(schedule.times, answered, local, journal.settings.rollover)
    if slot is None and status == "taken":
        return None, (f"every scheduled {substance.name} dose of {stamp.day:%a %d %b} was already logged; "
                      "recorded as an extra dose")
    return slot, None


def _why_no_slot(name: str, regimen: RegimenState, scheduled: bool) -> str:
    if not regimen.active:
        return f"{name} is not in your regimen at that time; there is no scheduled dose to skip"
    if not scheduled:
        return f"{name} is taken as needed; there is no scheduled dose to skip"
    return f"every scheduled {name} dose of that day is already logged"
