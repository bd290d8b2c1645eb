"""Schedules: the wall-clock times a substance is due each day, or as-needed (no slots).

Times are wall-clock times in the zone the user is in, so a schedule follows local time when travelling.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import time

from medlog.domain.errors import InputError
from medlog.domain.timeparse import parse_clock


@dataclass(frozen=True)
class Schedule:
    times: tuple[str, ...] = ()  # "08:00", sorted
    as_needed: bool = False

    def __str__(self) -> str:
        if self.as_needed:
            return "as needed"
        return ", ".join(self.times) if self.times else "no schedule"

    def to_json(self) -> str:
        return json.dumps({"as_needed": True} if self.as_needed else {"times": list(self.times)})

    @classmethod
    def from_json(cls, text: str | None) -> Schedule | None:
        if text is None:
            return None
        data = json.loads(text)
        return cls(tuple(data.get("times", ())), bool(data.get("as_needed", False)))

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
