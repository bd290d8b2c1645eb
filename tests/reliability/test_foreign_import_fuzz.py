"""`medlog import` of other apps' files, fuzzed (issue 19): Daylio, Bearable and any CSV with a mapping file, each
with hostile cells and rows — escape sequences, control and invisible characters, NULs, bytes that are not UTF-8,
numbers that are not, days at the ends of the calendar, times in DST gaps, quotes left open, rows too long or too
short, line ends of every system, a BOM in the middle — run through the real entry point.

The contract (docs/import.md, docs/cli.md): exit 0 or 2; a refusal is one line on stderr, never a traceback, and
leaves the journal as it was (and no journal where there was none); what is printed is neutral (no escape sequence
reaches the terminal); --dry-run writes nothing; an import that is accepted, run again, adds nothing; and what it
brought in is read back by `log` without a crash.

Short by default (CI, under a minute); `pytest --long` runs each format at its full count.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medlog.cli.main import main
from medlog.domain.text import neutral
from tests.reliability.fuzz_args import NUMBERS, ODD_TEXT, hostile, weighted
from tests.reliability.test_cli_fuzz import journal_state, streams, text_of

_TEXT = st.text(max_size=20)


def spoilt(valid: st.SearchStrategy[str], edge: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A column's value spoilt: one at its edge (a DST gap, year 1, a label no rule places, a unit nobody knows),
    hostile pieces put in a good one, odd text, a number that is not one, anything, or huge."""
    return weighted((3, edge), (3, hostile(valid)), (1, ODD_TEXT), (1, NUMBERS), (1, _TEXT),
                    (1, st.sampled_from(("", " ", "x" * 2001, "y" * 100_000))))


Columns = dict[str, tuple[st.SearchStrategy[str], st.SearchStrategy[str]]]  # column → (valid, at its edge)


def spoil(draw: st.DrawFn, values: dict[str, str], columns: Columns) -> dict[str, str]:
    """Most rows as the app writes them; now and then one or two columns spoilt."""
    for _ in range(draw(st.sampled_from((0, 0, 0, 0, 0, 1, 1, 2)))):
        name = draw(st.sampled_from(sorted(values)))
        valid, edge = columns.get(name, (st.just(values[name]), st.just("")))
        values[name] = draw(spoilt(valid, edge))
    return values


NOTE = (st.sampled_from(("fine", "slept badly, woke at 4", "line one\nline two", "line one\r\nline two",
                         "<b>bold</b><br>next &amp; more", "=1+2", "'quoted'", "📝 note", "", "", "")),
        st.sampled_from(("\x1b[2J", "a\u202eb", "x" * 2001, "a\x00b", "\ufeff")))

# -- Daylio --------------------------------------------------------------------------------------------------------

DAYLIO_HEADERS = ("full_date,date,weekday,time,mood,activities,note_title,note",
                  "full_date,date,weekday,time,mood,activities,scales,note_title,note",
                  "full_date,date,weekday,time,mood,activities,note",
                  "year,date,weekday,time,mood,activities,note")
DAYLIO_COLUMNS: Columns = {
    "full_date": (st.sampled_from(("2024-01-01", "2023-05-14", "2024-03-31", "2024-10-27", "2026-11-20", "2021-06-30")),
                  st.sampled_from(("0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01", "2024-02-30", "2024-1-1",
                                   "٢٠٢٤-٠١-٠١", "2024-13-01"))),
    "year": (st.sampled_from(("2018", "2019")), st.sampled_from(("0001", "9999", "18", "1899"))),
    "date": (st.sampled_from(("June 22", "29 March", "7 września", "16 de octubre")),
             st.sampled_from(("31 February", "June", "22", "Smarch 3"))),
    "weekday": (st.just("Monday"), st.just("")),
    "time": (st.sampled_from(("10:00", "21:30", "9:30 pm", "6:50 p.m.", "12:00 am", "23:59", "٣:٠٠")),
             st.sampled_from(("01:30", "1:30 am", "24:00", "13:00 pm", "noon", "00:60"))),  # 01:30: DST
    "mood": (st.sampled_from(("rad", "good", "meh", "bad", "awful", "Good ", " rad")),
             st.sampled_from(("ok but sleepy", "super", "5", "-5", "1e309", "nan", "٣", ""))),
    "activities": (st.lists(st.sampled_from(("work", "friends", "gaming", "headache", "<c_e> tired", "Work")),
                            max_size=4).map(" | ".join), st.just("work |  | \x07 | x" + "y" * 2000)),
    "scales": (st.lists(st.sampled_from(("Sleep Quality: 8/10 points", "Sleep Time: 7:30")), max_size=2)
               .map(" | ".join),
               st.sampled_from(("Sleep Time: 25:99", "Caffeine: 3", "Sleep Quality: 11/10 points", "x", ":"))),
    "note_title": NOTE, "note": NOTE}


