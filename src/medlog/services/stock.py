"""Stock and refills (issue 20): packs added, counts set, what is on hand and when a refill is needed.

On hand is reckoned when read (domain/stock.py), never stored, so `take` does no extra work and an undone or
deleted dose, an edited time or a merged device's doses are counted right without anything to keep in step.
Stdlib only: `due` and `remind` read refills_due, and both run often.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from decimal import Decimal

from medlog.domain import stock as rules
from medlog.domain.errors import InputError
from medlog.domain.names import match_name
from medlog.domain.record import record
from medlog.domain.regimen import regimen_at
from medlog.domain.text import clean_name, clean_note
from medlog.domain.timeparse import When
from medlog.domain.units import Amount, format_amount
from medlog.services.context import Journal, Logged, logged
from medlog.store import lookup, writes
from medlog.store import stock as reads
from medlog.store.changes import Batch
from medlog.store.connection import NoJournal
from medlog.store.records import SubstanceRef
from medlog.store.stock import Details
from medlog.store.writes import Stamp


@record
class StockView:
    """One substance's stock, as `medlog stock` shows it."""

    name: str
    on_hand: Amount
    since: datetime  # the count or first pack it is reckoned from (UTC)
    per_day: Decimal | None  # use a day in the stock's unit: the schedule's and the as-needed average
    days_left: Decimal | None
    run_out: date | None
    warn_days: int
    refill: bool  # a refill is needed: the run-out date is within warn_days (or past)
    uncounted: int  # doses in a unit the stock's does not convert to (left out)
    short: Decimal  # how much more was taken than the stock held (0 when it held enough)
    details: Details


@record
class RefillDue:
    """A substance whose run-out date is within its warning days (or which has run out)."""

    name: str
    on_hand: Amount
    days_left: Decimal | None
    run_out: date | None
    warn_days: int


def refills_due(journal: Journal, today: date) -> list[RefillDue]:
    """The substances a refill is needed for on `today` (journal day), soonest first."""
    try:
        with journal.reading() as conn:
            return refills_in(journal, conn, today)
    except NoJournal:
        return []


def refills_in(journal: Journal, conn: sqlite3.Connection, today: date) -> list[RefillDue]:
    """refills_due on a connection the caller holds open."""
    found = [RefillDue(v.name, v.on_hand, v.days_left, v.run_out, v.warn_days)
             for v in _views(journal, conn, today) if v.refill]
    return sorted(found, key=lambda r: (r.run_out or today, r.name.casefold()))


def refill_text(item: RefillDue | StockView) -> str:
    """'refill needed by Sat 12 Dec — Escitalopram, 5 tablets left, about 5 days' (for due, Today, the report)."""
    left = f"{rules.amount_text(item.on_hand)} left"
    if item.days_left is not None and item.on_hand.value > 0:
        days = rules.round_days(item.days_left)
        left += f", about {days} day{'s' if days != 1 else ''}"
    by = f"by {item.run_out:%a %d %b}" if item.run_out is not None else "now"
    return f"refill needed {by} — {item.name}, {left}"


def refill_lines(journal: Journal, today: date) -> list[str]:
    """The Today screen's refill warnings, one line each ('⚠ refill needed by …')."""
    return [f"⚠ {refill_text(r)}" for r in refills_due(journal, today)]


def overview(journal: Journal, today: date | None = None) -> list[StockView]:
    """Every substance with a stock, by name (nothing while there is no journal). The stock and its run-out date
    are reckoned as of now; `today` (default: the current journal day) is the day a refill is asked for on."""
    try:
        with journal.reading() as conn:
            return _views(journal, conn, today)
    except NoJournal:
        return []


def _views(journal: Journal, conn: sqlite3.Connection, today: date | None) -> list[StockView]:
    return [v for s in reads.stocked(conn) if (v := _view(journal, conn, s, today)) is not None]


