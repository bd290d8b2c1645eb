"""Hypothesis strategies for every argument medlog's CLI takes, and a table of full argv lists per command.

Used by test_cli_fuzz.py. Each kind of value has a fuzzed strategy, weighted toward what is nearly right (so
examples get past argparse into medlog's own parsers: amounts, times, days, ratings, schedules, names, notes,
keys, file paths) with plain random text mixed into every position; and each argument of each command also has
what is valid on the template journal. An example fuzzes one to three of its arguments (now and then none) and
keeps the others valid, so the checks that run after the first ones are reached too.

Safety: every generated token that could be read as an option is made harmless (a leading space), so only the
options this module writes on purpose ever reach argparse: no generated `--db`, `-o` or `--output` (nor an
abbreviation of one) can point medlog at a file outside the example's folder. File paths come only from
`paths(folder)`, which builds them inside `folder` and checks each one before it is used.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass

from hypothesis import strategies as st

from medlog.services.formats import EXPORT_FORMATS, IMPORTERS, REPORT_FORMATS
from tests.conftest import NOW, ZONE

# -- the template journal (built by test_cli_fuzz.py through the real CLI) -----------------------------------

JOURNAL = "journal.sqlite"  # the example's journal, in the example's folder (also the working directory)
# The clock, zone and passphrase every example runs with (its zone is now and then changed).
ENV = {"MEDLOG_NOW": NOW.isoformat(), "MEDLOG_TZ": ZONE, "MEDLOG_PASSPHRASE": "correct horse battery staple",
       "VISUAL": "true"}  # `config edit` runs `true`: never this machine's editor
KNOWN_KEY = "setup-note-1"  # an idempotency key the template already used: replaying it writes nothing

# Names that resolve (exactly, by alias, by unique prefix, in other cases and forms) or nearly do.
SUBSTANCE_NAMES = (
    "Escitalopram", "escitalopram", "ESCITALOPRAM", "esc", "Escit", "Lexapro", "lexa", "Magnesium glycinate",
    "magnesium glycinate", "magnesium  glycinate", " Magnesium glycinate ", "Magnesium citrate", "mag", "magnesium",
    "Ibuprofen", "ibu", "Advil", "Vitamin D3", "vitamin d3", "vit", "D3", "ｅｓｃｉｔａｌｏｐｒａｍ", "Escitalopramm",
    "escitalopram 10", "Ibuprofen", "Melatonin", "Robert'); DROP TABLE substance;--", "ésc", "İbuprofen",
)
METRIC_NAMES = ("sleep_hours", "sleep_quality", "mood", "anxiety", "pain", "energy", "focus", "sleep", "Mood",
                "MOOD", "m", "sleep_h", "en", "headache", "focus ", " mood", "mööd", "sleep-hours", "")
RULE_IDS = ("1", "2", "3", "4", "5", "0", "-1", "99", "٢", "１", "1.0", "0x1", "9" * 19, "9" * 30, "1e3", "")

# -- building blocks -----------------------------------------------------------------------------------------

_TEXT = st.text(max_size=40)


def harmless(token: str) -> str:
    """A token argparse cannot take for an option (other than '-', '--' and negative numbers, which it reads as
    values or the end of options): '--db=/x' becomes ' --db=/x'."""
    if token.startswith("-") and token not in ("-", "--") and not token[1:2].isdigit() and token[1:2] != ".":
        return " " + token
    return token


def weighted(*options: tuple[int, st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    """one_of with integer weights (a branch listed n times is drawn n times as often)."""
    branches = [s for weight, s in options for _ in range(weight)]
    return st.one_of(*branches)


def mutate(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A near miss of a valid value: a character inserted, deleted or replaced, or the case changed."""

    @st.composite
    def _mutated(draw: st.DrawFn) -> str:
        text = draw(base)
        how = draw(st.sampled_from(("insert", "delete", "replace", "upper", "pad", "double")))
        at = draw(st.integers(0, len(text)))
        char = draw(st.characters(exclude_categories=("Cs",)))
        if how == "insert":
            return text[:at] + char + text[at:]
        if how == "delete":
            return text[:at] + text[at + 1:]
        if how == "replace":
            return text[:at] + char + text[at + 1:]
        if how == "upper":
            return text.upper()
        if how == "pad":
            return draw(st.sampled_from((" ", "\t", "\u00a0", "\u3000", "\n"))) + text + " "
        return text + text

    return _mutated()


def with_text(valid: st.SearchStrategy[str], *, junk: int = 1) -> st.SearchStrategy[str]:
    """Mostly valid, then near misses, then anything at all."""
    return weighted((6, valid), (2, mutate(valid)), (junk, _TEXT))


# -- numbers and amounts ---------------------------------------------------------------------------------------

NUMBERS = st.sampled_from((
    "200", "10", "1", "0.5", "1.5", "2.25", "0.125", "7", "350", "1000", "1000000", "1000001", "0", "0.0", "00",
    "-5", "-0", "+5", "-0.5", ".5", "5.", "1.23456", "1e3", "1e309", "1E-5", "nan", "NaN", "inf", "-inf",
    "Infinity", "1_000", "1,000", "7,5", "1.2.3", "٣", "٢٠٠", "۳", "३", "３", "１０", "1٣", "½", "²", "Ⅻ",
    "9" * 40, "0." + "0" * 30 + "1", "1" * 400, "0x10", "1/2", "10mg",
))
NUMBER = weighted((5, NUMBERS), (1, st.integers(-10**6, 10**12).map(str)),
                  (1, st.decimals(allow_nan=True, allow_infinity=True).map(str)),
                  (1, st.floats().map(str)), (1, _TEXT))

UNITS = st.sampled_from((
    "mg", "MG", "Mg", "mcg", "µg", "μg", "ug", "g", "gram", "grams", "IU", "iu", "mL", "ml", "L", "l", "litre",
    "tab", "tabs", "tablet", "tablets", "cap", "capsule", "capsules", "softgel", "gummies", "drop", "gtt", "puff",
    "scoop", "sachet", "patch", "lozenge", "", "", "furlongs", "mgs", "mg mg", "㎎", "ＭＧ", "kg", "ng", "%",
    "milligrams", "tablet(s)", "x",
))
SEPARATORS = st.sampled_from(("", " ", " ", "  ", "\t", "\u00a0", "\u2009", "\n", "-"))


