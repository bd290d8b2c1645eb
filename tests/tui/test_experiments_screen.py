"""Experiments (key 6): the list, the selected experiment's timeline with today's marker, its phase, adherence and
findings; stopping one (x, then y)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from medlog.clock import FixedClock
from medlog.services import doses, entries, experiments
from medlog.services.context import Journal
from medlog.tui.app import make_app
from tests.tui.conftest import open_screen, rows, settle

START = date(2026, 11, 22)


def plan(journal: Journal) -> str:
    planned = experiments.plan(journal, experiments.Request("magnesium", ("sleep_quality",), design="random-pairs",
                                                            pairs=4, block=7, washout=2, seed=42))
    return planned.experiment.record.short  # order AA,AB,BA,BB


def later(journal: Journal, day: date) -> Journal:
    """The same journal, read on `day` at 20:00 London (UTC+0 in winter)."""
    return Journal(journal.path, journal.settings, FixedClock(datetime.combine(day, datetime.min.time(), UTC)
                                                              + timedelta(hours=20)))


def live_through(journal: Journal, days: int) -> None:
    """Sleep rated on each day so far, 1.5 higher on days on; magnesium taken on the on days."""
    periods = [True, True, True, False, False, True, False, False]
    rng = random.Random(3)
    for n in range(days):
        day = START + timedelta(days=n)
        on = periods[n // 7]
        value = max(0, min(10, round(5 + rng.gauss(0, 0.7) + (1.5 if on else 0))))
        entries.rate(journal, [f"sleep_quality={value}"], day=day, source="tui")
        if on:
            doses.take(journal, "magnesium", at=journal.moment(f"{day} 21:35"), source="tui")


def detail(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#experiment-detail").render())


async def test_no_experiments_says_how_to_plan_one(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "6")
        assert app.screen.id == "experiments"
        assert "No experiments yet" in detail(app) and "medlog experiment plan" in detail(app)


async def test_a_running_experiment_shows_its_timeline_phase_and_findings_so_far(tui_journal):
    short = plan(tui_journal)
    now = later(tui_journal, START + timedelta(days=26))  # period 4 (off), its 6th day
    live_through(now, 26)
    app = make_app(now, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "6")
        table = app.screen.query_one("#experiment-table")
        assert str(table.get_row_at(0)[0]) == short and str(table.get_row_at(0)[4]) == "running"
        shown = detail(app)
        lines = shown.splitlines()
        assert lines[1].split() == ["on", "on", "on", "off", "off", "on", "off", "off"]
        marker = lines[2]
        assert marker.strip() == "▲ today" and 27 <= marker.index("▲") < 36  # under the fourth block (9 wide)
        assert "Today: period 4 of 8, off; 1 day more in this period, 29 in the experiment." in shown
        assert "Adherence to the plan: taken on 21 of 21 on days; not taken on 5 of 5 off days." in shown
        assert "So far (4 of 8 periods begun): No clear difference in Sleep quality between days on and off" in shown


async def test_stop_from_the_screen_cancels_the_changes_ahead(tui_journal):
    short = plan(tui_journal)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "6")
        assert "starts Sun 22 Nov 2026" in detail(app)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert str(app.screen.query_one("#experiment-table").get_row_at(0)[4]) == "stopped"
    assert rows(tui_journal, "SELECT stopped_at IS NOT NULL FROM experiment") == [(1,)]
    assert rows(tui_journal, "SELECT count(*) FROM regimen_event WHERE deleted_at IS NULL AND note LIKE "
                             f"'experiment {short}%'") == [(0,)]


async def test_the_palette_opens_it(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_command_palette()
        await settle(pilot)
        for ch in "open experiments":
            await pilot.press("space" if ch == " " else ch)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.id == "experiments"


def test_experiments_screen_snapshot(snap_compare, tmp_path):
    """Key 6 on the one-year demo (its finished magnesium experiment), at 80×24."""
    from zoneinfo import ZoneInfo

    from medlog.config import Settings
    from medlog.services.demo.build import build_demo
    from tests.tui.conftest import EVENING

    journal = Journal(str(tmp_path / "demo.sqlite"), Settings(ZoneInfo("Europe/London")), FixedClock(EVENING))
    build_demo(journal, years=1)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await settle(pilot)

    assert snap_compare(make_app(journal, watch=False), terminal_size=(80, 24), run_before=run_before)
