"""`medlog remind` against a real D-Bus session bus (dbus-run-session) with a test notification service
(tests/cli/notification_service.py): the real CLI, as the timer runs it, and what reached the desktop."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
DBUS_RUN_SESSION = shutil.which("dbus-run-session")
pytestmark = pytest.mark.skipif(DBUS_RUN_SESSION is None, reason="dbus-run-session (package dbus) is not installed")

# Inside the private session: start the service, wait until it owns its name, then run medlog once per clock given
# (one JSON list of [code, out, err] on stdout). The service is stopped however the runs end.
DRIVER = """
import json, os, subprocess, sys, time
log, ready, markup, *clocks = sys.argv[1:]
service = subprocess.Popen([sys.executable, os.path.join(os.environ["HERE"], "notification_service.py"), log, ready]
                           + (["--markup"] if markup == "1" else []))
try:
    deadline = time.monotonic() + 20
    while not os.path.exists(ready):
        if time.monotonic() > deadline or service.poll() is not None:
            raise SystemExit("the test notification service did not start")
        time.sleep(0.02)
    runs = []
    for clock in clocks:
        args = json.loads(clock)
        proc = subprocess.run([sys.executable, "-m", "medlog", *args["argv"]], capture_output=True, text=True,
                              env={**os.environ, "MEDLOG_NOW": args["now"]}, timeout=60)
        runs.append([proc.returncode, proc.stdout, proc.stderr])
    print(json.dumps(runs))
finally:
    service.kill()
    service.wait()
"""


def in_session(tmp_path, env, runs: list[tuple[str, list[str]]], *, markup: bool = False) -> tuple[list, list]:
    """Run medlog (argv, at a clock) in a fresh session bus with the test service: (the runs, the calls it saw)."""
    log, ready = tmp_path / "calls.jsonl", tmp_path / "ready"
    for path in (log, ready):
        if path.exists():
            path.unlink()
    clocks = [json.dumps({"now": now, "argv": argv}) for now, argv in runs]
    proc = subprocess.run([DBUS_RUN_SESSION, "--", sys.executable, "-c", DRIVER, str(log), str(ready),
                           "1" if markup else "0", *clocks], capture_output=True, text=True, timeout=180,
                          env={**env, "HERE": HERE})
    assert proc.returncode == 0, proc.stderr
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return json.loads(proc.stdout), calls


@pytest.fixture
def journal_env(tmp_path, cli_env, medlog_process):
    env = {**cli_env, "MEDLOG_DB": str(tmp_path / "journal.sqlite"), "XDG_STATE_HOME": str(tmp_path / "state")}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    added = medlog_process("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg",
                           "--schedule", "08:00", "--since", "2026-11-01", env=env)
    assert added.code == 0, added.err
    return env


def notified(calls: list[dict]) -> list[dict]:
    return [c for c in calls if c["call"] == "Notify"]


def test_a_due_dose_reaches_the_desktop_exactly_once_across_runs(tmp_path, journal_env):
    runs, calls = in_session(tmp_path, journal_env, [("2026-11-21T08:05:00+00:00", ["remind"]),
                                                      ("2026-11-21T08:10:00+00:00", ["remind"])])
    assert [code for code, _, _ in runs] == [0, 0], runs
    assert all(out == "" and err == "" for _, out, err in runs), runs  # on a desktop: nothing printed
    sent = notified(calls)
    assert len(sent) == 1, calls
    assert sent[0]["app"] == "medlog" and sent[0]["summary"] == "Escitalopram: dose due"
    assert "Escitalopram (08:00) is due and not logged yet" in sent[0]["body"]
    assert sent[0]["urgency"] == 1


def test_nothing_due_sends_nothing_and_a_logged_dose_closes_its_notification(tmp_path, journal_env):
    runs, calls = in_session(tmp_path, journal_env, [
        ("2026-11-21T07:30:00+00:00", ["remind"]),  # before its time: nothing
        ("2026-11-21T08:05:00+00:00", ["remind"]),  # due: one notification
        ("2026-11-21T08:07:00+00:00", ["take", "escitalopram"]),
        ("2026-11-21T08:10:00+00:00", ["remind"]),  # logged since: its notification is closed
        ("2026-11-21T08:15:00+00:00", ["remind"]),  # and only once
    ])
    assert [code for code, _, _ in runs] == [0, 0, 0, 0, 0], runs
    sent = notified(calls)
    assert len(sent) == 1
    assert [c for c in calls if c["call"] == "CloseNotification"] == [{"call": "CloseNotification",
                                                                        "id": sent[0]["id"]}]


def test_markup_in_a_name_is_shown_as_written(tmp_path, journal_env, medlog_process):
    added = medlog_process("substance", "add", "Fish oil <b>&</b> D", "--kind", "supplement", "--dose", "1 capsule",
                           "--schedule", "08:00", "--since", "2026-11-01", env=journal_env)
    assert added.code == 0, added.err
    _, calls = in_session(tmp_path, journal_env, [("2026-11-21T08:05:00+00:00", ["remind"])], markup=True)
    bodies = [c["body"] for c in notified(calls)]
    assert any("Fish oil &lt;b&gt;&amp;&lt;/b&gt; D (08:00)" in b for b in bodies), bodies


def test_a_bus_without_a_notification_service_prints_the_reminder_once(tmp_path, journal_env):
    """A session bus, but nothing owns org.freedesktop.Notifications: printed, one line, no traceback."""
    script = ("import subprocess, sys\nfor now in sys.argv[1:]:\n    p = subprocess.run([sys.executable, '-m', "
              "'medlog', 'remind'], capture_output=True, text=True, env={**__import__('os').environ, "
              "'MEDLOG_NOW': now})\n    print(repr((p.returncode, p.stdout, p.stderr)))\n")
    proc = subprocess.run([DBUS_RUN_SESSION, "--", sys.executable, "-c", script, "2026-11-21T08:05:00+00:00",
                           "2026-11-21T08:10:00+00:00"], capture_output=True, text=True, env=journal_env, timeout=120)
    first, second = (eval(line) for line in proc.stdout.splitlines())  # noqa: S307 (our own repr)
    assert first[0] == 0 and first[1] == "medlog: reminder: Escitalopram (08:00) is due and not logged yet\n"
    assert "no notification service on the session bus" in first[2] and "Traceback" not in first[2]
    assert second == (0, "", "")
