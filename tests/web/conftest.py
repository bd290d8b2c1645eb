"""`medlog serve` run as a user runs it: a real process on a free loopback port, stopped by the test, with every
child it started checked gone afterwards."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field

import pytest

pytest.importorskip("textual_serve", reason="medlog serve needs the 'serve' extra (textual-serve)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> set[int]:
    """The live child processes of `pid` (Linux's /proc), and theirs."""
    found: set[int] = set()
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            direct = {int(c) for c in fh.read().split()}
    except FileNotFoundError:
        return found
    for child in direct:
        found |= {child} | children(child)
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str  # with its token
    port: int
    seen_children: set[int] = field(default_factory=set)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]

    def sessions(self) -> set[int]:
        now = children(self.process.pid)
        self.seen_children |= now
        return now


def start(journal: str, env: dict[str, str], *extra: str) -> Served:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "medlog", "--db", journal, "serve", "--port", str(port), *extra],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    lines = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"(http://[^\s/]+:\d+/\?token=[\w-]+)", line)
        if found:
            served = Served(process, found.group(1), port)
            _wait_listening(port)
            return served
    process.kill()
    said = process.stderr.read() if process.stderr else ""
    raise AssertionError(f"medlog serve did not start: {''.join(lines)} {said}")


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


def stop(served: Served, sig: int = signal.SIGTERM) -> int:
    """Stop the server as a user or a service manager would; every child it ever had must be gone."""
    served.sessions()
    served.process.send_signal(sig)
    code = served.process.wait(timeout=20)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(p) for p in served.seen_children):
        time.sleep(0.05)
    left = {p for p in served.seen_children if alive(p)}
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"medlog serve left {len(left)} session process(es) behind"
    return code


@pytest.fixture
def serve_env(cli_env) -> dict[str, str]:
    return dict(cli_env)


@pytest.fixture
def served(demo, serve_env):
    """The demo journal (as the user's) served on a free loopback port; stopped (and checked) after the test."""
    server = start(demo, serve_env)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            stop(server)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return str(tmp_path_factory.mktemp("demo") / "demo.sqlite")


@pytest.fixture
def demo(medlog, demo_file, tmp_path):
    """The demo journal (120 days to the suite's clock), written once per module, copied for each test."""
    import shutil

    if not os.path.exists(demo_file):
        assert medlog("demo", "--no-tui", "--db", demo_file).code == 0
    target = str(tmp_path / "journal.sqlite")
    shutil.copyfile(demo_file, target)
    return target
