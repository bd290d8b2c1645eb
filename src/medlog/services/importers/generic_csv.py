"""Any CSV, with a mapping file that says what its columns are (`medlog import FILE --from csv --map FILE`).

The mapping file's `[csv]` table names the columns (by their header):

    [csv]
    day = "Date"               # required: the day, or a date and time in one column ("2024-03-31 08:00")
    time = "Time"              # the time of day, if it has its own column (none: 12:00)
    day_format = "%d/%m/%Y"    # how the day is written, in strftime's codes (default: 2024-03-31)
    delimiter = ";"            # default ","
    decimal = ","              # numbers written 7,5 (default ".")
    substance = "Medication"   # a row with a value here is a dose of it
    amount = "Dose"            # "10 mg", or a number whose unit is in `unit`
    unit = "Unit"
    metric = "Metric"          # long form: a rating's metric in one column …
    value = "Value"            # … and its value in another
    symptom = "Symptom"
    severity = "Severity"
    note = "Notes"

    [csv.ratings]              # wide form: a column per metric; its values on the file's own scale if given
    "Mood (1-5)" = { metric = "mood", low = 1, high = 5 }
    "Hours slept" = "sleep_hours"

A row gives a dose, ratings, a symptom and a note, as its cells say; an empty cell gives nothing. Each entry's
UUID is made from the row's own cells (not its line), so a later export of the same app that adds rows adds only
those. Standard library only.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date, datetime, time
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.foreign import (
    BadLine,
    ForeignDose,
    ForeignEntry,
    ForeignFile,
    ForeignNote,
    ForeignRating,
    ForeignSymptom,
    Where,
    stable_uuid,
)
from medlog.domain.timeparse import parse_clock, resolve_local
from medlog.domain.units import parse_amount
from medlog.services.importers import ReadOptions

FMT = "csv"
NOON = time(12, 0)
_COLUMNS = ("day", "time", "substance", "amount", "unit", "metric", "value", "symptom", "severity", "note")


def sniff(head: bytes) -> bool:
    """Never: any CSV could be one; it is named with --from csv and described by a mapping file."""
    return False


def parse(path: str, options: ReadOptions) -> ForeignFile:
    spec = _spec(options.mapping)
    entries: list[ForeignEntry] = []
    skipped: list[tuple[Where, str]] = []
    seen: Counter[tuple[str, ...]] = Counter()
    lines = 0
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, delimiter=spec.delimiter)
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path} is empty")
            index = _index(header, spec)
            start = reader.line_num + 1
            for cells in reader:
                where, start = Where(start), reader.line_num + 1
                if not any(c.strip() for c in cells):
                    continue
                lines += 1
                key = tuple(cells)
                seen[key] += 1
                try:
                    entries += _entries(where, cells, index, spec, options, seen[key])
                except BadLine as exc:
                    if not options.skip_bad:
                        raise
                    skipped.append((exc.where, exc.problem))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV") from None
    except csv.Error as exc:
        raise InputError(f"{path}: not a CSV file medlog can read ({exc})") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    return ForeignFile(FMT, tuple(entries), tuple(skipped), lines)


class _Spec:
    def __init__(self, table: dict[str, object]) -> None:
        unknown = set(table) - {*_COLUMNS, "day_format", "delimiter", "decimal", "ratings"}
        if unknown:
            raise InputError(f"the mapping file's [csv] has {', '.join(sorted(unknown))}, which medlog does not "
                             f"know; it takes {', '.join(_COLUMNS)}, day_format, delimiter, decimal and "
                             "[csv.ratings]")
        self.columns = {name: str(table[name]) for name in _COLUMNS if name in table}
        if "day" not in self.columns:
            raise InputError("the mapping file's [csv] must name the day's column: day = \"Date\"")
        self.day_format = str(table.get("day_format", "%Y-%m-%d"))
        delimiter = str(table.get("delimiter", ","))
        if len(delimiter) != 1:
            raise InputError(f"the mapping file's [csv] delimiter {delimiter!r}: give one character")
        self.delimiter = delimiter
        decimal = str(table.get("decimal", "."))
        if decimal not in (".", ","):
            raise InputError(f"the mapping file's [csv] decimal {decimal!r}: give \".\" or \",\"")
        self.decimal = decimal
        ratings = table.get("ratings", {})
        if not isinstance(ratings, dict):
            raise InputError("the mapping file's [csv.ratings] must be a table")
        self.ratings: dict[str, tuple[str, tuple[Decimal, Decimal] | None]] = {}
        for column, rule in ratings.items():
            if isinstance(rule, str):
                self.ratings[str(column)] = (rule, None)
            elif isinstance(rule, dict) and "metric" in rule:
                scale = None
                if "low" in rule or "high" in rule:
                    try:
                        scale = (Decimal(str(rule["low"])), Decimal(str(rule["high"])))
                    except (KeyError, ArithmeticError):
                        raise InputError(f"the mapping file's [csv.ratings] {column!r}: give low and high as "
                                         "numbers") from None
                    if not scale[0] < scale[1]:
                        raise InputError(f"the mapping file's [csv.ratings] {column!r}: low must be below high")
                self.ratings[str(column)] = (str(rule["metric"]), scale)
            else:
                raise InputError(f"the mapping file's [csv.ratings] {column!r}: give a metric key, or "
                                 "{ metric = \"mood\", low = 1, high = 5 }")


def _spec(mapping: object) -> _Spec:
    table = mapping.get("csv") if isinstance(mapping, dict) else None
    if not isinstance(table, dict):
        raise InputError("a CSV of another app needs a mapping file (--map FILE) with a [csv] table naming its "
                         "columns; docs/import.md shows one")
    return _Spec(table)


def _index(header: list[str], spec: _Spec) -> dict[str, int]:
    where = {name.strip(): i for i, name in enumerate(header)}
    index = {}
    for role, column in [*spec.columns.items(), *((c, c) for c in spec.ratings)]:
        if column not in where:
            raise InputError(f"the file has no column {column!r} (the mapping file's [csv] names it); its columns: "
                             f"{', '.join(h.strip() for h in header)}")
        index[role] = where[column]
    return index


def _entries(where: Where, cells: list[str], index: dict[str, int], spec: _Spec, options: ReadOptions,
             occurrence: int) -> list[ForeignEntry]:
    def cell(role: str) -> str:
        i = index.get(role)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    def number(role: str) -> str:  # a number as medlog reads it: 7,5 → 7.5 where the file writes a decimal comma
        text = cell(role)
        return text.replace(",", ".") if spec.decimal == "," else text

    at = _at(where, cell("day"), cell("time") if "time" in index else "", spec, options)
    zone = options.zone.key
    identity = "\x1f".join(cells)

    def uuid(part: str) -> str:
        return stable_uuid(FMT, identity, occurrence, part)

    out: list[ForeignEntry] = []
    if name := cell("substance"):
        amount = None
        if text := number("amount"):
            unit = cell("unit")
            try:
                amount = parse_amount(f"{text} {unit}".strip())
            except InputError as exc:
                raise BadLine(Where(where.line, spec.columns["amount"]), str(exc)) from None
        out.append(ForeignDose(uuid("dose"), Where(where.line, spec.columns["substance"]), at, zone, name, amount))
    if (metric := cell("metric")) and (value := number("value")):
        out.append(ForeignRating(uuid(f"rating:{metric}"), Where(where.line, spec.columns["value"]), at, zone,
                                 metric, value))
    for column, (metric, scale) in spec.ratings.items():
        if value := number(column):
            out.append(ForeignRating(uuid(f"rating:{column}"), Where(where.line, column), at, zone, metric, value,
                                     scale))
    if symptom := cell("symptom"):
        out.append(ForeignSymptom(uuid("symptom"), Where(where.line, spec.columns["symptom"]), at, zone, symptom,
                                  cell("severity") or None))
    if note := cell("note"):
        out.append(ForeignNote(uuid("note"), Where(where.line, spec.columns["note"]), at, zone, note))
    return out


def _at(where: Where, day_text: str, clock_text: str, spec: _Spec, options: ReadOptions) -> datetime:
    column = spec.columns["day"]
    if not day_text:
        raise BadLine(Where(where.line, column), "has no day")
    try:
        parsed = datetime.strptime(day_text, spec.day_format)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(day_text)  # a date and time in one column
        except ValueError:
            raise BadLine(Where(where.line, column), f"{day_text!r} is not a day written as {spec.day_format} "
                                                     "(the mapping file's day_format)") from None
    if parsed.tzinfo is not None:
        return parsed
    day: date = parsed.date()
    clock = parsed.time() if parsed.time() != time(0) or not clock_text else None
    if clock_text:
        try:
            clock = parse_clock(clock_text)
        except InputError as exc:
            raise BadLine(Where(where.line, spec.columns["time"]), str(exc)) from None
    try:
        return resolve_local(day, clock or NOON, options.zone).instant
    except InputError as exc:
        raise BadLine(Where(where.line, spec.columns.get("time", column)), str(exc)) from None
