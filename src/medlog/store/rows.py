"""How values sit in the file: instants, days, booleans. Shared by the stdlib write path and the queries."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

# SQLAlchemy's SQLite DateTime format, so SQLModel reads what the stdlib path writes (and sorts as text).
_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def db_time(instant: datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError("naive datetimes are never stored")
    return instant.astimezone(UTC).strftime(_FORMAT)


def from_db_time(text: str) -> datetime:
    # The stored text is always db_time's naive UTC (store/forms.py holds imports to it). Parsing it with its
    # offset is ~0.5 µs; `.replace(tzinfo=UTC)` after parsing costs ~3 µs a row, which a read of thousands of
    # doses (adherence, trends) pays. strptime would also import _strptime (~3 ms).
    return datetime.fromisoformat(text + "+00:00")


def db_day(day: date) -> str:
    return day.isoformat()


def new_uuid() -> str:
    """A random (version 4) UUID in its usual text form.

    Written out rather than uuid.uuid4(): the uuid module imports `platform`, ~5 ms of the quick-log budget.
    tests/unit/test_rows.py checks the result with the uuid module.
    """
    return uuid4_text(os.urandom(16))


def uuid4_text(random_bytes: bytes) -> str:
    """16 random bytes as a version 4 UUID (a seeded source gives reproducible ids, e.g. the demo's)."""
    raw = bytearray(random_bytes)
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
