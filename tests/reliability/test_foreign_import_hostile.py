"""A hostile user of `medlog import` with other apps' files (issue 19), through the real CLI.

Each test holds a defect found by hand to the import's contract (docs/import.md, docs/cli.md): bad input is
refused in one line on stderr with exit 2 — never a traceback, never half an import, nothing written and no journal
left behind —; what the import prints is neutral (no escape sequence reaches the terminal); no SQL wording reaches
a message; `--skip-bad` leaves out the lines that cannot come in, and imports the rest.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from medlog.domain.text import neutral
from tests.conftest import dump

DAYLIO = "full_date,date,weekday,time,mood,activities,note_title,note\n"
BEARABLE = "date,weekday,time of day,category,rating/amount,detail,notes\n"
NOTES_MAP = '[csv]\nday = "Date"\nnote = "Note"\n'


def _refused(ran, *words: str) -> None:  # type: ignore[no-untyped-def]
    """Exit 2, one line, no traceback, neutral, saying each of `words`."""
    assert ran.code == 2, (ran.code, ran.out, ran.err)
    assert ran.err.count("\n") == 1 and ran.err.endswith("\n"), ran.err
    assert "Traceback" not in ran.err and "internal error" not in ran.err, ran.err
    assert neutral(ran.err) == ran.err and neutral(ran.out) == ran.out
    for word in words:
        assert word in ran.err, (word, ran.err)


def _write(path: Path, text: str | bytes) -> str:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return str(path)


def _entries(medlog, db: str) -> list[dict]:  # type: ignore[no-untyped-def]
    import json

    ran = medlog("--db", db, "log", "--json", "--since", "1900-01-01")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)["entries"]


# -- what the import prints --------------------------------------------------------------------------------------

def test_the_plan_an_import_prints_is_neutral(medlog, tmp_path):
    """Labels and tags are printed as the file and the mapping write them: an escape sequence in one reached the
    terminal raw (the import's handler is one whose standard output is not neutralised, for `export`)."""
    source = _write(tmp_path / "d.csv", DAYLIO + "2024-01-01,x,Mon,10:00,\x1b[31mgood,\x1b[2Jgaming | work,,\n"
                    "2024-01-02,x,Tue,10:00,x\u202ey,,,\n")
    mapping = _write(tmp_path / "m.toml", '[labels.mood]\n"\\u001b[31mgood" = 5\n"x\\u202ey" = 6\n'
                                          '[tags]\n"\\u001b[2Jgaming" = "skip"\n')
    db = str(tmp_path / "j.sqlite")
    for dry in (["--dry-run"], []):
        ran = medlog("--db", db, "import", source, "--map", mapping, *dry)
        assert ran.code == 0, ran.err
        assert neutral(ran.out) == ran.out and "\\x1b[31mgood" in ran.out and "\\u202e" in ran.out, ran.out


def test_a_file_with_nothing_to_import_says_so(medlog, tmp_path):
    source = _write(tmp_path / "d.csv", DAYLIO)
    ran = medlog("--db", str(tmp_path / "j.sqlite"), "import", source)
    assert ran.code == 0 and "already holds all 0 rows" not in ran.out and "nothing to import" in ran.out, ran.out
    one = _write(tmp_path / "one.csv", DAYLIO + "2024-01-01,x,Mon,10:00,good,,,\n")
    ran = medlog("--db", str(tmp_path / "j.sqlite"), "import", one)
    assert ran.code == 0 and "Read 1 line of daylio" in ran.out, ran.out


# -- days and zones --------------------------------------------------------------------------------------------

OFF_THE_CALENDAR = [
    ("daylio", DAYLIO + "0001-01-01,x,Mon,00:00,good,,,\n", None),
    ("daylio", DAYLIO + "9999-12-31,x,Fri,23:59,good,,,\n", None),
    ("bearable", BEARABLE + '"1st Jan 0001","Monday","00:00","Mood","5","",""\n', None),
    ("csv", "Date,Note\n0001-01-01T00:00+14:00,x\n", NOTES_MAP),
    ("csv", "Date,Note\n9999-12-31T23:59-12:00,x\n", NOTES_MAP),
    ("csv", "Date,Note\n0001-01-01,x\n", NOTES_MAP),
]


@pytest.mark.parametrize("fmt, text, mapping", OFF_THE_CALENDAR)
def test_a_day_outside_the_journals_years_is_a_bad_line(medlog, tmp_path, fmt, text, mapping):
    """Year 1 at midnight (or with an offset east of UTC), year 9999: was an internal error (OverflowError), or a
    refusal naming a row's UUID, which the user cannot find in the file; and --skip-bad could not leave it out."""
    source = _write(tmp_path / "f.csv", text)
    args = ["--from", fmt] + (["--map", _write(tmp_path / "m.toml", mapping)] if mapping else [])
    db = str(tmp_path / "j.sqlite")
    _refused(medlog("--db", db, "import", source, *args), "line 2", "1900")
    assert not os.path.exists(db)
    good = text.splitlines()[1].replace("0001", "2024").replace("9999", "2024")
    _write(tmp_path / "f.csv", text + good + "\n")
    ran = medlog("--db", db, "import", source, *args, "--skip-bad")
    assert ran.code == 0 and "line 2" in ran.out and "imported" in ran.out, (ran.out, ran.err)


@pytest.mark.parametrize("zone", ["Mars/Base", "../../etc/passwd", "\x1b[31m", "Europe/London "])
def test_a_zone_nobody_knows_is_refused_in_one_line(medlog, tmp_path, zone):
    """--zone and the mapping file's zone: was an internal error (ValueError), exit 1."""
    source = _write(tmp_path / "d.csv", DAYLIO + "2024-01-01,x,Mon,10:00,good,,,\n")
    db = str(tmp_path / "j.sqlite")
    _refused(medlog("--db", db, "import", source, "--zone", zone), "zone")
    escaped = zone.replace("\x1b", "\\u001b")
    mapping = _write(tmp_path / "m.toml", f'zone = "{escaped}"\n')
    _refused(medlog("--db", db, "import", source, "--map", mapping), "zone")
    assert not os.path.exists(db)


def test_a_posix_zone_medlog_accepts_elsewhere_imports(medlog, tmp_path):
    """'UTC+5' is a zone medlog keeps (a POSIX rule): the resolver opened it as a tzdata name, an internal error."""
    source = _write(tmp_path / "d.csv", DAYLIO + "2024-01-01,x,Mon,10:00,good,,,\n")
    db = str(tmp_path / "j.sqlite")
    ran = medlog("--db", db, "import", source, "--zone", "UTC+5")
    assert ran.code == 0, ran.err
    assert [e["zone"] for e in _entries(medlog, db)] == ["UTC+5"]


def test_medlogs_own_csv_with_a_posix_zone_or_a_day_off_the_calendar(medlog, tmp_path):
    db = str(tmp_path / "a.sqlite")
    assert medlog("--db", db, "substance", "add", "Zinc", "--kind", "supplement", "--dose", "5 mg",
                  "--schedule", "08:00").code == 0
    assert medlog("--db", db, "take", "zinc").code == 0
    exported = tmp_path / "e.csv"
    assert medlog("--db", db, "export", "--format", "csv", "-o", str(exported)).code == 0
    text = exported.read_text(encoding="utf-8-sig")
    posix = _write(tmp_path / "posix.csv", text.replace("Europe/London", "UTC+5"))
    ran = medlog("--db", str(tmp_path / "b.sqlite"), "import", posix)
    assert ran.code == 0, ran.err
    lines = text.splitlines()
    at = lines[2].split(",")[3]
    early = _write(tmp_path / "early.csv", text.replace(at, "0001-01-01T00:00:00+14:00"))
    _refused(medlog("--db", str(tmp_path / "c.sqlite"), "import", early), "line 3", "1900")
    every = _write(tmp_path / "every.csv", text.replace(",08:00,,", ",08:00,every,", 1))
    assert ",every," in Path(every).read_text(encoding="utf-8")
    _refused(medlog("--db", str(tmp_path / "d.sqlite"), "import", every), "line 2")
    assert not os.path.exists(tmp_path / "c.sqlite") and not os.path.exists(tmp_path / "d.sqlite")


# -- files that are not files ------------------------------------------------------------------------------------

def _limited() -> None:  # the child may not take the machine's memory, whatever it reads
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.parametrize("fmt", [None, "medlog-json", "medlog-csv", "daylio", "bearable", "csv"])
def test_a_symlink_to_a_device_is_refused_at_once(cli_env, tmp_path, fmt):
    """A symlink to /dev/zero: --from csv, medlog-csv, medlog-json and telling the format by its first bytes read
    it whole (an internal error, MemoryError, once it had taken all the memory it could)."""
    link = tmp_path / "zero.csv"
    os.symlink("/dev/zero", link)
    mapping = _write(tmp_path / "m.toml", NOTES_MAP)
    db = str(tmp_path / "j.sqlite")
    args = ["--from", fmt] if fmt else []
    proc = subprocess.run([sys.executable, "-m", "medlog", "--db", db, "import", str(link), *args, "--map", mapping],
                          capture_output=True, text=True, env=cli_env, timeout=60, preexec_fn=_limited)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "internal error" not in proc.stderr and not os.path.exists(db)


@pytest.mark.parametrize("what", ["missing", "folder"])
def test_medlogs_csv_that_is_not_a_file(medlog, tmp_path, what):
    """--from medlog-csv: a missing file or a folder was an internal error (FileNotFoundError, IsADirectoryError)."""
    path = tmp_path / "x.csv"
    if what == "folder":
        path.mkdir()
    db = str(tmp_path / "j.sqlite")
    _refused(medlog("--db", db, "import", str(path), "--from", "medlog-csv"))
    assert not os.path.exists(db)


# -- any CSV, with a mapping file ------------------------------------------------------------------------------

def test_an_open_quote_in_any_csv_is_a_bad_line_not_the_rest_of_the_file(medlog, tmp_path):
    """An open quote took every line after it into one note, silently: '2024-01-02,def' became part of line 2's."""
    source = _write(tmp_path / "f.csv", 'Date,Note\n2024-01-01,"abc\n2024-01-02,def\n')
    mapping = _write(tmp_path / "m.toml", NOTES_MAP)
    db = str(tmp_path / "j.sqlite")
    _refused(medlog("--db", db, "import", source, "--from", "csv", "--map", mapping), "line 2")
    assert not os.path.exists(db)


@pytest.mark.parametrize("row", ["2024-01-01,took it, then slept", "2024-01-01"])
def test_a_line_of_any_csv_with_more_or_fewer_fields_is_a_bad_line(medlog, tmp_path, row):
    """An unquoted comma in a note: the rest of the note was dropped without a word."""
    source = _write(tmp_path / "f.csv", f"Date,Note\n{row}\n2024-01-02,fine\n")
    mapping = _write(tmp_path / "m.toml", NOTES_MAP)
    db = str(tmp_path / "j.sqlite")
    _refused(medlog("--db", db, "import", source, "--from", "csv", "--map", mapping), "line 2", "fields")
    ran = medlog("--db", db, "import", source, "--from", "csv", "--map", mapping, "--skip-bad")
    assert ran.code == 0 and "line 2" in ran.out, ran.err
    assert [e["text"] for e in _entries(medlog, db)] == ["fine"]


def test_a_column_the_mapping_names_twice_in_the_file_is_refused(medlog, tmp_path):
    """Two columns 'Note': the last was read, the first left out without a word."""
    source = _write(tmp_path / "f.csv", "Date,Note,Note\n2024-01-01,a,b\n")
    mapping = _write(tmp_path / "m.toml", NOTES_MAP)
    _refused(medlog("--db", str(tmp_path / "j.sqlite"), "import", source, "--from", "csv", "--map", mapping),
             "'Note'")


def test_a_header_with_a_line_break_in_a_name_is_refused_in_one_line(medlog, tmp_path):
    """Found by test_foreign_import_fuzz.py: the columns a refusal lists were printed as they are, line break and all
    ('its columns: D<newline>ate, …'): two lines on stderr."""
    source = _write(tmp_path / "f.csv", '"D\nate","No\x1b[2Jte"\n2024-01-01,x\n')
    mapping = _write(tmp_path / "m.toml", NOTES_MAP)
    _refused(medlog("--db", str(tmp_path / "j.sqlite"), "import", source, "--from", "csv", "--map", mapping),
             "no column 'Date'", "'D\\nate'")


def test_a_line_of_any_csv_that_is_not_utf8_is_named_by_its_line(medlog, tmp_path):
    """Was refused whole naming a byte counted from somewhere in the middle of the file (the decoder's chunk), and
    --skip-bad could not leave it out."""
    filler = "".join(f"2024-01-{1 + i % 28:02d},note {i}\n" for i in range(2000))
    source = _write(tmp_path / "f.csv", b"Date,Note\n" + filler.encode() + b"2024-02-01,a\xffb\n")
    mapping = _write(tmp_path / "m.toml", NOTES_MAP)
    db = str(tmp_path / "j.sqlite")
    _refused(medlog("--db", db, "import", source, "--from", "csv", "--map", mapping), "line 2002", "UTF-8")
    ran = medlog("--db", db, "import", source, "--from", "csv", "--map", mapping, "--skip-bad")
    assert ran.code == 0 and "line 2002" in ran.out, ran.err


@pytest.mark.parametrize("text", [pytest.param("Date,Note\n2024-01-01,a\x00b\n", id="nul"),
                                  pytest.param("Date,Note\n2024-01-01," + "x" * 2_000_000 + "\n", id="2MB")])
def test_a_nul_or_a_huge_line_in_any_csv_is_one_line(medlog, tmp_path, text):
    source = _write(tmp_path / "f.csv", text)
    mapping = _write(tmp_path / "m.toml", NOTES_MAP)
    _refused(medlog("--db", str(tmp_path / "j.sqlite"), "import", source, "--from", "csv", "--map", mapping),
             "line 2")


# -- the mapping file --------------------------------------------------------------------------------------------

BAD_MAPPINGS = [
    # a value of the wrong type was read as its Python text: a symptom called "['headache']" came in
    ('[tags]\nwork = { symptom = ["headache"], severity = 3 }\n', "[tags] 'work'"),
    ('[tags]\nwork = { symptom = "headache", severity = [3] }\n', "[tags] 'work'"),
    ("[substances]\nx = 5\n", "[substances] 'x'"),
    ('[substances]\nx = ["Zinc"]\n', "[substances] 'x'"),
    ("[metrics]\nmood = 5\n", "[metrics] 'mood'"),
    ('[severity]\nawful = "lots"\n', "[severity] 'awful'"),
    ('[csv]\nday = 3\n', "[csv] day"),
    ('[csv]\nday = ["Date"]\n', "[csv] day"),
    ('[csv]\nday = "Date"\ndelimiter = 1\n', "[csv] delimiter"),
    ('[csv]\nday = "Date"\ndelimiter = "\\""\n', "[csv] delimiter"),
    ('[csv]\nday = "Date"\ndelimiter = "\\n"\n', "[csv] delimiter"),
    ('[csv]\nday = "Date"\nday_format = 5\n', "[csv] day_format"),
    ('[csv]\nday = "Date"\n[csv.ratings]\nMood = { metric = ["mood"] }\n', "[csv.ratings] 'Mood'"),
    # a scale that is no scale: nan was an internal error (InvalidOperation), inf and 1e300 were taken
    ('[csv]\nday = "Date"\n[csv.ratings]\nMood = { metric = "mood", low = nan, high = 5 }\n', "[csv.ratings] 'Mood'"),
    ('[csv]\nday = "Date"\n[csv.ratings]\nMood = { metric = "mood", low = 1, high = inf }\n', "[csv.ratings] 'Mood'"),
    ('[csv]\nday = "Date"\n[csv.ratings]\nMood = { metric = "mood", low = 0, high = 1e300 }\n',
     "[csv.ratings] 'Mood'"),
    ('[csv]\nday = "Date"\n[csv.ratings]\nMood = { metric = "mood", low = 0, high = 1e-300 }\n',
     "[csv.ratings] 'Mood'"),
    ('[csv]\nday = "Date"\n[csv.ratings]\nMood = { metric = "mood", scale = [1, 5] }\n', "[csv.ratings] 'Mood'"),
    # a column named without the one it needs: read as nothing, without a word
    ('[csv]\nday = "Date"\nvalue = "Mood"\n', "[csv] value"),
    ('[csv]\nday = "Date"\namount = "Mood"\n', "[csv] amount"),
    # a table medlog does not know, or labels for a metric the journal does not have: left unread, without a word
    ('[tag]\nwork = "skip"\n', "[tag]"),
    ('kinds = "supplement"\n', "kinds"),
    ("[labels.mod]\ngood = 5\n", "[labels.mod]"),
]


@pytest.mark.parametrize("mapping, words", BAD_MAPPINGS)
def test_a_mapping_file_of_the_wrong_shape_is_refused_in_one_line(medlog, tmp_path, mapping, words):
    source = _write(tmp_path / "f.csv", "Date,Note,Mood\n2024-01-01,x,3\n")
    daylio = _write(tmp_path / "d.csv", DAYLIO + "2024-01-01,x,Mon,10:00,awful,work,,\n")
    path = _write(tmp_path / "m.toml", mapping)
    db = str(tmp_path / "j.sqlite")
    if "[csv" in mapping:
        ran = medlog("--db", db, "import", source, "--from", "csv", "--map", path)
    elif "[substances]" in mapping:
        ran = medlog("--db", db, "import", _write(tmp_path / "b.csv", BEARABLE + '"1st Jan 2024","Monday","10:00",'
                                                  '"Meds/Supplements","5","x (mg)",""\n'), "--map", path)
    else:
        ran = medlog("--db", db, "import", daylio, "--map", path)
    _refused(ran, words)
    assert not os.path.exists(db)


# -- --skip-bad, and line ends ---------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    pytest.param("2024-01-01,x,Mon,10:00,good,,,a note \x1b[2J", id="control"),
    pytest.param("2024-01-01,x,Mon,10:00,good,work\u202e,,", id="bidi-activity"),
    pytest.param("2024-01-01,x,Mon,10:00,good,,," + "x" * 2001, id="long-note"),
])
def test_skip_bad_leaves_out_a_line_the_journal_would_refuse(medlog, tmp_path, line):
    """Named by line and column like any bad line, but refused the whole file even with --skip-bad."""
    source = _write(tmp_path / "d.csv", DAYLIO + line + "\n2024-01-02,x,Tue,10:00,rad,,,fine\n")
    db = str(tmp_path / "j.sqlite")
    _refused(medlog("--db", db, "import", source), "line 2")
    ran = medlog("--db", db, "import", source, "--skip-bad")
    assert ran.code == 0 and "skipped 1" in ran.out and "line 2" in ran.out, (ran.out, ran.err)
    entries = _entries(medlog, db)
    assert {e["journal_day"] for e in entries} == {"2024-01-02"}, entries  # nothing of line 2: not its mood either
    again = medlog("--db", db, "import", source, "--skip-bad")
    assert again.code == 0 and "nothing new" in again.out


