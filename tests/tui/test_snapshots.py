"""One SVG snapshot per screen at 80×24, from the seeded demo journal and a fixed clock.

Update after an intended change: `python -m pytest tests/tui/test_snapshots.py --snapshot-update`, then look at
the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.services.context import Journal
from medlog.services.demo.build import build_demo
from medlog.tui.app import make_app
from tests.tui.conftest import EVENING, settle


@pytest.fixture
def demo_app(tmp_path):
    journal = Journal(str(tmp_path / "demo.sqlite"), Settings(ZoneInfo("Europe/London")), FixedClock(EVENING))
    build_demo(journal)
    return make_app(journal, watch=False)


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)  # a read may start another as it is shown (Today's doses in words)


@pytest.mark.parametrize("keys", [[], ["2"], ["3"], ["question_mark"], ["4"], ["4", "b", "down"]],
                         ids=["today", "substances", "history", "help", "trends", "before-after"])
def test_screen_snapshot(snap_compare, demo_app, keys):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        if keys[-1:] == ["down"]:  # a change chosen: compared once the cursor rests (a short timer), then read
            await pilot.pause(0.5)
            await _settle(pilot)

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)


def test_report_screen_snapshot(snap_compare, demo_app):
    """Report (key 5): the form over the preview of the last 90 days; nothing written."""
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press("5")
        await _settle(pilot)  # the report is built in a worker

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)


def test_the_docs_show_the_current_screens():
    """docs/images are copies of the snapshots: when a screen changes, the README's pictures change with it."""
    import os

    here = os.path.dirname(__file__)
    shots = {f"test_screen_snapshot[{name}]": name
             for name in ("today", "substances", "history", "help", "trends", "before-after")}
    for shot, name in (shots | {"test_report_screen_snapshot": "report-screen"}).items():
        snapshot = os.path.join(here, "__snapshots__", "test_snapshots", f"{shot}.svg")
        image = os.path.join(here, "..", "..", "docs", "images", f"{name}.svg")
        with open(snapshot, encoding="utf-8") as a, open(image, encoding="utf-8") as b:
            assert a.read() == b.read(), f"copy the new {name} snapshot to docs/images/{name}.svg"
