"""`medlog demo` as a newcomer runs it: its own file, a summary, and the real journal left byte-for-byte alone."""

import hashlib
import os
import sqlite3

from tests.conftest import default_journal


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_demo_leaves_the_real_journal_unchanged(medlog_process, cli_env):
    assert medlog_process("note", "my real journal").code == 0
    real = default_journal(cli_env)
    before = {suffix: digest(real + suffix) for suffix in ("", "-wal") if os.path.exists(real + suffix)}
    ran = medlog_process("demo", "--no-tui", env={"MEDLOG_DB": real})  # even with MEDLOG_DB pointing at it
    assert ran.code == 0, ran.err
    demo = os.path.join(os.path.dirname(real), "demo.sqlite")
    assert f"Demo journal written to {demo}" in ran.out and "Your own journal was not touched." in ran.out
    assert {suffix: digest(real + suffix) for suffix in before} == before
    conn = sqlite3.connect(demo)
    assert conn.execute("SELECT count(*) FROM substance").fetchone()[0] == 6
    conn.close()
    assert oct(os.stat(demo).st_mode & 0o777) == "0o600"


def test_the_hints_it_prints_work(medlog, cli_env):
    terse = medlog("demo", "--no-tui")
    assert "Look around" not in terse.out
    assert "notes (2 flagged for the clinician, 1 question for the next visit)" in terse.out
    ran = medlog("demo")
    hints = [line.strip() for line in ran.out.splitlines() if " --db " in line and "export" not in line]
    assert len(hints) == 5  # substance list, log, show (or the regimen log), compare, check
    for hint in hints:
        args = hint.split()[hint.split().index("--db"):]
        result = medlog(*args)
        assert result.code == 0 and result.out.strip(), hint


def test_demo_refuses_to_replace_a_real_journal(medlog, cli_env):
    medlog("note", "mine")
    ran = medlog("demo", "--db", default_journal(cli_env))
    assert ran.code == 1 and "holds your own entries" in ran.err


def test_bad_years(medlog):
    ran = medlog("demo", "--years", "0")
    assert ran.code == 2 and "choose 1 to 30" in ran.err
    assert medlog("demo", "--years", "ten").code == 2


def test_the_years_demo_hints_include_its_experiment(medlog, cli_env):
    ran = medlog("demo", "--years", "1")
    hints = [line.strip() for line in ran.out.splitlines() if " --db " in line and "export" not in line]
    assert any(h.endswith("experiment analyze") for h in hints)
    hint = next(h for h in hints if h.endswith("experiment analyze"))
    result = medlog(*hint.split()[hint.split().index("--db"):])
    assert result.code == 0 and "Experiment " in result.out


def test_after_the_demos_terminal_ui_closes_it_prints_the_export_line(medlog, cli_env, monkeypatch):
    """Issue 16, item 22: the README says to `export MEDLOG_DB=…` "as the demo prints"; after the TUI it printed
    only the path."""
    import sys

    import medlog.cli.tui as tui

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(tui, "open_tui", lambda journal: 0)  # the TUI itself is driven by tests/tui
    ran = medlog("demo")
    demo = os.path.join(os.path.dirname(default_journal(cli_env)), "demo.sqlite")
    assert ran.code == 0 and f"export MEDLOG_DB={demo}" in ran.out, ran.out
