"""Every journal entry as one CSV row: tidy (one row per entry, one column per field), for a spreadsheet.

Instants are ISO 8601 with the offset of the zone the entry was logged in, with that zone and the journal day
beside them. User text is written as typed, except that a cell starting with = + - @ (or a tab or carriage
return) gets a leading ' so that a spreadsheet shows it instead of running it as a formula (CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from typing import TextIO

from medlog.domain.entries import Entry
from medlog.domain.zones import zone_named

COLUMNS = ("kind", "id", "journal_day", "at", "zone", "source", "substance", "status", "amount", "unit", "slot",
           "metric", "value", "symptom", "severity", "event", "dose", "schedule", "days", "flagged", "note_kind",
           "note", "text")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_USER_TEXT = {"note", "text", "substance", "symptom"}


def write_csv(entries: Iterable[Entry], out: TextIO) -> int:
    """Write the header and one row per entry; the number of rows written."""
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends: what spreadsheets expect
    writer.writerow(COLUMNS)
    count = 0
    for entry in entries:
        writer.writerow(_row(entry))
        count += 1
    return count


def _row(entry: Entry) -> list[str]:
    details = dict(entry.details)
    if entry.kind == "symptom":
        details["symptom"] = details.pop("name", None)
    if entry.kind == "note":
        details["note"] = details.pop("text", None)  # its own words; `text` is the one-line summary, as in `log`
    cells: dict[str, object] = {
        "kind": entry.kind, "id": entry.id, "journal_day": entry.day.isoformat(), "at": _local(entry.at, entry.zone),
        "zone": entry.zone, "source": entry.source, "text": entry.text, **details,
    }
    return [_cell(column, cells.get(column)) for column in COLUMNS]


def _local(at: datetime, zone: str) -> str:
    return at.astimezone(zone_named(zone)).isoformat(timespec="seconds")


def _cell(column: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        text = " ".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = " ".join(f"{k} {v}" for k, v in value.items())
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)  # 7.5, 10 (not 10.0), never 1e+06
    else:
        text = str(value)
    if column in _USER_TEXT and text.startswith(_FORMULA):
        return "'" + text
    return text
