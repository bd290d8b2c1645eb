"""What every journal screen shares: the journal, and running a use case in a worker thread."""

from __future__ import annotations

from textual import work
from textual.screen import Screen

from medlog.domain.errors import MedlogError
from medlog.services.context import Journal


class JournalScreen(Screen):
    """A screen that shows part of the journal. Database work runs in threads, never on the UI thread."""

    @property
    def journal(self) -> Journal:
        return self.app.journal  # type: ignore[attr-defined]

    def refresh_data(self) -> None:
        """Load again what the screen shows (after a write here, or one from the CLI)."""

    @work(thread=True, group="write", exit_on_error=False)
    def write(self, use_case, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Run a service use case; say what was logged (or why not), then refresh."""
        try:
            result = use_case(self.journal, *args, **kwargs)
        except MedlogError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=8)
            return
        self.app.call_from_thread(self._written, result)

    def _written(self, result) -> None:  # type: ignore[no-untyped-def]
        summary = getattr(result, "summary", result)
        if summary:
            self.notify(str(summary), title="Done")
        for note in getattr(result, "notes", ()):
            self.notify(note, severity="warning", timeout=10)
        self.refresh_data()
