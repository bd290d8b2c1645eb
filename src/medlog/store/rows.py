"""How values sit in the file: instants, days, booleans. Shared by the stdlib write path and the queries."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

# SQLAlchemy's SQLite DateTime format, so SQLModel reads what the stdlib path writes (and sorts as text).
_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def db_time(instant: datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError("naive datetimes are never stored")
    return instant.astimezone(UTC).strftime(_FORMAT)


def from_db_time(text: str) -> datetime:
    return datetime.strptime(text, _FORMAT).replace(tzinfo=UTC)


def db_day(day: date) -> str:
    return day.isoformat()


def new_uuid() -> str:
    return str(uuid.uuid4())
