"""Days on the History, Trends and Report screens in the user's locale (issue 18 item 7), not only on Today and
in the report; in English, exactly as before."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from medlog.config import Settings
from medlog.services import entries, substances
from medlog.services.context import Journal
from medlog.tui.app import make_app
from tests.tui.conftest import until
from tests.tui.test_failed_reads import screen_text


def _in_locale(journal: Journal, locale: str) -> Journal:
    return Journal(journal.path, Settings(ZoneInfo("Europe/London"), locale=locale), journal.clock)


@pytest.mark.parametrize(("locale", "history", "trends"), [
    # pendulum's German: its day and month names and order; the row's day, the title and the detail line
    ("de", ("History 8 Nov. – 21. November 2026", "Sa. 21 Nov", "Sa., 21. November 2026 20:00"),
     "Sa., 21. November 2026"),
    ("en", ("History 08 Nov – 21 Nov 2026", "Sat 21 Nov", "Sat 21 Nov 2026 20:00"), "Sat 21 Nov 2026"),  # as before
])
async def test_history_and_trends_write_days_in_the_locale(tui_journal, locale, history, trends):
    entries.add_note(tui_journal, "felt calm")
    journal = _in_locale(tui_journal, locale)
    app = make_app(journal, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "Escitalopram" in screen_text(app), shown=screen_text)
        await pilot.press("3")
        await until(pilot, lambda: "felt calm" in screen_text(app), shown=screen_text)
        assert all(words in screen_text(app) for words in history), screen_text(app)
        await pilot.press("4")
        await until(pilot, lambda: "weeks to" in screen_text(app), shown=screen_text)
        assert trends in screen_text(app)
    assert app._exception is None
    assert substances.list_substances(journal)  # the journal read the same in any locale