@st.composite
def daylio_row(draw: st.DrawFn, header: str) -> list[str]:
    names = header.split(",")
    values = spoil(draw, {name: draw(DAYLIO_COLUMNS[name][0]) for name in names}, DAYLIO_COLUMNS)
    return [values[name] for name in names]


DAYLIO_MAPPINGS = st.sampled_from((
    None, None, None, None, None, None, "", '[labels.mood]\n"ok but sleepy" = 4\nsuper = 9\n',
    '[tags]\nwork = "skip"\nheadache = { symptom = "headache", severity = 6 }\n', '[labels.mood]\nsuper = 11\n',
    '[metrics]\n"Caffeine" = "energy"\n', 'zone = "America/New_York"\n', 'zone = "Mars/Base"\n',
    '[tags]\nwork = { symptom = ["headache"], severity = 3 }\n', "[labels.mood]\nsuper = nan\n"))

# -- Bearable --------------------------------------------------------------------------------------------------------

BEARABLE_HEADERS = ("date,weekday,time of day,category,rating/amount,detail,notes",
                    "date,date formatted,weekday,time of day,category,rating/amount,detail,notes")
# Each category with what its rows hold: (rating/amount, detail) as Bearable writes them.
CATEGORIES = {"Mood": (("3", "6", "10"), ("Meh | Tired", "")), "Energy": (("1", "4"), ("",)),
              "Sleep quality": (("2", "5"), ("",)), "Sleep": (("7:30", ""), ("Asleep 23:15 - 06:45",)),
              "Symptom": (("", "2"), ("Headache (Mild)", "Back (lower) pain (Severe)", "Nausea (Unbearable)")),
              "Meds/Supplements": (("25", "1", ""), ("Hydroxyzine (mg)", "Vitamin D (IU)", "Lexapro (mg)", "Zinc",
                                                     "Vitamin D (D3)")),
              "Factors": (("",), ("Walk | Coffee", "Work")), "Sleep factors": (("",), ("Woke early",)),
              "Food Diary": (("",), ("Porridge",)), "Gratitudes": (("",), ("Sunshine",)),
              "Bowel Movements": (("4",), ("",)), "Health measurements": (("70",), ("Weight (kg)",))}
BEARABLE_COLUMNS: Columns = {
    "date": (st.sampled_from(("1st Jan 2024", "22nd Sep 2020", "31st Mar 2024", "27th Oct 2024")),
             st.sampled_from(("1st Jan 0001", "31st Dec 9999", "29th Feb 2023", "2024-01-01", "Jan 1st"))),
    "date formatted": (st.sampled_from(("2024-01-01", "2020-09-22")), st.sampled_from(("0001-01-01", "2024-02-30"))),
    "time of day": (st.sampled_from(("pre", "am", "mid", "pm", "all day", "", "21:40")),
                    st.sampled_from(("01:30", "25:00", "evening"))),
    "category": (st.sampled_from(sorted(CATEGORIES)), st.sampled_from(("Custom", "mood ", ""))),
    "rating/amount": (st.sampled_from(("3",)), st.sampled_from(("0", "11", "9:45", "24:01", "1000001", "-1"))),
    "detail": (st.just("Headache (Mild)"), st.sampled_from(("Magnesium (mg)", "Unobtainium (furlongs)",
                                                            "Asleep 25:00 - 06:45", "Headache (Extreme pain)"))),
    "notes": NOTE}


@st.composite
def bearable_row(draw: st.DrawFn, header: str) -> list[str]:
    names = header.split(",")
    category = draw(BEARABLE_COLUMNS["category"][0])
    amounts, details = CATEGORIES[category]
    values = {name: draw(BEARABLE_COLUMNS[name][0]) for name in names if name in BEARABLE_COLUMNS}
    values.update({"weekday": "Monday", "category": category, "rating/amount": draw(st.sampled_from(amounts)),
                   "detail": draw(st.sampled_from(details))})
    values = spoil(draw, values, BEARABLE_COLUMNS)
    return [values[name] for name in names]


BEARABLE_MAPPINGS = st.sampled_from((
    None, None, None, None, None, None, '[substances]\nMagnesium = "Magnesium glycinate"\n',
    '[substances]\nMagnesium = "Unobtainium"\n', 'kind = "supplement"\n', 'kind = "poison"\n',
    '[severity]\nmild = 3\n', '[severity]\nmild = "lots"\n', '[tags]\nCoffee = "skip"\n'))

