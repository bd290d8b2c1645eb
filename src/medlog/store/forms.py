"""The form each value takes in the journal file: what medlog's writes produce and its readers rely on.

The readers trust the file, because medlog only ever writes these forms. If a reader met '2026-02-30' where a
day belongs, or 'Mars/Base' where a zone belongs, every later command would stop with an internal error.
`medlog import` reads rows that something else may have written: a hand edit, another program, a damaged copy.
So it holds every value to these forms before it writes anything. The same goes for the snapshots in the change
log, which `undo` writes back.

Which column has which form is stated with the column, in store/schema.py (by its type, or `formed(FORM)`), and
read here from the catalogue generated from it: FORMS holds each form's check, by the name the schema uses.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import date, datetime, time

from medlog.domain.errors import InputError
from medlog.domain.names import name_key
from medlog.domain.schedule import DAY_NAMES, MAX_EVERY, from_stored
from medlog.domain.text import clean_name, clean_note
from medlog.domain.units import MAX_AMOUNT, unit_of
from medlog.domain.zones import zone_named
from medlog.store.catalogue import TABLES

# Far enough either side for any real journal, and far from the ends of Python's calendar: an instant in year
# 9999 read in a zone east of UTC would overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2999
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}\Z")  # store/rows.py's _FORMAT, in UTC
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_CLOCK = re.compile(r"\d{2}:\d{2}\Z")
_LIMIT = 2**63  # SQLite's integers
# How medlog writes every row's identity (store/rows.py, uuid5 in store/changes.py): lower-case, hyphenated. A
# re-import matches rows by this text, so 'ABC…' or '{…}' for the same UUID would come in as a second row.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


class BadValue(ValueError):
    """A value not in its column's form; str() says which column and why ('has zone 'Mars/Base', which …')."""


Check = Callable[[object], str | None]  # None when the value is in form, else what is wrong with it


def _text(value: object) -> str | None:
    return None if isinstance(value, str) else "which is not text"


def _typed_as(clean: Callable[[str], str], what: str) -> Check:
    """Text held to the rules typed text meets (domain.text): already in the form `clean` gives it — no
    control or invisible formatting character, no outer or doubled space in a name, within the length limit."""
    def check(value: object) -> str | None:
        if not isinstance(value, str):
            return "which is not text"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "which is not valid Unicode (a lone surrogate)"
        try:
            ok = clean(value) == value
        except InputError as exc:
            return f"which medlog would refuse as typed ({exc})"
        return None if ok else f"which is not {what} as medlog writes one (spaces trimmed and single)"
    return check


_NAME = _typed_as(clean_name, "a name")
_NOTE = _typed_as(clean_note, "a note")


def _uuid(value: object) -> str | None:
    ok = isinstance(value, str) and _UUID.match(value)
    return None if ok else "which is not a UUID as medlog writes one (lower-case, 8-4-4-4-12 hex digits)"


def _dated(pattern: re.Pattern[str], parse: Callable[[str], date], wrong: str) -> Check:
    """A check for stored instants or days: the exact text form, a real date, and a year in range."""
    def dated(value: object) -> str | None:
        if isinstance(value, str) and pattern.match(value):
            try:
                if FIRST_YEAR <= parse(value).year <= LAST_YEAR:
                    return None
            except ValueError:  # in form but not on the calendar: 2026-02-30
                pass
        return wrong
    return dated


_instant = _dated(_INSTANT, datetime.fromisoformat, "which is not an instant as the journal keeps one (UTC, "
                  f"'YYYY-MM-DD HH:MM:SS.ffffff', years {FIRST_YEAR}–{LAST_YEAR})")
_day = _dated(_DAY, date.fromisoformat, f"which is not a day (YYYY-MM-DD, years {FIRST_YEAR}–{LAST_YEAR})")


def _integer(value: object) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and -_LIMIT <= value < _LIMIT
    return None if ok else "which is not a whole number"


