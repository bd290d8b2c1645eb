"""Bad input, fuzzed: hypothesis over every CLI command and argument (amounts, times, days, ratings, schedules,
names, notes, keys, file paths), each example run through the real entry point on a copy of a prepared journal.

The contract (docs/cli.md): exit 0 success, 1 runtime failure, 2 bad usage or bad input; a failure is one line
on stderr, never a traceback or an "internal error"; a refusal writes nothing (not the journal, not a file).

Short by default (CI); `pytest --long` runs at least 10,000 examples. Every command in parser.COMMANDS (but the
demo) must have a strategy in fuzz_args.table: a new command fails test_every_command_has_a_strategy until it
gets one.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medlog.cli.main import main
from medlog.cli.parser import COMMANDS, UsageError, build_parser, parser_for
from medlog.domain.text import neutral
from tests.conftest import ZONE
from tests.reliability.fuzz_args import BACKUPS, ENV, JOURNAL, KNOWN_KEY, inside, mutated_export, table

# demo: slow, and writes its own big journal (tests/cli/test_demo_cli.py covers its options); serve: a valid run
# serves until stopped (tests/web/test_serve_command.py holds its refusals to one line and exit 2)
NOT_FUZZED = {("demo",), ("serve",)}


def leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every runnable command path: ("take",), ("substance", "add"), ("rule", "add", "daily-max")…"""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {prefix}
    found: set[tuple[str, ...]] = set()
    for name, sub in subs[0].choices.items():
        found |= leaf_commands(sub, (*prefix, name))
    return found


LEAVES = leaf_commands(build_parser())
FUZZED = sorted(LEAVES & set(table("/nowhere")) - NOT_FUZZED)


def test_every_command_has_a_strategy():
    assert {("substance", "onset-lag"), ("rule", "add", "as-needed"), ("metric", "list")} <= LEAVES  # the walk works
    assert {(name,) for name in COMMANDS} <= LEAVES | {path[:1] for path in LEAVES}
    missing = LEAVES - set(table("/nowhere")) - NOT_FUZZED
    assert not missing, f"give these commands a strategy in tests/reliability/fuzz_args.py: {sorted(missing)}"


# -- the template: a journal with substances, regimen changes, rules, ratings and doses, and files to import ----