@st.composite
def _amount(draw: st.DrawFn) -> str:
    return draw(NUMBER) + draw(SEPARATORS) + draw(UNITS)


VALID_AMOUNTS = st.sampled_from(("200mg", "200 mg", "10 mg", "1.5 tab", "2000 IU", "5 mL", "1 tablet", "2 capsules",
                                 "15 mg", "400 mg", "0.5 g", "100 mcg", "1", "20", "1 softgel", "3 drops"))
AMOUNT = weighted((4, VALID_AMOUNTS), (6, _amount()), (2, mutate(VALID_AMOUNTS)), (1, _TEXT))

HOURS = weighted((4, st.sampled_from(("2", "1.5", "4", "0.25", "48", "2h", "2 h", "12"))),
                 (3, st.sampled_from(("0", "48.01", "49", "1.555", "-2", "nan", "1e2", "٢", "2 hours", "h", ""))),
                 (2, NUMBER), (1, _TEXT))

IU_FACTOR = weighted(
    (3, st.sampled_from(("1000 IU = 25 mcg", "25 mcg = 1000 IU", "40 IU = 1 mcg", "1 IU=0.025mcg"))),
    (2, st.sampled_from(("1000 IU = 25 mL", "1000 IU", "a=b=c", "0 IU = 1 mg", "1000 IU = 1000 IU",
                         "1 IU = 0.0001 mcg", "1000000 IU = 0.0001 mcg", "= 25 mcg", "1000 IU =", "25 mcg = 1 g"))),
    (3, st.builds(lambda a, b: f"{a} = {b}", AMOUNT, AMOUNT)), (1, _TEXT))

ONSET_LAG = with_text(st.sampled_from(("0", "7", "14", "14 days", "1 day", "90", "91", "default", "DEFAULT", "7.0",
                                       "7.5", "-1", "1e2", "7d", "٧", "", "99999999999999999999")))

# -- times and days ----------------------------------------------------------------------------------------------


@st.composite
def _clock(draw: st.DrawFn) -> str:
    hour = draw(st.integers(-1, 30))
    minute = draw(st.integers(0, 99))
    form = draw(st.sampled_from(("hm", "hm", "h_ampm", "hm_ampm", "hms", "bare")))
    if form == "hm":
        return f"{hour:02d}:{minute:02d}" if hour >= 0 else f"{hour}:{minute:02d}"
    if form == "h_ampm":
        return f"{hour}{draw(st.sampled_from(('am', 'pm', 'PM', ' am', 'a.m.')))}"
    if form == "hm_ampm":
        return f"{hour}:{minute:02d}{draw(st.sampled_from(('am', 'pm', ' pm')))}"
    if form == "hms":
        return f"{hour:02d}:{minute:02d}:{draw(st.integers(0, 99)):02d}"
    return str(hour)


CLOCK = weighted((3, st.sampled_from(("21:30", "08:00", "9pm", "9:30pm", "12am", "12pm", "00:00", "23:59", "8:05",
                                      "٢١:٣٠", "24:00", "13pm", "0am", "08:00:15", "8.30", "noon"))),
                 (3, _clock()))


@st.composite
def _date(draw: st.DrawFn) -> str:
    year = draw(st.one_of(st.integers(2025, 2032), st.integers(0, 9999), st.sampled_from((1899, 1900, 10000))))
    month = draw(st.one_of(st.integers(1, 12), st.integers(0, 99)))
    day = draw(st.one_of(st.integers(1, 31), st.integers(0, 99)))
    return f"{year:04d}-{month:02d}-{day:02d}"


DATE = weighted((4, st.sampled_from(("2026-11-20", "2026-11-21", "2026-11-22", "2026-10-15", "2026-09-01",
                                     "2026-02-30", "2026-13-01", "2025-11-21", "0001-01-01", "9999-12-31",
                                     "1900-01-01", "1899-12-31", "2031-11-21", "2031-11-30", "٢٠٢٦-١١-٢٠",
                                     "2026-11-20 ", "20261120", "2026/11/20", "21/11/2026"))),
                (3, _date()))
DAY = weighted((3, st.sampled_from(("today", "yesterday", "tomorrow", "TODAY", " yesterday "))), (5, DATE),
               (1, _TEXT))

ZONE_SUFFIXES = st.sampled_from(("", "Z", "z", "+01:00", "-05:00", "+14:00", "-12:00", "+00:00", "+25:00",
                                 "+0100", "UTC", " +01:00"))


@st.composite
def _moment(draw: st.DrawFn) -> str:
    form = draw(st.sampled_from(("clock", "relday", "date", "ago", "iso", "dst")))
    if form == "clock":
        return draw(CLOCK)
    if form == "relday":
        head = draw(st.sampled_from(("today", "yesterday", "Yesterday", "tomorrow", "today at")))
        return f"{head} {draw(CLOCK)}"
    if form == "date":
        return f"{draw(DATE)} {draw(CLOCK)}"
    if form == "ago":
        amount = draw(st.one_of(st.integers(0, 100), st.integers(0, 10**15), st.sampled_from((10**9, 999999999))))
        unit = draw(st.sampled_from(("h", "m", "d", "days", "day", "hours", "hrs", "min", "minutes", "w", "s")))
        return draw(st.sampled_from((f"{amount}{unit} ago", f"{amount} {unit} ago", f"{amount}{unit}",
                                     f"1d{amount}h ago", f"{amount}h30m ago", f"{amount}d 2h 5m ago")))
    if form == "iso":
        sep = draw(st.sampled_from(("T", "t", " ")))
        return f"{draw(DATE)}{sep}{draw(CLOCK)}{draw(ZONE_SUFFIXES)}"
    # daylight-saving edges in Europe/London: a gap (01:00–02:00 in spring) and an overlap (01:00–02:00 in autumn)
    day = draw(st.sampled_from(("2026-03-29", "2026-10-25", "2025-03-30", "2025-10-26")))
    return f"{day} {draw(st.sampled_from(('00:59', '01:00', '01:30', '01:59', '02:00', '02:30')))}"


