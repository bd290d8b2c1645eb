"""Privacy: no command opens a network socket, and every file and folder medlog writes in its data dir is the user's
alone (folders 0700, files 0600: the journal, its -wal and -shm, backups, exports and reports).

The network is watched with an audit hook (sys.addaudithook: installed once per process, recording only while a
test holds `network_watch()`), in-process for every command and the TUI, and in real subprocesses through
tests/reliability/nonet/sitecustomize.py, which hooks the interpreter before medlog (or anything) is imported.
Everything runs with a permissive umask (0o022) in force before each command: main() tightening it is part of
what is tested.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import stat
import subprocess
import sys
from contextlib import contextmanager

import pytest

from medlog.cli.main import main
from medlog.cli.parser import COMMANDS, build_parser
from tests.tui.conftest import open_screen, settle, until

NONET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nonet")
_spec = importlib.util.spec_from_file_location("medlog_test_nonet", os.path.join(NONET, "sitecustomize.py"))
assert _spec is not None and _spec.loader is not None
nonet = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nonet)

PERMISSIVE = 0o022
PASSPHRASE = "correct horse battery staple"

# Every command and subcommand, in an order that makes each one succeed (exit 0) against one journal in the data
# dir. {data} is the data dir (XDG_DATA_HOME/medlog): exports, reports and copies are written there so their modes
# are checked too. Rule 1 is the starter rule `substance add` files for magnesium; ours are 2, 3 and 4.
SCRIPT: tuple[tuple[str, ...], ...] = (
    ("--version",), ("--help",), (),  # a bare `medlog` off a terminal prints the help
    ("help",), ("help", "substance", "add"),
    ("init",),  # creates the journal (and its folder)
    ("substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--form", "tablet",
     "--dose", "10 mg", "--schedule", "08:00", "--since", "2026-09-01 08:00", "--reason", "anxiety"),
    ("substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg", "--schedule", "21:30",
     "--since", "2026-09-01 08:00"),
    ("substance", "add", "Ibuprofen", "--kind", "medication", "--strength", "200 mg", "--form", "tablet",
     "--as-needed", "--dose", "200 mg", "--since", "2026-09-01 08:00"),
    ("substance", "list"), ("substance", "list", "--json"), ("substance", "show", "esc"),
    ("substance", "change", "esc", "--dose", "15 mg", "--at", "2026-10-15 08:00", "--note", "titration"),
    ("substance", "alias", "esc", "Lexapro"), ("substance", "onset-lag", "lexapro", "14"),
    ("substance", "stop", "ibu", "--at", "2026-11-01 12:00"), ("substance", "start", "ibu", "--at", "2026-11-02 12:00"),
    ("metric", "add", "focus", "--min", "0", "--max", "10", "--higher-is-better", "--integer"),
    ("metric", "list", "--json"),
    ("rule", "add", "daily-max", "Escitalopram", "20 mg", "--source", "the label"),
    ("rule", "add", "spacing", "Magnesium glycinate", "Escitalopram", "2"),
    ("rule", "add", "as-needed", "Ibuprofen", "--max-per-day", "3", "--min-interval", "4"),
    ("rule", "disable", "2"), ("rule", "enable", "2"), ("rule", "change", "2", "--amount", "25 mg"),
    ("rule", "list"), ("rule", "starters"),
    ("substance", "classes", "esc"), ("substance", "classes", "magnesium", "--class", "magnesium"),
    ("stock", "add", "esc", "30 tab", "--at", "2026-11-01"), ("stock", "set", "esc", "20 tab"),
    ("stock", "details", "esc", "--warn-days", "10", "--pharmacy", "Riverside"), ("stock",),
    ("remind",),  # escitalopram's 08:00 is open: printed (no session bus), and this device's reminder state written
    ("take", "esc", "--at", "08:05"), ("take", "ibuprofen", "400 mg", "--at", "07:00", "--note", "back"),
    ("skip", "magnesium", "--at", "2026-11-20 21:30", "--reason", "forgot"),
    ("rate", "sleep_hours=7.5", "mood=6", "focus=7"), ("rate", "mood=5", "--day", "yesterday"),
    ("symptom", "headache", "mild"),
    ("note", "felt calmer", "--flag"), ("note", "ask about the dose", "--question"),
    ("note", "once only", "--key", "k1"), ("note", "once only", "--key", "k1"),  # the replay also exits 0
    ("due",), ("adherence", "--json"), ("trends",), ("compare", "esc"),
    ("report", "--format", "pdf", "-o", "{data}/report.pdf"),
    ("report", "--format", "html", "--last", "30", "-o", "{data}/report.html"),
    ("report", "--format", "md", "-o", "{data}/report.md"),
    ("export", "--format", "json", "-o", "{data}/export.json"),
    ("export", "--format", "csv", "-o", "{data}/export.csv"),
    ("export", "--format", "fhir", "-o", "{data}/export.fhir.json"),
    ("import", "{data}/export.json"),  # everything is already there: skipped, and still a success
    ("merge", "{data}/export.json"),  # the journal's own export: nothing new, and still a success
    ("sync", "{data}"), ("sync", "{data}", "--status"),  # this device's copy (0600) and JOURNAL.sync beside it
    ("log",), ("log", "--json", "--kind", "dose", "--since", "2026-11-01"),
    ("note", "a slip"), ("undo",),
    ("backup",), ("backup", "-o", "{data}/copy.sqlite"),
    ("check",),
    ("completion", "bash"), ("__names", "bash", "substances", "--", "esc"),  # a Tab's names: read, never written
    ("restore", "{data}/copy.sqlite"),  # keeps the journal as it was in the backups folder
    ("demo", "--no-tui", "--db", "{data}/demo.sqlite"),
    ("--db", "{data}/demo.sqlite", "compare", "magnesium"),
    ("experiment", "plan", "magnesium", "--metric", "sleep_quality", "--pairs", "4", "--block", "7", "--dry-run"),
    ("experiment", "plan", "magnesium", "--metric", "mood", "--design", "random-pairs", "--pairs", "4", "--seed", "1"),
    ("experiment", "status", "--json"), ("experiment", "list"), ("experiment", "stop", "--key", "k2"),
    ("demo", "--no-tui", "--years", "1", "--db", "{data}/decade.sqlite"),  # a finished experiment to analyse
    ("--db", "{data}/decade.sqlite", "experiment", "analyze"),
    # an encrypted journal beside the plain one (MEDLOG_PASSPHRASE is set): its files are checked the same way
    ("init", "--encrypt", "--db", "{data}/sealed.sqlite"), ("--db", "{data}/sealed.sqlite", "note", "sealed"),
    ("--db", "{data}/sealed.sqlite", "backup"),
    # the settings: the config file is written 0600 in a 0700 folder; `edit` runs VISUAL (`true`, set below)
    ("config", "path"), ("config", "set", "day_rollover", "04:00"), ("config", "edit"), ("config", "show", "--json"),
)

# `medlog serve` listens on a loopback port by design: tests/web holds it to loopback (unless --allow-remote), the
# token on every request, and a page that loads nothing from anywhere else (in a real browser).
SERVERS = {("serve",)}

# The TUI's screens (keys 1–6), and keys pressed on each so its other panes load too.
TOUR = (("2", ()), ("3", ("f",)), ("4", ("a", "s", "b", "c")), ("1", ("question_mark", "escape")), ("6", ()),
        ("5", ()))

# What must be there when the modes are checked, so the check is never vacuous (relative to the data dir).
EXPECTED = {"journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm", "demo.sqlite", "decade.sqlite", "copy.sqlite",
            "sealed.sqlite", "report.pdf", "report.html", "report.md", "tui-report.md", "export.json", "export.csv",
            "export.fhir.json", "backups/journal-daily-2026-11-21.sqlite"}
EXPECTED_PREFIXES = ("backups/journal-manual-", "backups/journal-before-restore-", "backups/sealed-manual-")

_recording: list[str] | None = None  # what the hook appends to; None: not watching
_hooked = False


def _audit(event: str, args: tuple) -> None:
    seen = _recording
    if seen is not None:
        line = nonet.network_event(event, args)
        if line is not None:
            seen.append(line)


@contextmanager
def network_watch():
    """Record network events while inside (the hook itself stays: audit hooks cannot be removed)."""
    global _recording, _hooked
    if not _hooked:
        sys.addaudithook(_audit)
        _hooked = True
    _recording = seen = []
    try:
        yield seen
    finally:
        _recording = None


@pytest.fixture
def permissive_umask():
    """0o022 for the test (each run sets it again: main() leaves 0o077 behind), then the umask as it was."""
    before = os.umask(PERMISSIVE)
    try:
        yield
    finally:
        os.umask(before)


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every runnable command path in the parser: ("take",), ("rule", "add", "spacing"), …"""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {path}
    return {leaf for name, sub in subs[0].choices.items() for leaf in leaf_commands(sub, (*path, name))}