def _view(journal: Journal, conn: sqlite3.Connection, substance: SubstanceRef,
          asked_on: date | None) -> StockView | None:
    events = reads.events(conn, substance.id)
    if not events:
        return None
    today = journal.today()
    measure = rules.Measure(substance.strength, substance.iu_mass)
    since_day = today - timedelta(days=rules.AS_NEEDED_WINDOW)
    taken = reads.taken_since(conn, substance.id, min(e.at for e in events), since_day)
    held = rules.on_hand(events, taken, measure)
    assert held is not None
    unit = held.amount.unit
    assert unit is not None
    state = regimen_at(lookup.regimen_events(conn, substance.id), journal.now())
    scheduled = rules.scheduled_per_day(state, unit, measure)
    first = reads.first_start(conn, substance.id)
    extra = rules.as_needed_per_day(taken, unit, measure, today, journal.day_of(first) if first else None)
    per_day = None if scheduled is None else scheduled + extra
    ahead = rules.forecast(held.amount, per_day or None, today)
    details = reads.details(conn, substance.id)
    warn = rules.REFILL_WARN_DAYS if details.warn_days is None else details.warn_days
    refill = rules.needs_refill(held.amount, ahead, asked_on or today, warn, in_use=state.active)
    return StockView(substance.name, held.amount, held.since, per_day, ahead.days_left, ahead.run_out, warn,
                     refill, held.uncounted, held.short, details)


def add(journal: Journal, name: str, amount: Amount, *, at: When | date | None = None,
        note: str | None = None) -> Logged:
    """A new pack of `amount` (a bare number: in the unit of form, the stock's or the dose's unit)."""
    if amount.value <= 0:
        raise InputError(f"stock: {amount} is not a pack; give how many it holds, like '30 tab'")
    return _write(journal, name, "add", amount, at, note)


def set_count(journal: Journal, name: str, amount: Amount, *, at: When | date | None = None,
              note: str | None = None) -> Logged:
    """What is on hand now (or `at`), counted: the reckoning starts again from it."""
    return _write(journal, name, "set", amount, at, note)


def _write(journal: Journal, name: str, kind: str, amount: Amount, at: When | date | None,
           note: str | None) -> Logged:
    query = clean_name(name, what="substance name")
    note = clean_note(note, what="note") if note is not None else None
    if amount.value < 0:
        raise InputError(f"stock: {amount} is negative")
    stamp, when_note = _stamp(journal, at)
    with journal.writing(create=False, absent=_none_yet(name)) as batch:
        substance = _find(batch, query)
        amount = _in_its_unit(batch.conn, substance, amount, stamp)
        said = rules.amount_text(amount)
        batch.summary = (f"added a pack of {said} of {substance.name}" if kind == "add"
                         else f"counted {said} of {substance.name} on hand")
        batch.insert(writes.stock_event_row(substance_id=substance.id, kind=kind, stamp=stamp, amount=amount,
                                            note=note))
        _check_not_run_out(journal, batch.conn, substance, stamp, kind, amount)
    return logged(batch.summary, stamp, when_note, timed=not isinstance(at, date))


def _stamp(journal: Journal, at: When | date | None) -> tuple[Stamp, str | None]:
    """A day (`--at 2026-11-20`) is the start of that journal day; a moment is itself; none is now."""
    if isinstance(at, date):
        if at > journal.today():
            raise InputError(f"--at {at:%Y-%m-%d} is in the future; record a pack once you have it")
        return journal.stamp(journal.day_start(at)), None
    stamp, note = journal.at(at)
    if stamp.at > journal.now():
        raise InputError(f"--at {stamp.at:%Y-%m-%d %H:%M} UTC is in the future; record a pack once you have it")
    return stamp, note


