"""Every journal entry as one CSV row: tidy (one row per entry, one column per field), for a spreadsheet.

Instants are ISO 8601 with the offset of the zone the entry was logged in, with that zone and the journal day
beside them. User text is written as typed, except that a cell starting with = + - @ (or a tab or carriage
return) gets a leading ' so that a spreadsheet shows it instead of running it as a formula (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from medlog.domain.entries import Entry
from medlog.domain.zones import zone_named

COLUMNS = ("kind", "id", "journal_day", "at", "zone", "source", "substance", "status", "amount", "unit", "slot",
           "metric", "value", "symptom", "severity", "event", "dose", "schedule", "days", "flagged", "note_kind",
           "note", "text")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_USER_TEXT = {"note", "text", "substance", "symptom"}


def csv_pieces(entries: Iterable[Entry], rows_per_piece: int = 200) -> Iterator[str]:
    """The header and one row per entry, as text a piece of `rows_per_piece` rows at a time: written while the
    entries are read, so the whole table is never held."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends: what spreadsheets expect
    writer.writerow(COLUMNS)
    for count, entry in enumerate(entries, start=1):
        writer.writerow(_row(entry))
        if count % rows_per_piece == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


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
