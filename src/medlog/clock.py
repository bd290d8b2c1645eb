"""The one place medlog asks for "now". Tests and the demo pass their own clock."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from medlog.domain.errors import InputError


class Clock:
    """Anything that says what time it is: an aware UTC datetime."""

    def now(self) -> datetime:
        raise NotImplementedError


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock(Clock):
    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("a clock gives aware instants")
        self.instant = instant

    def now(self) -> datetime:
        return self.instant


# The years a journal holds (store/forms.py): a clock outside them (a device without a real-time clock, faketime)
# would write instants no journal keeps, or fail deep inside a read.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _in_range(instant: datetime, what: str) -> None:
    if not FIRST_YEAR <= instant.year <= LAST_YEAR:
        raise InputError(f"{what} says {instant:%Y-%m-%d %H:%M} UTC, outside the years medlog keeps "
                         f"({FIRST_YEAR}–{LAST_YEAR}); set the clock right and try again")


def clock_from_env(env: os._Environ[str] | dict[str, str]) -> Clock:
    """MEDLOG_NOW (ISO 8601 with offset) pins the clock: used by tests of the real CLI and by demos.

    A clock outside the years a journal keeps is refused here, before any command runs."""
    pinned = env.get("MEDLOG_NOW")
    if not pinned:
        clock = SystemClock()
        _in_range(clock.now(), "the system clock")
        return clock
    try:
        instant = datetime.fromisoformat(pinned)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise InputError(f"MEDLOG_NOW={pinned!r}: give an ISO 8601 instant with an offset, like "
                         "2026-11-21T09:00:00+00:00")
    try:
        instant = instant.astimezone(UTC)
    except OverflowError:  # 0001-01-01 with a positive offset
        instant = datetime.min.replace(tzinfo=UTC)
    _in_range(instant, f"MEDLOG_NOW={pinned!r}")
    return FixedClock(instant)
