"""A journal day as the Today screen shows it: each scheduled slot and what answered it, and the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from medlog.domain.metrics import MetricSpec
from medlog.domain.record import record
from medlog.domain.regimen import RegimenEvent, regimen_at
from medlog.domain.units import Amount, format_amount


@record
class DayRows:
    """What the store read for one journal day (plain tuples; see store/day.py for their order)."""

    day: date
    substances: list[Any]  # SubstanceRef
    events: dict[int, list[RegimenEvent]]
    doses: list[tuple]  # uuid, substance_id, status, at, zone, amount_value, amount_unit, slot, note
    ratings: dict[str, float]
    metrics: list[MetricSpec]
    symptoms: list[tuple]  # uuid, name, severity, at, zone, note
    notes: list[tuple]  # uuid, text, flagged, at, zone, kind (note | question)


@record
class Slot:
    """A scheduled dose of the day: open (nothing logged yet), taken or skipped."""

    substance: str
    time: str  # "08:00"
    dose: Amount | None  # the regular dose then
    status: str  # open | taken | skipped
    at: datetime | None = None  # when it was logged as taken/skipped
    amount: str | None = None
    note: str | None = None


@record
class Extra:
    """A dose that answered no slot: as-needed, or an extra one."""

    substance: str
    at: datetime
    zone: str
    amount: str | None
    status: str
    note: str | None


@record
class DayView:
    day: date
    slots: list[Slot]
    extras: list[Extra]
    as_needed: list[str]  # substances taken as needed, in force that day
    regular: dict[str, Amount | None]  # every substance in force that day → its regular dose (None: give one)
    ratings: dict[str, float]
    metrics: list[MetricSpec]
    symptoms: list[tuple]
    notes: list[tuple]
    substances: int = 0  # how many substances the journal holds, stopped ones too: none at all is a new journal

    @property
    def is_empty(self) -> bool:
        """Nothing logged at all: an *unlogged* day (not the same as missed doses)."""
        return not (any(s.status != "open" for s in self.slots) or self.extras or self.ratings or self.symptoms
                    or self.notes)


def build_day(rows: DayRows, *, noon: datetime) -> DayView:
    """Slots come from the regimen in force at `noon` (the instant the day is read at), with the doses that
    answered them."""
    names = {s.id: s.name for s in rows.substances}
    answered = {(d[1], d[7]): d for d in rows.doses if d[7]}
    slots, as_needed, regular = [], [], {}
    for substance in sorted(rows.substances, key=lambda s: s.name.casefold()):
        state = regimen_at(rows.events.get(substance.id, []), noon)
        if not state.active or state.schedule is None:
            continue
        regular[substance.name] = state.dose
        if state.schedule.as_needed:
            as_needed.append(substance.name)
            continue
        if not state.schedule.falls_on(rows.day):
            continue  # a day off (every 2 days, weekdays only): nothing due, an extra dose can still be logged
        for slot_time in state.schedule.times:
            dose = answered.pop((substance.id, slot_time), None)
            if dose is None:
                slots.append(Slot(substance.name, slot_time, state.dose, "open"))
            else:
                slots.append(Slot(substance.name, slot_time, state.dose, dose[2], dose[3],
                                  _amount(dose[5], dose[6]), dose[8]))
    # Doses that answered no slot shown — as-needed or extra, or a slot of a schedule since changed — are
    # listed apart, so nothing logged goes missing from the day.
    unmatched = {id(d) for d in answered.values()}  # what is left after the slots took theirs
    extras = [Extra(names.get(d[1], "?"), d[3], d[4], _amount(d[5], d[6]), d[2], d[8])
              for d in rows.doses if not d[7] or id(d) in unmatched]
    slots.sort(key=lambda s: (s.time, s.substance.casefold()))
    return DayView(rows.day, slots, extras, as_needed, regular, rows.ratings, rows.metrics, rows.symptoms,
                   rows.notes, len(rows.substances))


def _amount(value: float | None, unit: str | None) -> str | None:
    return None if value is None else format_amount(value, unit)


def read_at(day: date, zone: Any, now: datetime) -> datetime:
    """The instant a day's regimen is read at: now, for today (so a change made this evening shows at once);
    the end of the day, for a past one (what was in force when it closed)."""
    end = datetime.combine(day, time(23, 59), tzinfo=zone).astimezone(UTC)
    return min(now, end)


