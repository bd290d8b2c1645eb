"""Adherence per substance and week, and what is due now (stdlib only: `due` fits a shell prompt)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from medlog.domain.adherence import SlotResult, Tally, due_now, slot_results, tally
from medlog.domain.errors import InputError
from medlog.domain.record import record
from medlog.services.context import Journal
from medlog.store import adherence as reads
from medlog.store.connection import NoJournal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (due runs often: the quick-log budget)
if TYPE_CHECKING:
    from medlog.services.stock import RefillDue

MAX_WEEKS = 520


@record
class Week:
    since: date
    until: date
    substances: list[tuple[str, Tally]]  # every substance with a scheduled slot that week, by name


@record
class Due:
    name: str
    slot: str
    due: datetime  # UTC
    overdue: bool


def outcomes(journal: Journal, since: date, until: date) -> tuple[dict[int, str], list[SlotResult]]:
    """Each scheduled slot from `since` to `until` (journal days) with what became of it, and substance names by id."""
    with journal.reading() as conn:
        substances = reads.scheduled_substances(conn)
        answers = reads.answers(conn, since, until)
        kept = reads.days_kept(conn, since, until)
    days = [since + timedelta(days=i) for i in range((until - since).days + 1)]
    events = {sid: evs for sid, (_, evs) in substances.items()}
    settings = journal.settings
    results = slot_results(events, answers, days, set(kept), kept, settings.zone, settings.rollover,
                           journal.now(), settings.adherence_window)
    return {sid: name for sid, (name, _) in substances.items()}, results


@record
class Report:
    weeks: list[Week]  # newest first
    totals: list[tuple[str, Tally]]  # over all the weeks, per substance


def weekly(journal: Journal, weeks: int = 4, end: date | None = None) -> Report:
    """The `weeks` weeks to `end` (default: today), newest first; each ends on a journal day."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"--weeks {weeks}: give a whole number from 1 to {MAX_WEEKS}")
    last = end or journal.today()
    since = last - timedelta(days=7 * weeks - 1)
    try:
        names, results = outcomes(journal, since, last)
    except NoJournal:
        return Report([], [])
    # One pass over the slots: per substance and week (0 = the newest), instead of a scan per week and substance.
    grouped: dict[tuple[int, int], list[SlotResult]] = {}
    for r in results:
        grouped.setdefault((r.substance_id, (last - r.day).days // 7), []).append(r)
    by_name = sorted(names.items(), key=lambda item: item[1].casefold())
    out = []
    for k in range(weeks):
        until = last - timedelta(days=7 * k)
        rows = [(name, tally(grouped[sid, k])) for sid, name in by_name if (sid, k) in grouped]
        out.append(Week(until - timedelta(days=6), until, rows))
    totals = [(name, tally([r for k in range(weeks) for r in grouped.get((sid, k), [])])) for sid, name in by_name
              if any((sid, k) in grouped for k in range(weeks))]
    return Report(out, totals)


def daily(journal: Journal, since: date, until: date) -> dict[date, Tally]:
    """Per journal day, every scheduled slot of every substance tallied (for a calendar of adherence)."""
    try:
        _, results = outcomes(journal, since, until)
    except NoJournal:
        return {}
    grouped: dict[date, list[SlotResult]] = {}
    for r in results:
        grouped.setdefault(r.day, []).append(r)
    return {day: tally(found) for day, found in grouped.items()}


def due(journal: Journal) -> list[Due]:
    """Today's scheduled doses that are due now (within the window) or overdue, by time."""
    today = journal.today()
    try:
        names, results = outcomes(journal, today, today)
    except NoJournal:
        return []
    now = journal.now()
    return sorted((Due(names[r.substance_id], r.slot, r.due, now > r.due + journal.settings.adherence_window)
                   for r in due_now(results)), key=lambda d: (d.due, d.name.casefold()))


def refills_due(journal: Journal) -> list[RefillDue]:
    """The refills needed today, for `due` and `remind`: none, at the cost of one query, in a journal that keeps no
    stock (most); else the stock service's (services/stock.py)."""
    from medlog.store.stock import any_stock

    try:
        with journal.reading() as conn:
            if not any_stock(conn):
                return []
            from medlog.services import stock

            return stock.refills_in(journal, conn, journal.today())  # on the same connection
    except NoJournal:
        return []

