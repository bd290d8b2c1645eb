"""The regimen is derived from its history of events; nothing rewrites history."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta

from medlog.domain.errors import InputError
from medlog.domain.numbers import parse_decimal
from medlog.domain.record import record, replace
from medlog.domain.schedule import Schedule
from medlog.domain.units import Amount

EVENT_KINDS = ("start", "dose_change", "schedule_change", "stop")

# The onset lag: days after a regimen change before its effect can be expected to show, so that compare's
# "after" window leaves them out. A week by default (many treatments take days to act, and the first days after
# a change are often unusual); per substance the user sets their own (an SSRI is often judged after 4–6 weeks),
# up to MAX_ONSET_LAG. Not a medical fact shipped as data: a default window, which the user changes.
ONSET_LAG_DAYS = 7
MAX_ONSET_LAG = 90


@record
class RegimenEvent:
    kind: str
    at: datetime  # effective instant, UTC
    dose: Amount | None = None
    schedule: Schedule | None = None
    note: str | None = None


@record
class RegimenState:
    active: bool = False
    dose: Amount | None = None
    schedule: Schedule | None = None
    since: datetime | None = None  # when the substance was (last) started
    stopped_at: datetime | None = None
    changed_at: datetime | None = None  # the latest event of any kind


def regimen_at(events: list[RegimenEvent], at: datetime) -> RegimenState:
    """Fold the events effective at or before `at`, in order, into the regimen in force then."""
    state = RegimenState()
    for event in sorted(events, key=lambda e: e.at):
        if event.at > at:
            break
        state = apply(state, event)
    return state


class Timeline:
    """A substance's history folded once, so the regimen at any instant is a binary search — for adherence,
    which asks about every day of many weeks, instead of folding the whole history each time."""

    def __init__(self, events: list[RegimenEvent]) -> None:
        ordered = sorted(events, key=lambda e: e.at)
        self.ats = [e.at for e in ordered]
        self.states: list[RegimenState] = []
        state = RegimenState()
        for event in ordered:
            state = apply(state, event)
            self.states.append(state)
        # the calendar dates (padded a day either side, for zones and the rollover) when a schedule was in force
        self.scheduled_dates: list[tuple[date, date | None]] = []
        for i, state in enumerate(self.states):
            if is_scheduled(state):
                until = self.ats[i + 1].date() + timedelta(days=1) if i + 1 < len(self.ats) else None
                self.scheduled_dates.append((self.ats[i].date() - timedelta(days=1), until))

    def maybe_scheduled_among(self, days: list[date]) -> list[date]:
        """The days of `days` (ascending) on which a schedule can have been in force: a cheap cut before the
        exact test of each day. Each scheduled stretch is bisected into the list, rather than every day tested
        against every stretch: adherence asks this for weeks of days and many substances."""
        keep: set[int] = set()
        for since, until in self.scheduled_dates:
            keep.update(range(bisect_left(days, since), len(days) if until is None else bisect_right(days, until)))
        return [days[i] for i in sorted(keep)]

    def at(self, instant: datetime) -> RegimenState:
        """The same as regimen_at(events, instant)."""
        i = bisect_right(self.ats, instant)
        return self.states[i - 1] if i else RegimenState()

    def changes_between(self, start: datetime, end: datetime) -> list[datetime]:
        """Instants of the events in [start, end)."""
        return self.ats[bisect_left(self.ats, start):bisect_left(self.ats, end)]


# A self-experiment's planned starts and stops carry a note "experiment 1a2b3c4d: on period 2 of 6" (and
# "…: ended; back to the regimen before it"): they are the experiment's periods, analysed as such, and never
# compared one by one as regimen changes.
_EXPERIMENT_NOTE = re.compile(r"experiment ([0-9a-f]{8}): ")


def experiment_note(short: str, text: str) -> str:
    """The note of an experiment's planned start or stop."""
    return f"experiment {short}: {text}"


def experiment_of(note: str | None) -> str | None:
    """The short id of the experiment a regimen event belongs to, from its note; None for any other event."""
    found = _EXPERIMENT_NOTE.match(note) if note else None
    return found.group(1) if found else None


def is_scheduled(state: RegimenState) -> bool:
    return state.active and state.schedule is not None and not state.schedule.as_needed


def due_schedule(state: RegimenState) -> Schedule | None:
    """The schedule whose times are due: the state's when it is_scheduled (active, not as-needed); else None."""
    return state.schedule if is_scheduled(state) else None


def describe(name: str, event: RegimenEvent, before: RegimenState) -> str:
    """One line for a regimen event, saying what changed from what: 'Escitalopram dose 5 mg → 10 mg'."""
    if event.kind == "start":
        after = apply(before, event)
        details = ", ".join(str(x) for x in (after.dose, after.schedule) if x)
        text = f"started {name}" + (f" ({details})" if details else "")
    elif event.kind == "stop":
        text = f"stopped {name}"
    elif event.kind == "dose_change":
        text = f"{name} dose {before.dose or 'none'} → {event.dose}"
    else:
        text = f"{name} schedule {before.schedule or 'none'} → {event.schedule}"
    return text + (f" — {event.note}" if event.note else "")


def apply(state: RegimenState, event: RegimenEvent) -> RegimenState:
    dose = event.dose or state.dose
    schedule = event.schedule or state.schedule
    if event.kind == "start":
        return RegimenState(True, dose, schedule, since=event.at, changed_at=event.at)
    if event.kind == "stop":
        return replace(state, active=False, stopped_at=event.at, changed_at=event.at)
    return replace(state, dose=dose, schedule=schedule, changed_at=event.at)


def parse_onset_lag(text: str) -> int:
    """'14', '14 days' → 14: whole days from 0 to MAX_ONSET_LAG (the substance's onset lag)."""
    number = text.strip().lower()
    for unit in ("days", "day", "d"):
        number = number.removesuffix(unit)
    days = parse_decimal(number, what="onset lag", max_places=4)
    if days != days.to_integral_value() or not 0 <= days <= MAX_ONSET_LAG:
        raise InputError(f"onset lag {text.strip()!r}: give whole days from 0 to {MAX_ONSET_LAG}")
    return int(days)