@contextlib.contextmanager
def streams(stdin: str = "") -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """Standard streams for one in-process run: not terminals, byte-backed (a PDF goes to stdout.buffer)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def text_of(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]


def run(db: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
    with streams(stdin) as (out, err):
        code = main(["--db", db, *args])
    return code, text_of(out), text_of(err)


def build(db: str, steps: list[list[str]]) -> None:
    for step in steps:
        code, _, err = run(db, *step)
        assert code == 0, (step, err)


SUBSTANCES = [
    ["substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--form", "tablet", "--dose",
     "10 mg", "--schedule", "08:00", "--since", "2026-09-01 08:00", "--alias", "Lexapro", "--onset-lag", "14"],
    ["substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg", "--schedule", "21:30",
     "--since", "2026-09-01 08:00"],
    ["substance", "add", "Magnesium citrate", "--kind", "supplement", "--dose", "150 mg", "--since",
     "2026-09-01 08:00"],
    ["substance", "stop", "magnesium citrate", "--at", "2026-10-01 09:00", "--note", "switched to glycinate"],
    ["substance", "add", "Ibuprofen", "--kind", "medication", "--strength", "200 mg", "--form", "tablet",
     "--as-needed", "--dose", "1 tablet", "--alias", "Advil", "--since", "2026-09-01 08:00"],
    ["substance", "add", "Vitamin D3", "--kind", "supplement", "--iu", "1000 IU = 25 mcg", "--dose", "2000 IU",
     "--schedule", "08:00 mon,wed,fri", "--since", "2026-09-01 08:00"],
    ["substance", "change", "escitalopram", "--dose", "15 mg", "--at", "2026-10-15 08:00", "--note", "titration"],
    ["substance", "change", "escitalopram", "--dose", "20 mg", "--at", "2026-12-15 08:00"],  # planned
    ["metric", "add", "focus", "--min", "0", "--max", "10", "--higher-is-better", "--integer"],
    ["rule", "add", "daily-max", "ibuprofen", "1200", "mg", "--source", "the label"],
    ["rule", "add", "spacing", "Magnesium glycinate", "Escitalopram", "2", "--both-ways"],
    ["rule", "add", "as-needed", "ibuprofen", "--max-per-day", "4", "--min-interval", "4"],
    ["rule", "disable", "2"],
]


def daily() -> list[list[str]]:
    """Doses and ratings on every third day from mid-September to yesterday (either side of the October dose
    change, for compare), a missed dose here and there, a few headaches."""
    steps = []
    for n in range(66):
        day = (date(2026, 9, 16) + timedelta(days=n)).isoformat()
        if n % 3 == 0:
            steps.append(["rate", f"mood={n % 5 + 4}", f"anxiety={n % 4 + 2}", f"sleep_hours={6 + n % 3}.5",
                          f"focus={n % 7 + 2}", "--day", day])
        if n % 3 == 1 and n % 15 != 1:
            steps.append(["take", "escitalopram", "--at", f"{day} 08:{n % 50 + 5:02d}"])
        if n % 6 == 2:
            steps.append(["take", "magnesium glycinate", "--at", f"{day} 21:40"])
        if n % 20 == 5:
            steps.append(["take", "ibuprofen", "--at", f"{day} 13:00", "--note", "headache"])
            steps.append(["symptom", "headache", str(n % 8), "--at", f"{day} 12:30"])
    return steps


EXTRA = [
    ["skip", "escitalopram", "--at", "2026-11-20 08:00", "--reason", "felt sick"],
    ["note", "ask about the dose", "--question", "--at", "yesterday 20:00"],
    ["note", "dizzy in the mornings", "--flag", "--at", "2026-11-19 09:00"],
    ["note", "keyed", "--key", KNOWN_KEY],
    ["experiment", "plan", "magnesium glycinate", "--metric", "sleep_quality", "--metric", "mood", "--pairs", "2",
     "--block", "7", "--seed", "3", "--note", "a trial"],
]


@dataclass
class Template:
    folder: str  # a journal and the files the examples read and write, copied per example
    export: dict  # a small real export, mutated for `import`
    state: dict[str, object]  # journal_state of the template's journal


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Template:
    return build_template(str(tmp_path_factory.mktemp("cli-fuzz-template")))


def build_template(root: str) -> Template:
    folder = os.path.realpath(os.path.join(root, "folder"))
    os.makedirs(os.path.join(folder, "folder"))
    db = os.path.join(folder, JOURNAL)
    env = {**ENV, "HOME": os.path.join(root, "home"), "XDG_DATA_HOME": os.path.join(root, "xdg-data"),
           "XDG_CONFIG_HOME": os.path.join(root, "xdg-config")}
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith(("MEDLOG_", "XDG_")):
                mp.delenv(key)
        for key, value in env.items():
            mp.setenv(key, value)
        build(db, SUBSTANCES + daily() + EXTRA)
        build(db, [["export", "--format", "json", "-o", os.path.join(folder, "export.json")],
                   ["export", "--format", "fhir", "-o", os.path.join(folder, "fhir.json")],
                   ["export", "--format", "csv", "-o", os.path.join(folder, "export.csv")],
                   ["backup", "-o", os.path.join(folder, "copy-of-journal.sqlite")]])
        other = os.path.join(root, "other.sqlite")  # another journal: importing it adds rows
        build(other, [["substance", "add", "Melatonin", "--kind", "supplement", "--dose", "3 mg", "--schedule",
                       "22:00", "--since", "2026-11-10 08:00"],
                      ["metric", "add", "steps", "--min", "0", "--max", "50000", "--higher-is-better"],
                      ["take", "melatonin", "--at", "2026-11-20 22:05", "--note", "late"],
                      ["rate", "mood=6", "steps=8000", "--day", "2026-11-20"],
                      ["symptom", "nausea", "mild", "--at", "2026-11-20 23:00"],
                      ["note", "slept well", "--flag", "--at", "2026-11-21 07:30"],
                      ["export", "--format", "json", "-o", os.path.join(folder, "other.json")]])
        clash = os.path.join(root, "clash.sqlite")  # the same substance name under another UUID: refused whole
        build(clash, [["substance", "add", "Escitalopram", "--kind", "medication", "--dose", "5 mg"],
                      ["export", "--format", "json", "-o", os.path.join(folder, "clash.json")]])
    files = {"broken.json": b'{"format": "medlog-journal", ', "empty.json": b"", "notutf8.json": b"\xff\xfe{\x00",
             "list.json": b"[]", "null.json": b"null", "existing.txt": b"keep me\n"}
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(data)
    shutil.copy(os.path.join(folder, "other.json"), os.path.join(folder, "résumé données.json"))
    shutil.copy(os.path.join(folder, "export.json"), os.path.join(folder, "folder", "inner.json"))
    os.symlink(JOURNAL, os.path.join(folder, "link.sqlite"))
    assert sorted(os.listdir(folder)) == sorted([JOURNAL, "export.json", "fhir.json", "export.csv", "other.json",
                                                 "clash.json", "folder", "résumé données.json", "link.sqlite",
                                                 "backups", "copy-of-journal.sqlite", *files]), \
        "no -wal or -shm may be copied"
    for backup in BACKUPS:
        assert os.path.isfile(os.path.join(folder, backup)), backup
    scratch = os.path.join(root, "scratch", JOURNAL)  # read on a copy: reading may leave a -shm beside it
    os.makedirs(os.path.dirname(scratch))
    shutil.copy(db, scratch)
    state = journal_state(scratch)
    assert state is not None
    with open(os.path.join(folder, "other.json"), encoding="utf-8") as fh:
        return Template(folder, json.load(fh), state)


# -- one example -------------------------------------------------------------------------------------------------------


def journal_state(db: str) -> dict[str, object] | None:
    """Every row of every table (the change log included), the schema and the header's versions, or None when
    there is no journal. (What tests.conftest.dump says, faster: it runs after every refusal.)"""
    if not os.path.exists(db):
        return None
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        state: dict[str, object] = {
            pragma: conn.execute(f"PRAGMA {pragma}").fetchone()[0] for pragma in ("user_version", "application_id")}
        schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
        state["sqlite_master"] = schema
        for kind, name, _, _ in schema:
            if kind == "table":
                state[name] = sorted(map(repr, conn.execute(f'SELECT * FROM "{name}"')))
        return state
    finally:
        conn.close()


def files_state(folder: str) -> dict[str, tuple[bool, int, int]]:
    """Every file and folder besides the journal (which journal_state covers), with its size and mtime.

    Also besides the day's automatic backup: it is taken as a write begins, before the command's own checks (a
    copy of the journal as it was, by design: services/context.py), so a refused write may be the one that takes
    it — in another zone than the template's, journal day 2026-11-20 has none yet."""
    found = {}
    for where, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = os.path.join(where, name)
            rel = os.path.relpath(path, folder)
            if rel.startswith(JOURNAL) or rel in ("hard.sqlite", "link.sqlite") or DAILY.match(rel):
                continue
            info = os.lstat(path)
            # a folder's own size and time change with what it holds, which is listed itself
            found[rel] = (True, 0, 0) if os.path.isdir(path) else (False, info.st_size, info.st_mtime_ns)
    return found


