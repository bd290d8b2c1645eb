"""A seeded journal with a fixed clock for the TUI, and helpers to drive it with Pilot."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount, parse_strength
from medlog.services import substances
from medlog.services.context import Journal
from medlog.services.substances import NewSubstance

# Saturday 2026-11-21, 20:00 in London: the morning dose is due-and-past, the evening one still ahead.
EVENING = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)


@pytest.fixture
def tui_journal(tmp_path) -> Journal:
    journal = Journal(str(tmp_path / "journal.sqlite"), Settings(ZoneInfo("Europe/London")), FixedClock(EVENING))
    since = journal.moment("2026-11-01 08:00")
    for new in (
        NewSubstance("Escitalopram", "medication", strength=parse_strength("10 mg"), form="tablet",
                     dose=parse_amount("10 mg"), schedule=parse_schedule("08:00"), since=since),
        NewSubstance("Magnesium glycinate", "supplement", dose=parse_amount("200 mg"),
                     schedule=parse_schedule("21:30"), since=since),
        NewSubstance("Gabapentin", "medication", strength=parse_strength("300 mg"), form="capsule",
                     schedule=parse_schedule("as-needed"), since=since),
    ):
        substances.add(journal, new, source="tui")
    return journal


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and the screen catch up. A read superseded by a newer one is cancelled on purpose
    (JournalScreen.load); waiting on it raises WorkerCancelled, which says only that: wait for the rest again
    (seen in CI under load: the clock-moving test's first read was superseded while it was waited on). A read
    may start another as it is shown (Today asks for its doses in words): wait until none is left."""
    from textual.worker import WorkerCancelled

    await pilot.pause()
    for _ in range(10):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            await pilot.pause()
            continue
        await pilot.pause()
        if all(worker.is_finished for worker in pilot.app.workers):
            break
    await pilot.pause()


async def until(pilot, condition, seconds: float = 10, shown=lambda app: "") -> None:  # type: ignore[no-untyped-def]
    """Settle until `condition()` holds (reads run in threads, and some wait for a cursor to rest); else fail
    with what `shown(app)` says is on the screen."""
    for _ in range(int(seconds / 0.05)):
        await settle(pilot)
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the screen never got there: {shown(pilot.app)}")


async def open_screen(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    """Settle, switch screens with its key (1, 2, 3), and settle again."""
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


def rows(journal: Journal, sql: str) -> list[tuple]:
    conn = sqlite3.connect(journal.path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def imported_at_startup(*prefixes: str) -> list[str]:
    """The modules under `prefixes` that importing the TUI app loads, in a fresh process."""
    import subprocess
    import sys

    code = ("import sys; from medlog.tui.app import make_app; "
            f"print(sorted(m for m in sys.modules if m.startswith({prefixes!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    import ast

    return ast.literal_eval(out)  # the list of module names the child printed
