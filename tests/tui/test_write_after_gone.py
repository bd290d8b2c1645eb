"""A journal deleted or moved while the TUI is open: a write says it has gone and makes no new, empty journal in
its place (issue 18; before, a note or a rating quietly started a fresh journal at the old path)."""

from __future__ import annotations

import os

from medlog.tui.app import make_app
from tests.tui.conftest import until
from tests.tui.test_failed_reads import error_notices, screen_text


async def test_a_note_after_the_journal_was_moved_is_refused_and_nothing_is_created(tui_journal, tmp_path):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Escitalopram" in screen_text(app), shown=screen_text)
        moved = tmp_path / "moved.sqlite"
        os.replace(tui_journal.path, moved)  # moved away by hand, or a sync tool, while medlog is open
        await pilot.press("n")
        await pilot.press(*"felt calm")
        await pilot.press("enter")
        await until(pilot, lambda: any("no longer there" in n for n in error_notices(app)), shown=screen_text)
    assert not os.path.exists(tui_journal.path)  # no new, empty journal where the old one was
    assert moved.exists()
    assert app._exception is None


async def test_a_journal_opened_before_it_existed_is_made_by_the_first_write(tmp_path):
    from zoneinfo import ZoneInfo

    from medlog.clock import FixedClock
    from medlog.config import Settings
    from medlog.services.context import Journal
    from tests.tui.conftest import EVENING

    journal = Journal(str(tmp_path / "data" / "new.sqlite"), Settings(ZoneInfo("Europe/London")), FixedClock(EVENING))
    app = make_app(journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "No substances yet" in screen_text(app), shown=screen_text)
        await pilot.press("n")
        await pilot.press(*"first note")
        await pilot.press("enter")
        await until(pilot, lambda: os.path.exists(journal.path), shown=screen_text)
    assert not error_notices(app)
