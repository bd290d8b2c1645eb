"""The regimen is derived from its history of events; nothing rewrites history."""

from __future__ import annotations

from datetime import datetime

from medlog.domain.record import record
from medlog.domain.schedule import Schedule
from medlog.domain.units import Amount

EVENT_KINDS = ("start", "dose_change", "schedule_change", "stop")


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


def is_scheduled(state: RegimenState) -> bool:
    return state.active and state.schedule is not None and not state.schedule.as_needed


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
        return state._replace(active=False, stopped_at=event.at, changed_at=event.at)
    return state._replace(dose=dose, schedule=schedule, changed_at=event.at)
