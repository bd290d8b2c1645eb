"""medlog's own CSV export (`medlog export --format csv`) read back: so a CSV round-trips too.

Each row keeps its id, so importing the export into the journal it came from adds nothing, and into another
journal adds each entry once. Substances and metrics are matched by name, as another app's names are
(resolve.py): the CSV is a spreadsheet's view of the journal — one row per entry, no aliases, strengths or rule
settings. The JSON export is the lossless round trip; this one brings back every dose, rating, symptom, note and
regimen change. A cell the export protected from spreadsheet formulas (a leading ' before = + - @) is read back
without it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime

from medlog.domain.errors import InputError
from medlog.domain.foreign import (
    BadLine,
    ForeignDose,
    ForeignEntry,
    ForeignFile,
    ForeignNote,
    ForeignRating,
    ForeignRegimen,
    ForeignSymptom,
    Where,
)
from medlog.domain.record import replace
from medlog.domain.schedule import parse_schedule
from medlog.domain.text import shown
from medlog.domain.units import parse_amount
from medlog.domain.zones import zone_named
from medlog.reports.csv_export import COLUMNS
from medlog.services.importers import ReadOptions
from medlog.services.importers.source import Held, name_of, opened

HEADER = ",".join(COLUMNS).encode()
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_UNPROTECTED = {"note", "text", "substance", "symptom"}


def sniff(head: bytes) -> bool:
    return head.removeprefix(b"\xef\xbb\xbf").startswith(HEADER)


def parse(path: str | Held, options: ReadOptions) -> ForeignFile:
    name = name_of(path)
    entries: list[ForeignEntry] = []
    skipped: list[tuple[Where, str]] = []
    lines = 0
    try:
        with io.TextIOWrapper(opened(path), encoding="utf-8-sig", newline="") as fh:
            for where, row in _rows(fh):
                lines += 1
                try:
                    entry = _entry(where, row)
                except BadLine as exc:
                    if not options.skip_bad:
                        raise
                    skipped.append((exc.where, exc.problem))
                    continue
                if entry is not None:
                    entries.append(entry)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start}); is it medlog's CSV export?") from None
    except csv.Error as exc:
        raise InputError(f"{name}: not a CSV file medlog can read ({exc})") from None
    except OSError as exc:  # not there, a folder, unreadable: one line, as every importer says it
        raise InputError(f"cannot read {shown(name)}: {exc.strerror or exc}") from None
    return ForeignFile("medlog-csv", tuple(entries), tuple(skipped), lines)


def _rows(fh: object) -> Iterator[tuple[Where, dict[str, str]]]:
    reader = csv.reader(fh)  # type: ignore[arg-type]  # a text file
    header = next(reader, None)
    if header != list(COLUMNS):
        raise InputError("not medlog's CSV export: its first line is not the export's columns "
                         f"({', '.join(COLUMNS[:4])}, …)")
    start = reader.line_num + 1
    for cells in reader:
        where = Where(start)
        start = reader.line_num + 1
        if "\x00" in "".join(cells):
            raise BadLine(where, "holds a NUL character")
        if len(cells) != len(COLUMNS):
            raise BadLine(where, f"has {len(cells)} fields; the export's rows have {len(COLUMNS)}")
        yield where, {c: _unprotected(c, v) for c, v in zip(COLUMNS, cells, strict=True)}


def _unprotected(column: str, value: str) -> str:
    if column in _UNPROTECTED and value.startswith("'") and value[1:].startswith(_FORMULA):
        return value[1:]
    return value


def _entry(where: Where, row: dict[str, str]) -> ForeignEntry | None:
    kind, uuid = row["kind"], row["id"]
    at, zone = _at(where, row), row["zone"]
    try:
        if kind == "dose":
            amount = parse_amount(f"{row['amount']} {row['unit']}") if row["amount"] else None
            return ForeignDose(uuid, where, at, zone, row["substance"], amount, row["status"] or "taken",
                               row["note"] or None, row["slot"] or None)
        if kind == "rating":
            return ForeignRating(uuid, where, at, zone, row["metric"], row["value"],
                                 day=date.fromisoformat(row["journal_day"]))
        if kind == "symptom":
            return ForeignSymptom(uuid, where, at, zone, row["symptom"], row["severity"], row["note"] or None)
        if kind == "note":
            return ForeignNote(uuid, where, at, zone, row["note"], row["note_kind"] or "note",
                               row["flagged"] == "yes")
        if kind == "regimen":
            dose = parse_amount(f"{row['dose']} {row['unit']}") if row["dose"] else None
            return ForeignRegimen(uuid, where, at, zone, row["substance"], row["event"], dose, _schedule(row),
                                  row["note"] or None)
    except (InputError, ValueError) as exc:
        raise BadLine(where, str(exc)) from None
    raise BadLine(Where(where.line, "kind"), f"{kind!r} is not a kind of entry medlog exports")


def _at(where: Where, row: dict[str, str]) -> datetime:
    try:
        zone_named(row["zone"])
        at = datetime.fromisoformat(row["at"])
    except (InputError, ValueError) as exc:
        raise BadLine(Where(where.line, "at" if "zone" not in str(exc) else "zone"), str(exc)) from None
    if at.tzinfo is None:
        raise BadLine(Where(where.line, "at"), f"{row['at']!r} has no offset; the export writes one")
    return at


def _schedule(row: dict[str, str]) -> str | None:
    """The regimen row's schedule as the journal stores it: "08:00 21:00" + days "mon wed" → '08:00,21:00;…'."""
    times, days = row["schedule"], row["days"]
    if not times:
        return None
    if times == "as-needed":
        return parse_schedule("as-needed").stored()
    text = ",".join(times.split())
    words = days.split()
    if words[:1] == ["every"]:  # "every 2 from 2026-11-01"
        if len(words) < 2:
            raise InputError(f"days {days!r}: say every how many days, as the export writes it (every 2)")
        schedule = parse_schedule(f"{text} every {words[1]} days")
        if len(words) > 3:
            schedule = replace(schedule, anchor=date.fromisoformat(words[3]))
        return schedule.stored()
    return parse_schedule(f"{text} {','.join(words)}" if words else text).stored()
