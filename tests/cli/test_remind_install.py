"""`medlog remind --install | --uninstall`: the systemd user timer (with a stand-in systemctl on PATH, which records
what it was asked), or the crontab line where there is no systemd. The real `medlog` script, as a user runs it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import pytest

MEDLOG = shutil.which("medlog", path=os.path.dirname(sys.executable))
pytestmark = pytest.mark.skipif(MEDLOG is None, reason="the medlog script is not installed beside this Python")

# A stand-in for systemctl: records its arguments, one call a line; `show-environment` fails when told to (no user
# manager), and so does any call named in FAIL.
FAKE_SYSTEMCTL = """#!/bin/sh
echo "$*" >> "$SYSTEMCTL_LOG"
case "$*" in *show-environment*) [ -z "$NO_USER_MANAGER" ] || exit 1 ;; esac
case "$*" in *"$FAIL"*) [ -n "$FAIL" ] && { echo "Failed to enable unit: Unit file is masked." >&2; exit 1; } ;; esac
exit 0
"""


@pytest.fixture
def setup(tmp_path, cli_env):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = {**cli_env, "PATH": str(bin_dir), "MEDLOG_DB": str(tmp_path / "my journal %.sqlite"),
           "SYSTEMCTL_LOG": str(tmp_path / "systemctl.log")}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    return env, bin_dir


def with_systemctl(bin_dir) -> None:
    path = bin_dir / "systemctl"
    path.write_text(FAKE_SYSTEMCTL)
    path.chmod(0o755)


def run(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([MEDLOG, *args], env=env, capture_output=True, text=True, timeout=60)


def units(env) -> str:
    return os.path.join(env["XDG_CONFIG_HOME"], "systemd", "user")


def calls(env) -> list[str]:
    with open(env["SYSTEMCTL_LOG"], encoding="utf-8") as fh:
        return fh.read().splitlines()


def test_install_writes_a_timer_and_starts_it(setup):
    env, bin_dir = setup
    with_systemctl(bin_dir)
    ran = run(env, "remind", "--install")
    assert ran.returncode == 0, ran.stderr
    assert "Reminders on: medlog-remind.timer" in ran.stdout
    folder = units(env)
    with open(os.path.join(folder, "medlog-remind.service"), encoding="utf-8") as fh:
        service = fh.read()
    with open(os.path.join(folder, "medlog-remind.timer"), encoding="utf-8") as fh:
        timer = fh.read()
    # The medlog that ran, by its absolute path, on the same journal (a % doubled for systemd), and its config.
    assert f'ExecStart="{os.path.abspath(MEDLOG)}" "--db" "{env["MEDLOG_DB"].replace("%", "%%")}" "remind"' in service
    assert "Type=oneshot" in service
    config = os.path.join(env["XDG_CONFIG_HOME"], "medlog", "config.toml")
    assert f'Environment="MEDLOG_CONFIG={config}"' in service
    assert "OnCalendar=*:0/5" in timer and "WantedBy=timers.target" in timer
    for name in ("medlog-remind.service", "medlog-remind.timer"):
        assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o600
    assert calls(env) == ["--user show-environment", "--user daemon-reload",
                          "--user enable --now medlog-remind.timer"]


def test_uninstall_stops_and_removes_it(setup):
    env, bin_dir = setup
    with_systemctl(bin_dir)
    assert run(env, "remind", "--install").returncode == 0
    ran = run(env, "remind", "--uninstall")
    assert ran.returncode == 0, ran.stderr
    assert "Reminders off" in ran.stdout
    assert os.listdir(units(env)) == []
    assert calls(env)[-2:] == ["--user disable --now medlog-remind.timer", "--user daemon-reload"]
    again = run(env, "remind", "--uninstall")
    assert again.returncode == 0 and "nothing to remove" in again.stdout


def test_without_systemctl_the_crontab_line_is_printed_and_nothing_written(setup):
    env, _ = setup
    env = {**env, "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}
    ran = run(env, "remind", "--install")
    assert ran.returncode == 0, ran.stderr
    intro, line = ran.stdout.splitlines()
    assert "No systemd user manager here" in intro and "crontab -e" in intro
    assert line.startswith("*/5 * * * * ")
    assert "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus" in line
    assert f"{os.path.abspath(MEDLOG)} --db '{env['MEDLOG_DB'].replace('%', chr(92) + '%')}' remind" in line
    assert not os.path.exists(units(env))
    ran = run(env, "remind", "--uninstall")
    assert ran.returncode == 0 and "remove it with 'crontab -e'" in ran.stdout


def test_a_systemctl_without_a_user_manager_is_no_systemd(setup):
    env, bin_dir = setup
    with_systemctl(bin_dir)
    env = {**env, "NO_USER_MANAGER": "1"}
    ran = run(env, "remind", "--install")
    assert ran.returncode == 0 and "crontab -e" in ran.stdout
    assert calls(env) == ["--user show-environment"] and not os.path.exists(units(env))


def test_a_refusing_systemctl_is_one_line_and_exit_1(setup):
    env, bin_dir = setup
    with_systemctl(bin_dir)
    ran = run({**env, "FAIL": "enable"}, "remind", "--install")
    assert ran.returncode == 1
    assert ran.stderr == ("medlog: systemctl --user enable --now medlog-remind.timer failed: Failed to enable unit: "
                          "Unit file is masked.\n")


def test_install_and_uninstall_together_are_refused(setup):
    env, _ = setup
    ran = run(env, "remind", "--install", "--uninstall")
    assert ran.returncode == 2 and ran.stderr.count("\n") == 1 and "not allowed with" in ran.stderr
