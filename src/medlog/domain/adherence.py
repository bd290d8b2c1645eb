"""Adherence: what became of each scheduled slot, and what is due now. Pure functions over the regimen and doses.

A slot is due at its wall-clock time on its journal day, in the zone the user was in that day (schedules follow
local time when travelling). Each slot is one of:
  on_time   taken within the window (default ±2 h) of its time
  late      taken, outside the window
  skipped   skipped on purpose (with a reason, when given)
  missed    no dose after the window closed, on a day with other entries
  unlogged  no dose, on a day with no entries at all: the journal was not kept that day, which is not the same
            as a missed dose, and is reported apart
  pending   not answered yet, and its window is still open (not counted)
A slot counts only while the substance was started, not stopped, and scheduled at that time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from medlog.domain.record import record
from medlog.domain.regimen import RegimenEvent, Timeline, due_schedule

STATUSES = ("on_time", "late", "skipped", "missed", "unlogged", "pending")
WINDOW = timedelta(hours=2)


@record
class Answer:
    """A dose that answered a slot: its substance, journal day, slot time, status and instant."""

    substance_id: int
    day: date
    slot: str
    status: str  # taken | skipped
    at: datetime


@record
class SlotResult:
    substance_id: int
    day: date
    slot: str
    due: datetime  # UTC
    status: str  # one of STATUSES
    taken_at: datetime | None = None


@lru_cache(maxsize=4096)  # many substances share slot times; weeks of adherence ask again for each one
def due_instant(day: date, slot: str, zone: ZoneInfo, rollover: time) -> datetime:
    """When a slot of a journal day is due. A slot before the rollover (01:00 with a 04:00 rollover) falls on
    the next calendar date; a slot inside a DST gap is due when the clocks jump."""
    clock = time.fromisoformat(slot)
    local_date = day + timedelta(days=1) if clock < rollover else day
    return datetime.combine(local_date, clock, tzinfo=zone).astimezone(UTC)


def day_slots(timeline: Timeline, day: date, zone: ZoneInfo, rollover: time) -> list[tuple[str, datetime]]:
    """The slots a substance had on a journal day: each time of the schedules in force that day (on the days
    they fall on), kept if the regimen at its due instant was active and scheduled at that time that day."""
    start, end = _day_bounds(day, zone, rollover)
    changes = timeline.changes_between(start, end)
    times: set[str] = set()
    for at in (start, *changes):
        schedule = due_schedule(timeline.at(at))
        if schedule is not None and schedule.falls_on(day):
            times.update(schedule.times)
    if not changes:
        # the usual day: one regimen all day long, so every one of its times is a slot
        return [(slot, due_instant(day, slot, zone, rollover)) for slot in sorted(times)]
    out = []
    for slot in sorted(times):
        due = due_instant(day, slot, zone, rollover)
        schedule = due_schedule(timeline.at(due))
        if schedule is not None and slot in schedule.times and schedule.falls_on(day):
            out.append((slot, due))
    return out


@lru_cache(maxsize=4096)
def _day_bounds(day: date, zone: ZoneInfo, rollover: time) -> tuple[datetime, datetime]:
    """A journal day's first and last instant (exclusive), in UTC: 23 or 25 hours long on a DST change."""
    start = datetime.combine(day, rollover, tzinfo=zone).astimezone(UTC)
    return start, datetime.combine(day + timedelta(days=1), rollover, tzinfo=zone).astimezone(UTC)


def slot_results(events: dict[int, list[RegimenEvent]], answers: list[Answer], days: list[date],
                 logged_days: set[date], zones: dict[date, ZoneInfo], default_zone: ZoneInfo, rollover: time,
                 now: datetime, window: timedelta = WINDOW) -> list[SlotResult]:
    """Every scheduled slot of every substance on `days` (ascending), with what became of it."""
    by_slot = {(a.substance_id, a.day, a.slot): a for a in answers}
    out = []
    for substance_id, substance_events in events.items():
        timeline = Timeline(substance_events)
        for day in timeline.maybe_scheduled_among(days):  # not the days it was not started, stopped or as-needed
            zone = zones.get(day, default_zone)
            for slot, due in day_slots(timeline, day, zone, rollover):
                if due - window > now:
                    continue  # not due yet
                answer = by_slot.get((substance_id, day, slot))
                if answer is None:
                    status = "pending" if now <= due + window else "missed" if day in logged_days else "unlogged"
                    out.append(SlotResult(substance_id, day, slot, due, status))
                elif answer.status == "skipped":
                    out.append(SlotResult(substance_id, day, slot, due, "skipped"))
                else:
                    on_time = abs(answer.at - due) <= window
                    out.append(SlotResult(substance_id, day, slot, due, "on_time" if on_time else "late", answer.at))
    return out


@record
class Tally:
    scheduled: int = 0
    on_time: int = 0
    late: int = 0
    skipped: int = 0
    missed: int = 0
    unlogged: int = 0
    pending: int = 0

    @property
    def percent(self) -> float | None:
        """Taken (on time or late) out of the slots that were decided on logged days; None when there are none."""
        decided = self.on_time + self.late + self.skipped + self.missed
        return None if decided == 0 else round(100 * (self.on_time + self.late) / decided, 1)


def tally(results: list[SlotResult]) -> Tally:
    counts = {status: 0 for status in STATUSES}
    for result in results:
        counts[result.status] += 1
    return Tally(scheduled=len(results), **counts)


def due_now(results: list[SlotResult]) -> list[SlotResult]:
    """Slots of the day that are open now: due within the window, or overdue (the window has passed)."""
    return [r for r in results if r.status in ("pending", "missed", "unlogged")]
