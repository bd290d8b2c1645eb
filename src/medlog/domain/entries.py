"""Journal entries as the faces show them: one shape for every kind, with kind-specific details."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

ENTRY_KINDS = ("dose", "rating", "symptom", "note", "regimen")


@dataclass(frozen=True)
class Entry:
    kind: str  # one of ENTRY_KINDS
    id: str  # the row's UUID
    at: datetime  # UTC: when it happened (for a rating, when it was recorded)
    zone: str  # IANA zone it was logged in
    day: date  # journal day it belongs to
    text: str  # one human line: "took Escitalopram 10 mg (08:00 dose)"
    source: str
    details: dict[str, object] = field(default_factory=dict)  # JSON-ready, documented in docs/cli.md
