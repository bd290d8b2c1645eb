"""Journal entries as the faces show them: one shape for every kind, with kind-specific details."""

from __future__ import annotations

from datetime import date, datetime

from medlog.domain.record import record

ENTRY_KINDS = ("dose", "rating", "symptom", "note", "regimen")


@record
class Entry:
    kind: str  # one of ENTRY_KINDS
    id: str  # the row's UUID
    at: datetime  # UTC: when it happened (for a rating, when it was recorded)
    zone: str  # IANA zone it was logged in
    day: date  # journal day it belongs to
    text: str  # one human line: "took Escitalopram 10 mg (08:00 dose)"
    source: str
    details: dict[str, object]  # JSON-ready, documented in docs/cli.md
