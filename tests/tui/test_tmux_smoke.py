"""The real `medlog` in a real terminal (tmux, 80×24): open, tick a dose, look at Trends, quit — and the dose is in
the file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed on this machine")


def screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def wait_for(session: str, text: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        shown = screen(session)
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared:\n{screen(session)}")


def test_medlog_in_tmux(tmp_path, cli_env):
    db = str(tmp_path / "journal.sqlite")
    run = [sys.executable, "-m", "medlog", "--db", db]
    subprocess.run([*run, "substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg",
                    "--schedule", "08:00"], env=cli_env, check=True, capture_output=True)
    session = f"medlog-test-{os.getpid()}"
    exports = " ".join(f"{k}={v}" for k, v in cli_env.items() if k.startswith(("MEDLOG_", "XDG_", "HOME")))
    command = f"env {exports} {' '.join(run)}"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True)
    try:
        shown = wait_for(session, "○  08:00  Escitalopram")
        assert "Sat 21 Nov 2026" in shown
        wait_for(session, "? Help")  # the footer is mounted after the first frame; its keys must still show
        subprocess.run(["tmux", "send-keys", "-t", session, "Space"], check=True)
        wait_for(session, "✓  08:00  Escitalopram")
        subprocess.run(["tmux", "send-keys", "-t", session, "4"], check=True)  # Trends, in a real terminal too
        wait_for(session, "Trends — 12 weeks to Sat 21 Nov 2026")
        wait_for(session, "Nothing rated in these weeks")
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 10
        while subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode == 0:
            assert time.monotonic() < deadline, "medlog did not quit on q"
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT slot, source FROM dose").fetchall() == [("08:00", "tui")]
    conn.close()


def test_stored_escape_sequences_reach_a_real_terminal_escaped(tmp_path, cli_env):
    """Issue 16 item 2: a name stored with an OSC title sequence is drawn as text; the terminal's title and
    screen are untouched."""
    db = str(tmp_path / "journal.sqlite")
    run = [sys.executable, "-m", "medlog", "--db", db]
    subprocess.run([*run, "substance", "add", "Magnesium", "--kind", "supplement", "--dose", "200 mg",
                    "--schedule", "21:30"], env=cli_env, check=True, capture_output=True)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE substance SET name = ?", ("Mag\x1b]2;PWNED\x07nesium\x1b[2J",))
    conn.close()
    session = f"medlog-hostile-{os.getpid()}"
    exports = " ".join(f"{k}={v}" for k, v in cli_env.items() if k.startswith(("MEDLOG_", "XDG_", "HOME")))
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "24",
                    f"env {exports} {' '.join(run)}"], check=True)
    try:
        shown = wait_for(session, "Mag\\x1b]2;PWNED")  # the column cuts the rest
        assert "Sat 21 Nov 2026" in shown  # the screen was not cleared under the app
        title = subprocess.run(["tmux", "display-message", "-p", "-t", session, "#{pane_title}"],
                               capture_output=True, text=True).stdout
        assert "PWNED" not in title
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
