"""`medlog` with no command: the terminal UI on today's journal day."""

from __future__ import annotations

import argparse

from medlog.cli.common import journal
from medlog.services.context import Journal


def run(args: argparse.Namespace) -> int:
    return open_tui(journal(args))


def open_tui(j: Journal) -> int:
    from medlog.tui.app import make_app  # Textual is imported only when the TUI opens

    make_app(j).run()
    return 0
