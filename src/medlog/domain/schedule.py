"""Schedules: the wall-clock times a substance is due each day, or as-needed (no slots).

Times are wall-clock times in the zone the user is in, so a schedule follows local time when travelling.
"""

from __future__ import annotations

from datetime import time

from medlog.domain.errors import InputError
from medlog.domain.record import record
from medlog.domain.timeparse import parse_clock


@record
class Schedule:
    times: tuple[str, ...] = ()  # "08:00", sorted
    as_needed: bool = False

    def __str__(self) -> str:
        if self.as_needed:
            return "as needed"
        return ", ".join(self.times) if self.times else "no schedule"

    def stored(self) -> str:
        """How the journal file keeps it: '08:00,21:00' or 'as-needed' (readable in any SQLite tool)."""
        return "as-needed" if self.as_needed else ",".join(self.times)

    def slot_times(self) -> tuple[time, ...]:
        return tuple(time.fromisoformat(t) for t in self.times)


AS_NEEDED = Schedule(as_needed=True)


def parse_schedule(text: str) -> Schedule:
    """'08:00,21:00' or '8am, 9:30pm' → Schedule; 'as-needed' / 'prn' → AS_NEEDED."""
    raw = text.strip().lower()
    if raw in {"as-needed", "as needed", "prn"}:
        return AS_NEEDED
    parts = [p.strip() for p in raw.split(",")]
    if not raw or any(not p for p in parts):
        raise InputError(f"schedule {text!r}: list times of day separated by commas, like 08:00,21:00")
    times = sorted({parse_clock(p).strftime("%H:%M") for p in parts})
    if len(times) != len(parts):
        raise InputError(f"schedule {text!r} lists a time twice")
    return Schedule(tuple(times))


def from_stored(text: str | None) -> Schedule | None:
    """The inverse of Schedule.stored(); trusts the file (what it holds was checked when written)."""
    if text is None:
        return None
    if text == "as-needed":
        return AS_NEEDED
    return Schedule(tuple(text.split(",")))
