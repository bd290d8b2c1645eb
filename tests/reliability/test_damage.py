"""A journal that cannot be used as asked, through the real CLI: one line on stderr, never a traceback, nothing
written (the file's bytes and its -wal as they were), and for damage the newest good backup named (DESIGN §5, §6).

Each case runs writing commands (take, rate, note) and reading ones (log, trends) on a copy of one template
journal, which has entries on two days and so the daily backups of both; the commands run on the day after.

Read-only files and folders are tested for real even as root (which ignores file modes): the CLI runs in a child
process whose capability bounding set lacks CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER, so the kernel
applies the file modes to it as to any user (a probe checks this first; the tests skip, saying why, if it fails).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sqlite3
import stat
import subprocess
import sys

import pytest
from journal_state import state

from medlog.store import connection
from medlog.store.connection import file_uri

WRITES = {"take": ("take", "esc"), "rate": ("rate", "mood=3"), "note": ("note", "x")}
READS = {"log": ("log",), "trends": ("trends", "--weeks", "2")}
COMMANDS = {**WRITES, **READS}
DAY = "2026-11-22T09:00:00+00:00"  # the commands run on the day after the template's last entries


def at(day: int) -> str:
    return f"2026-11-{day:02d}T09:00:00+00:00"


def isolated(monkeypatch, home) -> dict[str, str]:
    """The environment the suite's `cli_env` makes (pinned clock and zone, data and config dirs in `home`)."""
    for key in list(os.environ):
        if key.startswith(("MEDLOG_", "XDG_")):
            monkeypatch.delenv(key)
    env = {"HOME": str(home / "home"), "XDG_DATA_HOME": str(home / "xdg-data"),
           "XDG_CONFIG_HOME": str(home / "xdg-config"), "MEDLOG_NOW": DAY, "MEDLOG_TZ": "Europe/London"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return {**os.environ, **env}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> str:
    """A journal with entries on the 20th and 21st (and so the daily backups of both days)."""
    from medlog.cli.main import main

    root = tmp_path_factory.mktemp("template")
    path = str(root / "data" / "journal.sqlite")
    with pytest.MonkeyPatch.context() as mp:
        isolated(mp, root)
        for day, args in [(20, ["substance", "add", "esc", "--kind", "medication", "--dose", "10mg"]),
                          (20, ["take", "esc"]), (20, ["rate", "mood=4", "sleep_hours=7"]), (20, ["note", "hi"]),
                          (21, ["rate", "mood=5"]), (21, ["note", "day two"])]:
            mp.setenv("MEDLOG_NOW", at(day))
            assert main([*args, "--db", path]) == 0
    assert sorted(os.listdir(root / "data" / "backups")) == [
        "journal-daily-2026-11-20.sqlite", "journal-daily-2026-11-21.sqlite"]
    assert not os.path.exists(path + "-wal")  # every connection closed: the entries are in the file itself
    return str(root / "data")


@pytest.fixture
def path(template, tmp_path) -> str:
    """This test's own copy of the template (copy2 keeps the backups' times: the 21st's is the newest)."""
    shutil.copytree(template, tmp_path / "data")
    return str(tmp_path / "data" / "journal.sqlite")


def newest_backup(path: str) -> str:
    return os.path.join(os.path.dirname(path), "backups", "journal-daily-2026-11-21.sqlite")


def rows(path: str) -> list[str]:
    """Everything in the journal as SQL text, read from a copy (with its -wal): opening the journal itself would
    leave a -wal and -shm beside it, which would let a write through a read-only folder."""
    folder = os.path.join(os.path.dirname(os.path.dirname(path)), "dump")
    os.makedirs(folder, exist_ok=True)
    copy = os.path.join(folder, "copy.sqlite")
    for suffix in ("", "-wal"):
        if os.path.exists(copy + suffix):
            os.remove(copy + suffix)
        if os.path.exists(path + suffix):
            shutil.copyfile(path + suffix, copy + suffix)
    conn = sqlite3.connect(copy)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def one_line(code: int, out: str, err: str, expected: int) -> str:
    assert code == expected, (code, out, err)
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err and "internal error" not in err, err
    return err


# -- damage and a newer medlog, in-process ---------------------------------------------------------------------


def bad_page(path: str) -> None:
    """Overwrite the header and cell pointers of the observation table's root b-tree page."""
    conn = sqlite3.connect(file_uri(path, "ro"), uri=True)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'observation'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size + 1)
        fh.write(b"\xff" * 24)


def cut_to(size):
    def cut(path: str) -> None:
        whole = os.path.getsize(path)
        with open(path, "r+b") as fh:
            fh.truncate(size(whole))

    return cut


def not_sqlite(path: str) -> None:
    with open(path, "wb") as fh:
        fh.write(b"my shopping list\n" * 200)


