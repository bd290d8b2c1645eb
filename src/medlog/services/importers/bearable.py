"""Bearable's CSV export (issue 19): one row per reading, read into domain/foreign.py's records.

As the app writes it (a real export of 2020–21; a UTF-8 BOM may come first)::

    date,weekday,time of day,category,rating/amount,detail,notes
    "10th May 2021","Monday","","Sleep","9:45","Asleep 02:45 - 12:30. In bed 02:15 - 13:15",". "

Newer exports add `date formatted` (YYYY-MM-DD) after `date`: both headers are read, and that column gives the day.

**When.** `time of day` is a clock time (`3:04`) or a part of the day at a fixed local time: `pre` 06:00, `am`
09:00, `mid` 13:00, `pm` 19:00, `all day` (and empty: Sleep rows) 12:00 — inside its part and after medlog's
default rollover (04:00), on its date's journal day. A time the clocks skipped in `options.zone` is a bad line.

**What each category becomes.**

* Mood, Energy, Sleep quality → a rating (`mood`, `energy`, `sleep_quality`), the number as written, on
  Bearable's scale, which the file does not state: mood 1–10 (Bearable's help page on its scales; the real
  file's moods run 2–9), sleep quality 1–5. Energy was 1–5 in the real 2020–21 export (Awful … Great) and is 1–10
  by the help page today: read as 1–10 if any energy in the file is above 5, else 1–5. Mood's `detail` (its
  emotions, "Meh | Anxious") → tags of the group "emotion".
* Sleep → `sleep_hours` (`9:45` → "9.75") from `rating/amount`, else from "Asleep 23:15 - 06:45" in the detail
  (across midnight). A Sleep row with neither holds no duration: left out, listed.
* Symptom → `Back (lower) pain (Moderate)`: "Back (lower) pain", severity "Moderate" (Bearable's words: None,
  Mild, Moderate, Severe, Unbearable); without such a word, the number in `rating/amount`.
* Meds/Supplements → a dose: the name and unit from `detail` (`Hydroxyzine (mg)`), the amount from
  `rating/amount`, through units.parse_amount; no amount → a dose without one.
* Factors, Sleep factors, Food Diary factors → tags of the groups "factor", "sleep factor", "food factor".
* Food Diary (newer: Nutrition), Gratitudes, Bowel Movements → a note saying what it is ("Gratitude: …", "Bowel
  movement: Bristol type 4"): kept readable beside the doses (bowel changes are a common side effect) without
  inventing a metric medlog does not have.
* Any other category (custom ratings, Health measurements), and a row with nothing in it: left out, listed.
* `notes` → a note of its own, whatever the category, less Bearable's filler (". " on Sleep rows, "(synced from …)").

**Identity.** UUIDs are stable_uuid("bearable", date, time, category, rating/amount, detail, how many such rows
came before, the part of the row): the same file gives the same UUIDs again, identical rows distinct ones.

**Bad lines.** A row that cannot be read (bytes that are not UTF-8 or a NUL too) raises BadLine naming its first
physical line and the column, or with `options.skip_bad` is listed in `skipped`. Not Bearable's header: refused.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from medlog.domain.errors import InputError
from medlog.domain.foreign import (
    BadLine,
    ForeignDose,
    ForeignEntry,
    ForeignFile,
    ForeignNote,
    ForeignRating,
    ForeignSymptom,
    ForeignTag,
    Where,
    stable_uuid,
)
from medlog.domain.numbers import format_decimal, parse_decimal
from medlog.domain.record import replace
from medlog.domain.timeparse import parse_clock, resolve_local
from medlog.domain.units import Amount, parse_amount, unit_of
from medlog.services.importers.lines import Lines, first_line, read_rows
from medlog.services.importers.source import Held, name_of, opened

TYPE_CHECKING = False
if TYPE_CHECKING:
    from medlog.services.importers import ReadOptions

FMT = "bearable"
HEADER = ("date", "weekday", "time of day", "category", "rating/amount", "detail", "notes")
HEADER_FORMATTED = ("date", "date formatted", *HEADER[1:])  # newer exports
HEADERS = (HEADER, HEADER_FORMATTED)

# Bearable's parts of the day → the local time they are recorded at (see the module's docstring).
PARTS = {"pre": time(6), "am": time(9), "mid": time(13), "pm": time(19), "all day": time(12), "": time(12)}

ONE_TO_FIVE, ONE_TO_TEN = (Decimal(1), Decimal(5)), (Decimal(1), Decimal(10))
RATINGS = {"mood": ("mood", ONE_TO_TEN), "energy": ("energy", ONE_TO_TEN),  # energy: see result()
           "sleep quality": ("sleep_quality", ONE_TO_FIVE)}
SEVERITIES = {"none", "mild", "moderate", "severe", "unbearable", "extreme"}
TAG_GROUPS = {"factors": "factor", "sleep factors": "sleep factor", "food diary factors": "food factor"}
NOTE_LABELS = {"food diary": "Food diary", "nutrition": "Food diary", "gratitudes": "Gratitude",
               "bowel movements": "Bowel movement"}

MONTHS = "january february march april may june july august september october november december".split()
_ORDINAL_DATE = r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})\Z"
_ISO_DATE = r"(\d{4})-(\d{2})-(\d{2})\Z"
_ASLEEP = r"asleep\s+(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})"
_DURATION = r"(\d{1,2}):([0-5]\d)\Z"


def sniff(head: bytes) -> bool:
    """Whether `head` begins with Bearable's header (either form), a UTF-8 BOM allowed before it."""
    first = first_line(head)
    try:
        text = first.decode("utf-8")
        fields = next(csv.reader([text]), [])
    except (UnicodeDecodeError, csv.Error):
        return False
    return _columns(fields) is not None


