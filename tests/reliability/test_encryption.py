"""Encryption at rest (SQLCipher): no plaintext on disk, a wrong passphrase is said as such, quotes work."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess

import pytest

pytest.importorskip("sqlcipher3")

from medlog.store.cipher import forget_passphrases, looks_encrypted  # noqa: E402

SECRET = "Sertraline-secret-note-8841"  # a word that would show up in `strings` if anything leaked
PASSPHRASE = "it's a \"quoted\" pass; DROP TABLE note; --"  # quotes and SQL in a passphrase must just work


@pytest.fixture(autouse=True)
def _no_remembered_passphrase():
    """The passphrase is process state (like the umask); each test starts without one."""
    forget_passphrases()
    yield
    forget_passphrases()


@pytest.fixture
def encrypted(medlog, tmp_path, monkeypatch):
    """An encrypted journal with a substance, a dose, a note and a rating (two journal days, so a daily backup)."""
    path = tmp_path / "data" / "journal.sqlite"
    monkeypatch.setenv("MEDLOG_PASSPHRASE", PASSPHRASE)
    assert medlog("init", "--encrypt", "--db", str(path)).code == 0
    for args in (["substance", "add", "Sertraline", "--kind", "medication", "--dose", "50 mg"],
                 ["take", "sert"], ["note", SECRET], ["symptom", "nausea", "3"]):
        assert medlog(*args, "--db", str(path)).code == 0, args
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-22T09:00:00+00:00")
    assert medlog("rate", "mood=6", "--db", str(path)).code == 0
    return path


def plaintext_in(paths) -> list[str]:
    """Run the real `strings` over the files, as someone who found the disk would."""
    found = []
    for path in paths:
        out = subprocess.run(["strings", "-n", "6", str(path)], capture_output=True, text=True, check=True).stdout
        if SECRET in out or "Sertraline" in out or "nausea" in out or "SQLite format 3" in out:
            found.append(str(path))
    return found


def test_nothing_readable_on_disk_including_wal_and_backups(medlog, encrypted, tmp_path):
    # a second connection held open keeps the -wal and -shm in place while we look at them
    from medlog.store.connection import connect

    keep = connect(str(encrypted), create=False)
    try:
        assert medlog("note", SECRET + " again", "--db", str(encrypted)).code == 0
        assert os.path.exists(f"{encrypted}-wal") and os.path.getsize(f"{encrypted}-wal") > 0
        assert medlog("backup", "--db", str(encrypted)).code == 0
        assert medlog("backup", "-o", str(tmp_path / "copy.sqlite"), "--db", str(encrypted)).code == 0
        files = [p for p in tmp_path.rglob("*") if p.is_file() and "xdg" not in str(p)]
        backups = [p for p in files if p.parent.name == "backups"]
        assert len(backups) >= 2  # the daily one and the manual one
        assert len(files) >= 5
        assert plaintext_in(files) == []
    finally:
        keep.close()
    assert looks_encrypted(str(encrypted))


def test_the_control_finds_plaintext_in_a_plain_journal(medlog, tmp_path):
    """The `strings` check can fail: the same entries in an unencrypted journal are found."""
    path = tmp_path / "plain.sqlite"
    assert medlog("note", SECRET, "--db", str(path)).code == 0
    assert plaintext_in([path]) == [str(path)]


def test_the_right_passphrase_reads_everything_back(medlog, encrypted):
    ran = medlog("log", "--since", "2026-11-20", "--json", "--db", str(encrypted))
    assert ran.code == 0 and SECRET in ran.out and "Sertraline" in ran.out
    assert medlog("check", "--db", str(encrypted)).code == 0


# each open derives the key (PBKDF2, ~0.1 s): a few pairs rather than every combination
@pytest.mark.parametrize("wrong, command", [("wrong", ["log"]), (PASSPHRASE + " ", ["note", "x"]),
                                            (PASSPHRASE[:-1], ["check"]), ("'", ["backup"])])
def test_a_wrong_passphrase_says_so_and_is_never_called_damage(medlog, encrypted, monkeypatch, wrong, command):
    before = hashlib.sha256(encrypted.read_bytes()).hexdigest()
    monkeypatch.setenv("MEDLOG_PASSPHRASE", wrong)
    ran = medlog(*command, "--db", str(encrypted))
    assert ran.code == 1, ran
    assert ran.err.count("\n") == 1 and "passphrase does not open" in ran.err
    assert "damaged" not in ran.err and "restore" not in ran.err and "Traceback" not in ran.err
    assert hashlib.sha256(encrypted.read_bytes()).hexdigest() == before


def test_no_passphrase_and_no_terminal_says_how(medlog, encrypted, monkeypatch):
    monkeypatch.delenv("MEDLOG_PASSPHRASE")
    ran = medlog("log", "--db", str(encrypted))
    assert ran.code == 1 and ran.err.count("\n") == 1 and "MEDLOG_PASSPHRASE" in ran.err


def test_the_passphrase_is_asked_at_a_terminal(medlog, encrypted, monkeypatch):
    """No environment variable: a person at a terminal types it (getpass, not echoed)."""
    monkeypatch.delenv("MEDLOG_PASSPHRASE")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PASSPHRASE)
    ran = medlog("log", "--since", "2026-11-20", "--db", str(encrypted))
    assert ran.code == 0 and SECRET in ran.out and len(asked) == 1 and str(encrypted) in asked[0]


def test_init_encrypt_asks_twice_and_refuses_a_mismatch(medlog, tmp_path, monkeypatch):
    monkeypatch.delenv("MEDLOG_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    path = tmp_path / "j.sqlite"
    ran = medlog("init", "--encrypt", "--db", str(path))
    assert ran.code == 2 and "differ" in ran.err and not path.exists()


def test_init_encrypt_will_not_touch_a_plain_journal(medlog, tmp_path, monkeypatch):
    path = tmp_path / "j.sqlite"
    assert medlog("note", SECRET, "--db", str(path)).code == 0
    before = path.read_bytes()
    monkeypatch.setenv("MEDLOG_PASSPHRASE", PASSPHRASE)
    ran = medlog("init", "--encrypt", "--db", str(path))
    assert ran.code == 1 and "not encrypted" in ran.err and path.read_bytes() == before


def test_a_plain_file_is_not_taken_for_an_encrypted_one(medlog, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my shopping list\n" * 64)  # 1088 bytes of text
    ran = medlog("log", "--db", str(path))
    assert ran.code == 1 and "not a medlog journal" in ran.err and "passphrase" not in ran.err.lower()


def test_restore_into_an_encrypted_journal(medlog, encrypted, tmp_path):
    copy = tmp_path / "copy.sqlite"
    assert medlog("backup", "-o", str(copy), "--db", str(encrypted)).code == 0
    assert medlog("note", "after the backup", "--db", str(encrypted)).code == 0
    ran = medlog("restore", str(copy), "--db", str(encrypted))
    assert ran.code == 0, ran
    log = medlog("log", "--since", "2026-11-20", "--db", str(encrypted)).out
    assert SECRET in log and "after the backup" not in log
    assert plaintext_in([encrypted, copy]) == []


def test_a_plain_backup_is_not_restored_into_an_encrypted_journal(medlog, encrypted, tmp_path):
    plain = tmp_path / "plain.sqlite"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = encrypted.read_bytes()
    ran = medlog("restore", str(plain), "--db", str(encrypted))
    assert ran.code == 1 and "not encrypted" in ran.err and encrypted.read_bytes() == before


@pytest.mark.parametrize("to_file", [True, False])
def test_an_export_says_once_that_it_is_not_encrypted_unless_quiet(medlog, encrypted, tmp_path, to_file):
    out = tmp_path / "out.json"
    where = ["-o", str(out)] if to_file else []
    ran = medlog("export", "--format", "json", *where, "--db", str(encrypted))
    assert ran.code == 0, ran
    notice = [line for line in ran.err.splitlines() if "not encrypted" in line]
    assert len(notice) == 1 and "the journal is encrypted, but this export is not encrypted" in notice[0], ran.err
    ran = medlog("export", "--format", "json", *where, "--quiet", "--force", "--db", str(encrypted))
    assert ran.code == 0 and ran.err == "", ran
    assert SECRET in (out.read_text() if to_file else ran.out)


def test_a_plain_journals_export_says_nothing_of_encryption(medlog, tmp_path):
    path = str(tmp_path / "j.sqlite")
    assert medlog("note", "x", "--db", path).code == 0
    ran = medlog("export", "--format", "json", "--db", path)
    assert ran.code == 0 and ran.err == "", ran
