"""A screen's reads run in threads; when two overlap, the newer one's result is what the screen shows."""

from __future__ import annotations

import threading

from textual.app import App

from medlog.tui.base import JournalScreen


class Probe(JournalScreen):
    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []


async def test_a_slow_older_read_never_paints_over_a_newer_one():
    screen = Probe()
    old_started, release_old, old_done = threading.Event(), threading.Event(), threading.Event()

    def old_read() -> str:
        old_started.set()
        release_old.wait(5)
        old_done.set()
        return "old"

    app = App()
    async with app.run_test() as pilot:
        await app.push_screen(screen)
        screen.load(old_read, screen.shown.append)
        for _ in range(50):  # the older read is under way in its thread...
            if old_started.is_set():
                break
            await pilot.pause(0.05)
        assert old_started.is_set()
        screen.load(lambda: "new", screen.shown.append)  # ...when a newer one begins
        await pilot.pause(0.2)
        release_old.set()  # the older read finishes last, as a slow read on a busy disk can
        assert old_done.wait(5)
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert screen.shown == ["new"]