def _columns(fields: list[str]) -> dict[str, int] | None:
    """The header's column indices by name, if `fields` are one of Bearable's headers."""
    names = tuple(field.strip().casefold() for field in fields)
    return {name: i for i, name in enumerate(names)} if names in HEADERS else None


def parse(path: str | Held, options: ReadOptions) -> ForeignFile:
    """The file's entries in file order, the rows left out (and why), and the number of data rows read."""
    try:
        with opened(path) as handle:
            return _parse(Lines(handle, "a Bearable export", "Bearable writes UTF-8"), options)
    except OSError as exc:
        raise InputError(f"cannot read {name_of(path)!r}: {exc.strerror or exc}") from None


def _parse(lines: Lines, options: ReadOptions) -> ForeignFile:
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except csv.Error:
        header = []
    if header is None:
        raise InputError("the file is empty: not a Bearable export")
    columns = None if 1 in lines.bad else _columns(header)
    if columns is None:
        raise InputError(f"not a Bearable export: its first line is not Bearable's header ({','.join(HEADER)})")
    rows = _Rows(columns, options)
    rows.lines = read_rows(lines, reader, rows.read, rows.refuse)
    return rows.result()


class _Rows:
    """Rows → entries, and what the whole file decides: how many of each row came before, energy's scale."""

    def __init__(self, columns: dict[str, int], options: ReadOptions) -> None:
        self.columns, self.options, self.zone = columns, options, options.zone.key
        self.entries: list[ForeignEntry] = []
        self.skipped: list[tuple[Where, str]] = []
        self.seen: Counter[tuple[str, ...]] = Counter()
        self.energy: dict[int, ForeignRating] = {}  # the energy ratings, by their place in `entries`
        self.wide_energy, self.lines = False, 0  # wide: an energy above 5 was seen, the file's are on 1–10

    def refuse(self, problem: BadLine) -> None:
        if not self.options.skip_bad:
            raise problem
        self.skipped.append((problem.where, problem.problem))

    def result(self) -> ForeignFile:
        for i, rating in self.energy.items():
            self.entries[i] = replace(rating, scale=ONE_TO_TEN if self.wide_energy else ONE_TO_FIVE)
        return ForeignFile(fmt=FMT, entries=tuple(self.entries), skipped=tuple(self.skipped), lines=self.lines)

    def read(self, row: list[str], line: int) -> None:
        """The entries of one row (appended), or BadLine; a row with nothing to import is listed as left out."""
        if len(row) != len(self.columns):
            raise BadLine(Where(line), f"has {len(row)} fields; Bearable's header has {len(self.columns)}")
        field = {name: row[i].strip() for name, i in self.columns.items()}
        date_column = "date formatted" if field.get("date formatted") else "date"
        category, amount, detail = field["category"], field["rating/amount"], field["detail"]
        identity = (field[date_column], field["time of day"], category, amount, detail)
        occurrence = self.seen[identity]
        self.seen[identity] += 1

        def uuid(part: str) -> str:
            return stable_uuid(FMT, *identity, occurrence, part)

        at = self._instant(field[date_column], date_column, field["time of day"], line)
        kind = category.casefold()
        made: list[ForeignEntry] = []
        left_out: str | None = None
        if kind in RATINGS:
            metric, scale = RATINGS[kind]
            where = Where(line, "rating/amount")
            if not amount:
                left_out = f"a {category} row without a rating"
            else:
                value = _number(amount, where, f"{category} rating", scale)
                rating = ForeignRating(uuid("rating"), where, at, self.zone, metric, amount, scale)
                if metric == "energy":
                    self.wide_energy |= value > ONE_TO_FIVE[1]
                    self.energy[len(self.entries) + len(made)] = rating
                made.append(rating)
            if metric == "mood":  # the emotions chosen with it
                made += [ForeignTag(uuid(f"emotion:{name}"), Where(line, "detail"), at, self.zone, "emotion", name)
                         for name in _names(detail)]
        elif kind == "sleep":
            hours, where = _sleep_hours(amount, detail, line)
            if hours is None:
                left_out = "a Sleep row without a duration"
            else:
                made.append(ForeignRating(uuid("rating"), where, at, self.zone, "sleep_hours", hours))
        elif kind == "symptom":
            name, severity = _symptom(detail, amount, line)
            made.append(ForeignSymptom(uuid("symptom"), Where(line, "detail"), at, self.zone, name, severity))
        elif kind == "meds/supplements":
            name, dose = _dose(detail, amount, line)
            made.append(ForeignDose(uuid("dose"), Where(line, "detail"), at, self.zone, name, dose))
        elif kind in TAG_GROUPS:
            made += [ForeignTag(uuid(f"tag:{name}"), Where(line, "detail"), at, self.zone, TAG_GROUPS[kind], name)
                     for name in _names(detail)]
        elif kind in NOTE_LABELS:
            text = _labelled(kind, amount, detail)
            if text:
                made.append(ForeignNote(uuid("entry"), Where(line, "detail"), at, self.zone, text))
        elif kind:
            left_out = f"category {category!r} is not one medlog imports"

        note = _note(field["notes"])
        if note:
            made.append(ForeignNote(uuid("note"), Where(line, "notes"), at, self.zone, note))
        if left_out or not made:
            self.skipped.append((Where(line, "category"), left_out or "nothing to import"))
        self.entries += made

    def _instant(self, day_text: str, date_column: str, clock_text: str, line: int) -> datetime:
        day = _day(day_text)
        if day is None:
            example = "2024-02-12" if date_column == "date formatted" else "22nd Sep 2020"
            raise BadLine(Where(line, date_column), f"{day_text!r} is not a date like {example}")
        clock = PARTS.get(clock_text.casefold())
        if clock is None:
            try:
                clock = parse_clock(clock_text)
            except InputError:
                raise BadLine(Where(line, "time of day"), f"{clock_text!r} is neither a time like 21:30 nor a part "
                              "of the day (pre, am, mid, pm, all day)") from None
        try:
            return resolve_local(day, clock, self.options.zone).instant
        except InputError as exc:  # a DST gap
            raise BadLine(Where(line, "time of day"), str(exc)) from None


