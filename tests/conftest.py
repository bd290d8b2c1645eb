"""Shared fixtures: a fixed clock, a journal in a temporary folder, and the real CLI (in-process and as a process)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.services.context import Journal

# Saturday 2026-11-21 09:00 in London (UTC+0 in winter): the suite's "now".
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
ZONE = "Europe/London"


@pytest.fixture
def journal(tmp_path) -> Journal:
    """A journal file (not yet created) in a private temp folder, with a fixed clock."""
    return Journal(str(tmp_path / "data" / "journal.sqlite"), Settings(ZoneInfo(ZONE)), FixedClock(NOW))


@pytest.fixture
def cli_env(tmp_path, monkeypatch) -> dict[str, str]:
    """An environment where the default data dir is inside tmp_path and the clock is pinned."""
    # The locale of dates comes from LC_ALL, LC_TIME or LANG: pinned to English, whatever the machine's.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDLOG_", "XDG_", "LC_ALL", "LC_TIME"))}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg-data"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg-config"), MEDLOG_NOW=NOW.isoformat(), MEDLOG_TZ=ZONE,
               LANG="C.UTF-8")
    for key in list(os.environ):
        if key.startswith(("MEDLOG_", "XDG_", "LC_ALL", "LC_TIME")):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@dataclass
class Ran:
    code: int
    out: str
    err: str


@pytest.fixture
def medlog(cli_env, capsys):
    """Run `medlog ARGS…` in-process through the real entry point (fast; same code path as the script)."""
    from medlog.cli.main import main

    def run(*args: str) -> Ran:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


@pytest.fixture
def medlog_process(cli_env):
    """Run the installed program as a user does: a new process, `python -m medlog`."""

    def run(*args: str, env: dict[str, str] | None = None) -> Ran:
        proc = subprocess.run([sys.executable, "-m", "medlog", *args], capture_output=True, text=True,
                              env={**cli_env, **(env or {})}, timeout=60)
        return Ran(proc.returncode, proc.stdout, proc.stderr)

    return run


def default_journal(env: dict[str, str]) -> str:
    return os.path.join(env["XDG_DATA_HOME"], "medlog", "journal.sqlite")


def dump(path: str) -> list[str]:
    """Everything in a journal as SQL text: equal dumps mean nothing was written."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def rows_of(path: str) -> list[str]:
    """`dump` without the change log: the journal's rows, for two imports of one file (each import's change-log
    batch has ids and a time of its own)."""
    return [line for line in dump(path) if not line.startswith('INSERT INTO "change_log"')]


def pytest_addoption(parser):
    parser.addoption("--long", action="store_true", default=False,
                     help="run the reliability suites at their full counts (docs/reliability.md); CI runs the short "
                          "version")