def command_path(parser: argparse.ArgumentParser, argv: tuple[str, ...]) -> tuple[str, ...]:
    """The command path `argv` runs: ("rule", "add", "spacing") for `rule add spacing A B 2`."""
    words = [w for i, w in enumerate(argv) if not w.startswith("-") and (i == 0 or argv[i - 1] != "--db")]
    path = []
    for word in words:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or word not in subs[0].choices:
            break
        parser = subs[0].choices[word]
        path.append(word)
    return tuple(path)


def modes_under(folder: str) -> dict[str, int]:
    """Every folder and file under `folder` (itself included, as "."), with its permission bits."""
    found = {".": stat.S_IMODE(os.stat(folder).st_mode)}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            full = os.path.join(root, name)
            found[os.path.relpath(full, folder)] = stat.S_IMODE(os.lstat(full).st_mode)
    return found


def assert_private(folder: str) -> dict[str, int]:
    found = modes_under(folder)
    loose = {name: oct(mode) for name, mode in found.items()
             if mode != (0o700 if os.path.isdir(os.path.join(folder, name)) else 0o600)}
    assert loose == {}, f"not private (folders must be 0o700, files 0o600): {loose}"
    return found


def hooked_env(env: dict[str, str], log: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (NONET, env.get("PYTHONPATH", "")) if p)
    return {**env, "PYTHONPATH": path, "MEDLOG_TEST_NETLOG": log}