def _day(text: str) -> date | None:
    """'22nd Sep 2020' (Bearable's `date`) or '2020-09-22' (`date formatted`) → the date; None if neither."""
    ordinal = re.match(_ORDINAL_DATE, text.casefold())
    if ordinal:
        month = next((i for i, name in enumerate(MONTHS, 1) if name.startswith(ordinal.group(2))), 0)
        numbers = (int(ordinal.group(3)), month, int(ordinal.group(1)))  # 3 letters or more: never two months
    else:
        iso = re.match(_ISO_DATE, text)
        if not iso:
            return None
        numbers = (int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    try:
        return date(*numbers)
    except ValueError:  # 31st Feb, or no such month
        return None


def _number(text: str, where: Where, what: str, scale: tuple[Decimal, Decimal]) -> Decimal:
    try:
        value = parse_decimal(text, what=what)
    except InputError as exc:
        raise BadLine(where, str(exc)) from None
    low, high = scale
    if not low <= value <= high:
        raise BadLine(where, f"{what} {text} is outside Bearable's scale ({low}–{high})")
    return value


def _names(detail: str) -> list[str]:
    """'Sedentary | With family' → its names."""
    return [name.strip() for name in detail.split("|") if name.strip()]


def _bracketed(detail: str) -> tuple[str, str | None]:
    """'Back (lower) pain (Mild)' → ('Back (lower) pain', 'Mild'); no brackets at the end → (detail, None)."""
    found = re.match(r"(.*?\S)\s*\(([^()]*)\)\Z", detail)
    return (found.group(1), found.group(2).strip()) if found else (detail, None)


def _sleep_hours(amount: str, detail: str, line: int) -> tuple[str | None, Where]:
    """Hours slept as a decimal string: `rating/amount` ('9:45'), else the detail's 'Asleep 02:45 - 12:30'."""
    if amount:
        where, duration = Where(line, "rating/amount"), re.match(_DURATION, amount)
        minutes = int(duration.group(1)) * 60 + int(duration.group(2)) if duration else -1
        if not 0 <= minutes <= 24 * 60:
            raise BadLine(where, f"sleep {amount!r} is not a duration like 7:30 (hours:minutes)")
    else:
        where, asleep = Where(line, "detail"), re.search(_ASLEEP, detail, re.IGNORECASE)
        if not asleep:
            return None, where
        h1, m1, h2, m2 = (int(part) for part in asleep.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise BadLine(where, f"{asleep.group(0)!r} does not give two times of day")
        minutes = (h2 * 60 + m2 - h1 * 60 - m1) % (24 * 60)  # to the next day when it ends before it began
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_decimal(hours), where


def _symptom(detail: str, amount: str, line: int) -> tuple[str, str | None]:
    if not detail:
        raise BadLine(Where(line, "detail"), "a Symptom row without the symptom's name")
    name, label = _bracketed(detail)
    if label is not None and label.casefold() in SEVERITIES:
        return name, label
    return detail, amount or None


def _dose(detail: str, amount: str, line: int) -> tuple[str, Amount | None]:
    if not detail:
        raise BadLine(Where(line, "detail"), "a Meds/Supplements row without the name")
    name, unit = _bracketed(detail)
    if not amount:  # brackets that are not a unit are part of the name ("Vitamin D (D3)")
        return (name if unit is not None and _is_unit(unit) else detail), None
    try:
        parse_amount(amount, what="amount")
    except InputError as exc:
        raise BadLine(Where(line, "rating/amount"), str(exc)) from None
    try:
        return name, parse_amount(f"{amount} {unit}" if unit else amount, what="amount")
    except InputError as exc:
        raise BadLine(Where(line, "detail"), f"the unit ({unit}): {exc}") from None


def _is_unit(text: str) -> bool:
    try:
        return bool(unit_of(text))
    except InputError:
        return False


def _labelled(kind: str, amount: str, detail: str) -> str | None:
    """A food diary, gratitude or bowel movement row as the text of a note that says what it is."""
    if kind == "bowel movements" and amount.isdigit():
        amount = f"Bristol type {amount}"  # Bearable records the Bristol stool scale, types 1 to 7
    words = " ".join(part for part in (amount, detail) if part)
    return f"{NOTE_LABELS[kind]}: {words}" if words else None


def _note(text: str) -> str | None:
    """The `notes` column without Bearable's filler: the ". " of Sleep rows and "(synced from …)"."""
    text = text.strip()
    if text.startswith("."):
        text = text[1:].strip() if text == "." or text[1:2].isspace() else text
    if re.fullmatch(r"\(synced from [^()]*\)", text, re.IGNORECASE):
        return None
    return text or None
