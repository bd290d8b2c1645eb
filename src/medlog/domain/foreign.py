"""Entries read from another app's file (Daylio, Bearable, a CSV with a mapping, medlog's own CSV export), before
they meet the journal.

An importer of such a file reads it into these records: what was written where (a line and a column, for every
message), when (an aware instant and the zone it was written in), and what — a substance, metric or symptom named
as the file names it, values as the file writes them. `services/importers/resolve.py` then matches the names to
the journal's (the same matching as `take`: names, aliases, unique prefixes; the mapping file's choices first),
turns labels into values on medlog's scales, and makes the rows the store's import writes (through the same form
checks as every other door).

Each record carries a `uuid`: stable, made from the source row (uuid5 of the app's own id, its line's content or its
date and time), so importing the same file again adds nothing.
"""

from __future__ import annotations

import uuid as _uuid
from datetime import date, datetime
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.record import record
from medlog.domain.units import Amount

# All imported rows' UUIDs are uuid5 in this namespace, of "<format>:<the source row's identity>".
NAMESPACE = _uuid.UUID("6a1c7c2e-3f0b-5d7e-9b1a-6d2f0e8c4b35")


def stable_uuid(fmt: str, *identity: object) -> str:
    """The same UUID for the same source row, on every import and every machine."""
    return str(_uuid.uuid5(NAMESPACE, ":".join([fmt, *(str(part) for part in identity)])))


MESSAGE_CHARS = 300  # a bad line's message quotes what it found, up to this much


@record
class Where:
    """A place in the file: its line (1-based, as an editor numbers it) and, where it matters, the column."""

    line: int
    column: str | None = None

    def __str__(self) -> str:
        return f"line {self.line}" + (f", column {self.column!r}" if self.column else "")


class BadLine(InputError):
    """A line the importer cannot read: named by line and column. By default nothing is imported; with
    --skip-bad the line is left out and listed."""

    def __init__(self, where: Where, problem: str) -> None:
        if len(problem) > MESSAGE_CHARS:  # a 100,000-character cell quoted whole would bury the line that names it
            problem = problem[:MESSAGE_CHARS - 1] + "…"
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem


@record
class ForeignDose:
    uuid: str
    where: Where
    at: datetime  # aware
    zone: str  # the IANA zone the time was written in
    name: str  # as the file names the substance
    amount: Amount | None = None  # None: the file gives no amount
    status: str = "taken"  # or "skipped"
    note: str | None = None
    slot: str | None = None  # the scheduled time it answered ("08:00"): medlog's own CSV says; others do not


@record
class ForeignRating:
    """A rating of a metric on the journal day of `at`. `value` as the file writes it: a number on the file's
    own `scale` (low, high), or a label ("rad", "good") that the mapping turns into a value."""

    uuid: str
    where: Where
    at: datetime
    zone: str
    metric: str  # as the file names it ("Mood", "Sleep quality", "sleep_hours")
    value: str
    scale: tuple[Decimal, Decimal] | None = None  # the file's own numeric scale, if not medlog's
    day: date | None = None  # the journal day it rates, where the file says (medlog's CSV); else `at`'s


@record
class ForeignSymptom:
    uuid: str
    where: Where
    at: datetime
    zone: str
    name: str
    severity: str | None = None  # "Mild", "7", None (unknown: the mapping's default)
    note: str | None = None


@record
class ForeignNote:
    uuid: str
    where: Where
    at: datetime
    zone: str
    text: str
    kind: str = "note"  # or "question"
    flagged: bool = False


@record
class ForeignTag:
    """A label attached to an entry of the file: a Daylio activity, a Bearable factor. The mapping file says
    what it becomes (by default the entry's tags are one note, "activities: work, friends")."""

    uuid: str
    where: Where
    at: datetime
    zone: str
    group: str  # "activity", "factor": the file's word for it
    name: str


@record
class ForeignRegimen:
    """A regimen event from medlog's own CSV export (other apps' files have none)."""

    uuid: str
    where: Where
    at: datetime
    zone: str
    name: str
    kind: str  # start | stop | dose_change | schedule_change
    dose: Amount | None = None
    schedule: str | None = None  # as the journal stores it ("08:00,21:00", "08:00;mon,wed")
    note: str | None = None


ForeignEntry = ForeignDose | ForeignRating | ForeignSymptom | ForeignNote | ForeignTag | ForeignRegimen


@record
class ForeignFile:
    """What an importer read: the entries in file order, the lines it left out (with --skip-bad, or lines that
    hold nothing to import, such as Bearable's empty category rows) and the labels it met, for --dry-run."""

    fmt: str  # the importer's name, which imported rows carry as their source ("daylio")
    entries: tuple[ForeignEntry, ...]
    skipped: tuple[tuple[Where, str], ...] = ()
    lines: int = 0  # data lines read
