"""Snooze from the Today screen (z): the selected dose's reminder is held back 30 minutes, in this device's reminder
state (through services/reminders.py, never the journal), and `medlog remind` then sends it when the snooze ends."""

from __future__ import annotations

from datetime import UTC, datetime

from medlog.clock import FixedClock
from medlog.services import reminders
from medlog.services.context import Journal
from medlog.store import reminder_state
from medlog.tui.app import make_app
from tests.tui.conftest import rows, settle, until


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


async def test_z_snoozes_the_selected_doses_reminder(tui_journal, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    before = rows(tui_journal, "SELECT count(*) FROM change_log")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "z")  # Magnesium glycinate, 21:30 (the clock says 20:00)
        await until(pilot, lambda: any("snoozed" in n for n in notices(app)), shown=notices)
        assert "The reminder for Magnesium glycinate (21:30) is snoozed until 22:00" in notices(app)
    state = reminder_state.read(reminders.state_path(tui_journal))
    (key,) = state.snoozed
    assert key.endswith(":2026-11-21:21:30") and state.snoozed[key] == datetime(2026, 11, 21, 22, 0, tzinfo=UTC)
    assert rows(tui_journal, "SELECT count(*) FROM change_log") == before  # the journal is not written

    def remind_at(hour: int, minute: int) -> list[str]:
        at = Journal(tui_journal.path, tui_journal.settings, FixedClock(datetime(2026, 11, 21, hour, minute,
                                                                                  tzinfo=UTC)))
        sent = reminders.remind(at, lambda send, close: ({r.key: None for r in send}, []))
        return [r.body for r in sent.sent]

    assert remind_at(21, 35) == []  # its time, but snoozed
    assert remind_at(22, 0) == ["Magnesium glycinate (21:30) is due and not logged yet"]
    assert remind_at(22, 5) == []


async def test_a_logged_dose_has_no_reminder_to_snooze(tui_journal, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")  # Escitalopram taken
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert "Choose an open dose (○) in the list." in notices(app)
    assert not (tmp_path / "state").exists()
