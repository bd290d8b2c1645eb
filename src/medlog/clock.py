"""The one place medlog asks for "now". Tests and the demo pass their own clock."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class FixedClock:
    instant: datetime

    def now(self) -> datetime:
        return self.instant


def clock_from_env(env: os._Environ[str] | dict[str, str]) -> Clock:
    """MEDLOG_NOW (ISO 8601 with offset) pins the clock: used by tests of the real CLI and by demos."""
    pinned = env.get("MEDLOG_NOW")
    if not pinned:
        return SystemClock()
    instant = datetime.fromisoformat(pinned)
    if instant.tzinfo is None:
        raise ValueError("MEDLOG_NOW needs an offset, like 2026-11-21T09:00:00+00:00")
    return FixedClock(instant.astimezone(UTC))
