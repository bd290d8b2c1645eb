"""The visit report written to a file, for the CLI's `report -o` and the TUI's Report screen alike: rendered in a
format of formats.REPORT_FORMATS, then written by files.save (its one rule: an existing file only when the user
said so, never the journal, another SQLite database or the backups folder; atomically, 0600). The faces only say
which report, which format and where."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from medlog.domain.errors import InputError
from medlog.reports.model import Report
from medlog.services import files, formats
from medlog.services.context import Journal
from medlog.services.files import Exists

__all__ = ["Exists", "default_name", "render", "save"]


def default_name(until: date, fmt: str) -> str:
    """medlog-report-2026-11-21.pdf: the name for a report ending on `until` (in the current folder)."""
    return f"medlog-report-{until.isoformat()}.{formats.report_format(fmt).extension}"


def render(report: Report, fmt: str) -> bytes:
    """The report in the format named `fmt`, as the file's bytes; a renderer (or the library it draws with) that is
    not installed is said in words."""
    form = formats.report_format(fmt)
    try:
        data = form.render(report)
    except ImportError as exc:
        raise InputError(f"{form.label} reports cannot be made here: {exc.name or exc} is not installed; "
                         "choose another format") from None
    return data.encode("utf-8") if isinstance(data, str) else data


def save(journal: Journal, report: Report, fmt: str, path: str, *, overwrite: bool = False) -> str:
    """Render `report` as `fmt` and write it to `path` (files.save); the absolute path written. An existing file
    is replaced only with `overwrite` (else Exists, before anything is rendered); nothing is written on error."""
    formats.report_format(fmt)  # an unknown format is refused before the file is looked at

    def pieces() -> Iterator[bytes]:
        yield render(report, fmt)

    return files.save(journal, path, pieces(), overwrite=overwrite)
