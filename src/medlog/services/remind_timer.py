"""`medlog remind --install | --uninstall`: a systemd user timer that runs `medlog remind` every five minutes, or,
where there is no systemd user manager, the crontab line to add (the crontab itself is never edited)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

from medlog.domain.errors import MedlogError
from medlog.paths import config_file
from medlog.services.context import Journal

UNIT = "medlog-remind"
EVERY_MINUTES = 5
SYSTEMCTL_SECONDS = 30  # a user manager that has not answered by then is not going to


class TimerError(MedlogError):
    """systemctl refused (the units written are named in the message); exit 1."""


def unit_dir(env: os._Environ[str] | dict[str, str]) -> str:
    """Where systemd looks for a user's own units: $XDG_CONFIG_HOME/systemd/user, else ~/.config/systemd/user."""
    base = env.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(env.get("HOME") or os.path.expanduser("~"), ".config")
    return os.path.join(base, "systemd", "user")


def medlog_command(argv0: str | None = None) -> list[str]:
    """The medlog being run now, as an absolute command: its script (argv[0], found on PATH when bare), else this
    Python with `-m medlog` (`python -m medlog`, or no script to be found)."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    if os.path.basename(argv0) not in ("__main__.py", "-c", ""):
        found = shutil.which(argv0) if os.sep not in argv0 else argv0
        if found and os.path.isfile(found) and os.access(found, os.X_OK):
            return [os.path.abspath(found)]
    return [os.path.abspath(sys.executable), "-m", "medlog"]


def command(journal: Journal, argv0: str | None = None) -> list[str]:
    """`medlog remind` on this journal: --db always, so the timer reminds from the journal installed from."""
    return [*medlog_command(argv0), "--db", journal.path, "remind"]


def environment(env: os._Environ[str] | dict[str, str]) -> dict[str, str]:
    """What the timer's runs need to read the same settings and state as this shell: the config file found now,
    and the variables that move the zone, the day's rollover and the state folder, where they are set."""
    out = {"MEDLOG_CONFIG": config_file(env)}
    for name in ("MEDLOG_TZ", "MEDLOG_ROLLOVER", "XDG_STATE_HOME"):
        if env.get(name):
            out[name] = env[name]
    return out


def _systemd_quote(word: str) -> str:
    """One word of ExecStart= or Environment=, quoted as systemd.syntax(7) reads it: specifiers (%) and variables
    ($) doubled, backslashes and quotes escaped."""
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def units(journal: Journal, env: os._Environ[str] | dict[str, str], argv0: str | None = None) -> dict[str, str]:
    """The two unit files' names and text."""
    exec_start = " ".join(_systemd_quote(w) for w in command(journal, argv0))
    variables = "".join(f"Environment={_systemd_quote(f'{k}={v}')}\n" for k, v in environment(env).items())
    service = ("[Unit]\nDescription=medlog: a desktop reminder for each dose due and not yet logged\n\n"
               f"[Service]\nType=oneshot\nExecStart={exec_start}\n{variables}")
    timer = (f"[Unit]\nDescription=medlog reminders, every {EVERY_MINUTES} minutes\n\n"
             f"[Timer]\nOnCalendar=*:0/{EVERY_MINUTES}\nAccuracySec=30s\n\n"
             "[Install]\nWantedBy=timers.target\n")
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def crontab_line(journal: Journal, env: os._Environ[str] | dict[str, str], argv0: str | None = None) -> str:
    """The line to add with `crontab -e`: cron's environment has no session bus, so it is named (where this
    session has one), and the same variables as the timer's are set."""
    variables = dict(environment(env))
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        variables["DBUS_SESSION_BUS_ADDRESS"] = env["DBUS_SESSION_BUS_ADDRESS"]
    words = [f"{k}={shlex.quote(v)}" for k, v in variables.items()] + [shlex.quote(w) for w in command(journal, argv0)]
    # cron reads an unescaped % as the end of the command
    return f"*/{EVERY_MINUTES} * * * * " + " ".join(words).replace("%", "\\%")


def has_systemd(env: os._Environ[str] | dict[str, str]) -> bool:
    """A systemd user manager answers here (systemctl is on PATH and `systemctl --user` reaches it)."""
    systemctl = shutil.which("systemctl", path=env.get("PATH"))
    if systemctl is None:
        return False
    try:
        proc = subprocess.run([systemctl, "--user", "show-environment"], capture_output=True, env=dict(env),
                              timeout=SYSTEMCTL_SECONDS)
    except (OSError, subprocess.TimeoutExpired):  # not runnable, or hung: as good as absent
        return False
    return proc.returncode == 0


def _systemctl(env: os._Environ[str] | dict[str, str], *args: str) -> None:
    systemctl = shutil.which("systemctl", path=env.get("PATH")) or "systemctl"
    try:
        proc = subprocess.run([systemctl, "--user", *args], capture_output=True, text=True, env=dict(env),
                              timeout=SYSTEMCTL_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TimerError(f"systemctl --user {' '.join(args)} could not run: {exc}") from None
    if proc.returncode != 0:
        said = " ".join((proc.stderr or proc.stdout).split()) or f"exit status {proc.returncode}"
        raise TimerError(f"systemctl --user {' '.join(args)} failed: {said}")


def install(journal: Journal, env: os._Environ[str] | dict[str, str] | None = None,
            argv0: str | None = None) -> list[str]:
    """Write and start the timer (systemd), or say the crontab line to add. The lines to print."""
    env = os.environ if env is None else env
    if not has_systemd(env):
        return ["No systemd user manager here. To be reminded every five minutes, add this line with "
                "'crontab -e':", crontab_line(journal, env, argv0)]
    folder = unit_dir(env)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    written = []
    for name, text in units(journal, env, argv0).items():
        path = os.path.join(folder, name)
        temporary = f"{path}.{os.getpid()}.part"
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(temporary, path)
        written.append(path)
    _systemctl(env, "daemon-reload")
    _systemctl(env, "enable", "--now", f"{UNIT}.timer")
    return [f"Reminders on: {UNIT}.timer runs 'medlog remind' every {EVERY_MINUTES} minutes for {journal.path}",
            *(f"  wrote {p}" for p in written),
            f"Check it with 'systemctl --user list-timers {UNIT}.timer'; stop it with 'medlog remind --uninstall'."]


def uninstall(env: os._Environ[str] | dict[str, str] | None = None) -> list[str]:
    """Stop and remove the timer and its service. The lines to print."""
    env = os.environ if env is None else env
    folder = unit_dir(env)
    paths = [os.path.join(folder, f"{UNIT}.{kind}") for kind in ("timer", "service")]
    present = [p for p in paths if os.path.exists(p)]
    systemd = has_systemd(env)
    if not present:
        if systemd:
            return [f"No {UNIT}.timer is installed ({folder}): nothing to remove."]
        return ["No systemd user manager here: if you added medlog's line to your crontab, remove it with "
                "'crontab -e' (the line that runs 'medlog … remind')."]
    if systemd:
        _systemctl(env, "disable", "--now", f"{UNIT}.timer")
    for path in present:
        os.unlink(path)
    if systemd:
        _systemctl(env, "daemon-reload")
    return [f"Reminders off: {UNIT}.timer stopped and removed.", *(f"  removed {p}" for p in present)]