# -- any CSV, with a mapping file ------------------------------------------------------------------------------------

CSV_HEADER = "Date,Time,Med,Dose,Unit,Metric,Value,Sym,Sev,Note,Mood,Sleep"
CSV_MAPPING = ('[csv]\nday = "Date"\ntime = "Time"\nsubstance = "Med"\namount = "Dose"\nunit = "Unit"\n'
               'metric = "Metric"\nvalue = "Value"\nsymptom = "Sym"\nseverity = "Sev"\nnote = "Note"\n'
               '[csv.ratings]\n"Mood" = { metric = "mood", low = 1, high = 5 }\n"Sleep" = "sleep_hours"\n')
CSV_MAPPINGS = st.sampled_from((CSV_MAPPING,) * 6 + (
    CSV_MAPPING.replace('day = "Date"', 'day = "Date"\ndecimal = ","'),
    CSV_MAPPING.replace('day = "Date"', 'day = "Date"\nday_format = "%d.%m.%Y"'),
    CSV_MAPPING.replace("low = 1, high = 5", "low = 1, high = inf"), CSV_MAPPING.replace('day = "Date"', "day = 3"),
    'zone = "Pacific/Kiritimati"\n' + CSV_MAPPING, '[csv]\nday = "Date"\nnote = "Note"\nnote = "Note"\n'))
CSV_COLUMNS: Columns = {
    "Date": (st.sampled_from(("2024-01-01", "2024-01-01 08:00", "2024-10-27", "2024-01-02T08:00+05:00")),
             st.sampled_from(("31.03.2024", "2024-03-31 01:30", "0001-01-01T00:00+14:00", "9999-12-31T23:59-12:00",
                              "2024-02-30", "1899-12-31"))),
    "Time": (st.sampled_from(("08:00", "", "9:30pm")), st.sampled_from(("01:30", "25:00", "noon"))),
    "Med": (st.sampled_from(("Zinc", "Lexapro", "esc", "")), st.sampled_from(("Magnesium", "x" * 101))),
    "Dose": (st.sampled_from(("5", "200", "")), st.sampled_from(("0", "-5", "7,5", "1e309", "5 mg"))),
    "Unit": (st.sampled_from(("mg", "IU", "")), st.sampled_from(("furlongs", "mg mg"))),
    "Metric": (st.sampled_from(("mood", "energy", "")), st.sampled_from(("Sleep", "poison", "moo"))),
    "Value": (st.sampled_from(("3", "8", "5")), st.sampled_from(("7,5", "7.5", "11", "-1", "great"))),
    "Sym": (st.sampled_from(("headache", "nausea", "", "")), st.sampled_from(("x" * 101,))),
    "Sev": (st.sampled_from(("mild", "5", "severe")), st.sampled_from(("11", "Excruciating", ""))),
    "Note": NOTE, "Mood": (st.sampled_from(("1", "3", "5", "")), st.sampled_from(("6", "0", "2.5", "good"))),
    "Sleep": (st.sampled_from(("7.5", "8", "")), st.sampled_from(("25", "7:30", "-1")))}


@st.composite
def csv_row(draw: st.DrawFn, header: str) -> list[str]:
    names = header.split(",")
    values = spoil(draw, {name: draw(CSV_COLUMNS[name][0]) for name in names}, CSV_COLUMNS)
    return [values[name] for name in names]


FORMATS = {"daylio": (st.sampled_from(DAYLIO_HEADERS), daylio_row, DAYLIO_MAPPINGS),
           "bearable": (st.sampled_from(BEARABLE_HEADERS), bearable_row, BEARABLE_MAPPINGS),
           "csv": (st.just(CSV_HEADER), csv_row, CSV_MAPPINGS)}

# -- whole files --------------------------------------------------------------------------------------------------


@st.composite
def foreign_file(draw: st.DrawFn, fmt: str) -> tuple[bytes, str | None]:
    """A file in `fmt` (bytes) and its mapping file (None: no --map): rows of drawn cells, some rows too long or
    too short, written with a drawn quoting and line end, then now and then damaged at the byte level."""
    headers, row, mappings = FORMATS[fmt]
    header = draw(headers)
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        cells = draw(row(header))
        shape = draw(st.sampled_from(("as is",) * 20 + ("extra", "short")))
        cells = cells + ["extra"] if shape == "extra" else cells[:-1] if shape == "short" else cells
        rows.append(cells)
    out = io.StringIO()
    writer = csv.writer(out, quoting=draw(st.sampled_from((csv.QUOTE_MINIMAL, csv.QUOTE_ALL))),
                        lineterminator=draw(st.sampled_from(("\n", "\r\n", "\r"))))
    writer.writerow(header.split(","))
    writer.writerows(rows)
    text = draw(st.sampled_from(("", "\ufeff"))) + out.getvalue()
    data = text.encode("utf-8", "surrogatepass")
    for _ in range(draw(st.sampled_from((0,) * 8 + (1, 2)))):
        at = draw(st.integers(0, len(data)))
        piece = draw(st.sampled_from((b'"', b"\xff", b"\xc3", b"\x00", "\ufeff".encode(), b"\r", b"\n", b",", b"")))
        data = data[:at] + piece + data[at:] if piece else data[:at]  # b"": the file cut short there
    return data, draw(mappings)


