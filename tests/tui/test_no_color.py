"""Issue 16 item 11: the TUI under NO_COLOR and monochrome terminals — every screen opens, nothing crashes; and a
crash of the TUI exits non-zero with one line and the log path (never 0)."""

from __future__ import annotations

import pytest

from medlog.tui.app import make_app
from tests.tui.conftest import open_screen, settle


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "xterm-mono"}, {"TERM": "dumb"},
                                 {"NO_COLOR": "1", "TERM": "dumb"}])
async def test_trends_and_report_open_under_no_color_and_mono_terminals(tui_journal, monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in "45364":
            await open_screen(pilot, key)
        await settle(pilot)
        assert app.screen.id == "trends"
    assert app.return_code in (0, None)
    assert app._exception is None


def _headless(monkeypatch, keys: str) -> None:
    """`medlog` alone as in a terminal, but headless, with a pilot pressing `keys` and then quitting."""
    from textual.app import App

    from medlog.tui.app import MedlogApp

    async def auto_pilot(pilot) -> None:  # type: ignore[no-untyped-def]
        for key in keys:
            await open_screen(pilot, key)
        await pilot.press("ctrl+q")

    def run(self, **kwargs):  # type: ignore[no-untyped-def]
        return App.run(self, headless=True, size=(80, 24), auto_pilot=auto_pilot)

    monkeypatch.setattr(MedlogApp, "run", run)
    monkeypatch.setattr("medlog.tui.app.make_app", lambda j, **kw: make_app(j, watch=False, **kw))
    import sys

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)


def test_medlog_under_no_color_opens_trends_and_report_and_exits_0(medlog, monkeypatch):
    import sys

    assert medlog("substance", "add", "Magnesium", "--kind", "supplement", "--dose", "200 mg",
                  "--schedule", "21:30").code == 0
    monkeypatch.setenv("NO_COLOR", "1")
    _headless(monkeypatch, "45")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    ran = medlog()
    assert (ran.code, ran.err) == (0, "")


def test_a_crash_of_the_tui_exits_1_with_one_line_and_the_log_path(medlog, monkeypatch, cli_env):
    import os
    import sys

    from medlog.tui.app import MedlogApp

    def boom(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(MedlogApp, "action_help", boom)
    _headless(monkeypatch, "?")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    ran = medlog()
    log = os.path.join(cli_env["XDG_DATA_HOME"], "medlog", "tui-crash.log")
    assert ran.code == 1
    assert ran.err.count("\n") == 1, ran.err
    assert "RuntimeError: boom second line" in ran.err and log in ran.err
    with open(log, encoding="utf-8") as f:
        assert "Traceback" in f.read()