def run_hooked(env: dict[str, str], log: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """A real `python -m medlog` with the network hook in from interpreter start-up, under a permissive umask."""
    return subprocess.run([sys.executable, "-m", "medlog", *argv], capture_output=True, text=True, timeout=60,
                          env=hooked_env(env, log), umask=PERMISSIVE)


def logged_events(log: str) -> tuple[int, list[str]]:
    """(how many processes installed the hook, the network events they logged)."""
    with open(log, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    return sum(line.startswith("# hooked") for line in lines), [line for line in lines if not line.startswith("#")]


def test_the_script_runs_every_command():
    """SCRIPT is the whole CLI: a command or subcommand added to the parser without a line there fails this."""
    parser = build_parser()
    assert {path[0] for path in leaf_commands(parser)} == set(COMMANDS)
    missing = leaf_commands(parser) - {command_path(parser, argv) for argv in SCRIPT} - SERVERS
    assert missing == set(), f"commands the privacy test does not run: {sorted(missing)}"


def test_the_hooks_see_a_socket(tmp_path, cli_env):
    """The watch can fail: an Internet socket made in-process, or in a hooked subprocess, is seen."""
    with network_watch() as seen:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
        for end in socket.socketpair():  # AF_UNIX: local, not reported
            end.close()
    assert [line.split()[0] for line in seen] == ["socket.__new__", "socket.bind"]
    log = str(tmp_path / "net.log")
    subprocess.run([sys.executable, "-c", "import socket; socket.socket(socket.AF_INET6).close()"], check=True,
                   env=hooked_env(cli_env, log), timeout=60)
    hooked, events = logged_events(log)
    assert hooked == 1 and len(events) == 1 and events[0].startswith("socket.__new__ (10,")


async def test_no_network_and_private_files_through_every_command_and_the_tui(medlog, cli_env, tmp_path,
                                                                           monkeypatch, permissive_umask):
    monkeypatch.setenv("MEDLOG_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)  # `remind` prints; never this desktop's bus
    monkeypatch.setenv("VISUAL", "true")  # `config edit`: an editor that changes nothing (never this machine's)
    cli_env = {**cli_env, "MEDLOG_PASSPHRASE": PASSPHRASE}
    data = os.path.join(cli_env["XDG_DATA_HOME"], "medlog")
    journal = os.path.join(data, "journal.sqlite")
    log = str(tmp_path / "net.log")
    with network_watch() as seen:
        for argv in SCRIPT:
            os.umask(PERMISSIVE)  # as a shell would start each command
            ran = medlog(*(word.format(data=data) for word in argv))
            assert ran.code == 0, f"medlog {' '.join(argv)} → {ran.code}: {ran.err}"

        # The TUI as `medlog` at a terminal starts it: main() resolves the journal and builds the app; Pilot drives
        # that app (its run() is what would take over the terminal).
        from medlog.tui.app import MedlogApp

        apps: list[MedlogApp] = []
        with monkeypatch.context() as patch:
            patch.setattr(MedlogApp, "run", lambda app, *a, **k: apps.append(app))
            patch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
            patch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
            os.umask(PERMISSIVE)
            assert main([]) == 0 and len(apps) == 1
        app = apps[0]
        assert app.journal.path == journal and app.watching
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("n")  # a note written from Today
            app.screen.query("Input").first().value = "from the tui"
            await pilot.press("enter")
            for key, keys in TOUR:
                await open_screen(pilot, key)
                for each in keys:
                    await pilot.press(each)
                    await settle(pilot)
            assert app.screen.id == "report"
            await pilot.press("f", "f")  # PDF → HTML → Markdown
            app.screen.query_one("#report-path").value = os.path.join(data, "tui-report.md")
            await pilot.press("e")
            await until(pilot, lambda: os.path.exists(os.path.join(data, "tui-report.md")))
            # The TUI's watcher holds a connection open; a CLI in another process writes meanwhile, so the -wal
            # and -shm stay after it exits: look at them now, while they exist.
            await until(pilot, lambda: app.watcher.conn is not None)
            wrote = run_hooked(cli_env, log, "note", "while the tui is open")
            assert wrote.returncode == 0, wrote.stderr
            assert os.path.exists(journal + "-wal") and os.path.exists(journal + "-shm")
            found = assert_private(data)
            await pilot.press("q")
        missing = EXPECTED - set(found)
        missing |= {p for p in EXPECTED_PREFIXES if not any(name.startswith(p) for name in found)}
        assert missing == set(), f"expected files not written: {sorted(missing)}"
        assert_private(data)  # and after the TUI has closed
        state = os.path.join(cli_env["HOME"], ".local", "state", "medlog")
        assert any(name.endswith(".reminders") for name in assert_private(state))  # `remind`'s, in its own folder
        assert "config.toml" in assert_private(os.path.join(cli_env["XDG_CONFIG_HOME"], "medlog"))  # `config set`'s
        assert "from the tui" in medlog("log", "--kind", "note").out  # the TUI's own write went through

        # A few commands in fresh interpreters, hooked from start-up (imports at start-up included).
        for argv in (("--version",), ("take", "esc", "--at", "08:10"),
                     ("export", "--format", "csv", "-o", os.path.join(data, "export2.csv"))):
            ran = run_hooked(cli_env, log, *argv)
            assert ran.returncode == 0, f"medlog {' '.join(argv)} → {ran.returncode}: {ran.stderr}"
        assert_private(data)
    hooked, events = logged_events(log)
    assert hooked == 4, "the subprocess hook was not installed in every child"
    assert (seen, events) == ([], []), "medlog touched the network"
