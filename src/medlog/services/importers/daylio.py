"""Daylio's "Export entries" CSV (issue 19): each entry's mood, activities and note, read into domain/foreign.py's
records.

The file, as the app writes it (real exports of 2017–2026 seen; tests/fixtures/daylio/README.md): a UTF-8 BOM,
one header line, then one row per entry, newest first. Four headers have been written over the years::

    year,date,weekday,time,mood,activities,note                              (until about 2019)
    full_date,date,weekday,time,mood,activities,note                         (2019–2020)
    full_date,date,weekday,time,mood,activities,note_title,note              (2021–)
    full_date,date,weekday,time,mood,activities,scales,note_title,note       (2026, with Daylio's scales)

**When.** The day is `full_date` (2023-05-14); the old header has only `year` and `date`, the day as the phone's
language writes it ("June 22", "29 March", "7 września", "16 de octubre"): month names in English, German,
French, Spanish, Italian, Portuguese, Dutch and Polish are read, in either order, and the year from `year`. The
time is 12-hour ("10:00 pm", "9:05 AM", "6:50 p.m.") or 24-hour ("21:30", "9:03"), sometimes both in one file.
The wall time is made an instant in `options.zone` (timeparse.resolve_local); a time the clocks skipped (a DST
gap) is a bad line. `weekday` and the new header's `date` repeat the day in words and are not read.

**What each row becomes.**

* `mood` → a rating of the metric "mood" with the label as written (the user's own labels: rad, good, meh, bad,
  awful by default; "Not so good [-]", "ok but sleepy"), surrounding spaces stripped, case kept; no scale.
* `activities` ("work | friends | good meal") → one tag of the group "activity" per name, stripped; empty names
  and repeats within the row are dropped. Names are kept as written: real ones include "<c_e> tired".
* `note_title` and `note` → one note, the title on its first line. A note written in Daylio's rich editor is
  HTML (`Who knows.<br><br>Am I?`, `<b>test</b>`, `&nbsp;`): its line breaks become line breaks, its formatting
  tags are dropped and its entities decoded. A note without such markup is kept as written.
* `scales` ("Sleep Quality: 8/10 points | Sleep Time: 8:00") → one rating per scale, the metric its name and the
  value as written after the colon ("8/10 points"); the resolver decides what they become.

**Identity.** Each record's UUID is stable_uuid("daylio", the row's day and time, the how-many-th entry of the
file at that minute this is, the part: "mood", "activity:<name>", "note", "scale:<name>"): the same file imported
again gives the same UUIDs, and two entries of the same minute two different ones.

**Bad lines.** A row that cannot be read (a date or time that is not one, a DST gap, an empty mood, the wrong
number of fields, bytes that are not UTF-8, a NUL, CSV that does not parse) raises BadLine naming the physical
line it starts on (a quoted note can span lines) and the column; with `options.skip_bad` it is listed in
`ForeignFile.skipped` instead. A file whose first line is not one of Daylio's headers is refused in one line.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date, time
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.foreign import (
    BadLine,
    ForeignEntry,
    ForeignFile,
    ForeignNote,
    ForeignRating,
    ForeignTag,
    Where,
    stable_uuid,
)
from medlog.domain.timeparse import resolve_local
from medlog.services.importers import ReadOptions
from medlog.services.importers.lines import Lines, first_line, read_rows
from medlog.services.importers.source import Held, name_of, opened

FMT = "daylio"
HEADERS = (
    ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note"),
    ("full_date", "date", "weekday", "time", "mood", "activities", "scales", "note_title", "note"),
    ("full_date", "date", "weekday", "time", "mood", "activities", "note"),
    ("year", "date", "weekday", "time", "mood", "activities", "note"),
)
SIGNS = frozenset(",".join(header).encode() for header in HEADERS)

_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?:\s*([ap])\.?\s*m\.?)?", re.IGNORECASE)
_WORD_OR_NUMBER = re.compile(r"\d+|[^\W\d_]+")

# Month names as old exports write them (the phone's language), lower case without accents → the month.
_MONTH_NAMES = {
    "en": "january february march april may june july august september october november december",
    "en3": "jan feb mar apr may jun jul aug sep oct nov dec",
    "de": "januar februar marz april mai juni juli august september oktober november dezember",
    "fr": "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pl": "styczen luty marzec kwiecien maj czerwiec lipiec sierpien wrzesien pazdziernik listopad grudzien",
    "pl-of": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia wrzesnia pazdziernika listopada grudnia",
}
MONTHS = {name: n for names in _MONTH_NAMES.values() for n, name in enumerate(names.split(), start=1)}
MONTHS.update({"sept": 9, "janner": 1, "setiembre": 9})

# The HTML of Daylio's rich editor: only these tags are markup (a note or label like "<c_e>" or "<3" is text).
_TAG = re.compile(r"<(/?)(br|p|div|li|ul|ol|h[1-6]|blockquote|b|strong|i|em|u|s|strike|del|ins|span|font|small|big|"
                  r"sub|sup|mark|code|pre)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": " "}
_BLOCKS = {"p", "div", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}


def sniff(head: bytes) -> bool:
    """Whether `head` begins with one of Daylio's headers (a UTF-8 BOM allowed before it), exactly."""
    return first_line(head).rstrip(b" \t") in SIGNS


