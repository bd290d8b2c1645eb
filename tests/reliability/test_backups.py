"""Backups, restore and check through real files and the real CLI (DESIGN §5, §6).

`medlog backup` copies with the online backup API (so entries still only in the -wal are in the copy); the first
write of each journal day takes a checked daily backup (rotated to the newest 7); `medlog restore` checks the file
first and keeps the journal as it was; `medlog check` says in one line whether the journal is sound.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import stat

import pytest
from journal_state import sha, state

from medlog.services.backups import count_entries
from medlog.store import backup as backups
from medlog.store.connection import connect, file_uri
from medlog.store.migrate import CURRENT_VERSION
from tests.store.test_migrate import columns, load_fixture, released_versions, table_checksums


def at(day: int, hour: int = 9) -> str:
    """MEDLOG_NOW for a day of November 2026 (London is on UTC in November; the journal day rolls over at 04:00)."""
    return f"2026-11-{day:02d}T{hour:02d}:00:00+00:00"


@pytest.fixture
def path(tmp_path) -> str:
    return str(tmp_path / "data" / "journal.sqlite")


@pytest.fixture
def run(medlog, monkeypatch, path):
    """`run(day, *args)`: medlog in-process on the journal at `path`, with the clock on that day."""

    def go(day: int, *args: str, hour: int = 9):
        monkeypatch.setenv("MEDLOG_NOW", at(day, hour))
        return medlog(*args, "--db", path)

    return go


def ok(ran):
    assert ran.code == 0, ran
    return ran


def one_line(ran, code: int) -> str:
    assert ran.code == code, ran
    assert ran.err.count("\n") == 1 and ran.err.endswith("\n"), ran.err
    assert "Traceback" not in ran.err
    return ran.err


def dump(path: str) -> list[str]:
    """Everything in a database as SQL text (any path: escaped for SQLite's URI syntax)."""
    conn = sqlite3.connect(file_uri(path, "ro"), uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def entries(path: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return count_entries(conn)
    finally:
        conn.close()


def notes(path: str) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT text FROM note WHERE deleted_at IS NULL ORDER BY id")]
    finally:
        conn.close()


def folder_listing(path: str) -> dict[str, str | None]:
    folder = backups.backups_dir(path)
    return {n: sha(os.path.join(folder, n)) for n in sorted(os.listdir(folder))} if os.path.isdir(folder) else {}


def corrupt_page(path: str, table: str = "observation", where: str = "header") -> None:
    """Overwrite bytes inside `table`'s root b-tree page (the journal keeps its size): its header and cell pointers,
    or the cells at the end of the page."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    assert not os.path.exists(path + "-wal") or os.path.getsize(path + "-wal") == 0, "the damage must reach the file"
    with open(path, "r+b") as fh:
        if where == "header":
            fh.seek((root - 1) * page_size + 1)
            fh.write(b"\xff" * 24)
        else:
            fh.seek(root * page_size - 200)
            fh.write(b"\xff" * 150)


def page_damaged(path: str) -> None:
    corrupt_page(path)


def truncated(path: str) -> None:
    size = os.path.getsize(path)
    with open(path, "r+b") as fh:
        fh.truncate(size // 2)


def not_sqlite(path: str) -> None:
    with open(path, "wb") as fh:
        fh.write(b"my shopping list\n" * 200)


@pytest.fixture
def journal_with_entries(run, path):
    """Day 20: a substance, a dose, two ratings and a note (4 entries after the substance's start event)."""
    ok(run(20, "substance", "add", "esc", "--kind", "medication", "--dose", "10mg"))
    ok(run(20, "take", "esc"))
    ok(run(20, "rate", "mood=4", "sleep_hours=7"))
    ok(run(20, "note", "before the backup"))
    assert entries(path) == 5
    return path


# -- medlog backup ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["folder", "output"])
def test_a_backup_holds_every_entry_even_those_only_in_the_wal(run, path, tmp_path, journal_with_entries, where):
    holder = connect(path, create=False)  # another connection (the TUI's) open: nothing checkpoints the -wal
    try:
        for i in range(3):
            ok(run(20, "note", f"only in the wal {i}"))
        assert os.path.getsize(path + "-wal") > 0
        alone = tmp_path / "journal-alone.sqlite"  # the .db copied without its -wal misses them: the point
        shutil.copyfile(path, alone)
        assert entries(str(alone)) < 8
        args = ["backup"] if where == "folder" else ["backup", "-o", str(tmp_path / "out" / "copy.sqlite")]
        ran = ok(run(20, *args))
    finally:
        holder.close()
    made = ran.out.strip().rsplit(" to ", 1)[1]
    assert ran.out.count("\n") == 1 and "8 entries" in ran.out and ran.err == ""
    if where == "folder":
        assert os.path.dirname(made) == backups.backups_dir(path)
        assert os.path.basename(made).startswith("journal-manual-")
    assert stat.S_IMODE(os.stat(made).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(made)).st_mode) == 0o700
    assert not glob.glob(made + "-*") and not glob.glob(made + ".*.part")  # one file, nothing beside it
    # the copy alone, moved where no -wal could follow it, holds every entry and is sound
    moved = tmp_path / "elsewhere" / "copy.sqlite"
    moved.parent.mkdir()
    shutil.copyfile(made, moved)
    conn = sqlite3.connect(moved)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert count_entries(conn) == 8
    finally:
        conn.close()
    assert notes(str(moved))[-3:] == [f"only in the wal {i}" for i in range(3)]


def test_backup_output_refuses_an_existing_file(run, tmp_path, journal_with_entries):
    existing = tmp_path / "precious.txt"
    existing.write_bytes(b"keep me\n")
    ran = run(20, "backup", "-o", str(existing))
    assert "already exists" in one_line(ran, 2)
    assert existing.read_bytes() == b"keep me\n"


@pytest.mark.parametrize("target", ["", "-wal", "link"])
def test_backup_output_refuses_the_journal_itself(run, path, tmp_path, journal_with_entries, target):
    holder = connect(path, create=False)  # keeps a -wal in place, so "-wal" names a real file
    try:
        ok(run(20, "note", "in the wal"))
        if target == "link":
            out = str(tmp_path / "link.sqlite")
            os.symlink(path, out)
        else:
            out = path + target
        before, listing = state(path), folder_listing(path)
        ran = run(20, "backup", "-o", out)
        assert "the journal itself" in one_line(ran, 2) or "already exists" in ran.err
        assert state(path) == before and folder_listing(path) == listing
    finally:
        holder.close()
    assert entries(path) == 6


@pytest.mark.parametrize("where", ["header", "cells"])
@pytest.mark.parametrize("output", [False, True], ids=["folder", "output"])
def test_backup_refuses_to_pass_off_a_damaged_journal_as_a_good_copy(run, path, tmp_path, journal_with_entries, where,
                                                                    output):
    ok(run(21, "note", "on the 21st"))
    corrupt_page(path, "observation", where)
    before, listing = state(path), folder_listing(path)
    out = str(tmp_path / "copy.sqlite")
    err = one_line(run(21, "backup", *(["-o", out] if output else [])), 1)
    assert "damaged" in err and f"medlog restore {daily(path, 21)}" in err
    assert state(path) == before and folder_listing(path) == listing and not os.path.exists(out)


# -- the daily backup ------------------------------------------------------------------------------------------


def daily(path: str, day: int) -> str:
    return os.path.join(backups.backups_dir(path), f"journal-daily-2026-11-{day:02d}.sqlite")


def test_the_first_write_of_each_day_backs_up_the_journal_as_it_was(run, path):
    ok(run(20, "note", "one"))  # the very first write: nothing yet to keep
    assert folder_listing(path) == {}
    ok(run(20, "note", "two"))  # the day's first write with something to keep
    assert notes(daily(path, 20)) == ["one"]
    ok(run(20, "note", "three"))  # later writes of the day take none
    assert notes(daily(path, 20)) == ["one"]
    ok(run(22, "note", "four", hour=3))  # 03:00 on the 22nd is still the 21st's journal day (rollover 04:00)
    assert notes(daily(path, 21)) == ["one", "two", "three"]
    taken = folder_listing(path)
    ok(run(22, "note", "five", hour=3))
    ok(run(21, "rate", "mood=5", hour=12))
    assert folder_listing(path) == taken, "not taken again the same journal day"
    ok(run(22, "note", "six"))  # 09:00 on the 22nd: a new journal day
    assert notes(daily(path, 22)) == ["one", "two", "three", "four", "five"]
    assert sorted(folder_listing(path)) == [f"journal-daily-2026-11-{d}.sqlite" for d in (20, 21, 22)]
    for name in folder_listing(path):
        made = os.path.join(backups.backups_dir(path), name)
        assert stat.S_IMODE(os.stat(made).st_mode) == 0o600
        assert backups.inspect(made) is None
    assert stat.S_IMODE(os.stat(backups.backups_dir(path)).st_mode) == 0o700
    assert notes(path) == ["one", "two", "three", "four", "five", "six"]


def test_a_journal_written_in_bulk_is_backed_up_at_its_first_write(run, path):
    # The demo writes its months of entries in bulk, without a change log: there is plenty to keep even so.
    ok(run(20, "demo", "--no-tui"))
    assert folder_listing(path) == {}
    before = notes(path)
    ok(run(20, "note", "one"))
    assert before and notes(daily(path, 20)) == before


def test_rotation_keeps_the_newest_seven_daily_backups_and_never_the_others(run, path, tmp_path):
    ok(run(1, "note", "day 1"))
    manual = ok(run(1, "backup")).out.strip().rsplit(" to ", 1)[1]
    exported = str(tmp_path / "data" / "backups" / "journal-mine.sqlite")  # a copy the user put there
    ok(run(1, "backup", "-o", exported))
    ok(run(1, "note", "more on day 1"))
    restored = one_line(run(1, "restore", manual), 0)
    before_restore = restored.strip().rsplit(" kept at ", 1)[1]
    other = os.path.join(backups.backups_dir(path), "other-daily-2026-10-01.sqlite")  # another journal's
    shutil.copyfile(manual, other)
    for day in range(2, 13):
        ok(run(day, "note", f"day {day}"))
    names = sorted(folder_listing(path))
    dailies = [n for n in names if n.startswith("journal-daily-")]
    assert dailies == [f"journal-daily-2026-11-{d:02d}.sqlite" for d in range(6, 13)]
    assert backups.KEEP_DAILY == 7
    for kept in (manual, exported, before_restore, other):
        assert os.path.basename(kept) in names
    assert notes(daily(path, 12)) == ["day 1"] + [f"day {d}" for d in range(2, 12)]


def test_a_journal_failing_its_check_is_refused_at_the_days_first_write(run, path, journal_with_entries):
    ok(run(21, "note", "on the 21st"))  # the 21st's backup: the newest good one
    newest = daily(path, 21)
    assert os.path.exists(newest)
    corrupt_page(path, "dose")  # a table `note` never reads: only the day's check can find it
    before, listing = state(path), folder_listing(path)
    ran = run(22, "note", "on a damaged journal")
    err = one_line(ran, 1)
    assert "damaged" in err and f"medlog restore {newest}" in err
    assert state(path) == before and folder_listing(path) == listing, "no write, and no backup of a damaged file"
    # a damaged backup is never the one named: the one before it is
    with open(newest, "r+b") as fh:
        fh.write(b"\x00" * 200)
    err = one_line(run(22, "rate", "mood=3"), 1)
    assert f"medlog restore {daily(path, 20)}" in err and newest not in err
    assert state(path) == before


# -- medlog restore --------------------------------------------------------------------------------------------


def newer_schema(file: str) -> None:
    conn = sqlite3.connect(file)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


def foreign_sqlite(file: str) -> None:
    os.remove(file)
    conn = sqlite3.connect(file)
    conn.execute("CREATE TABLE recipe (name TEXT)")
    conn.execute("INSERT INTO recipe VALUES ('soup')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("spoil, message", [
    (lambda f: corrupt_page(f, "note", "header"), "damaged"),
    (lambda f: corrupt_page(f, "note", "cells"), "damaged"),
    (not_sqlite, "not a sound SQLite database"),
    (foreign_sqlite, "not a medlog journal"),
    (newer_schema, "newer medlog"),
], ids=["bad-page-header", "bad-page-cells", "not-sqlite", "not-medlog", "newer-schema"])
def test_restore_refuses_a_file_that_is_not_a_sound_medlog_backup(run, path, tmp_path, journal_with_entries, spoil,
                                                                  message):
    source = str(tmp_path / "bad.sqlite")
    ok(run(20, "backup", "-o", source))
    spoil(source)
    ok(run(20, "note", "after the backup"))
    before, listing, source_bytes = state(path), folder_listing(path), sha(source)
    ran = run(20, "restore", source)
    err = one_line(ran, 1)
    assert message in err
    assert state(path) == before and folder_listing(path) == listing and sha(source) == source_bytes


@pytest.mark.parametrize("which", ["missing", "journal"])
def test_restore_refuses_no_file_or_the_journal_itself(run, path, tmp_path, journal_with_entries, which):
    source = str(tmp_path / "nothing.sqlite") if which == "missing" else path
    before = state(path)
    one_line(run(20, "restore", source), 2)
    assert state(path) == before


def test_restore_keeps_the_journal_aside_and_a_reader_then_sees_the_backup(run, path, tmp_path, journal_with_entries,
                                                                          medlog_process):
    source = str(tmp_path / "saved.sqlite")
    ok(run(20, "backup", "-o", source))
    ok(run(20, "note", "after the backup"))
    ok(run(20, "rate", "anxiety=3"))
    old_notes = notes(path)
    assert entries(path) == 7
    reader = connect(path, create=False)  # a long-lived reader, as the TUI keeps
    try:
        assert count_entries(reader) == 7
        ran = medlog_process("restore", source, "--db", path, env={"MEDLOG_NOW": at(20, 10)})
        note = one_line(ran, 0)
        assert note.startswith("medlog: note: the journal as it was is kept at ")
        assert f"Restored {path} from {source} (5 entries)" in ran.out
        assert count_entries(reader) == 5, "the open reader sees the restored journal"
        assert [r[0] for r in reader.execute("SELECT text FROM note ORDER BY id")] == ["before the backup"]
    finally:
        reader.close()
    aside = note.strip().rsplit(" kept at ", 1)[1]
    assert os.path.dirname(aside) == backups.backups_dir(path) and stat.S_IMODE(os.stat(aside).st_mode) == 0o600
    assert entries(aside) == 7 and notes(aside) == old_notes
    assert dump(path) == dump(source), "the journal holds exactly the backup"
    assert ok(run(20, "log")).out.count("after the backup") == 0


@pytest.mark.parametrize("damage", [page_damaged, truncated, not_sqlite], ids=["bad-page", "truncated", "not-sqlite"])
def test_restore_over_a_damaged_journal_moves_it_aside_untouched(run, path, tmp_path, journal_with_entries, damage):
    source = str(tmp_path / "saved.sqlite")
    ok(run(20, "backup", "-o", source))
    ok(run(20, "note", "lost to the damage"))
    damage(path)
    damaged = sha(path)
    ran = run(20, "restore", source)
    note = one_line(ran, 0)
    aside = note.strip().rsplit(" kept at ", 1)[1]
    assert os.path.dirname(aside) == backups.backups_dir(path)
    assert sha(aside) == damaged, "the damaged journal is kept byte for byte"
    assert dump(path) == dump(source)
    assert backups.inspect(path) is None and entries(path) == 5
    assert ok(run(20, "note", "going on")).err == ""


@pytest.mark.parametrize("version", released_versions())
def test_restore_from_an_older_medlog_migrates_the_backup(run, path, tmp_path, version):
    ok(run(20, "note", "today's journal"))
    (tmp_path / "old").mkdir()
    source = load_fixture(tmp_path / "old", version)
    raw = sqlite3.connect(source)
    had, before = columns(raw), table_checksums(raw)
    raw.close()
    ran = run(20, "restore", source)
    assert ran.code == 0, ran
    conn = connect(path, create=False)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert table_checksums(conn, only=had) == before
    finally:
        conn.close()
    made = glob.glob(os.path.join(backups.backups_dir(path), f"journal-schema{version}-*.sqlite"))
    assert len(made) == (1 if version < CURRENT_VERSION else 0)
    for copy in made:  # taken before the migration: the backup as it was
        raw = sqlite3.connect(copy)
        assert raw.execute("PRAGMA user_version").fetchone()[0] == version and table_checksums(raw) == before
        raw.close()


def test_restore_takes_a_backup_with_another_page_size(run, path, tmp_path, journal_with_entries):
    """A sound backup written with another page size (an older SQLite, another tool) restores all the same."""
    source = str(tmp_path / "small-pages.sqlite")
    ok(run(20, "backup", "-o", source))
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA page_size = 1024")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 1024
    conn.close()
    ok(run(20, "note", "after the backup"))
    ran = run(20, "restore", source)
    assert ran.code == 0, ran
    assert dump(path) == dump(source) and entries(path) == 5


def test_restore_reads_a_backup_whose_path_sqlite_would_take_for_a_uri(run, path, tmp_path, journal_with_entries):
    folder = tmp_path / "copies #1 100%"
    folder.mkdir()
    source = str(folder / "saved?.sqlite")
    ok(run(20, "backup", "-o", source))
    ok(run(20, "note", "after the backup"))
    ran = run(20, "restore", source)
    assert ran.code == 0, ran
    assert dump(path) == dump(source)


# -- medlog check ----------------------------------------------------------------------------------------------


def test_check_a_sound_journal(run, path):
    ok(run(20, "note", "the first entry"))
    ran = ok(run(20, "check"))
    assert ran.err == "" and ran.out.count("\n") == 1
    assert "is sound: 1 entry," in ran.out and "no backup yet" in ran.out
    ok(run(20, "substance", "add", "esc", "--kind", "medication", "--dose", "10mg"))
    ok(run(20, "take", "esc"))
    ok(run(20, "rate", "mood=4", "sleep_hours=7"))
    ran = ok(run(20, "check"))
    assert "is sound: 5 entries" in ran.out and f"newest good backup {daily(path, 20)}" in ran.out
    ok(run(21, "note", "next day"))
    ran = ok(run(21, "check"))
    assert "6 entries" in ran.out and f"newest good backup {daily(path, 21)}" in ran.out


@pytest.mark.parametrize("where", ["header", "cells"])
def test_check_a_journal_with_a_bad_page(run, path, journal_with_entries, where):
    ok(run(21, "note", "next day"))
    corrupt_page(path, "observation", where)
    before = state(path)
    err = one_line(run(21, "check"), 1)
    assert "is damaged" in err and f"medlog restore {daily(path, 21)}" in err
    assert state(path) == before


def test_a_week_with_the_clock_in_2036_does_not_end_the_daily_backups(run, path, medlog, monkeypatch):
    """Backups dated after today are kept aside, not counted: today's backup is kept, taken once, and named."""
    for day in range(13, 21):
        ok(run(day, "note", f"day {day}"))
    for day in range(1, 8):  # a device without a real-time clock, faketime: the clock jumps to 2036 for a week
        monkeypatch.setenv("MEDLOG_NOW", f"2036-01-{day:02d}T09:00:00+00:00")
        ok(medlog("note", f"glitch {day}", "--db", path))
    glitch = sorted(n for n in folder_listing(path) if "-daily-2036-" in n)
    assert glitch == [f"journal-daily-2036-01-{d:02d}.sqlite" for d in range(1, 8)]
    ok(run(21, "note", "back to the real date"))
    assert notes(daily(path, 21))[-1] == "glitch 7"  # today's backup is made and kept
    taken = folder_listing(path)
    ok(run(21, "note", "a later write of the day"))
    assert folder_listing(path) == taken  # not taken (and checked) again on every later write
    ran = ok(run(21, "check"))
    assert f"newest good backup {daily(path, 21)}" in ran.out
    for day in range(22, 30):  # the days after: the real backups rotate among themselves
        ok(run(day, "note", f"day {day}"))
    names = sorted(folder_listing(path))
    assert [n for n in names if "-daily-2026-" in n] == [f"journal-daily-2026-11-{d}.sqlite" for d in range(23, 30)]
    assert [n for n in names if "-daily-2036-" in n] == glitch  # kept aside, untouched
