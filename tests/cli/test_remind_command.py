"""`medlog remind` through the real entry point, without a desktop: the printed line, once; nothing due, nothing
done (and nothing heavy imported); the state file; quiet hours from the config; DST; bad input."""

from __future__ import annotations

import ast
import os
import pty
import stat
import subprocess
import sys

import pytest

from tests.conftest import default_journal

MORNING = "2026-11-21T08:05:00+00:00"
LINE = "medlog: reminder: Escitalopram (08:00) is due and not logged yet\n"


@pytest.fixture(autouse=True)
def no_desktop(monkeypatch):
    """Never the developer's real desktop: without a bus named, reminders are printed."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)


@pytest.fixture
def regimen(medlog):
    ran = medlog("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00",
                 "--since", "2026-11-01")
    assert ran.code == 0, ran.err


def state_folder(env) -> str:
    return os.path.join(env["HOME"], ".local", "state", "medlog")


def at(monkeypatch, now: str) -> None:
    monkeypatch.setenv("MEDLOG_NOW", now)


def test_a_due_dose_is_printed_once(medlog, regimen, monkeypatch, cli_env):
    at(monkeypatch, MORNING)
    first = medlog("remind")
    assert (first.code, first.out) == (0, LINE)
    assert "printed here, not shown on the desktop: no desktop session bus" in first.err
    at(monkeypatch, "2026-11-21T08:10:00+00:00")
    assert (medlog("remind").code, medlog("remind").out) == (0, "")
    folder = state_folder(cli_env)
    (state,) = [f for f in os.listdir(folder) if f.endswith(".reminders")]
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.join(folder, state)).st_mode) == 0o600
    with open(os.path.join(folder, state), encoding="utf-8") as fh:
        assert fh.read().splitlines()[1].startswith("sent\tdose:1:2026-11-21:08:00\t2026-11-21T08:05:00+00:00\t-")


def test_nothing_due_prints_nothing_and_writes_nothing(medlog, regimen, monkeypatch, cli_env):
    at(monkeypatch, "2026-11-21T07:00:00+00:00")
    assert (medlog("remind").code, medlog("remind").out, medlog("remind").err) == (0, "", "")
    assert not os.path.exists(state_folder(cli_env))


def test_no_journal_yet_is_nothing_due(medlog, cli_env):
    ran = medlog("remind")
    assert (ran.code, ran.out, ran.err) == (0, "", "")
    assert not os.path.exists(default_journal(cli_env))  # a reminder never creates a journal


def test_a_skipped_or_taken_dose_is_not_reminded(medlog, regimen, monkeypatch):
    at(monkeypatch, "2026-11-21T07:58:00+00:00")
    assert medlog("skip", "escitalopram").code == 0
    at(monkeypatch, MORNING)
    assert medlog("remind").out == ""


PROBE = """
import sys
from medlog.cli.main import main
code = main(sys.argv[1:])
print(repr({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""
HEAVY = ["dbus_fast", "asyncio", "sqlmodel", "sqlalchemy", "pydantic", "textual", "rich", "pendulum", "platformdirs",
         "typing", "json", "uuid", "tomllib", "subprocess"]


@pytest.mark.parametrize("now, sends", [("2026-11-21T07:00:00+00:00", False), (MORNING, True)])
def test_the_run_with_nothing_due_imports_nothing_heavy(medlog, regimen, cli_env, now, sends):
    """It runs every five minutes: like `medlog due`, on the stdlib path. With something due and no desktop it
    still does not import the D-Bus library."""
    proc = subprocess.run([sys.executable, "-c", PROBE, "remind"], env={**cli_env, "MEDLOG_NOW": now},
                          capture_output=True, text=True)
    report = ast.literal_eval(proc.stderr.strip().splitlines()[-1])
    assert report["code"] == 0 and (proc.stdout == LINE) is sends
    assert not set(report["modules"]) & set(HEAVY), sorted(set(report["modules"]) & set(HEAVY))


def test_a_damaged_state_file_is_set_aside_and_said_once(medlog, regimen, monkeypatch, cli_env):
    at(monkeypatch, MORNING)
    assert medlog("remind").out == LINE
    folder = state_folder(cli_env)
    (name,) = [f for f in os.listdir(folder) if f.endswith(".reminders")]
    with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
        fh.write("medlog reminders 1\nsent\tdose:1:2026-11-21:08:00\tyesterday-ish\t-\n")
    ran = medlog("remind")
    assert ran.code == 0 and ran.out == LINE  # afresh: the reminder comes once more, rather than never again
    assert ran.err.count("\n") == 2 and "could not be read (line 2:" in ran.err and ".reminders.bad" in ran.err
    assert os.path.exists(os.path.join(folder, name + ".bad"))
    again = medlog("remind")
    assert (again.out, again.err) == ("", "")


def write_config(env, text: str) -> None:
    folder = os.path.join(env["XDG_CONFIG_HOME"], "medlog")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.toml"), "w", encoding="utf-8") as fh:
        fh.write(text)


def test_quiet_hours_from_the_config(medlog, regimen, monkeypatch, cli_env):
    write_config(cli_env, 'quiet_hours = "22:00-08:30"\n')
    at(monkeypatch, MORNING)
    assert medlog("remind").out == ""
    at(monkeypatch, "2026-11-21T08:30:00+00:00")
    assert medlog("remind").out == LINE


@pytest.mark.parametrize("value, said", [('"22:00"', "write it as START-END"), ("7", "quiet_hours must be text"),
                                         ('"08:00-08:00"', "the start and the end are the same time")])
def test_bad_quiet_hours_are_one_line_and_exit_2(medlog, regimen, cli_env, value, said):
    write_config(cli_env, f"quiet_hours = {value}\n")
    ran = medlog("remind")
    assert ran.code == 2 and said in ran.err and ran.err.count("\n") == 1 and ran.out == ""


def test_a_dose_in_the_spring_forward_gap(medlog, monkeypatch):
    monkeypatch.setenv("MEDLOG_TZ", "America/New_York")
    at(monkeypatch, "2027-03-10T12:00:00+00:00")
    assert medlog("substance", "add", "Melatonin", "--kind", "supplement", "--dose", "1 mg", "--schedule", "02:30",
                  "--since", "2027-03-01").code == 0
    at(monkeypatch, "2027-03-14T07:10:00+00:00")  # 03:10 EDT: the clocks jumped at 02:00, the dose is due at 03:30
    assert medlog("remind").out == ""
    at(monkeypatch, "2027-03-14T07:31:00+00:00")
    assert medlog("remind").out == "medlog: reminder: Melatonin (02:30, due at 03:30 here) is due and not logged yet\n"
    at(monkeypatch, "2027-03-14T07:36:00+00:00")
    assert medlog("remind").out == ""


def test_at_a_terminal_the_bell_rings(regimen, cli_env):
    """One line and the bell (a BEL byte, past the output filter that escapes control characters in text)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "medlog", "remind"], stdout=follower, stderr=subprocess.PIPE,
                            env={**cli_env, "MEDLOG_NOW": MORNING})
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 1024)
        except OSError:  # the terminal's other end closed: the process has ended
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    assert seen.replace(b"\r\n", b"\n") == LINE.encode() + b"\a"


def test_without_the_d_bus_library_the_reminder_is_printed_and_the_extra_named(medlog, regimen, monkeypatch):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    monkeypatch.setitem(sys.modules, "dbus_fast", None)  # as if the `remind` extra were not installed
    at(monkeypatch, MORNING)
    ran = medlog("remind")
    assert (ran.code, ran.out) == (0, LINE)
    assert "pip install 'medlog[remind]'" in ran.err and ran.err.count("\n") == 1


def test_an_unreachable_bus_prints_the_reminder_in_one_line(medlog, regimen, monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus-here")
    at(monkeypatch, MORNING)
    ran = medlog("remind")
    assert (ran.code, ran.out) == (0, LINE)
    assert "the session bus could not be reached" in ran.err and ran.err.count("\n") == 1


def test_a_refill_is_reminded_once_a_day(medlog, monkeypatch):
    at(monkeypatch, "2026-11-21T07:00:00+00:00")  # before the dose's time: only the refill
    assert medlog("substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--form",
                  "tablet", "--dose", "10 mg", "--schedule", "08:00", "--since", "2026-11-01").code == 0
    assert medlog("stock", "add", "escitalopram", "3", "tablet", "--at", "2026-11-20").code == 0
    refill = "medlog: reminder: refill needed by Tue 24 Nov — Escitalopram, 3 tablets left, about 3 days\n"
    assert medlog("remind").out == refill
    at(monkeypatch, "2026-11-21T07:30:00+00:00")
    assert medlog("remind").out == ""
    at(monkeypatch, "2026-11-22T07:00:00+00:00")  # the next journal day (no dose logged since: one more day left)
    assert medlog("remind").out.startswith("medlog: reminder: refill needed by ")
