"""What every journal screen shares: the journal, and running a use case in a worker thread."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TypeVar

from textual import work
from textual._context import NoActiveAppError
from textual.app import ScreenStackError
from textual.screen import Screen

from medlog.domain.errors import MedlogError
from medlog.services.context import Journal

T = TypeVar("T")


class JournalScreen(Screen):
    """A screen that shows part of the journal. Database work runs in threads, never on the UI thread."""

    @property
    def journal(self) -> Journal:
        return self.app.journal  # type: ignore[attr-defined]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._reads_started: dict[str, int] = {}  # per channel, the reads begun
        self._stale = False  # another process wrote while this screen was not on show
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
        if self._stale:
            self._stale = False
            self.refresh_data()

    def load(self, read: Callable[[], T], show: Callable[[T], Awaitable[None] | None], *,
             channel: str = "load") -> None:
        """Run `read` in a thread and hand its result to `show` on the UI thread, unless a newer read began.

        Cancelling a thread worker does not stop its thread, so an older read that finishes late would
        otherwise paint a stale view over a newer one (seen after a write right after changing day).
        A screen that shows parts loaded apart (one part only when asked for) gives each part its `channel`:
        a read supersedes only the reads of its own channel.
        """
        number = self._reads_started[channel] = self._reads_started.get(channel, 0) + 1
        self.run_worker(partial(self._read, channel, number, read, show), group=channel, thread=True,
                        exclusive=True, exit_on_error=False)

    def _read(self, channel: str, number: int, read: Callable[[], T],
              show: Callable[[T], Awaitable[None] | None]) -> None:
        result = read()
        self.app.call_from_thread(self._deliver, channel, number, show, result)

    async def _deliver(self, channel: str, number: int, show: Callable[[T], Awaitable[None] | None],
                       result: T) -> None:
        if number == self._reads_started.get(channel):
            shown = show(result)
            if shown is not None:  # an async show (one that mounts widgets)
                await shown

    @work(thread=True, group="write", exit_on_error=False)
    def write(self, use_case, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Run a service use case; say what was logged (or why not), then refresh."""
        try:
            result = use_case(self.journal, *args, **kwargs)
        except MedlogError as exc:
            # markup=False everywhere here: messages quote names and notes, which are never markup
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=8, markup=False)
            return
        self.app.call_from_thread(self._written, result)

    def _written(self, result) -> None:  # type: ignore[no-untyped-def]
        summary = getattr(result, "summary", result)
        if summary:
            self.notify(str(summary), title="Done", markup=False)
        for note in getattr(result, "notes", ()):
            self.notify(note, severity="warning", timeout=10, markup=False)
        for warning in getattr(result, "warnings", ()):  # a safety rule: red, and on screen longer than a note
            self.notify(warning, title="Rule", severity="error", timeout=30, markup=False)
        self.refresh_data()
