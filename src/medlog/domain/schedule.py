"""Schedules: the wall-clock times a substance is due, on which days, or as-needed (no slots).

Times are wall-clock times in the zone the user is in, so a schedule follows local time when travelling.
Days are every day (the default), some days of the week ("08:00 mon,wed,fri", "09:00 weekends"), or every N
days ("08:00 every 2 days", "every other day"), counted from the journal day the schedule took effect.
"""

from __future__ import annotations

import re  # patterns are strings compiled on first use (re caches them): the quick path pays only for what it parses
from datetime import date, time

from medlog.domain.errors import InputError
from medlog.domain.numbers import ascii_digits
from medlog.domain.record import record, replace
from medlog.domain.timeparse import parse_clock

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # ISO weekday 1..7
MAX_EVERY = 366  # every N days: up to a yearly dose; more is a typo
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"
_EVERY = r"\bevery\s+(other|\d+)\s+days?\b|\bevery\s+day\b|\bdaily\b"
_DAYS = rf"\bweekdays\b|\bweekends\b|\b{_DAY}(?:\s*-\s*{_DAY})?"
_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@record
class Schedule:
    times: tuple[str, ...] = ()  # "08:00", sorted
    as_needed: bool = False
    weekdays: tuple[int, ...] = ()  # ISO weekdays (1 = Monday), sorted; () = every day
    every: int = 1  # every N days
    anchor: date | None = None  # the journal day every-N-days counts from (set when the schedule takes effect)

    def __str__(self) -> str:
        if self.as_needed:
            return "as needed"
        times = ", ".join(self.times) if self.times else "no schedule"
        days = self.days_text()
        return f"{times} {days}" if days else times

    def days_text(self) -> str:
        """'' for every day; 'on Mon, Wed, Fri', 'on weekdays', 'every 2 days (from Fri 20 Nov 2026)'."""
        if self.weekdays:
            if self.weekdays == (1, 2, 3, 4, 5):
                return "on weekdays"
            if self.weekdays == (6, 7):
                return "at weekends"
            return "on " + ", ".join(DAY_NAMES[d - 1].title() for d in self.weekdays)
        if self.every > 1:
            since = f" (from {self.anchor:%a %d %b %Y})" if self.anchor else ""
            return f"every {self.every} days{since}"
        return ""

    def short(self) -> str:
        """For a narrow table column: '08:00 Mon Wed Fri', '20:00 Mon–Fri', '09:00 every 7d'."""
        if self.as_needed or not (self.weekdays or self.every > 1):
            return str(self)
        times = ", ".join(self.times)
        if self.weekdays == (1, 2, 3, 4, 5):
            return f"{times} Mon–Fri"
        if self.weekdays == (6, 7):
            return f"{times} Sat–Sun"
        if self.weekdays:
            return f"{times} " + " ".join(DAY_NAMES[d - 1].title() for d in self.weekdays)
        return f"{times} every {self.every}d"

    def stored(self) -> str:
        """How the journal file keeps it, readable in any SQLite tool: '08:00,21:00', '08:00;mon,wed,fri',
        '08:00;every 2 days from 2026-11-20', or 'as-needed'."""
        if self.as_needed:
            return "as-needed"
        times = ",".join(self.times)
        if self.weekdays:
            return times + ";" + ",".join(DAY_NAMES[d - 1] for d in self.weekdays)
        if self.every > 1:
            return times + f";every {self.every} days" + (f" from {self.anchor.isoformat()}" if self.anchor else "")
        return times

    def slot_times(self) -> tuple[time, ...]:
        return tuple(time.fromisoformat(t) for t in self.times)

    def falls_on(self, day: date) -> bool:
        """Whether the schedule has slots on this journal day."""
        if self.as_needed:
            return False
        if self.weekdays and day.isoweekday() not in self.weekdays:
            return False
        if self.every > 1:
            return (day - (self.anchor or day)).days % self.every == 0
        return True

    def anchored(self, day: date) -> Schedule:
        """Every N days counts from the day the schedule takes effect; other schedules need no anchor."""
        return replace(self, anchor=day) if self.every > 1 and self.anchor is None else self


AS_NEEDED = Schedule(as_needed=True)


