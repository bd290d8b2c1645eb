"""A failed read shows a notice, never an empty screen (issue 18 item 5): a file that is not a journal, and a
journal deleted or written over while the TUI is open."""

from __future__ import annotations

import os
import re
from zoneinfo import ZoneInfo

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.services.context import Journal
from medlog.tui.app import make_app
from medlog.tui.widgets import DoseTable
from tests.tui.conftest import EVENING, settle, until
from tests.tui.test_first_contact import screen_text as screen_lines


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """The screen's words, lines and borders dropped: a message wrapped at 80 columns reads as one."""
    return " ".join(re.sub(r"[\u2500-\u259f]", " ", screen_lines(app)).split())


def error_notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications if n.severity == "error"]


async def test_a_file_that_is_not_a_journal_says_so_on_every_screen(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping: milk, eggs\nnot a journal at all\n" * 50)
    journal = Journal(str(path), Settings(ZoneInfo("Europe/London")), FixedClock(EVENING))
    app = make_app(journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "The journal could not be read" in shown and "is not a medlog journal" in shown, shown
        assert "No substances yet" not in shown and "Loading…" not in shown and "Nothing logged" not in shown
        assert not app.screen.query_one(DoseTable).display  # no empty checklist
        assert len(error_notices(app)) == 1 and "is not a medlog journal" in error_notices(app)[0]

        await pilot.press("3")
        await until(pilot, lambda: "could not be read" in screen_text(app), shown=screen_text)
        assert "Nothing in these two weeks" not in screen_text(app) and "loading" not in screen_text(app)
        await pilot.press("2")
        await until(pilot, lambda: "The substances could not be read" in screen_text(app), shown=screen_text)
        assert "No substances yet" not in screen_text(app) and "Loading…" not in screen_text(app)
        await pilot.press("6")
        await until(pilot, lambda: "The experiments could not be read" in screen_text(app), shown=screen_text)
        await pilot.press("4")
        await until(pilot, lambda: "could not be read" in screen_text(app), shown=screen_text)
        assert "loading…" not in screen_text(app)
        assert len(error_notices(app)) == 1  # the same failure is one notice, not one per screen
    assert path.read_text().startswith("shopping")  # left as it was
    assert app._exception is None


async def test_a_journal_deleted_while_open_is_said_to_be_gone_not_empty(tui_journal):
    app = make_app(tui_journal, watch=True, watch_seconds=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Escitalopram" in screen_text(app), shown=screen_text)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(tui_journal.path + suffix):
                os.remove(tui_journal.path + suffix)
        await until(pilot, lambda: "is no longer there" in screen_text(app), shown=screen_text)
        shown = screen_text(app)
        assert "No substances yet" not in shown, shown  # not a new, empty journal
        assert any("is no longer there" in n for n in error_notices(app))
        await pilot.press("2")
        await until(pilot, lambda: "Escitalopram" in screen_text(app) or "could not be read" in screen_text(app),
                    shown=screen_text)
        assert "No substances yet" not in screen_text(app)
    assert not os.path.exists(tui_journal.path)  # reading never made a new one


async def test_a_journal_written_over_while_open_is_noticed_by_the_watcher(tui_journal):
    app = make_app(tui_journal, watch=True, watch_seconds=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Escitalopram" in screen_text(app), shown=screen_text)
        await settle(pilot)
        with open(tui_journal.path, "r+b") as fh:  # garbage over the header and the first pages, in place
            fh.write(os.urandom(64 * 1024))
        await until(pilot, lambda: "The journal could not be read" in screen_text(app), shown=screen_text)
        assert any("damaged" in n or "not a medlog journal" in n for n in error_notices(app)), error_notices(app)
        assert "No substances yet" not in screen_text(app)


async def test_a_journal_readable_again_clears_the_message(tui_journal):
    """The same path, unreadable and then a journal again (put back): `t` reads again, and the message goes."""
    with open(tui_journal.path, "rb") as fh:
        saved = fh.read()
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Escitalopram" in screen_text(app), shown=screen_text)
        with open(tui_journal.path, "r+b") as fh:
            fh.write(b"\0" * 4096)
        await pilot.press("t")
        await until(pilot, lambda: "The journal could not be read" in screen_text(app), shown=screen_text)
        with open(tui_journal.path, "wb") as fh:
            fh.write(saved)
        await pilot.press("t")
        await until(pilot, lambda: "could not be read" not in screen_text(app), shown=screen_text)
        assert "Escitalopram" in screen_text(app)
