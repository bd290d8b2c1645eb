"""The first paint a user sees (issue 18 item 5): today's doses are in the first frame, read once; History and
Substances show their rows before their footers; a hidden screen's footer catches up when shown again; and the
watcher notices a journal deleted or replaced under it."""

from __future__ import annotations

import os
import shutil

from medlog.services import entries
from medlog.services.day import Watcher
from medlog.tui import day_read
from medlog.tui.app import make_app
from medlog.tui.base import QuietFooter
from tests.tui.conftest import open_screen, settle, until
from tests.tui.test_first_contact import screen_text


class Counted:
    def __init__(self, read) -> None:  # type: ignore[no-untyped-def]
        self.read, self.calls = read, 0

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.read(*args, **kwargs)


async def test_the_first_frame_holds_todays_doses_from_one_read(tui_journal, monkeypatch):
    counted = Counted(day_read.read_day)
    monkeypatch.setattr(day_read, "read_day", counted)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        # No worker has read anything yet: the doses came with the screen (the first read began with the app).
        assert app.screen._reads_started == {}
        assert "○  08:00  Escitalopram" in screen_text(app)
        assert "Loading…" not in screen_text(app).split("╭")[1]  # not in the checklist's box
        await settle(pilot)
        await pilot.pause(0.2)
        assert counted.calls == 1  # read once at start, not again when the screen is first shown
        assert "Sleep hours" in screen_text(app) and "Taken" in screen_text(app)  # the rest came after


async def test_a_first_read_started_before_textual_is_the_one_shown(tui_journal):
    first = day_read.FirstRead(tui_journal)
    assert first.ready(5)
    view, _ = first.result()
    app = make_app(tui_journal, watch=False, first_read=first)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.view is view  # type: ignore[attr-defined]
        assert app.first_read is None  # taken: a later Today (after a rollover) reads afresh
        await settle(pilot)


async def test_history_shows_a_long_page_whole_after_its_first_rows(tui_journal):
    for i in range(70):
        entries.add_note(tui_journal, f"note {i}", at=tui_journal.moment(f"2026-11-{10 + i % 10} 12:{i % 60:02d}"),
                         source="cli")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "3")
        table = app.screen.query_one("#history-table")
        await until(pilot, lambda: table.row_count == len(app.screen.entries) > 40,  # type: ignore[attr-defined]
                    shown=screen_text)
        await until(pilot, lambda: ", Older" in screen_text(app), shown=screen_text)  # the footer, after the rows


async def test_footers_come_after_the_rows_and_catch_up_after_a_switch(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "space Taken" in screen_text(app), shown=screen_text)
        today = app.screen
        await open_screen(pilot, "2")
        await until(pilot, lambda: "a Add" in screen_text(app), shown=screen_text)
        assert [f.behind for f in today.query(QuietFooter)] == [True]  # not redrawn while hidden
        await open_screen(pilot, "1")
        await until(pilot, lambda: "space Taken" in screen_text(app), shown=screen_text)
        assert [f.behind for f in today.query(QuietFooter)] == [False]
        await pilot.press("r")  # focus in the ratings: the footer follows as before
        await settle(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: "space Taken" in screen_text(app), shown=screen_text)


def test_the_watcher_notices_a_journal_deleted_or_replaced(tui_journal, tmp_path):
    watcher = Watcher(tui_journal)
    try:
        assert watcher.changed() is False  # the first look: nothing to compare with
        assert watcher.changed() is False
        saved = tmp_path / "saved.sqlite"
        shutil.copy(tui_journal.path, saved)
        os.remove(tui_journal.path)
        assert watcher.changed() is True  # gone: the screens read again and say so
        assert watcher.changed() is False  # said once
        shutil.copy(saved, tui_journal.path)
        assert watcher.changed() is True  # back (restored): read again
        assert watcher.changed() is False
        other = tmp_path / "other.sqlite"
        shutil.copy(saved, other)
        os.replace(other, tui_journal.path)  # replaced by another file, as a restore or a sync tool does
        assert watcher.changed() is True
        assert watcher.changed() is False
    finally:
        watcher.close()
