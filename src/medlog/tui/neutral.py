"""The TUI's last lock on stored text: every line Textual draws passes through `Neutral`, so a control character
or an invisible formatting character that reached a widget by any path (a name in a chart's title, a note in the
day's log, a symptom in a table) is drawn as a visible escape ('\\x1b', '\\u202e') and never reaches the terminal
as an instruction — no cleared screen, no new window title, no clipboard write, no text turned around.

Widgets that show the user's words build them with `widgets.literal`, which escapes before layout so widths are
right; this filter is for whatever path a widget forgets, as the CLI's writer is (cli/main.py)."""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from medlog.domain.text import neutral


class Neutral(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        # Textual's own control segments (cursor moves it makes) are its, not the user's text: they stay.
        return [segment if segment.control or (escaped := neutral(segment.text)) is segment.text
                else Segment(escaped, segment.style) for segment in segments]