@pytest.mark.parametrize("fmt, text, mapping", [
    ("bearable", BEARABLE + '"1st Jan 2024","Monday","10:00","Mood","5","","line one\r\nline two\rthree"\n', None),
    ("csv", 'Date,Note\r\n2024-01-01,"line one\r\nline two\rthree"\r\n', NOTES_MAP),
])
def test_a_note_written_with_windows_line_ends_comes_in(medlog, tmp_path, fmt, text, mapping):
    """A note of several lines saved on Windows (CR LF inside the cell): refused as holding a control character."""
    source = _write(tmp_path / "f.csv", text)
    args = ["--from", fmt] + (["--map", _write(tmp_path / "m.toml", mapping)] if mapping else [])
    db = str(tmp_path / "j.sqlite")
    ran = medlog("--db", db, "import", source, *args)
    assert ran.code == 0, ran.err
    assert [e["text"] for e in _entries(medlog, db) if e["kind"] == "note"] == ["line one\nline two\nthree"]


# -- the journal's own rows --------------------------------------------------------------------------------------

def test_a_clash_with_the_journal_is_said_without_sql(medlog, tmp_path):
    """'clashes with the journal (UNIQUE constraint failed: substance.name_key)': SQL's words in a message."""
    one, two = str(tmp_path / "one.sqlite"), str(tmp_path / "two.sqlite")
    assert medlog("--db", one, "substance", "add", "Zinc", "--kind", "supplement").code == 0
    assert medlog("--db", one, "rate", "mood=5", "--day", "2026-11-20").code == 0
    exported = str(tmp_path / "one.json")
    assert medlog("--db", one, "export", "--format", "json", "-o", exported).code == 0
    assert medlog("--db", two, "substance", "add", "zinc", "--kind", "supplement").code == 0
    before = dump(two)
    ran = medlog("--db", two, "import", exported)
    _refused(ran, "clashes with the journal", "Zinc")
    assert "constraint" not in ran.err.lower() and "substance.name_key" not in ran.err and dump(two) == before
    Path(exported).write_text(Path(exported).read_text(encoding="utf-8").replace('"Zinc"', '"Zonc"')
                              .replace('"zinc"', '"zonc"'), encoding="utf-8")
    assert medlog("--db", two, "rate", "mood=3", "--day", "2026-11-20").code == 0
    before = dump(two)
    ran = medlog("--db", two, "import", exported)
    _refused(ran, "clashes with the journal", "2026-11-20")
    assert "constraint" not in ran.err.lower() and "journal_day" not in ran.err and dump(two) == before


