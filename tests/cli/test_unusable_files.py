"""A journal that cannot be used: one line, exit 1, and the file exactly as it was."""

import hashlib
import sqlite3

import pytest


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("my shopping list\n" * 50), "not a medlog journal"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"\x13" * 8000), "damaged"),
])
@pytest.mark.parametrize("command", [["take", "esc"], ["rate", "mood=5"], ["log"], ["undo"], ["substance", "list"]])
def test_foreign_or_damaged_files_are_reported_and_untouched(medlog, tmp_path, make, message, command):
    path = tmp_path / "journal.sqlite"
    make(path)
    before = digest(path)
    ran = medlog(*command, "--db", str(path))
    assert ran.code == 1, ran
    assert ran.err.count("\n") == 1 and message in ran.err and "Traceback" not in ran.err
    assert digest(path) == before


def test_a_journal_from_a_newer_medlog(medlog, tmp_path):
    path = tmp_path / "journal.sqlite"
    assert medlog("rate", "mood=5", "--db", str(path)).code == 0
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = digest(path)
    ran = medlog("rate", "mood=6", "--db", str(path))
    assert ran.code == 1 and "newer medlog" in ran.err and digest(path) == before


def test_a_folder_is_not_a_journal(medlog, tmp_path):
    ran = medlog("note", "x", "--db", str(tmp_path))
    assert ran.code == 1 and "is not a file" in ran.err


def test_a_path_through_a_file_is_unreachable(medlog, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    ran = medlog("note", "x", "--db", str(blocker / "journal.sqlite"))
    assert ran.code == 1 and "cannot reach" in ran.err and blocker.read_text() == "x"


def test_a_missing_folder_is_made_privately(medlog, tmp_path):
    path = tmp_path / "new" / "deeper" / "journal.sqlite"
    assert medlog("note", "x", "--db", str(path)).code == 0
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize("how", ["--db", "MEDLOG_DB", "demo --db"])
@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_journal_path_is_refused_not_read_as_the_default(medlog, cli_env, monkeypatch, tmp_path, how,
                                                                  empty):
    """`--db "$UNSET"` must not open (or create) the default, real journal."""
    from tests.conftest import default_journal

    monkeypatch.chdir(tmp_path)  # "  " was a relative name before: a journal made here, not in the repository
    real = default_journal(cli_env)
    assert medlog("note", "the real journal").code == 0
    with open(real, "rb") as f:
        before = f.read()
    if how == "MEDLOG_DB":
        monkeypatch.setenv("MEDLOG_DB", empty)
        ran = medlog("note", "x")
    elif how == "--db":
        ran = medlog("note", "x", "--db", empty)
    else:
        ran = medlog("demo", "--db", empty, "--no-tui")
    assert ran.code == 2, ran
    assert ran.err.count("\n") == 1 and "is empty" in ran.err, ran.err
    with open(real, "rb") as f:
        assert f.read() == before
    assert ran.out == ""
