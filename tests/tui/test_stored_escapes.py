"""Issue 16 item 2, in the TUI: names, notes and symptoms stored with control characters (an older journal,
another tool writing the file) are drawn as visible escapes on every screen, never sent to the terminal raw."""

from __future__ import annotations

import sqlite3

import pytest
from rich.segment import Segment

from medlog.services import entries
from medlog.tui.app import make_app
from medlog.tui.neutral import Neutral
from tests.tui.conftest import open_screen

RAW = ("\x1b", "\x07", "\u202e", "\x9b")
NAME = "Mag\x1b]0;TITLE\x07nesium"
NOTE = "x \x1b[2J\x1b]52;c;ZXZpbA==\x07 \u202eabc \x9b31m"


def drawn(app) -> str:  # type: ignore[no-untyped-def]
    """Every line of the current screen as Textual sends it to the terminal, filters applied."""
    return app.export_screenshot(simplify=False)


@pytest.fixture
def hostile(tui_journal):
    entries.add_note(tui_journal, "plain", flagged=True)
    entries.symptom(tui_journal, "dizzy", 4)
    conn = sqlite3.connect(tui_journal.path)
    with conn:  # as another tool, or an older medlog, could have stored them
        conn.execute("UPDATE note SET text = ?", (NOTE,))
        conn.execute("UPDATE symptom SET name = ?", ("dizzy\x1b[5m",))
        conn.execute("UPDATE substance SET name = ? WHERE name = 'Magnesium glycinate'", (NAME,))
    conn.close()
    return tui_journal


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5", "6"])
async def test_every_screen_draws_stored_control_characters_escaped(hostile, key):
    app = make_app(hostile, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, key)
        shown = drawn(app)
    assert not any(ch in shown for ch in RAW), key
    if key in "123":  # the screens that list names and notes: the user sees that something is odd
        assert "\\x1b" in shown, key


def test_the_filter_escapes_what_a_widget_forgot_and_leaves_plain_segments_alone():
    plain = Segment("Magnesium glycinate  200 mg")
    out = Neutral().apply([plain, Segment("a\x1b]0;T\x07b"), Segment("\x1b[?25l", control=((1,),))], None)
    assert out[0] is plain
    assert out[1].text == "a\\x1b]0;T\\x07b"
    assert out[2].control  # Textual's own cursor codes are not the user's text
