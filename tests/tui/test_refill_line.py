"""The Today screen's refill line (issue 20): read through the stock service after the first frame."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from textual.widgets import Static

from medlog.domain.units import Amount
from medlog.services import stock
from medlog.tui.app import make_app
from tests.tui.conftest import settle


async def test_today_says_a_refill_is_needed_and_goes_when_stocked(tui_journal):
    stock.add(tui_journal, "esc", Amount(Decimal(4), "tablet"), at=date(2026, 11, 20))
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = app.screen.query_one("#refills", Static)
        assert line.display
        assert str(line.render()) == "⚠ refill needed by Wed 25 Nov — Escitalopram, 4 tablets left, about 4 days"
        await pilot.press("left")  # another day: no refill line
        await settle(pilot)
        assert not line.display
        stock.add(tui_journal, "esc", Amount(Decimal(30), "tablet"))
        await pilot.press("t")
        await settle(pilot)
        assert not line.display