def parse_schedule(text: str) -> Schedule:
    """'08:00,21:00', '8am, 9:30pm', '08:00 mon,wed,fri', '20:00 weekdays', '08:00 every 2 days' → Schedule;
    'as-needed' / 'prn' → AS_NEEDED."""
    raw = " ".join(ascii_digits(text).strip().lower().split())
    if raw in {"as-needed", "as needed", "prn"}:
        return AS_NEEDED
    every, rest = _take_every(text, raw)
    weekdays, rest = _take_weekdays(rest)
    if every > 1 and weekdays:
        raise InputError(f"schedule {text!r}: give days of the week or every N days, not both")
    if rest != raw:
        # what is left once the days are taken out: times, and the commas and "on" that joined them to the days
        rest = re.sub(r"\bon\b", " ", rest).strip(" ,")
    parts = [p.strip() for p in rest.split(",")]
    if not rest or any(not p for p in parts):
        raise InputError(f"schedule {text!r}: list times of day separated by commas, like 08:00,21:00 — "
                         "optionally with days: '08:00 mon,wed,fri', '20:00 weekdays', '08:00 every 2 days'")
    times = sorted({parse_clock(p).strftime("%H:%M") for p in parts})
    if len(times) != len(parts):
        raise InputError(f"schedule {text!r} lists a time twice")
    return Schedule(tuple(times), weekdays=weekdays, every=every)


def _take_every(text: str, raw: str) -> tuple[int, str]:
    found = list(re.finditer(_EVERY, raw))
    if len(found) > 1:
        raise InputError(f"schedule {text!r} says how often twice")
    if not found:
        return 1, raw
    count = found[0].group(1)
    every = 2 if count == "other" else int(count) if count else 1
    if not 1 <= every <= MAX_EVERY:
        raise InputError(f"schedule {text!r}: every N days takes N from 1 to {MAX_EVERY}")
    return every, raw[:found[0].start()] + " " + raw[found[0].end():]


def _take_weekdays(raw: str) -> tuple[tuple[int, ...], str]:
    days: set[int] = set()
    for m in re.finditer(_DAYS, raw):
        if m.group(0) == "weekdays":
            days.update(range(1, 6))
        elif m.group(0) == "weekends":
            days.update((6, 7))
        else:
            first, *last = (_day_number(word.strip()) for word in m.group(0).split("-"))
            # a range may wrap round the week: fri-mon is Fri, Sat, Sun, Mon
            span = (last[0] - first) % 7 if last else 0
            days.update((first - 1 + i) % 7 + 1 for i in range(span + 1))
    rest = re.sub(_DAYS, " ", raw)
    return (() if len(days) == 7 else tuple(sorted(days))), rest  # all seven days is every day


def _day_number(word: str) -> int:
    """'wed' or 'wednesday' → 3; 'wedding' is not a day."""
    day = next((n for n, full in enumerate(_FULL, 1) if full.startswith(word) and len(word) >= 3), None)
    if day is None:
        raise InputError(f"{word!r} is not a day of the week; write mon, tue, wed, thu, fri, sat or sun")
    return day


def json_fields(schedule: Schedule | None) -> dict[str, object]:
    """The --json shape: "schedule" is the times, "as-needed" or null; "days" is null (every day), weekday
    names, or {"every": N, "from": "YYYY-MM-DD"}."""
    if schedule is None or schedule.as_needed:
        return {"schedule": "as-needed" if schedule else None, "days": None}
    days: object = None
    if schedule.weekdays:
        days = [DAY_NAMES[d - 1] for d in schedule.weekdays]
    elif schedule.every > 1:
        days = {"every": schedule.every, "from": schedule.anchor.isoformat() if schedule.anchor else None}
    return {"schedule": list(schedule.times), "days": days}


def from_stored(text: str | None) -> Schedule | None:
    """The inverse of Schedule.stored(); trusts the file (what it holds was checked when written)."""
    if text is None:
        return None
    if text == "as-needed":
        return AS_NEEDED
    times, _, days = text.partition(";")
    schedule = Schedule(tuple(times.split(",")))
    if days.startswith("every "):
        words = days.split()  # every N days [from YYYY-MM-DD]
        anchor = date.fromisoformat(words[4]) if len(words) > 4 else None
        return replace(schedule, every=int(words[1]), anchor=anchor)
    if days:
        return replace(schedule, weekdays=tuple(DAY_NAMES.index(d) + 1 for d in days.split(",")))
    return schedule