def _in_its_unit(conn: sqlite3.Connection, substance: SubstanceRef, amount: Amount, stamp: Stamp) -> Amount:
    """The amount with a unit the substance's doses and stock convert to; refused (InputError) if there is none."""
    events = reads.events(conn, substance.id)
    stock_unit = events[-1].amount.unit if events else None
    regimen = regimen_at(lookup.regimen_events(conn, substance.id), stamp.at)
    dose = regimen.dose
    if amount.unit is None:
        form = substance.form if substance.form and rules.is_count_form(substance.form) else None
        unit = stock_unit or form or (dose.unit if dose else None)
        if unit is None:
            raise InputError(f"stock: {amount}: give a unit, like '{amount} tab' or '{amount} g'")
        amount = Amount(amount.value, unit)
    assert amount.unit is not None
    measure = rules.Measure(substance.strength, substance.iu_mass)
    why = rules.fits(amount.unit, measure, form=substance.form, dose=dose, stock=stock_unit)
    if why is not None:
        raise InputError(f"stock: {format_amount(amount.value, amount.unit)} of {substance.name} cannot be "
                         f"counted: {why}; give it in a unit that converts")
    return amount


def _check_not_run_out(journal: Journal, conn: sqlite3.Connection, substance: SubstanceRef, stamp: Stamp,
                       kind: str, amount: Amount) -> None:
    """A stock the doses logged since have used up already would have run out before today: a wrong count or
    date, refused (the transaction is rolled back) rather than recorded as an empty stock."""
    measure = rules.Measure(substance.strength, substance.iu_mass)
    events = reads.events(conn, substance.id)
    taken = reads.taken_since(conn, substance.id, min(e.at for e in events), journal.today())
    held = rules.on_hand(events, taken, measure)
    if held is None or held.ran_out_at is None or held.ran_out_at < stamp.at:
        return
    out = journal.day_of(held.ran_out_at)
    what = "a pack of" if kind == "add" else "a count of"
    raise InputError(f"stock: {what} {rules.amount_text(amount)} on {stamp.day:%Y-%m-%d} would have run out on "
                     f"{out:%Y-%m-%d} (the doses logged since use {rules.amount_text(Amount(held.short, amount.unit))}"
                     " more); check the amount and --at, or count what is on hand now with 'medlog stock set'")


def details(journal: Journal, name: str, *, warn_days: int | None = None, default_warn: bool = False,
            pharmacy: str | None = None, rx_number: str | None = None, refills_left: int | None = None) -> Logged:
    """Set the refill warning days (`default_warn`: back to the default) and the optional prescription details;
    an empty text clears a detail. Undo restores what was there."""
    changes: dict[str, object] = {}
    if warn_days is not None or default_warn:
        if warn_days is not None and not 0 <= warn_days <= rules.MAX_WARN_DAYS:
            raise InputError(f"--warn-days {warn_days}: give whole days from 0 to {rules.MAX_WARN_DAYS}")
        changes["refill_warn_days"] = None if default_warn else warn_days
    for column, text in (("pharmacy", pharmacy), ("rx_number", rx_number)):
        if text is not None:
            changes[column] = clean_name(text, what=column.replace("_", " ")) if text.strip() else None
    if refills_left is not None:
        if not 0 <= refills_left <= rules.MAX_REFILLS:
            raise InputError(f"--refills {refills_left}: give a whole number from 0 to {rules.MAX_REFILLS}")
        changes["refills_left"] = refills_left
    if not changes:
        raise InputError("stock details: give --warn-days, --pharmacy, --rx-number or --refills")
    with journal.writing(create=False, absent=_none_yet(name)) as batch:
        substance = _find(batch, clean_name(name, what="substance name"))
        batch.summary = f"set the refill details of {substance.name}"
        batch.update("substance", substance.uuid, changes)
    return logged(batch.summary, journal.stamp(batch.now))


def _find(batch: Batch, query: str) -> SubstanceRef:
    return match_name(query, lookup.substance_candidates(batch.conn), what="substance")


def _none_yet(name: str) -> str:
    return (f"no substance called {name.strip()!r}; there are none yet — add one with "
            "'medlog substance add NAME --kind medication|supplement'")