DAILY = re.compile(r"backups/journal-daily-\d{4}-\d{2}-\d{2}\.sqlite\Z")


def guard(argv: list[str], db: str, folder: str) -> None:
    """Before running: argparse reads argv with our --db, and any file it names lies inside the example's folder."""
    try:
        with streams():
            args = parser_for(argv).parse_args(argv)
    except (UsageError, SystemExit):
        return  # argparse refuses it (or prints help): main will touch no file either
    assert getattr(args, "db", None) == db, argv
    for attribute in ("output", "file"):
        value = getattr(args, attribute, None)
        if isinstance(value, str):
            inside(folder, value)


def fresh_start(folder: str, template: Template, *, journal: bool) -> None:
    os.chdir(os.path.dirname(folder))
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(template.folder, folder, symlinks=True)
    db = os.path.join(folder, JOURNAL)
    if journal:
        os.link(db, os.path.join(folder, "hard.sqlite"))  # a hard link to the journal, for -o to refuse
    else:
        os.unlink(db)  # a fresh install: nothing may create the journal and then refuse
    os.chdir(folder)


def check_example(argv: list[str], *, folder: str, template: Template, journal: bool, stdin: str) -> None:
    """Run `medlog --db JOURNAL ARGV…` on a fresh copy of the template (or with no journal yet) and hold it to the
    contract."""
    fresh_start(folder, template, journal=journal)
    with open(os.path.join(folder, "fuzzed.json"), "w", encoding="utf-8") as fh:
        fh.write(stdin)  # what `import fuzzed.json` reads; `import -` reads it from stdin
    db = os.path.join(folder, JOURNAL)
    full = ["--db", db, *argv]
    guard(full, db, folder)
    before, files_before = template.state if journal else None, files_state(folder)
    with streams(stdin) as (out, err):
        code = main(full)
    stderr, stdout = text_of(err), text_of(out)
    assert code in (0, 1, 2), (code, stderr)
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    # Nothing reaches the terminal raw (issue 16 item 2): a message quotes hostile input escaped, and so does
    # any listing; only a document written to standard output (export, report) is the file's bytes.
    assert neutral(stderr) == stderr, stderr
    if not _document_to_stdout(argv):
        assert neutral(stdout) == stdout, stdout[:400]
    if code != 0:
        assert stderr.count("\n") == 1 and stderr.endswith("\n") and stderr.strip(), f"not one line: {stderr!r}"
        assert journal_state(db) == before, "a refused command changed the journal"
        assert files_state(folder) == files_before, "a refused command wrote a file"
    if code == 2 and not journal:
        assert not os.path.exists(db), "a refused command created the journal"
    if code == 0 and argv[0] in ("import", "restore", "merge"):
        for args in READ_BACK:  # what a file brought in is read (and written beside) without a crash
            ran, shown, said = run(db, *args)
            assert ran in (0, 1, 2) and "Traceback" not in said and "internal error" not in said, (args, said)
            assert neutral(said) == said and (args[0] in ("report", "export") or neutral(shown) == shown), args
            assert ran == 0 or said.count("\n") == 1, (args, said)