MOMENT = weighted((2, st.sampled_from(("now", "NOW", "21:30", "9pm", "yesterday 22:00", "2h ago", "90m ago",
                                       "1h30m ago", "2 days ago", "2026-11-20 08:00", "2026-11-20T08:00:00+01:00",
                                       "2026-11-21T08:00Z", "2026-03-29 01:30", "2026-10-25 01:30",
                                       "2026-10-25T01:30+00:00", "0001-01-01 00:00", "0001-01-01T00:00+14:00",
                                       "9999-12-31T23:59-12:00", "9999-12-31 23:59", "1900-01-01 00:00",
                                       "1899-12-31 23:59", "today 23:00", "2031-11-21 08:00", "2026-12-01 08:00"))),
                  (6, _moment()), (2, mutate(_moment())), (1, _TEXT))
WHEN = weighted((3, MOMENT), (1, DAY))  # log --since/--until take a day or a moment

# -- ratings, severities, schedules ------------------------------------------------------------------------------

RATING_VALUE = weighted((4, st.sampled_from(("6", "0", "10", "7.5", "24", "8", "11", "-1", "25", "24.01", "7.25",
                                             "7.125", "5.0", "٦", "6 ", "", "six", "1e1", "true"))),
                        (2, NUMBER))


@st.composite
def _rating(draw: st.DrawFn) -> str:
    metric = draw(with_text(st.sampled_from(METRIC_NAMES)))
    sep = draw(st.sampled_from(("=", "=", "=", "==", "", ":", " = ", "=\n")))
    return f"{metric}{sep}{draw(RATING_VALUE)}"


RATING = weighted((6, _rating()), (1, st.sampled_from(("mood=6", "sleep_hours=7.5", "focus=3", "=", "mood", "=6"))),
                  (1, _TEXT))

SEVERITY = weighted((4, st.sampled_from(("0", "3", "10", "11", "-1", "mild", "Moderate", "SEVERE", "none", "5.5",
                                         "5.0", "٥", "", "awful", "10.0001", "1e1", "severe!"))),
                    (1, NUMBER), (1, _TEXT))

DAY_WORDS = st.sampled_from(("mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "weekdays", "weekends",
                             "mon-fri", "fri-mon", "mon,wed,fri", "wedding", "sa", "every 2 days", "every other day",
                             "every day", "daily", "every 0 days", "every 367 days", "every 366 days",
                             "every 99999999999999999999 days", "every -1 days", "on sat", "mon every 2 days"))


@st.composite
def _schedule(draw: st.DrawFn) -> str:
    times = draw(st.lists(CLOCK, min_size=0, max_size=4))
    text = draw(st.sampled_from((",", ", ", " , "))).join(times)
    if draw(st.booleans()):
        days = draw(DAY_WORDS)
        text = f"{text} {days}" if draw(st.booleans()) else f"{days} {text}"
    return text


SCHEDULE = weighted((3, st.sampled_from(("08:00", "08:00,21:00", "8am, 9:30pm", "08:00 mon,wed,fri", "20:00 weekdays",
                                         "08:00 every 2 days", "as-needed", "prn", "08:00,08:00", "08:00,", "",
                                         "every other day 09:00", "21:30"))),
                    (5, _schedule()), (1, mutate(_schedule())), (1, _TEXT))

# -- names and free text -------------------------------------------------------------------------------------------

ODD_TEXT = st.sampled_from((
    "", " ", "\t", "\n", "x\x00y", "\x00", "ring \x07 bell", "esc\x1b[31m", "del\x7f", "c1\x85", "tab\tin",
    "line\nbreak", "\u200b", "\u202eright-to-left", "\ufeffbom", "😀 emoji", "中文名字", "Ω≈ç√", "e\u0301",
    "ﬁ ligature", "x" * 100, "x" * 101, "y" * 2000, "y" * 2001, "z" * 5000, "Robert'); DROP TABLE substance;--",
    "%s %d {0} {name}", "\\", "'", '"', "$(echo hi)", "--", "-", "-5", "-x", "a" * 100 + " ", " " * 101,
))


@st.composite
def _sequence(draw: st.DrawFn) -> str:
    """A terminal control sequence of the kinds an edited file could smuggle into a name or a note: CSI (cursor,
    clear, colour), OSC (window title, clipboard through 52, hyperlinks through 8) ended by BEL or ST, a C1 CSI."""
    kind = draw(st.sampled_from(("csi", "osc", "c1", "dcs")))
    params = draw(st.text("0123456789;?", max_size=6))
    if kind == "csi":
        return f"\x1b[{params}{draw(st.sampled_from('HJKmhlABCDsu'))}"
    if kind == "c1":
        return f"\x9b{params}{draw(st.sampled_from('Jm'))}"
    body = draw(st.sampled_from(("0;TITLE", "2;PWNED", "52;c;ZXZpbA==", "8;;http://evil", "8;;", "1337;x")))
    end = draw(st.sampled_from(("\x07", "\x1b\\", "")))
    return f"\x1b]{body}{end}" if kind == "osc" else f"\x1bP{params}q#0{end}"


# Hostile pieces (issue 16, items 1 and 2): control sequences, invisible formatting characters (any of Unicode's
# Cf, the bidi overrides and isolates, zero-width spaces and joiners), line and paragraph separators, NUL and
# the C0/C1 controls, and a line break followed by what looks like another line of `medlog log`.
HOSTILE_PIECE = st.one_of(
    _sequence(), st.characters(categories=("Cf",)), st.characters(categories=("Cc",)),
    st.sampled_from(("\u2028", "\u2029", "\x00", "\u202e", "\u2066", "\u200b", "\ufeff", "\r",
                     "\n  21:30  took FAKE 999 mg", "\r\n2026-11-21 08:00 taken Escitalopram")),
)


