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


def clock_from_env(env: os._Environ[str] | dict[str, str]) -> Clock:
    """MEDLOG_NOW (ISO 8601 with offset) pins the clock: used by tests of the real CLI and by demos."""
    pinned = env.get("MEDLOG_NOW")
    if not pinned:
        return SystemClock()
    try:
        instant = datetime.fromisoformat(pinned)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise InputError(f"MEDLOG_NOW={pinned!r}: give an ISO 8601 instant with an offset, like "
                         "2026-11-21T09:00:00+00:00")
    return FixedClock(instant.astimezone(UTC))
