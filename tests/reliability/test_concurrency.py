"""Concurrency: the TUI open (watching for changes, re-reading Today, visiting History) while 4 CLI processes each
write their notes through the real entry point (tests/reliability/writer.py).

No "database is locked" (or "busy") may reach a user — in a writer's output or in the TUI's workers; every note must
be there once; the -wal must stay bounded (the TUI must not pin it with a long read); the TUI must show them all.

Two TUI bugs found here are held by the tests at the end: History was not re-read when shown again after the CLI
wrote, and quitting closed the watcher's connection under a running watch thread (a segfault).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
from zoneinfo import ZoneInfo

from textual.widgets import Static
from textual.worker import Worker, WorkerState

from medlog.cli.main import main
from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.services.context import Journal
from medlog.tui.app import MedlogApp, make_app
from tests.conftest import NOW, ZONE

WRITER = os.path.join(os.path.dirname(__file__), "writer.py")
WRITERS = 4
WAL_LIMIT = 8 * 1024 * 1024  # SQLite checkpoints at ~4 MB (1,000 pages); twice that means checkpoints are starved
WATCH_SECONDS = 0.05  # how often the TUI asks SQLite whether anyone wrote (1 s in use: here, more reads to contend)


class WalSampler(threading.Thread):
    """The -wal file's largest size, sampled every few milliseconds (the event loop is too busy to sample finely)."""

    def __init__(self, wal: str) -> None:
        super().__init__(daemon=True)
        self.wal = wal
        self.largest = 0
        self.samples = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.002):
            with contextlib.suppress(FileNotFoundError):  # the -wal is deleted when the last connection closes
                self.largest = max(self.largest, os.path.getsize(self.wal))
            self.samples += 1


def quietly(*argv: str) -> int:
    """`medlog ARGV…` in-process, its confirmation discarded."""
    with contextlib.redirect_stdout(io.StringIO()):
        return main(list(argv))


def note_texts(app: MedlogApp) -> list[str]:
    """The notes the Today screen lists ("09:00  text" lines under "Symptoms & notes:")."""
    log = str(app.get_screen_stack("today")[0].query_one("#day-log", Static).render())
    return [line.strip().split("  ", 1)[1] for line in log.splitlines()[1:] if "  " in line.strip()]


async def today_notes(pilot, expected: set[str], seconds: float = 10) -> list[str]:  # type: ignore[no-untyped-def]
    """The notes Today lists, once they are `expected` or `seconds` have passed (its watcher re-reads it)."""
    for _ in range(int(seconds / 0.05)):
        if set(note_texts(pilot.app)) == expected:
            break
        await pilot.pause(0.05)
    return note_texts(pilot.app)


async def history_notes(pilot, expected: set[str], seconds: float = 10) -> set[str]:  # type: ignore[no-untyped-def]
    """The notes the History screen lists, once they include `expected` or `seconds` have passed."""
    listed: set[str] = set()
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        listed = {entry.text.removeprefix("note: ") for entry in getattr(pilot.app.screen, "entries", [])}
        if expected <= listed:
            break
    return listed


def start_writers(db: str, per_writer: int, env: dict[str, str], folder) -> list[subprocess.Popen]:  # type: ignore[no-untyped-def]
    """The writer processes, imported and waiting for "go"; each one's stderr goes to writer<i>.err in `folder`."""
    writers = []
    for i in range(WRITERS):
        with open(folder / f"writer{i}.err", "wb") as err:  # the child keeps its own copy of the descriptor
            writers.append(subprocess.Popen([sys.executable, WRITER, "notes", db, f"w{i}", str(per_writer)],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env,
                                            bufsize=0))
    for child in writers:
        assert child.stdout.readline() == b"ready\n", "a writer did not start"
    return writers