def _number(value: object) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) \
        and abs(value) < _LIMIT
    return None if ok else "which is not a finite number (below 2**63)"


def _flag(value: object) -> str | None:
    return None if value in (0, 1) and isinstance(value, int) else "which is not 0 or 1"


def _zone(value: object) -> str | None:
    if isinstance(value, str):
        try:
            zone_named(value)
            return None
        except ValueError:
            pass
    return "which is not an IANA time zone"


def _clock(value: object) -> str | None:
    if isinstance(value, str) and _CLOCK.match(value):
        try:
            time.fromisoformat(value)
            return None
        except ValueError:
            pass
    return "which is not a time of day (HH:MM)"


def _schedule(value: object) -> str | None:
    wrong = "which is not a schedule as the journal keeps one ('08:00,21:00', '08:00;mon,wed', 'as-needed'…)"
    if not isinstance(value, str):
        return wrong
    try:
        schedule = from_stored(value)
    except (ValueError, IndexError):
        return wrong
    assert schedule is not None
    if schedule.as_needed:
        return None
    in_form = (schedule.times and all(_clock(t) is None for t in schedule.times)
               and list(schedule.times) == sorted(set(schedule.times))
               and 1 <= schedule.every <= MAX_EVERY and all(1 <= d <= len(DAY_NAMES) for d in schedule.weekdays)
               and (schedule.anchor is None or _day(schedule.anchor.isoformat()) is None)
               and schedule.stored() == value)  # one way to write each schedule, so equal ones compare equal
    return None if in_form else wrong


def _unit(value: object) -> str | None:
    if isinstance(value, str):
        try:
            if unit_of(value).symbol == value:
                return None
        except InputError:  # not a unit medlog knows
            pass
    return "which is not one of medlog's units (mg, mcg, g, IU, mL, L, tablet…)"


def _amount(value: object) -> str | None:
    wrong = _number(value)
    if wrong is not None:
        return wrong
    assert isinstance(value, int | float)  # _number lets only finite ints and floats through
    return None if 0 < value <= MAX_AMOUNT else f"which is not an amount from 0 to {MAX_AMOUNT:,}"


_METRIC_KEYS = re.compile(r"[a-z][a-z0-9_]{0,39}(,[a-z][a-z0-9_]{0,39})*\Z")  # domain/metrics.py's keys
_ASSIGNMENT = re.compile(r"[AB]{2}(,[AB]{2})*\Z")


def _design(value: object) -> str | None:
    return None if value in ("abab", "abba", "random-pairs") else "which is not a design (abab, abba, random-pairs)"


def _assignment(value: object) -> str | None:
    ok = isinstance(value, str) and _ASSIGNMENT.match(value)
    return None if ok else "which is not an order of periods ('AB,BA': A on, B off, by pair)"


def check_row(table: str, row: dict[str, object]) -> None:
    """What one column cannot say alone: an experiment's order must be one its design could have drawn, with
    `pairs` pairs (the randomisation test is exact only over the design's own orders). BadValue otherwise."""
    for key_column in _KEYS.get(table, ()):  # a look-up key must be its name's, or `take NAME` misses it and a
        named = key_column.removesuffix("_key")  # twin can be added
        name, key = row.get(named), row.get(key_column)
        if isinstance(name, str) and key != name_key(name):
            raise BadValue(f"has {key_column} {_shown(key)}, which is not the key of its {named} {_shown(name)} "
                           f"({name_key(name)!r})")
    if table != "experiment":
        return
    design, order, pairs = row.get("design"), row.get("assignment"), row.get("pairs")
    if not isinstance(order, str) or _ASSIGNMENT.match(order) is None:
        return  # the column's own check says so
    by_pair = order.split(",")
    fits = {
        "abab": all(p in ("AB", "BA") for p in by_pair),
        "abba": (len(by_pair) % 2 == 0 and all(p in ("AB", "BA") for p in by_pair)
                 and all(by_pair[i + 1] == by_pair[i][::-1] for i in range(0, len(by_pair), 2))),
        "random-pairs": order.count("A") == order.count("B"),
    }.get(str(design), True)
    if not fits or (isinstance(pairs, int) and pairs != len(by_pair)):
        raise BadValue(f"has assignment {_shown(order)}, which is not an order the design {design!r} with "
                       f"{pairs} pairs could have drawn")