@st.composite
def hostile(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """`base` (usually a valid value) with one to three hostile pieces put anywhere in it."""
    text = draw(base)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(HOSTILE_PIECE) + text[at:]
    return text


NAME = weighted((6, st.sampled_from(SUBSTANCE_NAMES)), (2, hostile(st.sampled_from(SUBSTANCE_NAMES))),
                (2, mutate(st.sampled_from(SUBSTANCE_NAMES))),
                (2, ODD_TEXT), (1, _TEXT), (1, st.text(min_size=90, max_size=120)))
NEW_NAME = weighted((3, st.sampled_from(("Melatonin", "Vitamin C", "Zinc", "escitalopram", "Lexapro", "Omega 3",
                                         "Fish oil (1000 mg)", "L-theanine", "5-HTP"))),
                    (2, NAME), (1, _TEXT))
NOTE = weighted((4, st.sampled_from(("took it with food", "felt dizzy after", "ask about the dose?", "ok"))),
                (3, ODD_TEXT), (2, hostile(st.sampled_from(("took it with food", "ok", "fam 👨\u200d👩")))),
                (2, _TEXT), (1, st.text(min_size=1900, max_size=2100)))
KEY = weighted((3, st.sampled_from((KNOWN_KEY, "k1", "2026-11-21-morning", "x" * 200, "x" * 201, ""))),
               (2, ODD_TEXT), (1, hostile(st.just("k1"))), (1, _TEXT))
FORM = with_text(st.sampled_from(("tablet", "tab", "capsule", "softgel", "powder", "liquid", "Tablets", "mg", "")))
KINDS = with_text(st.sampled_from(("medication", "supplement")), junk=1)
SYMPTOM = weighted((4, st.sampled_from(("dizziness", "headache", "upset stomach", "Headache", "nausea"))),
                   (2, ODD_TEXT), (2, hostile(st.sampled_from(("dizziness", "головокружение")))), (1, _TEXT))
METRIC_KEY = weighted((4, st.sampled_from(("headache", "focus", "steps", "a", "x" * 40, "x" * 41, "Bad Name",
                                           "1abc", "mood", "sleep_hours", "focus2", "_x", "ümlaut"))),
                      (1, _TEXT))
INT_TEXT = weighted((4, st.sampled_from(("1", "4", "12", "0", "-1", "520", "521", "52", "7", "182", "183", "100",
                                         "101", "٣", "１２", "1.5", "", "9" * 20, "-9" * 10))),
                    (1, st.integers(-10**20, 10**20).map(str)), (1, _TEXT))
LAST = with_text(st.sampled_from(("90d", "12w", "30", "7", "6", "366", "367", "52w", "53w", "0w", "٩٠", "9" * 50,
                                  "90 d", "1y", "", "3m", "1m", "12m", "13m", "0m", "-1m", "2y", "99999y", "٣m")))


# -- file paths (only ever inside the example's folder) -------------------------------------------------------------

# What the template folder holds besides the journal (see test_cli_fuzz.py).
READABLE = ("export.json", "other.json", "clash.json", "broken.json", "empty.json", "notutf8.json", "list.json",
            "null.json", "export.csv", "fhir.json", "résumé données.json", "folder", "folder/inner.json",
            "link.sqlite", "existing.txt", JOURNAL)
BACKUPS = ("backups/journal-daily-2026-11-21.sqlite", "copy-of-journal.sqlite")  # sound backups of the journal
WRITABLE = ("out.json", "out.csv", "report.pdf", "report.html", "report.md", "folder/out.json", "folder",
            "folder/", "nodir/out.json", "existing.txt", JOURNAL, JOURNAL + "-wal", JOURNAL + "-shm",
            "link.sqlite", "hard.sqlite", "x" * 255, "x" * 256, "a b c.json", "dossier é/out.json", ".hidden",
            "out.json/", "  out.json  ", "fhir.json", "export.json", "-", "", " ")

_COMPONENT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/\x00~"), min_size=1,
                     max_size=30).filter(lambda c: c.strip() not in ("", ".", "..") and not c.lstrip().startswith("-"))


def inside(folder: str, text: str) -> str:
    """`text` unchanged, once it is certain it names a place inside `folder` (relative paths are read from the
    working directory, which is `folder`), or the stdin/stdout '-'."""
    stripped = text.strip()
    if stripped in ("", "-"):
        return text
    assert "\x00" not in text and "~" not in text, text
    where = os.path.realpath(os.path.join(folder, stripped))
    assert where == folder or where.startswith(folder + os.sep), f"a generated path escapes the example: {text!r}"
    assert not stripped.startswith("-"), text
    return text


def paths(folder: str, names: tuple[str, ...]) -> st.SearchStrategy[str]:
    """File paths for -o, import and restore: prepared names (relative, or absolute under `folder`) and generated
    relative or absolute ones, all inside `folder`."""
    relative = st.lists(_COMPONENT, min_size=1, max_size=3).map("/".join)
    prepared = st.sampled_from(names)
    absolute = st.one_of(prepared, relative).filter(lambda p: p.strip() not in ("", "-")).map(
        lambda p: os.path.join(folder, p.strip()))
    return weighted((5, prepared), (2, absolute), (2, relative)).map(lambda p: inside(folder, p))


# -- file contents for import (a valid export, mutated) --------------------------------------------------------------

def _json_containers(inner: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=20), _json_containers,
    max_leaves=6)