def test_a_rating_logged_while_the_file_is_read_does_not_refuse_the_import(medlog, tmp_path, monkeypatch):
    """The file's names and days were met with the journal before the write transaction began: a rating of the same
    day logged meanwhile (another process) made the import refuse the file, in SQL's words. Met inside the
    transaction, no other writer comes between."""
    from medlog.services import exchange
    from medlog.services.importers import resolve

    db = str(tmp_path / "j.sqlite")
    assert medlog("--db", db, "rate", "energy=3").code == 0
    source = _write(tmp_path / "d.csv", DAYLIO + "2026-11-20,x,Fri,10:00,good,,,\n")
    real = resolve.resolve
    raced: list[str] = []

    def racing(*args, **kwargs):  # type: ignore[no-untyped-def]
        resolved = real(*args, **kwargs)
        other = sqlite3.connect(db, timeout=0.2)  # another writer, as `medlog rate mood=3 --day 2026-11-20` writes
        try:
            other.execute("INSERT INTO observation (uuid, metric_id, journal_day, value, recorded_at, zone, source, "
                          "created_at, updated_at) SELECT '00000000-0000-4000-8000-00000000a0a0', id, '2026-11-20', "
                          "3, '2026-11-20 10:00:00.000000', 'Europe/London', 'cli', '2026-11-20 10:00:00.000000', "
                          "'2026-11-20 10:00:00.000000' FROM metric WHERE key = 'mood'")
            other.commit()
            raced.append("wrote")
        except sqlite3.OperationalError:  # locked out: the import holds the journal while it meets the file
            raced.append("locked")
        finally:
            other.close()
        return resolved

    monkeypatch.setattr(exchange, "resolve", racing)
    ran = medlog("--db", db, "import", source)
    assert raced and ran.code == 0 and "constraint" not in ran.err.lower(), (raced, ran.out, ran.err)