async def test_four_cli_writers_while_the_tui_watches(tmp_path, cli_env, runs):
    per_writer = runs(50, 250)
    db = str(tmp_path / "data" / "journal.sqlite")
    # The journal exists (with today's daily backup) before the TUI opens, as for a user who has logged before.
    assert quietly("note", "start", "--db", db) == 0
    expected = {"start"} | {f"w{i}-{n}" for i in range(WRITERS) for n in range(per_writer)}

    errors: list[str] = []  # what the TUI's workers failed with (they run with exit_on_error=False: silently)

    def hook(message) -> None:  # type: ignore[no-untyped-def]
        if isinstance(message, Worker.StateChanged) and message.state == WorkerState.ERROR:
            errors.append(f"{message.worker.name}: {message.worker.error!r}")

    writers = start_writers(db, per_writer, cli_env, tmp_path)
    app = make_app(Journal(db, Settings(ZoneInfo(ZONE)), FixedClock(NOW)), watch_seconds=WATCH_SECONDS)
    sampler = WalSampler(db + "-wal")
    counts_while_writing: list[int] = []  # how many notes Today listed, every tick
    try:
        async with app.run_test(size=(100, 40), message_hook=hook) as pilot:
            await pilot.pause()
            sampler.start()
            started = time.perf_counter()
            for child in writers:  # all at once
                child.stdin.write(b"go\n")
                child.stdin.close()
            ticks = 0
            while any(child.poll() is None for child in writers):
                ticks += 1
                # As a user might: re-read Today now and then; every second, visit History (it lists entries) and
                # come back. Keys are posted, not pressed with Pilot, which waits for the process to go idle.
                if ticks % 20 == 0:
                    app.simulate_key("3")
                elif ticks % 20 == 2:
                    app.simulate_key("1")
                elif ticks % 4 == 0:
                    app.simulate_key("t")
                await asyncio.sleep(0.05)
                counts_while_writing.append(len(note_texts(app)))
            wall = time.perf_counter() - started
            sampler.stopped.set()
            sampler.join()

            seconds = []
            for i, child in enumerate(writers):
                out = child.stdout.read().decode()
                err = (tmp_path / f"writer{i}.err").read_text()
                assert child.returncode == 0 and out.startswith("done "), f"writer {i} ended badly: {out} {err}"
                failed, took = int(out.split()[1]), float(out.split()[2])
                seconds.append(took)
                assert "locked" not in err.lower() and "busy" not in err.lower(), f"writer {i} told the user: {err}"
                assert failed == 0 and not err.strip(), f"writer {i}: {failed} of {per_writer} notes failed: {err}"

            # The TUI catches up by itself (its watcher) on Today, and History lists every note. (The loop may have
            # ended on History: back to Today first, where the watcher's refreshes land.)
            await pilot.press("1")
            shown = await today_notes(pilot, expected)
            assert len(shown) == len(expected) and set(shown) == expected, (
                f"Today shows {len(shown)} notes of {len(expected)}; missing e.g. {sorted(expected - set(shown))[:5]}")
            # History was mounted during the run and not on show at the last writes: shown again, it reads again.
            await pilot.press("3")
            listed = await history_notes(pilot, expected)
            assert expected <= listed, f"History lists {len(listed)}; missing e.g. {sorted(expected - listed)[:5]}"

            # With the TUI still open, a full checkpoint can empty the -wal: the TUI holds no read transaction open.
            conn = sqlite3.connect(db, timeout=5)
            try:
                busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                copies = dict(conn.execute("SELECT text, count(*) FROM note GROUP BY text").fetchall())
                integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                conn.close()
            wal_after = os.path.getsize(db + "-wal")
    finally:
        for child in writers:  # a failed assertion must not leave writers behind
            if child.poll() is None:
                child.kill()
                child.wait()

    assert not errors, f"the TUI's workers failed: {errors}"
    assert integrity == "ok", integrity
    assert copies == dict.fromkeys(expected, 1), "a note is missing or written twice"
    assert busy == 0 and wal_after == 0, f"with the TUI open, a checkpoint could not finish ({busy=}, {wal_after=})"
    assert sampler.largest < WAL_LIMIT, f"the -wal grew to {sampler.largest} bytes"
    assert len(set(counts_while_writing)) >= 3, f"Today did not follow the writes: {counts_while_writing}"
    print(f"\nconcurrency: {WRITERS} writers × {per_writer} notes = {WRITERS * per_writer} in {wall:.1f} s "
          f"(each writer {min(seconds):.1f}–{max(seconds):.1f} s); largest -wal {sampler.largest / 1024:.0f} KiB "
          f"({sampler.samples} samples); busy/locked errors 0; Today showed {len(set(counts_while_writing))} "
          f"different note counts while they wrote")


async def test_history_reads_again_what_the_cli_wrote_while_today_was_on_show(tmp_path, cli_env):
    db = str(tmp_path / "data" / "journal.sqlite")
    assert quietly("note", "first", "--db", db) == 0
    app = make_app(Journal(db, Settings(ZoneInfo(ZONE)), FixedClock(NOW)), watch_seconds=WATCH_SECONDS)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("3")
        assert await history_notes(pilot, {"first"}) == {"first"}
        await pilot.press("1")
        assert quietly("note", "second", "--db", db) == 0  # the CLI writes while Today is on show
        assert set(await today_notes(pilot, {"first", "second"})) == {"first", "second"}  # the watcher noticed
        await pilot.press("3")
        listed = await history_notes(pilot, {"first", "second"}, seconds=2)
    assert listed == {"first", "second"}, f"History, shown again, lists only {listed}"


async def test_quitting_never_closes_the_connection_a_watch_check_is_using(tmp_path, cli_env, monkeypatch):
    from medlog.services import day as day_service

    db = str(tmp_path / "data" / "journal.sqlite")
    assert quietly("note", "first", "--db", db) == 0
    checking, quit_done = threading.Event(), threading.Event()
    counting = threading.Lock()
    under_way = [0]  # checks inside slow_data_version
    failures: list[str] = []
    real_data_version = day_service.data_version

    def slow_data_version(conn: sqlite3.Connection) -> int:
        # Every check takes a while (a loaded machine), so the app quits while one is under way. They all wait
        # for the quit to be over, so none is inside SQLite while on_unmount closes (that is the segfault). If
        # quitting waited for the checks, they would go on after 5 s, to a connection still open, and pass.
        with counting:
            under_way[0] += 1
        checking.set()
        quit_done.wait(5)
        try:
            return real_data_version(conn)
        except sqlite3.Error as exc:
            failures.append(repr(exc))
            raise
        finally:
            with counting:
                under_way[0] -= 1

    monkeypatch.setattr(day_service, "data_version", slow_data_version)
    app = make_app(Journal(db, Settings(ZoneInfo(ZONE)), FixedClock(NOW)), watch_seconds=WATCH_SECONDS)
    async with app.run_test(size=(100, 40)) as pilot:
        while not checking.is_set():
            await pilot.pause(0.01)
    quit_done.set()
    for _ in range(1000):
        with counting:
            if not under_way[0]:
                break
        time.sleep(0.01)
    assert not under_way[0], "the watch checks never finished"
    assert not failures, f"after quitting, the watch check used a closed connection: {failures}"
