"""`medlog remind` and the TUI's snooze: which reminders go out now, and this device's record of them.

Stdlib only until something is to be sent: the timer runs this every five minutes all day, and its usual run
(nothing due) reads the journal as `medlog due` does, reads a small state file, and stops. The desktop (D-Bus) is
the face's to reach (services/desktop.py, imported by the CLI only when there is something to send or close).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from medlog.domain import reminders as rules
from medlog.domain.errors import InputError
from medlog.domain.record import record
from medlog.domain.reminders import DoseSlot, Refill, Reminder, Sent, State
from medlog.paths import state_dir
from medlog.services.adherence import outcomes, refills_due
from medlog.services.context import Journal
from medlog.store import reminder_state as files
from medlog.store.connection import NoJournal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms, every five minutes)
if TYPE_CHECKING:
    from collections.abc import Callable


def state_path(journal: Journal, env: os._Environ[str] | dict[str, str] | None = None) -> str:
    """This journal's reminder state on this device (store/reminder_state.py says why not beside the journal)."""
    return files.state_file(state_dir(os.environ if env is None else env), journal.path)


def slots(journal: Journal) -> list[DoseSlot]:
    """Yesterday's and today's scheduled slots (journal days) with their status: a slot just before the rollover
    is still within its window after the day has turned."""
    today = journal.today()
    try:
        names, results = outcomes(journal, today - timedelta(days=1), today)
    except NoJournal:
        return []
    return [DoseSlot(r.substance_id, names[r.substance_id], r.day, r.slot, r.due, r.status) for r in results]


def refills(journal: Journal) -> list[Refill]:
    """Substances whose stock runs out within their warning days (soonest first), in the stock service's words:
    the same "refill needed by …" as `due` and the Today screen show."""
    found = refills_due(journal)
    if not found:
        return []
    from medlog.services import stock  # only when there is a refill to say

    return [Refill(r.name, stock.refill_text(r)) for r in found]


@record
class Plan:
    """What one run has to do: reminders to send, desktop notifications to close (their doses were logged)."""

    send: list[Reminder]
    close: list[tuple[str, int]]  # (key, the desktop's notification id)


def plan(journal: Journal, state: State, found: list[DoseSlot], refill: list[Refill], now: datetime) -> Plan:
    settings = journal.settings
    send = rules.dose_reminders(found, state, now, settings.adherence_window, settings.zone, settings.quiet_hours)
    send += rules.refill_reminders(refill, state, now, journal.today(), settings.zone, settings.quiet_hours)
    return Plan(send, rules.answered(state, found))


@record
class Outcome:
    sent: list[Reminder]
    closed: int
    warning: str | None = None  # a damaged state file set aside (said once, on stderr)


def remind(journal: Journal, deliver: Callable[[list[Reminder], list[tuple[str, int]]],
                                               tuple[dict[str, int | None], list[str]]]) -> Outcome:
    """Send what is due now, once; close what was logged since. Nothing due: the state file is read, not written,
    and `deliver` is not called.

    `deliver(send, close)` is the face's: it delivers the reminders (→ key: the desktop's id, or None where it
    printed the reminder instead; a key left out was not delivered) and closes the desktop notifications named
    (→ the keys closed)."""
    now = journal.now()
    found = slots(journal)
    refill = refills(journal)
    path = state_path(journal)
    if not rules.candidates(found, now) and not refill and not os.path.exists(path):
        return Outcome([], 0)  # the usual run: nothing open, nothing ever sent to close
    state, warning = _read(path)
    if not _busy(plan(journal, state, found, refill, now)):
        return Outcome([], 0, warning)
    with files.locked(path):
        state, again = _read(path)  # under the lock: another run may have sent meanwhile
        warning = warning or again
        todo = plan(journal, state, found, refill, now)
        if not _busy(todo):
            return Outcome([], 0, warning)
        delivered, closed = deliver(todo.send, todo.close)
        sent = {r.key: Sent(now, delivered.get(r.key)) for r in todo.send if r.key in delivered}
        # Recorded after delivery: a crash in between sends a reminder once more, which is better than never.
        files.write(path, rules.closed(rules.after_sending(state, sent, now), closed))
    return Outcome([r for r in todo.send if r.key in delivered], len(closed), warning)


def _busy(todo: Plan) -> bool:
    return bool(todo.send or todo.close)


def _read(path: str) -> tuple[State, str | None]:
    """The state, or (damaged) an empty one with the warning to give: set aside, never silently overwritten.

    Not refused: the timer would then send nothing, every five minutes, with its one line in a log nobody reads.
    Starting afresh costs at most one repeat of a reminder already sent in the last hours."""
    try:
        return files.read(path), None
    except files.StateDamaged as exc:
        aside = files.set_aside(path)
        return rules.EMPTY, (f"the reminder state {path} could not be read ({exc}); it was moved to {aside} and "
                             "medlog starts afresh: a reminder sent in the last hours may come once more")


def snooze(journal: Journal, name: str, day_text: str, slot: str, minutes: int = 30) -> str:
    """Hold back a scheduled dose's reminder for `minutes` (and send it then, once, if the dose is still open).

    `day_text`: the slot's journal day (ISO). The substance is named as the Today screen shows it."""
    if not 1 <= minutes <= 24 * 60:
        raise InputError(f"snooze for {minutes} minutes: give 1 to 1440")
    found = [s for s in slots(journal) if s.name == name and s.day.isoformat() == day_text and s.slot == slot]
    if not found:
        raise InputError(f"{name} {slot}: only today's scheduled doses have reminders to snooze")
    if found[0].status not in rules.UNANSWERED:
        raise InputError(f"{name} {slot} is already logged: its reminder has stopped")
    now = journal.now()
    until = max(now, found[0].due) + timedelta(minutes=minutes)
    path = state_path(journal)
    with files.locked(path):
        state, warning = _read(path)
        files.write(path, rules.snoozed(state, found[0].key, until))
    local = until.astimezone(journal.settings.zone)
    said = f"The reminder for {name} ({slot}) is snoozed until {local:%H:%M}"
    return f"{said}. Note: {warning}" if warning else said
