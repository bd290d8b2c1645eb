"""Issue 16 item 10: the History screen marks entries logged in another zone than the
current one."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from textual.widgets import DataTable

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.services import entries
from medlog.services.context import Journal
from medlog.tui.app import make_app
from tests.tui.conftest import open_screen


async def test_history_marks_entries_logged_in_another_zone(tui_journal):
    tokyo = Journal(tui_journal.path, Settings(ZoneInfo("Asia/Tokyo")),
                    FixedClock(datetime(2026, 11, 20, 20, 0, tzinfo=UTC)))
    entries.add_note(tokyo, "landed in Tokyo")  # 05:00 on the 21st, Tokyo time
    entries.add_note(tui_journal, "home again")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, "3")
        table = app.screen.query_one(DataTable)
        cells = {str(table.get_row_at(i)[3]): table.get_row_at(i)[1] for i in range(table.row_count)}
    assert cells["(Asia/Tokyo) note: landed in Tokyo"] == "05:00"
    assert cells["note: home again"] == "20:00"
