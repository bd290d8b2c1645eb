"""A really full disk (a small tmpfs, filled): the message names the disk that is full, and nothing is left behind.

SQLite's page limit (test_damage.py's full disk) gives SQLITE_FULL; a real ENOSPC often comes back as an I/O error
instead (the -wal or -shm could not grow), and a copy cut short by one leaves SQLite's files beside it. Mounting
needs root (CAP_SYS_ADMIN): skipped elsewhere.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from medlog.store.connection import file_uri


def _mount(folder: str, size: int) -> None:
    os.makedirs(folder, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", folder],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path):
    """mount(size) → a folder on a tmpfs of that many bytes, unmounted at the end."""
    mounted = []

    def mount(size: int) -> str:
        folder = str(tmp_path / f"disk{len(mounted)}")
        _mount(folder, size)
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", folder], check=False)


def fill(folder: str) -> None:
    fd = os.open(os.path.join(folder, "filler"), os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass  # full
    finally:
        os.close(fd)


def digest(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


@pytest.mark.parametrize("room", ["half", "the file but not its wal"])
def test_a_backup_onto_a_full_disk_names_that_disk_and_leaves_nothing(medlog, tmp_path, small_disk, room):
    journal = str(tmp_path / "data" / "journal.sqlite")
    assert medlog("demo", "--no-tui", "--db", journal).code == 0
    size = os.path.getsize(journal)
    disk = small_disk(size // 2 if room == "half" else size + 8192)
    before = digest(journal)
    ran = medlog("--db", journal, "backup", "-o", os.path.join(disk, "copy.sqlite"))
    assert ran.code == 1 and ran.err.count("\n") == 1, ran
    assert f"cannot write the backup {disk}/copy.sqlite: No space left on device" in ran.err, ran.err
    assert sorted(os.listdir(disk)) == []  # no NAME.PID.part, -journal, -wal or -shm
    assert digest(journal) == before


@pytest.mark.parametrize("command", [["log"], ["check"], ["note", "one more"], ["substance", "list"]])
def test_a_journal_on_a_full_disk_says_the_disk_is_full(medlog, small_disk, command):
    disk = small_disk(2 << 20)
    journal = os.path.join(disk, "journal.sqlite")
    assert medlog("--db", journal, "note", "a").code == 0
    assert medlog("--db", journal, "note", "b").code == 0  # and the day's backup, on the same disk
    fill(disk)
    ran = medlog("--db", journal, *command)
    assert ran.code == 1 and ran.err.count("\n") == 1, ran
    assert f"the disk holding {journal} is full" in ran.err and "disk I/O error" not in ran.err, ran.err
    os.remove(os.path.join(disk, "filler"))
    conn = sqlite3.connect(file_uri(journal, "ro"), uri=True)
    try:
        assert [r[0] for r in conn.execute("SELECT text FROM note ORDER BY id")] == ["a", "b"]
    finally:
        conn.close()