_CLASS_KEYS = re.compile(r"[a-z][a-z0-9-]{0,39}(,[a-z][a-z0-9-]{0,39})*\Z")  # data/names' class keys
MAX_STOCK = 1_000_000  # the schema's CHECK on stock_event.amount_value


def _class_keys(value: object) -> str | None:
    ok = isinstance(value, str) and _CLASS_KEYS.match(value)
    return None if ok else "which is not a list of class keys ('ssri,serotonergic')"


def _ingredient_keys(value: object) -> str | None:
    """Ingredient name keys, comma-separated: each already in name_key's form and free of commas."""
    if isinstance(value, str) and len(value) <= 1000:
        keys = value.split(",")
        if all(k and name_key(k) == k for k in keys):
            return None
    return "which is not a list of ingredient names ('magnesium,aluminium hydroxide')"


def _stock_amount(value: object) -> str | None:
    wrong = _number(value)
    if wrong is not None:
        return wrong
    assert isinstance(value, int | float)
    return None if 0 <= value <= MAX_STOCK else f"which is not an amount on hand from 0 to {MAX_STOCK:,}"


def _metric_keys(value: object) -> str | None:
    ok = isinstance(value, str) and _METRIC_KEYS.match(value)
    return None if ok else "which is not a list of metric keys ('sleep_quality,mood')"


# Each form a column can have (the `form` of its catalogue entry) and its check. A column whose type says
# enough has its type's form (instant, day, integer, number, flag, text); store/schema.py names any other.
FORMS: dict[str, Check] = {
    "instant": _instant, "day": _day, "integer": _integer, "number": _number, "flag": _flag, "text": _text,
    "uuid": _uuid,
    "name": _NAME,  # a name as typed: substance, alias, metric label, prescriber, symptom
    "key": _text,  # NAME_key, the look-up key of the NAME column beside it (check_row holds the two together)
    "note": _NOTE,  # free text as typed: notes, reasons
    "zone": _zone, "schedule": _schedule, "clock": _clock, "unit": _unit, "amount": _amount,
    "design": _design, "assignment": _assignment, "metric_keys": _metric_keys,
    "class_keys": _class_keys, "ingredient_keys": _ingredient_keys, "stock_amount": _stock_amount,
}
_KEYS = {table: tuple(c.name for c in columns if c.form == "key") for table, columns in TABLES.items()}


def checks(table: str) -> dict[str, Check]:
    """Each column of `table` with the check of its form (NULL is left to the schema's NOT NULL)."""
    return {column.name: FORMS[column.form] for column in TABLES[table]}


def check(column: str, value: object, form: Check) -> None:
    """Raise BadValue when a non-NULL `value` is not in `column`'s form."""
    if value is not None and (wrong := form(value)) is not None:
        raise BadValue(f"has {column} {_shown(value)}, {wrong}")


def check_snapshot(text: object, columns: dict[str, Check], what: str) -> None:
    """A change-log snapshot (`before` or `after`): a JSON object of the row's columns, each in its form. `undo`
    writes these values back into the row."""
    if text is None:
        raise BadValue(f"has no {what} snapshot, which undo needs")
    try:
        row = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        row = None
    if not isinstance(row, dict):
        raise BadValue(f"has {what} {_shown(text)}, which is not a snapshot of a row (a JSON object)")
    for column, value in row.items():
        if column not in columns:
            raise BadValue(f"has in its {what} snapshot {_shown(column)}, a column the table does not have")
        try:
            check(column, value, columns[column])
        except BadValue as exc:
            raise BadValue(f"{exc} (in its {what} snapshot)") from None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"