def parse(path: str | Held, options: ReadOptions) -> ForeignFile:
    """The file's entries in file order, with the rows left out (and why) and the number of data rows read."""
    try:
        with opened(path) as handle:
            return _parse(Lines(handle, "a Daylio export", "Daylio writes UTF-8"), options)
    except OSError as exc:
        raise InputError(f"cannot read {name_of(path)!r}: {exc.strerror or exc}") from None


def _parse(lines: Lines, options: ReadOptions) -> ForeignFile:
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    if header is None and lines.number == 0:
        raise InputError(f"the file is empty: not a Daylio export (its first line would be {','.join(HEADERS[0])})")
    names = tuple(name.strip() for name in header or ())
    if names not in HEADERS or 1 in lines.bad:
        raise InputError(f"not a Daylio export: its first line is not Daylio's header ({','.join(HEADERS[0])})")
    rows = _Rows(names, options)
    rows.lines = read_rows(lines, reader, rows.read, rows.refuse)
    return rows.result()


class _Rows:
    """Rows → entries, with the per-file state: how many entries each minute has had, the rows left out."""

    def __init__(self, header: tuple[str, ...], options: ReadOptions) -> None:
        self.column = {name: i for i, name in enumerate(header)}
        self.width = len(header)
        self.old = "year" in self.column
        self.options = options
        self.zone = options.zone.key
        self.entries: list[ForeignEntry] = []
        self.skipped: list[tuple[Where, str]] = []
        self.seen: dict[str, int] = {}
        self.lines = 0

    def refuse(self, problem: BadLine) -> None:
        if not self.options.skip_bad:
            raise problem
        self.skipped.append((problem.where, problem.problem))

    def result(self) -> ForeignFile:
        return ForeignFile(fmt=FMT, entries=tuple(self.entries), skipped=tuple(self.skipped), lines=self.lines)

    def read(self, row: list[str], line: int) -> None:
        """The row's entries, added all together or (BadLine) not at all."""
        if len(row) != self.width:
            raise BadLine(Where(line), f"has {len(row)} fields; the file's header has {self.width}")
        column = self.column
        day = _old_day(row[0], row[1], line) if self.old else _day(row[0], line)
        clock = _clock(row[column["time"]], line)
        mood = row[column["mood"]].strip()
        if not mood:
            raise BadLine(Where(line, "mood"), "has no mood (every Daylio entry has one)")
        try:
            at = resolve_local(day, clock, self.options.zone).instant
        except InputError as exc:
            raise BadLine(Where(line, "time"), str(exc)) from None

        activities = _names(row[column["activities"]])
        scales = _scales(row[column["scales"]], line) if "scales" in column else []
        title = _plain(row[column["note_title"]]) if "note_title" in column else ""
        text = "\n".join(part for part in (title, _plain(row[column["note"]])) if part)

        minute = f"{day.isoformat()}T{clock:%H:%M}"
        occurrence = self.seen.get(minute, 0)
        self.seen[minute] = occurrence + 1
        zone = self.zone

        def uuid(part: str) -> str:
            return stable_uuid(FMT, minute, occurrence, part)

        made: list[ForeignEntry] = [ForeignRating(uuid("mood"), Where(line, "mood"), at, zone, "mood", mood)]
        made += [ForeignTag(uuid(f"activity:{name}"), Where(line, "activities"), at, zone, "activity", name)
                 for name in activities]
        made += [ForeignRating(uuid(f"scale:{name}"), Where(line, "scales"), at, zone, name, *_scale_value(value))
                 for name, value in scales]
        if text:
            made.append(ForeignNote(uuid("note"), Where(line, "note"), at, zone, text))
        self.entries += made


def _day(text: str, line: int) -> date:
    m = _DAY.fullmatch(text.strip())
    if not m:
        raise BadLine(Where(line, "full_date"), f"{text.strip()!r} is not a date like 2023-05-14")
    try:
        return date(*(int(group) for group in m.groups()))
    except ValueError:
        raise BadLine(Where(line, "full_date"), f"{text.strip()} is not a date on the calendar") from None


