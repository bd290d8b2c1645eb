"""Today's doses in words (pendulum, after the first frame): "due in 1 hour", "overdue by 12 hours", "last taken
3 days ago", in the user's locale; and pendulum is not imported before the first frame."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.color import Color
from textual.widgets import Static

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import doses
from medlog.services.context import Journal
from medlog.tui.app import make_app
from medlog.tui.widgets import DoseTable
from tests.tui.conftest import imported_at_startup, settle


def logged(table: DoseTable) -> list[str]:
    return [str(table.get_row_at(i)[4]) for i in range(table.row_count)]


def as_needed(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#as-needed", Static).render())


async def test_open_doses_say_when_in_words(tui_journal):
    # Saturday 20:00 in London: the 08:00 dose is twelve hours past, the 21:30 one an hour and a half ahead
    # as needed, three days ago
    doses.take(tui_journal, "gaba", parse_amount("300 mg"), at=tui_journal.moment("2026-11-18 19:00"))
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DoseTable)
        assert logged(table) == ["overdue by 12 hours", "due in 1 hour"]
        overdue = table.get_row_at(0)[4]
        assert isinstance(overdue, Text) and overdue.style.color == Color.parse(  # type: ignore[union-attr]
            app.theme_variables["warning"]).rich_color and overdue.style.bold  # type: ignore[union-attr]
        assert as_needed(app) == "As needed: Gabapentin (last taken 3 days ago)  (a to log one)"
        await pilot.press("space")  # Escitalopram 08:00, taken now: its time, as before
        await settle(pilot)
        assert logged(table) == ["20:00", "due in 1 hour"]
        tui_journal.clock.instant = datetime(2026, 11, 21, 21, 20, tzinfo=UTC)
        app.screen.reload()
        await settle(pilot)
        assert logged(table) == ["20:00", "due in 10 minutes"]
        tui_journal.clock.instant = datetime(2026, 11, 21, 21, 40, tzinfo=UTC)
        app.screen.reload()
        await settle(pilot)
        assert logged(table) == ["20:00", "due 10 minutes ago"]
        await pilot.press("left")  # a past day: open doses are simply open, and no "last taken"
        await settle(pilot)
        assert logged(table) == ["", ""] and as_needed(app) == "As needed: Gabapentin  (a to log one)"


async def test_a_dose_still_ahead_says_when_it_is_due(tui_journal):
    tui_journal.clock.instant = datetime(2026, 11, 21, 12, 5, tzinfo=UTC)  # the evening dose's window is shut
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DoseTable)
        assert logged(table) == ["overdue by 4 hours", "due in 9 hours"]
        assert str(getattr(table.get_row_at(1)[4], "style", "")) == ""  # plain: not due yet
        assert as_needed(app) == "As needed: Gabapentin  (a to log one)"  # never taken: nothing to say


async def test_words_and_dates_in_the_users_locale(tmp_path):
    from tests.tui.conftest import EVENING

    journal = Journal(str(tmp_path / "journal.sqlite"), Settings(ZoneInfo("Europe/London"), locale="de"),
                      FixedClock(EVENING))
    from medlog.services import substances
    from medlog.services.substances import NewSubstance

    since = journal.moment("2026-11-01 08:00")
    substances.add(journal, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                                         schedule=parse_schedule("08:00"), since=since), source="tui")
    substances.add(journal, NewSubstance("Gabapentin", "medication", dose=parse_amount("300 mg"),
                                         schedule=parse_schedule("as-needed"), since=since), source="tui")
    doses.take(journal, "gaba", at=journal.moment("2026-11-18 19:00"))
    app = make_app(journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert logged(app.screen.query_one(DoseTable)) == ["overdue by 12 Stunden"]
        assert as_needed(app) == "As needed: Gabapentin (last taken vor 3 Tagen)  (a to log one)"
        title = str(app.screen.query_one("#day-title", Static).render())
        assert title.startswith("◀ Sa., 21. November 2026 ▶  today")


def test_the_tui_does_not_import_pendulum_to_start():
    assert imported_at_startup("pendulum") == []


FIRST_FRAME_PROBE = """
import asyncio, sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo
from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import substances
from medlog.services.context import Journal
from medlog.services.substances import NewSubstance
from medlog.tui.app import MedlogApp, make_app

journal = Journal(sys.argv[1], Settings(ZoneInfo("Europe/London"), locale=sys.argv[2]),
                  FixedClock(datetime(2026, 11, 21, 20, 0, tzinfo=UTC)))
substances.add(journal, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                                     schedule=parse_schedule("08:00"), since=journal.moment("2026-11-01 08:00")),
               source="tui")
seen = {}
ready = MedlogApp.on_ready

def on_ready(self):
    seen["at first frame"] = "pendulum" in sys.modules
    ready(self)

MedlogApp.on_ready = on_ready

async def main():
    app = make_app(journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("#doses")
        for _ in range(100):
            await pilot.pause(0.05)
            if table.row_count and "overdue by" in str(table.get_row_at(0)[4]):
                break
        seen["words"] = str(table.get_row_at(0)[4]) if table.row_count else None
    print(seen)

asyncio.run(main())
"""


def test_pendulum_is_imported_after_the_first_frame(tmp_path):
    """Not before the first frame, in any locale: the words come after it, from a worker."""
    import ast
    import subprocess
    import sys

    for locale, words in (("en", "overdue by 12 hours"), ("de", "overdue by 12 Stunden")):
        out = subprocess.run([sys.executable, "-c", FIRST_FRAME_PROBE, str(tmp_path / f"{locale}.sqlite"), locale],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        seen = ast.literal_eval(out.stdout.strip().splitlines()[-1])
        assert seen == {"at first frame": False, "words": words}
