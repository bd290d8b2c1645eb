"""`medlog sync DIR` through the real CLI (issue 19): what it says, --status, a new device, a conflicted copy, an
encrypted journal's files, bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from medlog.store.cipher import forget_passphrases


@pytest.fixture
def folder(tmp_path) -> str:
    path = tmp_path / "Sync"
    path.mkdir()
    return str(path)


def test_two_devices_and_a_new_one_through_a_folder(medlog, folder, tmp_path):
    laptop, desk, phone = (str(tmp_path / f"{n}.sqlite") for n in ("laptop", "desk", "phone"))
    assert medlog("--db", laptop, "note", "laptop note").code == 0
    assert medlog("--db", desk, "note", "desk note").code == 0
    first = medlog("--db", laptop, "sync", folder)
    assert first.code == 0 and first.out == f"Synced with {folder}: no other device's file there yet; this " \
                                             "device's file written\n"
    second = medlog("--db", desk, "sync", folder)
    assert "1 device file merged, 1 entry added; this device's file written" in second.out, second.out
    assert "laptop note" in medlog("--db", desk, "log").out
    new = medlog("--db", phone, "sync", folder)  # a new device: its journal is made from the others'
    assert new.code == 0 and "2 device files merged, 2 entries added" in new.out
    log = medlog("--db", phone, "log").out
    assert "laptop note" in log and "desk note" in log
    assert os.stat(phone).st_mode & 0o777 == 0o600 and os.stat(phone + ".sync").st_mode & 0o777 == 0o600
    again = medlog("--db", phone, "sync", folder)
    assert again.out.endswith("nothing new to write\n") and "unchanged since the last sync" in again.out
    status = medlog("--db", phone, "sync", folder, "--status")
    assert status.code == 0 and status.out.startswith("This device writes medlog-")
    assert status.out.count("last wrote") == 2


def test_a_conflicted_copy_is_named_on_stderr_and_left_alone(medlog, folder, tmp_path):
    one, two = str(tmp_path / "one.sqlite"), str(tmp_path / "two.sqlite")
    assert medlog("--db", one, "note", "one").code == 0
    assert medlog("--db", one, "sync", folder).code == 0
    mine = next(n for n in os.listdir(folder) if n.endswith(".journal"))
    conflict = Path(folder) / mine.replace(".journal", " (conflicted copy 2026-11-21).journal")
    conflict.write_bytes((Path(folder) / mine).read_bytes())
    ran = medlog("--db", two, "sync", folder)
    assert ran.code == 0 and ran.err.count("\n") == 1 and "conflicted copy" in ran.err and conflict.name in ran.err
    assert conflict.exists()


def test_an_encrypted_journal_writes_an_encrypted_file(medlog, folder, tmp_path, monkeypatch):
    pytest.importorskip("sqlcipher3", reason="SQLCipher (pip install 'medlog[encrypt]') is not installed")
    sealed, other = str(tmp_path / "sealed.sqlite"), str(tmp_path / "other.sqlite")
    monkeypatch.setenv("MEDLOG_PASSPHRASE", "a tablet a day")
    assert medlog("init", "--encrypt", "--db", sealed).code == 0
    assert medlog("--db", sealed, "note", "private words").code == 0
    assert medlog("--db", sealed, "sync", folder).code == 0
    written = next(Path(folder).glob("medlog-*.journal"))
    assert b"private words" not in written.read_bytes() and not written.read_bytes().startswith(b"SQLite format")
    init = medlog("init", "--encrypt", "--db", other)
    assert init.code == 0
    ran = medlog("--db", other, "sync", folder)  # the same passphrase opens the other device's file
    assert ran.code == 0 and "1 entry added" in ran.out, ran.err
    forget_passphrases()


def test_a_folder_that_is_not_there_is_one_line(medlog, tmp_path):
    ran = medlog("sync", str(tmp_path / "nope"))
    assert ran.code == 2 and ran.err.count("\n") == 1 and "is not a folder" in ran.err