def _document_to_stdout(argv: list[str]) -> bool:
    """export and report print only their document (to standard output without -o, or with -o -); their
    messages go to stderr."""
    return argv[0] in ("export", "report")


# Every reader of the journal's rows (and a write and an undo), after an import or a restore: a file's values may
# pass on the way in and still be what no reader expects (a schedule, a unit, a zone, a day that is not one).
READ_BACK = [["substance", "list", "--json"], ["substance", "show", "esc"], ["log", "--since", "1900-01-01"],
             ["log", "--since", "1900-01-01", "--json"], ["due", "--json"], ["adherence", "--weeks", "12"],
             ["trends", "--json"], ["compare", "esc"], ["rule", "list"], ["metric", "list"],
             ["report", "--format", "md", "-o", "-"], ["export", "--format", "fhir"], ["export", "--format", "csv"],
             ["experiment", "status", "--json"], ["experiment", "analyze"], ["experiment", "list"],
             ["take", "esc", "--at", "2026-11-20 08:00"], ["undo"]]


# -- bugs the fuzz test found, held here

def test_a_refused_import_on_a_fresh_install_leaves_no_journal(medlog, cli_env, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "medlog-journal", "version": 1, "schema": 4, "tables": {"dose": ['
                   '{"uuid": "00000000-0000-4000-8000-0000000000d1", '
                   '"substance_uuid": "nowhere", "status": "taken"}]}}', encoding="utf-8")
    ran = medlog("import", str(bad))
    assert ran.code == 2 and "refers to 'nowhere'" in ran.err
    assert not os.path.exists(os.path.join(cli_env["XDG_DATA_HOME"], "medlog", JOURNAL))


def test_an_unrecognized_argument_with_a_newline_is_one_line(medlog):
    ran = medlog("take", "escitalopram", "--at", "now", "\n")
    assert ran.code == 2 and ran.err.count("\n") == 1, ran


# -- the property ---------------------------------------------------------------------------------------------------


# Mostly the zone the template was written in; now and then one far east or west of it, or with a half-hour
# offset, or on the other side of the date line (the journal's entries keep the zone they were logged in).
ZONES = st.sampled_from((ZONE,) * 6 + ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata",
                                       "America/St_Johns", "Australia/Lord_Howe"))


@pytest.mark.parametrize("path", FUZZED, ids=" ".join)
def test_bad_input_never_crashes_and_refusals_write_nothing(path, template, fuzz_env, tmp_path, runs):
    folder = os.path.realpath(tmp_path / "example")
    argv_strategy = table(folder)[path]
    reads_files = path in {("import",), ("restore",), ("merge",)}
    contents = st.one_of(mutated_export(template.export), st.just(json.dumps(template.export)), st.text())

    count = -(-runs(500, 10_000) // len(FUZZED))  # every command its share: at least 10,000 in all with --long
    ran = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                                     HealthCheck.large_base_example])
    @given(data=st.data())
    def examples(data: st.DataObject) -> None:
        argv = data.draw(argv_strategy, label="argv")
        journal = data.draw(st.integers(0, 9), label="journal (0: none yet)") != 0
        stdin = data.draw(contents, label="stdin and fuzzed.json") if reads_files else ""
        zone = data.draw(ZONES, label="MEDLOG_TZ")
        os.environ["MEDLOG_TZ"] = zone  # fuzz_env's monkeypatch puts the suite's zone back after the test
        check_example(argv, folder=folder, template=template, journal=journal, stdin=stdin)
        ran.append(argv)

    examples()
    assert len(ran) >= count, f"only {len(ran)} of {count} examples ran"  # none lost to filters or a small space
