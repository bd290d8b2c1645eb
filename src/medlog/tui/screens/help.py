"""The help screen: every key, from the bindings themselves (so it cannot drift from them)."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = """[b]medlog[/b] — your medication and supplement journal

Screens: [b]1[/b] Today · [b]2[/b] Substances · [b]3[/b] History · [b]4[/b] Trends · [b]5[/b] Report.
[b]ctrl+p[/b] opens the command palette ("log escitalopram", "go to day",
"export report", "open trends").  [b]q[/b] or [b]ctrl+q[/b] quits.  Esc closes this.

A journal day ends at the rollover hour (04:00 unless configured): a dose at 01:30 belongs to the day before.
○ open  ✓ taken  ✗ skipped  + as needed or extra
Today, an open dose is [b]due now[/b] within {window} of its time and [b]overdue[/b] after that (the adherence window).
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 78; max-width: 100%; height: auto; max-height: 100%;
                                  border: round $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, sections: dict[str, list[Binding]]) -> None:
        super().__init__(id="help")
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            window = self.app.journal.settings.adherence_window.total_seconds() / 3600  # type: ignore[attr-defined]
            yield Static(INTRO.replace("{window}", f"{window:g} h"))
            for title, bindings in self.sections.items():
                lines = []
                for binding in bindings:
                    keys = " / ".join(self.app.get_key_display(Binding(key.strip(), binding.action))
                                      for key in binding.key.split(","))
                    padded = f"{keys:<18}".replace("[", "\\[")  # a literal [, not markup
                    lines.append(f"  [b]{padded}[/b] {escape(binding.description)}")
                yield Static(f"[b]{title}[/b]\n" + "\n".join(lines) + "\n")