def newer(path: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


# case: (how, words in the line, whether the newest good backup is named)
CASES = {
    "bad-page": (bad_page, "damaged", True),
    "cut-in-header": (cut_to(lambda n: 100), "damaged", True),
    "cut-to-one-page": (cut_to(lambda n: 4096), "damaged", True),
    "cut-in-half": (cut_to(lambda n: n // 2), "damaged", True),
    "cut-mid-page": (cut_to(lambda n: n // 2 + 1000), "damaged", True),
    "not-sqlite": (not_sqlite, "not a medlog journal, or is damaged", True),
    "newer-medlog": (newer, "newer medlog", False),
}
KNOWN: dict[tuple[str, str], str] = {}  # (case, command) → a known bug; strict xfail until it is fixed


def params(cases, commands):
    return [pytest.param(case, command, id=f"{case}-{command}",
                         marks=[pytest.mark.xfail(strict=True, reason=KNOWN[case, command])]
                         if (case, command) in KNOWN else [])
            for case in cases for command in commands]


@pytest.mark.parametrize("case, command", params(CASES, COMMANDS))
def test_damage_is_one_line_naming_the_way_back_and_nothing_is_written(medlog, path, monkeypatch, case, command):
    monkeypatch.setenv("MEDLOG_NOW", DAY)  # the day's first write: it checks the journal before writing
    spoil, words, names_backup = CASES[case]
    spoil(path)
    before, listing = state(path), sorted(os.listdir(os.path.dirname(path) + "/backups"))
    dumped = rows(path) if case == "newer-medlog" else None
    ran = medlog(*COMMANDS[command], "--db", path)
    err = one_line(ran.code, ran.out, ran.err, 1)
    assert words in err and path in err
    if names_backup:
        assert f"medlog restore {newest_backup(path)}" in err
    assert state(path) == before
    assert sorted(os.listdir(os.path.dirname(path) + "/backups")) == listing  # no backup of a damaged journal
    if dumped is not None:
        assert rows(path) == dumped


# -- read-only files and folders, in a child process without the root's file-mode override --------------------

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3


def _without_override() -> None:
    """In the child, before exec: drop the capabilities that let root ignore file modes (from the bounding set,
    so the new program never gets them back)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def as_a_user(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    preexec = _without_override if os.geteuid() == 0 else None
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, preexec_fn=preexec)


@pytest.fixture(scope="module")
def modes_apply(tmp_path_factory):
    """Whether a child started by `as_a_user` is refused a write to a 0400 file (else: skip, saying why)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("read-only tests drop Linux capabilities")
    probe = tmp_path_factory.mktemp("probe") / "locked"
    probe.write_text("x")
    probe.chmod(0o400)
    try:
        ran = as_a_user([sys.executable, "-c", f"open({str(probe)!r}, 'r+b')"], dict(os.environ))
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot start a child without CAP_DAC_OVERRIDE here ({exc}); root ignores file modes")
    if ran.returncode == 0 or "PermissionError" not in ran.stderr:
        pytest.skip("file modes do not apply even without CAP_DAC_OVERRIDE here; root ignores file modes")


@pytest.fixture
def read_only(path, modes_apply):
    """`read_only(what)`: the journal file (0400) or its folder (0500) made read-only; modes put back afterwards."""
    changed: list[tuple[str, int]] = []

    def make(what: str) -> str:
        target = path if what == "file" else os.path.dirname(path)
        changed.append((target, stat.S_IMODE(os.stat(target).st_mode)))
        os.chmod(target, 0o400 if what == "file" else 0o500)
        return target

    yield make
    for target, mode in reversed(changed):
        os.chmod(target, mode)


@pytest.mark.parametrize("what, command", [(w, c) for w in ("file", "folder") for c in COMMANDS],
                         ids=[f"{w}-{c}" for w in ("file", "folder") for c in COMMANDS])
def test_a_read_only_journal_or_folder(cli_env, path, read_only, what, command):
    before, dumped = state(path), rows(path)
    read_only(what)
    ran = as_a_user([sys.executable, "-m", "medlog", *COMMANDS[command], "--db", path],
                    {**cli_env, "MEDLOG_NOW": DAY, "PYTHONDONTWRITEBYTECODE": "1"})
    if command in READS:  # reading a read-only journal (or one in a read-only folder) is reading: it works
        assert ran.returncode == 0, ran
        assert ran.stderr == f"medlog: note: {path} is read-only (the file, its folder or its disk): it was read, " \
                             "and nothing can be written there\n", ran.stderr
        assert "hi" in ran.stdout if command == "log" else "Mood" in ran.stdout
    else:
        err = one_line(ran.returncode, ran.stdout, ran.stderr, 1)
        assert "read-only" in err and path in err
    assert state(path) == before and rows(path) == dumped


# -- a full disk: SQLite's page limit at the journal's size ----------------------------------------------------


def last_leaf_free(path: str, table: str) -> int:
    conn = sqlite3.connect(file_uri(path, "ro"), uri=True)
    try:
        return conn.execute("SELECT unused FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno DESC "
                            "LIMIT 1", (table,)).fetchone()[0]
    finally:
        conn.close()


def fill_change_log(medlog, path) -> None:
    """Notes sized so the change log's last page has too little room for one more row (each is over 400 bytes):
    the next write must take a new page."""
    for _ in range(12):
        free = last_leaf_free(path, "change_log")
        if free < 250:
            return
        # a note's change-log row is ~530 bytes plus its text: fill to within ~100 bytes, or start a new page
        size = min(free - 630, 1900) if free - 630 >= 10 else 1000
        assert medlog("note", "f" * size, "--db", path).code == 0
    raise AssertionError("could not fill the change log's last page")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_full_disk(medlog, path, monkeypatch, command):
    monkeypatch.setenv("MEDLOG_NOW", at(21))  # the 21st is backed up already: the fill takes no backup
    fill_change_log(medlog, path)
    monkeypatch.setenv("MEDLOG_NOW", DAY)
    real = connection._set_pragmas

    def page_limit(conn):
        real(conn)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        assert conn.execute(f"PRAGMA max_page_count = {pages}").fetchone()[0] == pages

    monkeypatch.setattr(connection, "_set_pragmas", page_limit)
    before, dumped = state(path), rows(path)
    ran = medlog(*COMMANDS[command], "--db", path)
    if command in READS:  # reading needs no room
        assert ran.code == 0 and ran.err == "", ran
    else:
        err = one_line(ran.code, ran.out, ran.err, 1)
        assert "is full" in err and "nothing was written" in err
    assert state(path) == before and rows(path) == dumped


# -- a missing folder ------------------------------------------------------------------------------------------


MISSING_KNOWN: dict[str, str] = {}  # command → a known bug; strict xfail until it is fixed


@pytest.mark.parametrize("command", [
    pytest.param(c, marks=[pytest.mark.xfail(strict=True, reason=MISSING_KNOWN[c])] if c in MISSING_KNOWN else [])
    for c in COMMANDS])
def test_a_missing_folder(medlog, tmp_path, monkeypatch, command):
    monkeypatch.setenv("MEDLOG_NOW", DAY)
    folder = tmp_path / "gone" / "deeper"
    path = str(folder / "journal.sqlite")
    ran = medlog(*COMMANDS[command], "--db", path)
    if command in READS:  # a read makes nothing, and says there is no journal yet
        assert ran.code == 0, ran
        assert ran.err.count("\n") == 1 and "no journal" in ran.err and path in ran.err
        assert not (tmp_path / "gone").exists()
    elif command == "take":  # refused (no such substance yet): nothing is made either
        assert ran.code == 2 and ran.err.count("\n") == 1 and "Traceback" not in ran.err
        assert not (tmp_path / "gone").exists()
    else:  # a write makes the folder and the journal, privately
        assert ran.code == 0 and ran.err == "", ran
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert len(rows(path)) > 0


@pytest.mark.parametrize("what", ["file", "folder", "disk"])
@pytest.mark.parametrize("command", ["check", "export", "backup"])
def test_the_other_reading_commands_work_on_a_write_protected_journal(cli_env, path, modes_apply, tmp_path, what,
                                                                       command):
    """check, export and `backup -o` elsewhere read: a write-protected file or folder, or a read-only disk (a
    snapshot, a tmpfs mounted ro), lets them; they say once that nothing can be written there."""
    made = []
    before, dumped = state(path), rows(path)
    if what == "disk":
        disk = str(tmp_path / "ro-disk")
        os.makedirs(disk)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", disk]).returncode:
            pytest.skip("cannot mount a tmpfs here")
        made.append(disk)
        shutil.copytree(os.path.dirname(path), os.path.join(disk, "data"))
        path = os.path.join(disk, "data", "journal.sqlite")
        subprocess.run(["mount", "-o", "remount,ro", disk], check=True)
    else:
        target = path if what == "file" else os.path.dirname(path)
        mode = stat.S_IMODE(os.stat(target).st_mode)
        os.chmod(target, 0o400 if what == "file" else 0o500)
    try:
        out = str(tmp_path / "elsewhere" / "copy")
        os.makedirs(os.path.dirname(out))
        args = {"check": ["check"], "export": ["export", "--format", "json", "-o", out + ".json"],
                "backup": ["backup", "-o", out + ".sqlite"]}[command]
        ran = as_a_user([sys.executable, "-m", "medlog", *args, "--db", path],
                        {**cli_env, "MEDLOG_NOW": DAY, "PYTHONDONTWRITEBYTECODE": "1"})
        assert ran.returncode == 0, ran
        notes = [line for line in ran.stderr.splitlines() if "is read-only" in line]
        assert notes == [f"medlog: note: {path} is read-only (the file, its folder or its disk): it was read, and "
                         "nothing can be written there"], ran.stderr
        if command == "check":
            assert "is sound" in ran.stdout
        elif command == "export":
            assert "hi" in open(out + ".json").read()
        else:
            assert rows(out + ".sqlite") == dumped
        assert state(path) == before and (what == "disk" or rows(path) == dumped)
    finally:
        if made:
            subprocess.run(["umount", "-l", made[0]], check=False)
        else:
            os.chmod(target, mode)
