"""The Today screen's read of a day, and its first read: begun in a thread before Textual is imported, so that
the first frame already holds today's doses (docs/performance.md, "The first paint a user sees").

No Textual here: `medlog` (cli/tui.py) starts the first read, then imports the app while the journal is read.
"""

from __future__ import annotations

import threading
from datetime import date

from medlog.domain.day import DayView
from medlog.services import day as day_service
from medlog.services.context import Journal

Due = dict[tuple[str, str], bool]  # (substance, slot time) → overdue (True) or due now (False)


def read_day(journal: Journal, day: date) -> tuple[DayView, Due]:
    """A day as the screen shows it; on today, also which open slots are due or overdue — by the same rules
    as `medlog due`, so the two never disagree. Runs off the UI thread, like every read."""
    view = day_service.day_view(journal, day)
    if day != journal.today():
        return view, {}  # a past day: what was not logged is simply open, not "due"
    from medlog.services.adherence import due

    return view, {(d.name, d.slot): d.overdue for d in due(journal)}


class FirstRead:
    """Today, read in a thread of its own from the moment the TUI is asked for.

    The Today screen takes the result as it mounts, if it is there by then (it is, unless the disk is slow: the
    read takes ~10–20 ms, Textual's import and start ~300 ms; the screen waits at most 0.1 s more); else it
    shows that it is loading and takes the result when it comes. A failure is kept and raised to whoever takes
    the result, on the UI side.
    """

    def __init__(self, journal: Journal) -> None:
        # Imported here, on the calling thread, so that the two threads never import the same modules at once.
        from medlog.services import adherence  # noqa: F401 - read_day's own import, done before the thread

        self.day = journal.today()
        self._done = threading.Event()
        self._result: tuple[DayView, Due] | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, args=(journal,), name="medlog-first-read", daemon=True).start()

    def _run(self, journal: Journal) -> None:
        try:
            self._result = read_day(journal, self.day)  # the module's read_day, looked up now (tests replace it)
        except BaseException as exc:  # noqa: BLE001 - handed to the screen, which says it
            self._error = exc
        finally:
            self._done.set()

    def ready(self, seconds: float = 0.0) -> bool:
        """Whether the read has ended (within `seconds`)."""
        return self._done.wait(seconds)

    def result(self) -> tuple[DayView, Due]:
        """The day read, once the read has ended (this waits for it); its error if it failed."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
