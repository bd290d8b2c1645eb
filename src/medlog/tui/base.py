"""What every journal screen shares: the journal, and running a use case in a worker thread."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from textual import work
from textual.screen import Screen

from medlog.domain.errors import MedlogError
from medlog.services.context import Journal

T = TypeVar("T")


class JournalScreen(Screen):
    """A screen that shows part of the journal. Database work runs in threads, never on the UI thread."""

    @property
    def journal(self) -> Journal:
        return self.app.journal  # type: ignore[attr-defined]

    _reads_started = 0

    def refresh_data(self) -> None:
        """Load again what the screen shows (after a write here, or one from the CLI)."""

    def load(self, read: Callable[[], T], show: Callable[[T], Awaitable[None] | None]) -> None:
        """Run `read` in a thread and hand its result to `show` on the UI thread, unless a newer read began.

        Cancelling a thread worker does not stop its thread, so an older read that finishes late would
        otherwise paint a stale view over a newer one (seen after a write right after changing day).
        """
        self._reads_started += 1
        self._read(self._reads_started, read, show)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _read(self, number: int, read: Callable[[], T], show: Callable[[T], Awaitable[None] | None]) -> None:
        result = read()
        self.app.call_from_thread(self._deliver, number, show, result)

    async def _deliver(self, number: int, show: Callable[[T], Awaitable[None] | None], result: T) -> None:
        if number == self._reads_started:
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
