"""What every journal screen shares: the journal, and running a use case in a worker thread."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial
from typing import Any, TypeVar

from textual import work
from textual._context import NoActiveAppError
from textual.app import ScreenStackError
from textual.screen import Screen
from textual.widgets import Footer

from medlog.domain.errors import MedlogError, StoreError
from medlog.services.context import Journal

T = TypeVar("T")


def if_answered(then: Callable[[Any], object]) -> Callable[[Any], None]:
    """A modal's callback that acts only on an answer: `then(answer)`, not on a cancel (None) or a "no" (False).
    (Any: each modal's answer has its own shape, a form's dict, a pick's name, a confirm's True.)"""
    def callback(answer: Any) -> None:
        if answer is not None and answer is not False:
            then(answer)
    return callback
AFTER_ROWS = 0.1  # seconds after a screen's rows are shown, its later parts (JournalScreen.after_rows)


class QuietFooter(Footer):
    """Textual's footer, which does not redraw its keys while its screen is hidden.

    Textual's recomposes (15–40 ms: each key is a widget) whenever its screen's bindings are published again,
    which happens as the screen loses focus on a switch: that work held up the next screen's first frame.
    It catches up when its screen is shown again (JournalScreen.on_screen_resume).
    """

    behind = False

    def bindings_changed(self, screen: Screen) -> None:
        if screen.is_current:
            super().bindings_changed(screen)
        else:
            self.behind = True

    def catch_up(self) -> None:
        if self.behind:
            self.behind = False
            self.refresh(recompose=True)  # in its own time and context, as Textual's own recompose


class JournalScreen(Screen):
    """A screen that shows part of the journal. Database work runs in threads, never on the UI thread."""

    @property
    def journal(self) -> Journal:
        return self.app.journal  # type: ignore[attr-defined]

    def day_words(self, day: date, style: str = "day") -> str:
        """A day in the user's locale (the `locale` setting), in one of domain/humanize.STYLES."""
        from medlog.domain.humanize import day_text

        return day_text(day, self.journal.settings.locale, style)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._reads_started: dict[str, int] = {}  # per channel, the reads begun
        self._stale = False  # another process wrote while this screen was not on show
        self._failure: str | None = None  # what this screen's last read said if it failed (None once one succeeds)
        # A new screen is styled as its widgets mount. Textual also restyles the whole app (every screen) twice
        # when it first switches to a mode whose screen has not seen the current stylesheet: a tenth of a second
        # of the budgeted switch, spent on nothing that changed. Once a screen is on show (the stylesheet and its
        # theme are settled), say a new one has seen it; a theme change later still counts. Not for the first
        # screen: the app's first styling is what settles them.
        # `_css_update_count` is private to Textual: if a version drops it, getattr gives None and screens are
        # restyled as before (slower, never wrong).
        try:
            app = self.app
            count = getattr(app, "_css_update_count", None) if app.screen.is_mounted else None
        except (NoActiveAppError, ScreenStackError):  # built outside a running app, or before its first screen
            count = None
        if isinstance(count, int) and not self.CSS and not self.CSS_PATH:
            self._css_update_count = count

    def refresh_data(self) -> None:
        """Load again what the screen shows (after a write here, or one from the CLI)."""

    def journal_changed(self, *, on_show: bool) -> None:
        """Another process wrote: load again now if on show, else when next shown."""
        self._stale = not on_show
        if on_show:
            self.refresh_data()

    def on_screen_resume(self) -> None:
        for footer in self.query(QuietFooter):
            footer.catch_up()
        if self._stale:
            self._stale = False
            self.refresh_data()

    def load(self, read: Callable[[], T], show: Callable[[T], Awaitable[None] | None], *,
             channel: str = "load") -> None:
        """Run `read` in a thread and hand its result to `show` on the UI thread, unless a newer read began.

        Cancelling a thread worker does not stop its thread, so an older read that finishes late would
        otherwise paint a stale view over a newer one (seen after a write right after changing day).
        A screen that shows parts loaded apart (one part only when asked for) gives each part its `channel`:
        a read supersedes only the reads of its own channel. A read that fails (the file is not a journal, is
        damaged, has gone) goes to `read_failed` instead: never a silent, empty screen.
        """
        number = self._reads_started[channel] = self._reads_started.get(channel, 0) + 1
        self.run_worker(partial(self._read, channel, number, read, show), group=channel, thread=True,
                        exclusive=True, exit_on_error=False)

    def _read(self, channel: str, number: int, read: Callable[[], T],
              show: Callable[[T], Awaitable[None] | None]) -> None:
        try:
            result = read()
            self._check_still_there()
        except MedlogError as exc:
            self.app.call_from_thread(self._deliver_failure, channel, number, exc)
            return
        self._failure = None  # readable again: a later failure is said again
        if getattr(self.app, "read_failure", None):
            self.app.read_failure = None  # type: ignore[attr-defined]
        self.app.call_from_thread(self._deliver, channel, number, show, result)  # type: ignore[arg-type]  # Textual types the callback's result as its own generic, which a generic coroutine method cannot meet

    def _check_still_there(self) -> None:
        """A journal that was there and is no longer (deleted or moved while medlog is open) reads as no journal
        at all: an empty day, "no substances yet". Say what happened instead."""
        journal = getattr(self.app, "journal", None)  # None: a screen in a bare App (tests)
        if journal is None:
            return
        path = journal.path
        if os.path.exists(path):
            self.app.journal_seen = journal.must_exist = True  # type: ignore[attr-defined]
        elif getattr(self.app, "journal_seen", False):
            raise StoreError(f"the journal {path} is no longer there: it was deleted or moved while medlog was "
                             "open; open it where it is now, or put a backup back (medlog restore FILE)")

    async def _deliver(self, channel: str, number: int, show: Callable[[T], Awaitable[None] | None],
                       result: T) -> None:
        if number == self._reads_started.get(channel):
            shown = show(result)
            if shown is not None:  # an async show (one that mounts widgets)
                await shown

    def _deliver_failure(self, channel: str, number: int, error: MedlogError) -> None:
        if number == self._reads_started.get(channel):
            self._failed(channel, error)

    def _failed(self, channel: str, error: MedlogError) -> None:
        said = self._failure = str(error)
        app = self.app
        if said != getattr(app, "read_failure", None):  # one notice, not one per screen and reload
            app.read_failure = said  # type: ignore[attr-defined]
            self.notify(said, title="Cannot read the journal", severity="error", timeout=30, markup=False)
        self.read_failed(error, channel)

    def read_failed(self, error: MedlogError, channel: str) -> None:
        """A read failed (the notice is up): a screen says so where its rows would be, never "none yet"."""

    def after_rows(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the frame that brings the rows has been drawn. Not call_after_refresh: a screen
        switch holds frames back for 50 ms (Textual's delay_update), and meanwhile such callbacks run at once."""
        self.set_timer(AFTER_ROWS, callback)

    async def add_footer(self) -> None:
        """The footer, once the screen's rows are on show: its keys are many widgets, recomposed (15–30 ms each
        time) as the screen's bindings settle, which would hold up the frame that brings the rows."""
        if not self.query(Footer):
            await self.mount(QuietFooter())
            self.refresh_bindings()  # a footer mounted late shows no keys until the bindings are published again

    @work(thread=True, group="write", exit_on_error=False)
    def write(self, use_case, *args, **kwargs) -> None:
        """Run a service use case; say what was logged (or why not), then refresh."""
        try:
            result = use_case(self.journal, *args, **kwargs)
        except MedlogError as exc:
            # markup=False everywhere here: messages quote names and notes, which are never markup
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=8, markup=False)
            return
        self.app.call_from_thread(self._written, result)

    def _written(self, result) -> None:
        summary = getattr(result, "summary", result)
        if summary:
            self.notify(str(summary), title="Done", markup=False)
        for note in getattr(result, "notes", ()):
            self.notify(note, severity="warning", timeout=10, markup=False)
        for warning in getattr(result, "warnings", ()):  # a safety rule: red, and on screen longer than a note
            self.notify(warning, title="Rule", severity="error", timeout=30, markup=False)
        self.refresh_data()
