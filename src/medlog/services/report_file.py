"""The visit report written to a file, for the TUI: rendered, then written as services.files writes (atomically,
0600, never over the journal). The screens only say which report, which format and where."""

from __future__ import annotations

import os
from datetime import date

from medlog.domain.errors import InputError, MedlogError
from medlog.reports.model import Report
from medlog.services.context import Journal
from medlog.services.files import target, write_private
from medlog.services.report import FORMATS, render


class Exists(MedlogError):
    """The target is already there: ask before replacing it, then save again with `overwrite=True`."""

    exit_code = 2

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} already exists")
        self.path = path


def default_name(until: date, fmt: str) -> str:
    """medlog-report-2026-11-21.pdf: the CLI's name for a report ending on `until` (in the current folder)."""
    return f"medlog-report-{until.isoformat()}.{fmt}"


def save(journal: Journal, report: Report, fmt: str, path: str, *, overwrite: bool = False) -> str:
    """Render `report` as `fmt` (one of FORMATS) and write it to `path` atomically with mode 0600; the absolute
    path written. An existing file is replaced only with `overwrite` (else Exists); nothing is written on error."""
    if fmt not in FORMATS:
        raise InputError(f"{fmt!r} is not a report format; choose one of {', '.join(FORMATS)}")
    full = target(journal, path)
    if not overwrite and os.path.lexists(full):
        raise Exists(full)
    try:
        data = render(report, fmt)
    except ImportError as exc:  # a renderer (or the library it draws with) is not installed
        raise InputError(f"{fmt.upper()} reports cannot be made here: {exc.name or exc} is not installed; "
                         "choose another format") from None
    write_private(full, data.encode("utf-8") if isinstance(data, str) else data)
    return full