def _old_day(year_text: str, text: str, line: int) -> date:
    """The day of an old export's `year` ("2018") and `date` ("June 22", "29 March", "7 września")."""
    year = year_text.strip()
    if not (len(year) == 4 and year.isdigit()):
        raise BadLine(Where(line, "year"), f"{year!r} is not a year like 2018")
    tokens = _WORD_OR_NUMBER.findall(text)
    numbers = [token for token in tokens if token.isdigit()]
    months = {MONTHS[key] for key in map(_folded, tokens) if key in MONTHS}
    if len(numbers) != 1 or len(months) != 1:
        raise BadLine(Where(line, "date"), f"{text.strip()!r} is not a day and month this importer reads (like "
                      "June 22 or 22 June; month names in English, German, French, Spanish, Italian, Portuguese, "
                      "Dutch or Polish)")
    try:
        return date(int(year), months.pop(), int(numbers[0]))
    except ValueError:
        raise BadLine(Where(line, "date"), f"{text.strip()} {year} is not a date on the calendar") from None


def _folded(word: str) -> str:
    """A word lower-cased without its accents ("Março" → "marco", "września" → "wrzesnia")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


def _clock(text: str, line: int) -> time:
    """'10:00 pm', '9:05 AM', '6:50 p.m.', '21:30', '9:03' → the wall time."""
    m = _CLOCK.fullmatch(text.strip())
    if not m:
        raise BadLine(Where(line, "time"), f"{text.strip()!r} is not a time like 21:30 or 9:30 pm")
    hour, minute, half = int(m.group(1)), int(m.group(2)), m.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise BadLine(Where(line, "time"), f"{text.strip()!r}: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    if hour > 23 or minute > 59:
        raise BadLine(Where(line, "time"), f"{text.strip()!r} is not a time of day (hours 0–23, minutes 0–59)")
    return time(hour, minute)


def _names(text: str) -> list[str]:
    """'work | friends |  Sick' → ['work', 'friends', 'Sick']: stripped, without empty names or repeats."""
    names: dict[str, None] = {}
    for name in text.split(" | "):
        if name.strip():
            names.setdefault(name.strip())
    return list(names)


def _scales(text: str, line: int) -> list[tuple[str, str]]:
    """'Sleep Quality: 8/10 points | Sleep Time: 8:00' → [('Sleep Quality', '8/10 points'), ('Sleep Time', '8:00')]."""
    scales: dict[str, str] = {}
    for part in text.split(" | "):
        if not part.strip():
            continue
        name, colon, value = part.partition(":")
        if not colon or not name.strip() or not value.strip():
            raise BadLine(Where(line, "scales"), f"{part.strip()!r} is not a scale as Daylio writes them (Name: value)")
        scales.setdefault(name.strip(), value.strip())
    return list(scales.items())


_POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*/\s*(\d+)\b")  # "8/10 points"
_HOURS = re.compile(r"(\d{1,2}):(\d{2})\Z")  # "7:30", a duration (Daylio's sleep time)


def _scale_value(text: str) -> tuple[str, tuple[Decimal, Decimal] | None]:
    """A scale's value as the resolver reads it: "8/10 points" is 8 on 0–10 (put on the metric's own scale by
    the linear rule); "7:30" is 7.5 hours; anything else as written (a label, which the mapping gives a value)."""
    if m := _POINTS.match(text):
        return m.group(1), (Decimal(0), Decimal(m.group(2)))
    if m := _HOURS.match(text):
        return str(Decimal(m.group(1)) + Decimal(m.group(2)) / 60), None
    return text, None


def _plain(text: str) -> str:
    """A note or title as plain text: the rich editor's HTML made lines (see the module's docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text and _TAG.search(text) or "&" in text and _ENTITY.search(text):
        text = _ENTITY.sub(_entity, _TAG.sub(_tag, text))
        text = re.sub(r"[ \t]+\n", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _tag(m: re.Match[str]) -> str:
    closing, name = m.group(1), m.group(2).lower()
    if name == "br":
        return "\n"
    if name == "li":
        return "" if closing else "\n- "
    if name == "div":  # a line of the editor
        return "" if closing else "\n"
    if name in _BLOCKS:
        return "\n"
    return ""


def _entity(m: re.Match[str]) -> str:
    name = m.group(1)
    if name[0] != "#":
        return _ENTITIES[name]
    code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return m.group(0)
    return "\n" if code in (10, 13) else chr(code)
