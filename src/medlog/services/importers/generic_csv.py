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

**Bad lines**, as Daylio's and Bearable's: a line with more or fewer fields than the header (an unquoted comma in
a note would cut it short), CSV that does not parse (a quote left open would take every line after it into one
cell), bytes that are not UTF-8 — each named by the line it starts on, and left out with --skip-bad. A line over
1 MiB is no spreadsheet's and refuses the file (a symlink to /dev/zero is one line that never ends).
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
from medlog.domain.text import shown
from medlog.domain.timeparse import parse_clock, resolve_local
from medlog.domain.units import parse_amount
from medlog.services.importers import ReadOptions
from medlog.services.importers.lines import Lines, read_rows
from medlog.services.importers.source import Held, name_of, opened

FMT = "csv"
NOON = time(12, 0)
_COLUMNS = ("day", "time", "substance", "amount", "unit", "metric", "value", "symptom", "severity", "note")
# A column that says nothing without another: an amount is of a substance, a value of a metric, and so on.
_NEEDS = {"amount": "substance", "unit": "substance", "value": "metric", "metric": "value", "severity": "symptom"}
_SCALE_LIMIT = Decimal(1_000_000)  # a file's own scale: as far as an amount may go, and never inf or nan


def sniff(head: bytes) -> bool:
    """Never: any CSV could be one; it is named with --from csv and described by a mapping file."""
    return False


def parse(path: str | Held, options: ReadOptions) -> ForeignFile:
    spec = _spec(options.mapping)
    entries: list[ForeignEntry] = []
    skipped: list[tuple[Where, str]] = []
    seen: Counter[tuple[str, ...]] = Counter()
    try:
        with opened(path) as handle:
            lines = Lines(handle, "a CSV file medlog reads", "save the file as UTF-8 CSV")
            reader = csv.reader(lines, delimiter=spec.delimiter, strict=True)
            try:
                header = next(reader, None)
            except csv.Error as exc:
                raise InputError(f"line 1 is not CSV medlog can read ({exc})") from None
            if header is None:
                raise InputError(f"{name_of(path)} is empty")
            if 1 in lines.bad:
                raise InputError(lines.bad[1])
            index = _index(header, spec)

            def read(cells: list[str], line: int) -> None:
                if len(cells) != len(header):
                    raise BadLine(Where(line), f"has {len(cells)} fields; the header has {len(header)}")
                key = tuple(cells)
                seen[key] += 1
                entries.extend(_entries(Where(line), cells, index, spec, options, seen[key]))

            def refuse(problem: BadLine) -> None:
                if not options.skip_bad:
                    raise problem
                skipped.append((problem.where, problem.problem))

            count = read_rows(lines, reader, read, refuse)
    except OSError as exc:
        raise InputError(f"{name_of(path)}: {exc.strerror or exc}") from None
    return ForeignFile(FMT, tuple(entries), tuple(skipped), count)


class _Spec:
    def __init__(self, table: dict[str, object]) -> None:
        unknown = set(table) - {*_COLUMNS, "day_format", "delimiter", "decimal", "ratings"}
        if unknown:
            raise InputError(f"the mapping file's [csv] has {', '.join(sorted(unknown))}, which medlog does not "
                             f"know; it takes {', '.join(_COLUMNS)}, day_format, delimiter, decimal and "
                             "[csv.ratings]")
        # Every value is text in quotes: any other TOML type would be read as its Python text ("['Date']", "1").
        self.columns = {name: _text(table[name], name) for name in _COLUMNS if name in table}
        if "day" not in self.columns:
            raise InputError("the mapping file's [csv] must name the day's column: day = \"Date\"")
        for name, needed in _NEEDS.items():  # else its cells would be read as nothing, without a word
            if name in self.columns and needed not in self.columns:
                raise InputError(f"the mapping file's [csv] {name} needs {needed} too: name the column of the "
                                 f"{needed} it belongs to")
        self.day_format = _text(table.get("day_format", "%Y-%m-%d"), "day_format")
        delimiter = _text(table.get("delimiter", ","), "delimiter")
        if len(delimiter) != 1 or delimiter in '"\r\n\x00':  # the quote and line ends are CSV's own
            raise InputError(f"the mapping file's [csv] delimiter {delimiter!r}: give one character (not a quote "
                             "or a line break)")
        self.delimiter = delimiter
        decimal = _text(table.get("decimal", "."), "decimal")
        if decimal not in (".", ","):
            raise InputError(f"the mapping file's [csv] decimal {decimal!r}: give \".\" or \",\"")
        self.decimal = decimal
        ratings = table.get("ratings", {})
        if not isinstance(ratings, dict):
            raise InputError("the mapping file's [csv.ratings] must be a table")
        self.ratings: dict[str, tuple[str, tuple[Decimal, Decimal] | None]] = {}
        for column, rule in ratings.items():
            what = f"[csv.ratings] {str(column)!r}"
            if isinstance(rule, str):
                self.ratings[str(column)] = (rule, None)
            elif isinstance(rule, dict) and "metric" in rule and set(rule) <= {"metric", "low", "high"}:
                scale = None
                if "low" in rule or "high" in rule:
                    if "low" not in rule or "high" not in rule:
                        raise InputError(f"the mapping file's {what}: give low and high as numbers")
                    scale = (_bound(rule["low"], what), _bound(rule["high"], what))
                    if not scale[0] < scale[1]:
                        raise InputError(f"the mapping file's {what}: low must be below high")
                self.ratings[str(column)] = (_text(rule["metric"], "metric", what), scale)
            else:
                raise InputError(f"the mapping file's {what}: give a metric key, or "
                                 "{ metric = \"mood\", low = 1, high = 5 }")


def _text(value: object, name: str, what: str = "[csv]") -> str:
    if not isinstance(value, str):
        raise InputError(f"the mapping file's {what} {name} is {value!r}: give it as text in quotes")
    return value


def _bound(value: object, what: str) -> Decimal:
    """An end of a file's own scale: a finite number no further than an amount may go, with at most 4 decimals
    (nan compared with anything is an error, inf made every value the bottom of the metric's scale)."""
    number = None
    if not isinstance(value, bool) and isinstance(value, int | float | str):
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            pass
    if number is None or not number.is_finite() or abs(number) > _SCALE_LIMIT or \
            number != number.quantize(Decimal("0.0001")):
        raise InputError(f"the mapping file's {what}: give low and high as numbers (at most "
                         f"{_SCALE_LIMIT:,} either side of 0, and 4 decimals)")
    return number


def _spec(mapping: object) -> _Spec:
    table = mapping.get("csv") if isinstance(mapping, dict) else None
    if not isinstance(table, dict):
        raise InputError("a CSV of another app needs a mapping file (--map FILE) with a [csv] table naming its "
                         "columns; docs/import.md shows one")
    return _Spec(table)


def _index(header: list[str], spec: _Spec) -> dict[str, int]:
    names = [name.strip() for name in header]
    where = {name: i for i, name in enumerate(names)}
    index = {}
    for role, column in [*spec.columns.items(), *((c, c) for c in spec.ratings)]:
        if column not in where:
            # each name as a message quotes it: a line break in a quoted header cell would split the message
            raise InputError(f"the file has no column {column!r} (the mapping file's [csv] names it); its columns: "
                             f"{', '.join(map(shown, names))}")
        if names.count(column) > 1:  # one of them would be read, the other left out without a word
            raise InputError(f"the file has {names.count(column)} columns {column!r}; rename all but the one the "
                             "mapping file's [csv] means")
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
