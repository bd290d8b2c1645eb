"""Reminders: which ones to send now. Pure functions over the day's slots, what was sent, snoozes and quiet hours.

The rules (docs/architecture.md, "Reminders (issue 20)"):
  * A scheduled dose is reminded from its due instant (domain.adherence.due_instant: the journal's own zone, day
    and DST rules) until its adherence window closes; a snooze moves that start to the snooze's end.
  * Only a dose still unanswered: one logged taken or skipped (at any time, before or after the reminder) stops it.
  * Each reminder is sent once: it is sent again only after a snooze that ends later than it was sent.
  * Nothing is sent in quiet hours (local wall time, overnight ranges allowed); what falls due then is sent when
    they end, if its window is still open.
  * A refill reminder is sent once per substance and journal day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from medlog.domain.errors import InputError
from medlog.domain.record import record
from medlog.domain.timeparse import parse_clock

UNANSWERED = ("pending", "missed", "unlogged")  # domain.adherence statuses of a slot nothing has answered yet
SNOOZE = timedelta(minutes=30)
KEEP = timedelta(days=3)  # what was sent or snoozed is remembered this long (a reminder is valid for hours)


@record
class QuietHours:
    """Local wall times: from `start` (inclusive) to `end` (exclusive); start > end runs overnight."""

    start: time
    end: time

    def holds(self, instant: datetime, zone: ZoneInfo) -> bool:
        local = instant.astimezone(zone).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_quiet_hours(text: str) -> QuietHours | None:
    """'22:00-07:00' (overnight), '13:00-14:00', or 'off' / '' for none."""
    cleaned = text.strip()
    if cleaned.casefold() in ("", "off", "none"):
        return None
    start_text, dash, end_text = cleaned.partition("-")
    if not dash:
        raise InputError(f"quiet_hours {text!r}: write it as START-END, like 22:00-07:00 (or off)")
    start, end = parse_clock(start_text), parse_clock(end_text)
    if start == end:
        raise InputError(f"quiet_hours {text!r}: the start and the end are the same time; give a range, or off")
    return QuietHours(start, end)


@record
class DoseSlot:
    """A scheduled slot of a journal day, as domain.adherence.slot_results gives it, with the substance's name."""

    substance_id: int
    name: str
    day: date
    slot: str  # "08:00"
    due: datetime  # UTC
    status: str  # a domain.adherence status: pending, missed, unlogged (unanswered) or on_time, late, skipped

    @property
    def key(self) -> str:
        return dose_key(self.substance_id, self.day, self.slot)


def dose_key(substance_id: int, day: date, slot: str) -> str:
    """The one name of a slot's reminder in the state file: the same slot, the same reminder."""
    return f"dose:{substance_id}:{day.isoformat()}:{slot}"


def refill_key(name: str, day: date) -> str:
    return f"refill:{name.casefold()}:{day.isoformat()}"


@record
class Sent:
    """A reminder that went out: when, and the desktop's id for it (None: printed, or the desktop gave none)."""

    at: datetime
    notification: int | None = None


@record
class State:
    """What this device has sent and snoozed (device-local: never in the journal, never synced)."""

    sent: dict[str, Sent]
    snoozed: dict[str, datetime]  # key → the instant the snooze ends (UTC)


EMPTY = State({}, {})


@record
class Reminder:
    key: str
    kind: str  # dose | refill
    title: str
    body: str
    due: datetime | None = None  # a dose's due instant (UTC)


@record
class Refill:
    """A substance whose stock runs out soon, and the stock service's words for it (the same as `due` shows)."""

    name: str
    text: str  # "refill needed by Sat 12 Dec — Escitalopram, 5 tablets left, about 5 days"


def start_of(slot: DoseSlot, state: State) -> datetime:
    """When a slot's reminder may first go out: its due instant, or the end of a later snooze."""
    snoozed = state.snoozed.get(slot.key)
    return max(slot.due, snoozed) if snoozed is not None else slot.due


def candidates(slots: list[DoseSlot], now: datetime) -> list[DoseSlot]:
    """The slots that could need a reminder now, before the state is read: unanswered and due. None means nothing
    can be sent, and the state file need not even be opened (the every-few-minutes run's usual case)."""
    return [s for s in slots if s.status in UNANSWERED and s.due <= now]


def dose_reminders(slots: list[DoseSlot], state: State, now: datetime, window: timedelta, zone: ZoneInfo,
                   quiet: QuietHours | None) -> list[Reminder]:
    """The dose reminders to send now, by due time and name."""
    if quiet is not None and quiet.holds(now, zone):
        return []
    out = []
    for slot in candidates(slots, now):
        start = start_of(slot, state)
        if not start <= now <= start + window:
            continue  # not yet (snoozed), or its window has closed: past it the dose is missed, not due
        sent = state.sent.get(slot.key)
        if sent is not None and sent.at >= start:
            continue  # sent already, and no snooze since asked for it again
        local = f"{slot.due.astimezone(zone):%H:%M}"
        # The slot's time is the wall time on its day; on a DST gap day (or after travel) its instant reads
        # otherwise here, and the person is told both.
        here = "" if local == slot.slot else f", due at {local} here"
        out.append(Reminder(slot.key, "dose", f"{slot.name}: dose due",
                            f"{slot.name} ({slot.slot}{here}) is due and not logged yet", slot.due))
    return sorted(out, key=lambda r: (r.due or now, r.title.casefold()))


def refill_reminders(refills: list[Refill], state: State, now: datetime, today: date, zone: ZoneInfo,
                     quiet: QuietHours | None) -> list[Reminder]:
    """One reminder per substance and journal day while its stock runs low (in the order given: soonest first)."""
    if quiet is not None and quiet.holds(now, zone):
        return []
    return [Reminder(refill_key(r.name, today), "refill", f"{r.name}: refill needed", r.text)
            for r in refills if refill_key(r.name, today) not in state.sent]


def after_sending(state: State, sent: dict[str, Sent], now: datetime) -> State:
    """The state once `sent` went out: theirs recorded, and what is older than KEEP forgotten."""
    cutoff = now - KEEP
    kept = {k: v for k, v in {**state.sent, **sent}.items() if v.at >= cutoff}
    return State(kept, {k: v for k, v in state.snoozed.items() if v >= cutoff})


def snoozed(state: State, key: str, until: datetime) -> State:
    return State(dict(state.sent), {**state.snoozed, key: until.astimezone(UTC)})


def answered(state: State, slots: list[DoseSlot]) -> list[tuple[str, int]]:
    """Reminders on the desktop whose dose has since been logged (taken or skipped): (key, notification id), to be
    closed there. A dose logged after its reminder stops it."""
    done = {s.key for s in slots if s.status not in UNANSWERED}
    return [(k, v.notification) for k, v in state.sent.items() if k in done and v.notification is not None]


def closed(state: State, keys: list[str]) -> State:
    """The state with these reminders' desktop ids dropped (closed): still sent, never to be closed again."""
    gone = set(keys)
    return State({k: Sent(v.at) if k in gone else v for k, v in state.sent.items()}, dict(state.snoozed))
