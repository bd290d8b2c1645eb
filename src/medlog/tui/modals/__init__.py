"""Small dialogs: each asks for one thing, checks it with the same rules as the CLI, and returns it."""

from __future__ import annotations

from typing import Any


class _Dialogs:
    """medlog.tui.modals.forms, imported when a dialog first opens (the first paint of the TUI is budgeted)."""

    def __getattr__(self, name: str) -> Any:
        from medlog.tui.modals import forms

        return getattr(forms, name)


def lazy_forms() -> Any:
    return _Dialogs()