# -- the journal ------------------------------------------------------------------------------------------------------

SETUP = [["substance", "add", "Escitalopram", "--kind", "medication", "--alias", "Lexapro", "--dose", "10 mg",
          "--schedule", "08:00", "--since", "2024-01-01 08:00"],
         ["substance", "add", "Magnesium glycinate", "--kind", "supplement"],
         ["substance", "add", "Magnesium citrate", "--kind", "supplement"],  # "Magnesium": ambiguous
         ["rate", "mood=6", "--day", "2024-01-01"]]


def _run(db: str, *args: str) -> tuple[int, str, str]:
    with streams() as (out, err):
        code = main(["--db", db, *args])
    return code, text_of(out), text_of(err)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("foreign-fuzz-template")
    db = str(folder / "journal.sqlite")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MEDLOG_TZ", "Europe/London")
        mp.setenv("MEDLOG_NOW", "2026-11-21T09:00:00+00:00")
        for step in SETUP:
            code, _, err = _run(db, *step)
            assert code == 0, (step, err)
    return db


def check(data: bytes, mapping: str | None, fmt: str, options: list[str], folder: str, template: str,
          with_journal: bool) -> None:
    """Import the file as `medlog --db JOURNAL import FILE OPTIONS…` and hold it to the contract."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    db = os.path.join(folder, "journal.sqlite")
    if with_journal:
        for suffix in ("", "-wal"):
            if os.path.exists(template + suffix):
                shutil.copy(template + suffix, db + suffix)
    source = os.path.join(folder, f"{fmt}.csv")
    with open(source, "wb") as fh:
        fh.write(data)
    argv = ["import", source, *options]
    if mapping is not None:
        with open(os.path.join(folder, "map.toml"), "w", encoding="utf-8") as fh:
            fh.write(mapping)
        argv += ["--map", os.path.join(folder, "map.toml")]
    before = journal_state(db)
    code, out, err = _run(db, *argv)
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    assert neutral(out) == out and neutral(err) == err, (out[:300], err[:300])
    if code == 2:
        assert err.count("\n") == 1 and err.endswith("\n"), f"not one line: {err[:400]!r}"
        assert journal_state(db) == before, "a refused import changed the journal"
        if not with_journal:
            assert not os.path.exists(db), "a refused import left a journal behind"
        return
    if "--dry-run" in options:
        assert journal_state(db) == before, "--dry-run wrote"
        assert with_journal or not os.path.exists(db), "--dry-run made a journal"
        return
    after = journal_state(db)
    again, out2, err2 = _run(db, *argv)
    assert again == 0 and "nothing" in out2, (again, out2[-300:], err2)
    assert journal_state(db) == after, "importing the same file twice added something"
    shown, listed, said = _run(db, "log", "--since", "1900-01-01", "--json")
    assert shown == 0 and neutral(listed) == listed and json.loads(listed)["format"], said


OPTIONS = st.lists(st.sampled_from((["--dry-run"], ["--skip-bad"], ["--skip-bad"], ["--zone", "America/New_York"],
                                    ["--zone", "Pacific/Kiritimati"], ["--zone", "UTC+5"], ["--zone", "Mars/Base"],
                                    [], [], [], [])),
                   max_size=2).map(lambda chosen: [arg for option in chosen for arg in option])


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_hostile_files_are_imported_whole_or_refused_in_one_line(fmt, template, fuzz_env, tmp_path, runs):
    folder = os.path.realpath(tmp_path / "example")
    ran: list[str] = []

    @settings(max_examples=runs(120, 3000), derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(file=foreign_file(fmt), options=OPTIONS, named=st.booleans(), with_journal=st.booleans())
    def examples(file: tuple[bytes, str | None], options: list[str], named: bool, with_journal: bool) -> None:
        data, mapping = file
        # Daylio's and Bearable's files are told by their first line; any other CSV is named, always
        source = ["--from", fmt] if named or fmt == "csv" else []
        check(data, mapping, fmt, source + options, folder, template, with_journal)
        ran.append(fmt)

    examples()
    assert len(ran) >= runs(120, 3000)