@st.composite
def mutated_export(draw: st.DrawFn, base: dict) -> str:
    """The JSON of `base` (a real export) with one to three of its values replaced, removed or added."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        node: object = doc
        while True:
            keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))  # type: ignore[arg-type]
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]  # type: ignore[index]
            if isinstance(child, dict | list) and child and draw(st.integers(0, 3)):
                node = child
                continue
            action = draw(st.sampled_from(("replace", "replace", "replace", "delete", "add", "similar")))
            if action == "delete":
                del node[key]  # type: ignore[attr-defined]
            elif action == "add" and isinstance(node, dict):
                node[draw(st.text(max_size=12))] = draw(JSON_VALUES)
            elif action == "similar":
                node[key] = _similar(draw, child)  # type: ignore[index]
            else:
                node[key] = draw(JSON_VALUES)  # type: ignore[index]
            break
    return json.dumps(doc, ensure_ascii=draw(st.booleans()), allow_nan=True)


def _similar(draw: st.DrawFn, value: object) -> object:
    """A value of the same type, nearly the same: the sort a hand edit or another program leaves."""
    if isinstance(value, bool) or value is None:
        return draw(st.sampled_from((0, 1, 2, "true", None, True, False)))
    if isinstance(value, int | float):
        return draw(st.sampled_from((0, -1, 1e308, float("nan"), float("inf"), 2**63, 2**64, value + 1, -value,
                                     str(value), 0.5)))
    if isinstance(value, str):
        return draw(st.sampled_from((
            "", value.upper(), value + "x", value[:-1], value.replace("-", "/"), value.replace("T", " "),
            "2026-02-30T08:00:00+00:00", "2026-02-30", "9999-12-31T23:59:59+00:00", "not a date", "mg", "furlongs",
            "as-needed", "25:00;mon", "08:00;every 0 days", "08:00;every x days from y", "08:00;funday", "Mars/Base",
            "UTC", "medication", "vitamin", "dose_change", "taken", "lost", "\x00", "x" * 5000)))
    return draw(JSON_VALUES)


# -- argv per command ---------------------------------------------------------------------------------------------
#
# Every argument is a V: what makes it valid on the template journal, and its fuzzed kind (which mixes valid,
# nearly valid and random text). An example fuzzes a few of its arguments and keeps the rest valid, so that the
# deeper checks run (an amount parsed after the name resolved, a rule added after its hours were read…).

Tokens = st.SearchStrategy[list[str]]


@dataclass(frozen=True)
class V:
    valid: Tokens
    fuzzed: Tokens


def one(valid: st.SearchStrategy[str], fuzzed: st.SearchStrategy[str]) -> V:
    """A single argv token."""
    return V(valid.map(lambda t: [harmless(t)]), fuzzed.map(lambda t: [harmless(t)]))


def path(valid: st.SearchStrategy[str], fuzzed: st.SearchStrategy[str]) -> V:
    """A file path (already checked to lie in the example's folder, and never option-like)."""
    return V(valid.map(lambda t: [t]), fuzzed.map(lambda t: [t]))


@st.composite
def _split(draw: st.DrawFn, text: st.SearchStrategy[str]) -> list[str]:
    """A value as one token (quoted) or split into words (unquoted), as a shell would pass either."""
    value = draw(text)
    if draw(st.booleans()) or not value.split():
        return [harmless(value)]
    return [harmless(w) for w in value.split()]


def words(valid: st.SearchStrategy[str], fuzzed: st.SearchStrategy[str]) -> V:
    return V(_split(valid), _split(fuzzed))


def then(first: V, second: V, *, optional: bool = False) -> V:
    """Two arguments in one position (take NAME [AMOUNT]): valid when both are; fuzzed in either or both."""

    @st.composite
    def _pair(draw: st.DrawFn, a: Tokens, b: Tokens) -> list[str]:
        tail = [] if optional and draw(st.integers(0, 3)) == 0 else draw(b)
        return draw(a) + tail

    fuzzed = st.one_of(_pair(first.fuzzed, second.valid), _pair(first.valid, second.fuzzed),
                       _pair(first.fuzzed, second.fuzzed))
    return V(_pair(first.valid, second.valid), fuzzed)


def repeated(option: str, value: V, most: int) -> V:
    """`--opt A --opt B`: `command` writes the first `--opt`, so these lists start with a value."""

    def join(values: list[list[str]]) -> list[str]:
        return [*values[0], *[part for v in values[1:] for part in (option, *v)]]

    return V(st.lists(value.valid, min_size=1, max_size=most).map(join),
             st.lists(st.one_of(value.valid, value.fuzzed), min_size=1, max_size=most).map(join))


def listed(value: V, most: int) -> V:
    """Several values in one position (rate mood=6 anxiety=3)."""
    return V(st.lists(value.valid, min_size=1, max_size=most).map(lambda v: [t for ts in v for t in ts]),
             st.lists(st.one_of(value.valid, value.fuzzed), min_size=1, max_size=most).map(
                 lambda v: [t for ts in v for t in ts]))


FLAG = None
JUNK = weighted((3, _TEXT), (1, ODD_TEXT), (1, st.sampled_from(("--", "-", "-5", "-h", "--help", "--json",
                                                                "--version", "-.5")))).map(harmless)


@st.composite
def command(draw: st.DrawFn, words_: tuple[str, ...], positionals: list[V], options: dict[str, V | None], *,
            required: tuple[str, ...] = ()) -> list[str]:
    """`words_` (the command), its positionals in order, then a random subset of `options` in random order (a V
    gives `[--opt, value]`, None a flag); `required` options are nearly always there. A few arguments are fuzzed
    (none, now and then), the rest valid; now and then the order is shuffled whole, junk is added, or a token
    dropped."""
    chosen = [name for name in options if draw(st.integers(0, 9)) < (9 if name in required else 3)]
    chosen = list(draw(st.permutations(chosen)))
    slots: list[tuple[str | None, V | None]] = [(None, p) for p in positionals] + [(n, options[n]) for n in chosen]
    fuzzed = set(draw(st.lists(st.integers(0, max(0, len(slots) - 1)),
                               max_size=draw(st.sampled_from((0, 1, 1, 1, 2, 3))))))
    args: list[str] = []
    for i, (name, value) in enumerate(slots):
        args += [name] if name else []
        if value is not None:
            args += draw(value.fuzzed if i in fuzzed else value.valid)
    twist = draw(st.integers(0, 29))
    if twist == 0 and args:
        args = list(draw(st.permutations(args)))
    elif twist == 1:
        args.insert(draw(st.integers(0, len(args))), draw(JUNK))
    elif twist == 2 and args:
        del args[draw(st.integers(0, len(args) - 1))]
    elif twist == 3:
        args += draw(st.lists(JUNK, min_size=1, max_size=3))
    return [*words_, *args]


def choice(*values: str) -> st.SearchStrategy[str]:
    return st.sampled_from(values)


# What is valid on the template journal (see test_cli_fuzz.py).
ACTIVE = choice("Escitalopram", "escitalopram", "esc", "Lexapro", "Magnesium glycinate", "magnesium g", "Ibuprofen",
                "ibu", "Advil", "Vitamin D3", "vit", "ＥＳＣ")
STOPPED = choice("Magnesium citrate", "magnesium c")
ANY_SUBSTANCE = st.one_of(ACTIVE, STOPPED)
FRESH = choice("Melatonin", "Vitamin C", "Zinc", "Omega 3", "Fish oil (1000 mg)", "L-theanine", "5-HTP", "Ｚｉｎｃ",
               "Mélatonine", "x" * 100)
PAST = choice("now", "21:30", "9pm", "8:05am", "yesterday 22:00", "today 08:00", "2h ago", "90m ago", "1h30m ago",
              "2 days ago", "2026-11-20 08:00", "2026-11-20T08:00:00+01:00", "2026-11-21T08:00Z", "2026-10-25 01:30",
              "2026-10-25T01:30+00:00", "1900-01-01 00:00", "٢١:٣٠")
SOON = st.one_of(PAST, choice("2026-12-01 08:00", "2027-06-01 08:00", "2031-11-20 08:00"))  # planned changes
PAST_DAY = choice("today", "yesterday", "2026-11-20", "2026-10-01", "2026-09-16", "1900-01-01")
END_DAY = st.one_of(PAST_DAY, choice("tomorrow", "2026-12-31", "2031-11-20"))
DOSE = choice("200mg", "200 mg", "10 mg", "1.5 tab", "2000 IU", "5 mL", "1 tablet", "2 capsules", "15 mg", "0.5 g",
              "100 mcg", "1", "20", "1 softgel", "3 drops", "٢٠٠ mg", "1000000 mg")
MASS = choice("350 mg", "1200 mg", "4000 IU", "2 g", "500 mcg", "10 mL")
TEXT = choice("took it with food", "felt dizzy after", "ask about the dose?", "ok", "Dr Lee, 2026-11", "ß ü 中文",
              "line one\nline two", "tab\there", "x" * 2000)
RATINGS = choice("mood=6", "sleep_hours=7.5", "focus=3", "anxiety=2", "pain=0", "energy=10", "sleep_quality=5",
                 "MOOD=7", "sleep_h=8", "mood=٦")
VALID_KEYS = choice("k1", "2026-11-21-morning", KNOWN_KEY, "ключ", "x" * 200)
METRICS_VALID = choice("mood", "anxiety", "sleep_hours", "focus", "sleep_q", "Mood", "energy", "pain")
HOURS_VALID = choice("2", "1.5", "4", "0.25", "48", "2h", "12")
INTS_VALID = choice("1", "4", "12", "52", "٣")
INTS = st.one_of(INTS_VALID, INT_TEXT)


# `config set KEY VALUE`: each setting with values it takes, and (fuzzed) any key with any of them or worse.
SETTINGS = {"timezone": ("Europe/Berlin", "UTC", ":Europe/London", "JST-9", "EST5EDT"),
            "day_rollover": ("03:00", "4am", "00:00", "11:59"), "starter_rules": ("true", "false", "TRUE"),
            "adherence_window": ("2h", "1.5", "48", "0.25"), "name": ("Alex Example", "Dr. Ünal's patient", "中文"),
            "page_size": ("A4", "letter", "LETTER"), "locale": ("de", "pt_BR", "en_GB.UTF-8", "fr"),
            "quiet_hours": ("22:00-07:00", "off", "13:00-14:00", "")}
SETTING = st.sampled_from([(key, value) for key, values in SETTINGS.items() for value in values])
SETTING_VALUE = weighted((3, st.sampled_from([v for values in SETTINGS.values() for v in values])), (2, CLOCK),
                         (1, HOURS), (2, NOTE), (1, st.sampled_from(("12:00", "25:00", "Mars/Base", "A5", "klingon",
                                                                      "22:00", "yes", "-1", "1e309", '"', "\\"))))


def table(folder: str) -> dict[tuple[str, ...], st.SearchStrategy[list[str]]]:
    """Command path → a strategy of its full argv (without --db, which the test adds). Paths stay in `folder`."""
    out_valid = paths(folder, ("out.json", "report.md", "folder/out.csv", "new name é.pdf", "-"))
    out = path(out_valid, paths(folder, WRITABLE))
    backup_out = path(paths(folder, ("copy.sqlite", "folder/copy.sqlite")), paths(folder, WRITABLE))
    backups = paths(folder, BACKUPS)
    at, soon = one(PAST, MOMENT), one(SOON, MOMENT)
    note, key = one(TEXT, NOTE), one(VALID_KEYS, KEY)
    name, stopped = one(ANY_SUBSTANCE, NAME), one(STOPPED, NAME)
    names = words(ANY_SUBSTANCE, NAME)
    dose, json_flag = one(DOSE, AMOUNT), FLAG
    metric = one(METRICS_VALID, with_text(st.sampled_from(METRIC_NAMES)))
    rule_id = one(choice("1", "2", "3", "4"), st.sampled_from(RULE_IDS) | INT_TEXT)
    schedule = {"--schedule": one(choice("08:00", "08:00,21:00", "8am, 9:30pm", "08:00 mon,wed,fri",
                                         "20:00 weekdays", "08:00 every 2 days", "prn"), SCHEDULE),
                "--as-needed": FLAG}

    def cmd(words_: tuple[str, ...], positionals: list[V], options: dict[str, V | None],
            required: tuple[str, ...] = ()) -> st.SearchStrategy[list[str]]:
        return command(words_, positionals, options, required=required)

    return {
        ("take",): cmd(("take",), [then(names, words(DOSE, AMOUNT), optional=True)],
                       {"--at": at, "--note": note, "--key": key}),
        ("skip",): cmd(("skip",), [words(choice("escitalopram", "magnesium glycinate", "vitamin d3"), NAME)],
                       {"--at": at, "--reason": note, "--key": key}),
        ("rate",): cmd(("rate",), [listed(one(RATINGS, RATING), 4)], {"--day": one(PAST_DAY, DAY), "--key": key}),
        ("symptom",): cmd(("symptom",), [one(choice("dizziness", "headache", "upset stomach"), SYMPTOM),
                                         one(choice("0", "3", "10", "mild", "Moderate", "severe", "٥"), SEVERITY)],
                          {"--at": at, "--note": note, "--key": key}),
        ("note",): cmd(("note",), [one(TEXT, NOTE)], {"--at": at, "--flag": FLAG, "--question": FLAG, "--key": key}),
        ("due",): cmd(("due",), [], {"--json": json_flag}),
        # not --install/--uninstall: they would run this machine's systemctl
        ("remind",): cmd(("remind",), [], {}),
        ("adherence",): cmd(("adherence",), [], {"--json": json_flag, "--weeks": one(INTS_VALID, INTS)}),
        ("trends",): cmd(("trends",), [], {"--json": json_flag, "--weeks": one(INTS_VALID, INTS),
                                           "--last": one(choice("3m", "1y", "12w", "90d"), LAST)}),
        ("compare",): cmd(("compare",), [words(choice("escitalopram", "esc", "Lexapro", "magnesium citrate"), NAME)],
                          {"--json": json_flag, "--metric": metric,
                           "--change-at": one(choice("2026-10-15", "2026-10-01"), DAY),
                           "--lag": one(choice("0", "7", "14", "90"), ONSET_LAG),
                           "--window": one(choice("7", "28", "56", "182"), INTS)}),
        ("report",): cmd(("report",), [],
                         {"--format": one(choice(*REPORT_FORMATS), with_text(choice(*REPORT_FORMATS))),
                          "--last": one(choice("90d", "12w", "30", "7"), LAST), "--from": one(PAST_DAY, DAY),
                          "--to": one(PAST_DAY, DAY), "--metric": repeated("--metric", metric, 8), "-o": out,
                          "--force": FLAG},
                         required=("--format", "-o")),
        ("export",): cmd(("export",), [],
                         {"--format": one(choice(*EXPORT_FORMATS), with_text(choice(*EXPORT_FORMATS))),
                          "--output": out, "--all-notes": FLAG, "--force": FLAG}, required=("--format", "--output")),
        ("import",): st.one_of(
            cmd(("import",), [path(paths(folder, ("export.json", "other.json")), paths(folder, READABLE))],
                {"--from": one(choice(*IMPORTERS), with_text(choice(*IMPORTERS)))}),
            st.just(["import", "-"]),  # standard input: the test feeds it a (mutated) export
            st.just(["import", "fuzzed.json"]),  # the test writes it
        ),
        ("merge",): st.one_of(
            cmd(("merge",), [path(paths(folder, ("other.json", "clash.json", "copy-of-journal.sqlite", "export.json")),
                                  paths(folder, READABLE + BACKUPS))], {"--dry-run": FLAG}),
            st.just(["merge", "fuzzed.json"]),  # the test writes it
        ),
        ("sync",): cmd(("sync",), [path(st.just(folder), paths(folder, READABLE))], {"--status": FLAG}),
        ("completion",): cmd(("completion",), [one(choice("bash", "zsh", "fish"),
                                                   with_text(choice("bash", "zsh", "fish", "tcsh")))], {}),
        ("log",): cmd(("log",), [], {"--json": json_flag, "--since": one(st.one_of(PAST_DAY, PAST), WHEN),
                                     "--until": one(st.one_of(PAST_DAY, PAST), WHEN),
                                     "--kind": repeated("--kind", one(choice("dose", "rating", "symptom", "note",
                                                                             "regimen"), _TEXT), 3),
                                     "--substance": name}),
        ("undo",): cmd(("undo",), [], {"--key": key}),
        ("metric", "add"): cmd(("metric", "add"), [one(choice("headache", "steps", "focus2", "x" * 40), METRIC_KEY)],
                               {"--min": one(choice("0", "1", "0.5"), NUMBER),
                                "--max": one(choice("10", "5", "50000"), NUMBER), "--higher-is-better": FLAG,
                                "--lower-is-better": FLAG, "--integer": FLAG,
                                "--unit": one(choice("h", "cups", ""), with_text(choice("h", "\x07"))),
                                "--label": one(choice("Headache", "Steps walked"), NOTE), "--key": key},
                               required=("--min", "--max", "--higher-is-better")),
        ("metric", "list"): cmd(("metric", "list"), [], {"--json": json_flag}),
        ("rule", "add", "daily-max"): cmd(("rule", "add", "daily-max"), [then(names, words(MASS, AMOUNT))],
                                          {"--source": note, "--key": key}),
        ("rule", "add", "spacing"): cmd(("rule", "add", "spacing"),
                                        [one(choice("Ibuprofen", "vit"), NAME), one(choice("esc", "Magnesium g"), NAME),
                                         one(HOURS_VALID, HOURS)],
                                        {"--both-ways": FLAG, "--source": note, "--key": key}),
        ("rule", "add", "as-needed"): cmd(("rule", "add", "as-needed"), [names],
                                          {"--max-per-day": one(choice("1", "4", "100"), INTS),
                                           "--min-interval": one(HOURS_VALID, HOURS), "--source": note, "--key": key},
                                          required=("--max-per-day",)),
        ("rule", "list"): cmd(("rule", "list"), [], {"--json": json_flag}),
        ("rule", "starters"): cmd(("rule", "starters"), [], {"--json": json_flag}),
        ("substance", "classes"): cmd(("substance", "classes"), [name], {
            "--class": repeated("--class", one(choice("ssri", "opioid", "serotonergic-supplement", "antacid,magnesium",
                                                      ""), with_text(choice("SSRI!", "a b", "ssri"))), 3),
            "--ingredient": repeated("--ingredient", one(choice("magnesium hydroxide", "codeine", ""), NAME), 3),
            "--key": key}),
        **{("stock", verb): cmd(("stock", verb), [then(names, words(choice("30 tab", "30", "60 capsules", "0",
                                                                           "100 mg"), AMOUNT))],
                                {"--at": one(choice("yesterday", "2026-11-01", "today"), DAY), "--note": note,
                                 "--key": key}) for verb in ("add", "set")},
        ("stock", "details"): cmd(("stock", "details"), [names], {
            "--warn-days": one(choice("7", "0", "90", "default"), INTS),
            "--pharmacy": one(choice("Riverside Pharmacy", ""), NAME), "--rx-number": one(choice("RX 1", ""), NAME),
            "--refills": one(choice("0", "2", "99"), INTS), "--key": key}),
        ("rule", "disable"): cmd(("rule", "disable"), [rule_id], {"--key": key}),
        ("rule", "enable"): cmd(("rule", "enable"), [rule_id], {"--key": key}),
        ("rule", "change"): cmd(("rule", "change"), [rule_id],
                                {"--amount": one(MASS, AMOUNT), "--hours": one(HOURS_VALID, HOURS),
                                 "--max-per-day": one(choice("1", "4", "100"), INTS),
                                 "--min-interval": one(HOURS_VALID, HOURS), "--source": note, "--key": key}),
        ("substance", "add"): cmd(("substance", "add"), [one(FRESH, NEW_NAME)], {
            "--kind": one(choice("medication", "supplement"), KINDS), "--strength": one(choice("10 mg", "1 g"), AMOUNT),
            "--form": one(choice("tablet", "capsule", "powder", "Tablets"), FORM),
            "--elemental": one(choice("28 mg", "100 mcg"), AMOUNT), "--iu": one(choice("1000 IU = 25 mcg"), IU_FACTOR),
            "--dose": dose, **schedule, "--reason": note, "--prescriber": one(choice("Dr Lee", "Dr. Ünal"), NAME),
            "--notes": note, "--alias": repeated("--alias", one(choice("Brand X", "Other name"), NEW_NAME), 3),
            "--since": soon, "--until": one(END_DAY, DAY),
            "--onset-lag": one(choice("0", "14", "14 days", "90"), ONSET_LAG), "--key": key}, required=("--kind",)),
        ("substance", "list"): cmd(("substance", "list"), [], {"--json": json_flag}),
        ("substance", "show"): cmd(("substance", "show"), [name], {"--json": json_flag}),
        ("substance", "change"): cmd(("substance", "change"), [one(ACTIVE, NAME)], {
            "--dose": dose, **schedule, "--at": soon, "--note": note, "--key": key}, required=("--dose",)),
        ("substance", "stop"): cmd(("substance", "stop"), [one(ACTIVE, NAME)], {"--at": soon, "--note": note,
                                                                                "--key": key}),
        ("substance", "start"): cmd(("substance", "start"), [stopped], {
            "--dose": dose, **schedule, "--at": soon, "--note": note, "--key": key}),
        ("substance", "alias"): cmd(("substance", "alias"), [name, one(FRESH, NEW_NAME)], {"--key": key}),
        ("substance", "onset-lag"): cmd(("substance", "onset-lag"),
                                        [name, one(choice("0", "14", "90", "default"), ONSET_LAG)], {"--key": key}),
        ("experiment", "plan"): cmd(("experiment", "plan"), [words(choice("vitamin d3", "Magnesium glycinate", "esc",
                                                                          "magnesium citrate", "ibu"), NAME)], {
            "--metric": repeated("--metric", metric, 3),
            "--design": one(choice("abab", "abba", "random-pairs"), with_text(choice("abab", "abba", "random-pairs"))),
            "--block": one(choice("7", "14", "5", "90", "91"), INTS), "--washout": one(choice("0", "3", "7"), INTS),
            "--pairs": one(choice("2", "4", "6", "1", "31"), INTS),
            "--start": one(choice("tomorrow", "2026-12-01", "2027-03-01", "today"), DAY),
            "--seed": one(choice("1", "42", "-1", "9" * 20), INTS), "--with-clinician": FLAG, "--note": note,
            "--dry-run": FLAG, "--json": json_flag, "--key": key}, required=("--metric",)),
        **{("experiment", verb): st.one_of(
            cmd(("experiment", verb), [], {"--json": json_flag}),
            cmd(("experiment", verb), [words(choice("magnesium glycinate", "mag", "vit", "0000"), NAME)],
                {"--json": json_flag})) for verb in ("status", "analyze")},
        ("experiment", "stop"): st.one_of(cmd(("experiment", "stop"), [], {"--key": key}),
                                          cmd(("experiment", "stop"), [words(choice("magnesium glycinate"), NAME)],
                                              {"--key": key})),
        ("experiment", "list"): cmd(("experiment", "list"), [], {"--json": json_flag}),
        ("config", "show"): cmd(("config", "show"), [], {"--json": json_flag}),
        ("config", "path"): cmd(("config", "path"), [], {}),
        ("config", "set"): cmd(("config", "set"), [V(SETTING.map(lambda kv: [harmless(t) for t in kv]),
                                                     st.tuples(with_text(choice(*SETTINGS)), SETTING_VALUE).map(
                                                         lambda kv: [harmless(t) for t in kv]))], {}),
        ("config", "edit"): cmd(("config", "edit"), [], {}),  # VISUAL is `true` (ENV): the copy comes back as it was
        ("backup",): cmd(("backup",), [], {"-o": backup_out}),
        ("restore",): st.one_of(cmd(("restore",), [path(backups, paths(folder, READABLE + BACKUPS))], {}),
                                st.just(["restore", "fuzzed.json"])),
        ("check",): cmd(("check",), [], {}),
        ("init",): cmd(("init",), [], {"--encrypt": FLAG}),
        ("help",): st.one_of(st.just(["help"]), cmd(("help",), [words(
            choice("take", "substance add", "rule add spacing", "experiment analyze", "stock", "help"),
            with_text(choice("take", "substance add", "frob", "rule add")))], {})),
    }
