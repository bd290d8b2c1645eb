"""Today's doses in words, for the Today screen: "due in 25 minutes", "overdue by 2 hours", "last taken 3 days ago".

Words need pendulum (domain/humanize.py), whose import (~30–60 ms) the TUI's first paint cannot afford (DESIGN
§8). So the screen shows its checklist first, with the marks its read gave (due now, overdue), and asks for these
words in a worker once the first frame is on screen; they then stay up to date with every read of the day.
"""

from __future__ import annotations

from datetime import datetime

from medlog.domain.adherence import due_instant
from medlog.domain.day import DayView
from medlog.domain.humanize import due_text, relative
from medlog.domain.record import record
from medlog.services.adherence import due
from medlog.services.context import Journal
from medlog.store import adherence as reads
from medlog.store.connection import NoJournal


@record
class Words:
    # (substance, slot time) → (its state, the words): the state is "overdue", "due" (its window is open) or
    # "ahead" (not yet); the screen shows the words while the slot is still in the state they were written for
    slots: dict[tuple[str, str], tuple[str, str]]
    as_needed: dict[str, str]  # substance → "last taken 3 days ago" (one never taken is absent)


def words(journal: Journal, view: DayView, due_now: dict[tuple[str, str], bool]) -> Words:
    """Today's open slots of `view` in words, each in the state `due_now` (the read's: overdue True, due False,
    absent: ahead) gave it, and when each as-needed substance was last taken. Runs in a worker."""
    now, settings = journal.now(), journal.settings
    instants: dict[tuple[str, str], datetime] = {(d.name, d.slot): d.due for d in due(journal)}
    slots = {}
    for slot in view.slots:
        if slot.status != "open":
            continue
        key = (slot.substance, slot.time)
        at = instants.get(key) or due_instant(view.day, slot.time, settings.zone, settings.rollover)
        overdue = due_now.get(key)
        state = "ahead" if overdue is None else "overdue" if overdue else "due"
        slots[key] = (state, due_text(at, now, state == "overdue", settings.locale))
    last: dict[str, datetime] = {}
    if view.as_needed:
        try:
            with journal.reading() as conn:
                last = reads.last_taken(conn, view.as_needed)
        except NoJournal:
            pass
    return Words(slots, {name: f"last taken {relative(at, now, settings.locale)}" for name, at in last.items()})
