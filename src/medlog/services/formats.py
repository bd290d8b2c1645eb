"""Every format medlog writes or reads, registered once: the visit report's formats, the export formats and the
importers. The CLI's `--format` and `--from` choices and their help, the TUI's Report screen, docs/cli.md (held by
a test) and the tests' loops over formats all read these three tables; nothing else lists a format.

Cheap to import (the parser reads it): each entry's code — a renderer with reportlab, a writer with json, an
importer with its parser — is imported only when it is called, through the small functions at the end.
Adding a format is one entry here plus its code (docs/architecture.md, "Registries").
"""

from __future__ import annotations

from medlog.domain.errors import InputError
from medlog.domain.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterator
    from typing import TypeVar

    from medlog.domain.foreign import ForeignFile
    from medlog.reports.model import Report
    from medlog.services.context import Journal
    from medlog.services.importers import Progress, ReadOptions, Rows
    from medlog.services.importers.source import Held

    T = TypeVar("T")


@record
class ReportFormat:
    """A format of the visit report (`medlog report --format NAME`, the Report screen's Format)."""

    name: str  # the --format value
    label: str  # the TUI's word for it
    extension: str  # of the file written (medlog-report-DAY.EXTENSION)
    media_type: str
    summary: str  # for --help and docs/cli.md
    render: Callable[[Report], str | bytes]  # the report laid out; text is written as UTF-8
    terminal: bool = True  # sensible on a terminal's standard output (a PDF is not: it goes to a file instead)


@record
class ExportFormat:
    """A format of `medlog export --format NAME`."""

    name: str
    label: str
    extension: str
    media_type: str
    summary: str
    what: str  # what a file of it holds, for "Exported the … to FILE"
    write: Callable[..., Iterator[str]]  # (journal, conn, *, progress, all_notes) → the document in pieces
    streams: bool = True  # written while the journal is read, never held whole (tests/cli/test_streaming.py)
    progress: bool = False  # reports its progress (a bar on a terminal)
    file_start: str = ""  # what a file of it begins with, not standard output (CSV: a byte-order mark)
    all_notes: bool = False  # takes --all-notes: leaves notes out unless asked (without it, holds every note)


@record
class Importer:
    """A format `medlog import FILE [--from NAME]` reads (services/importers/, one module each)."""

    name: str
    label: str
    summary: str
    sniff: Callable[[bytes], bool]  # is a file that begins with these bytes (up to SNIFF_BYTES) one of these?
    # medlog's JSON: (path, "-" or a pipe's bytes held, progress) → the rows
    read: Callable[[str | Held, Progress], Rows] | None = None
    # another app's file (or medlog's CSV): (path or held bytes, options) → its entries, which resolve.py meets
    # with the journal
    parse: Callable[[str | Held, ReadOptions], ForeignFile] | None = None


SNIFF_BYTES = 4096


def report_format(name: str) -> ReportFormat:
    return _one(REPORT_FORMATS, name, "a report format")


def export_format(name: str) -> ExportFormat:
    return _one(EXPORT_FORMATS, name, "an export format")


def importer(name: str) -> Importer:
    return _one(IMPORTERS, name, "a format medlog imports")


def importer_for(path: str | Held) -> Importer:
    """The importer whose `sniff` knows the file's first bytes; else the first registered (medlog's own JSON),
    whose refusal then says what the file is not. A CSV no importer knows is refused with the way to import it.
    Standard input as "-" is not sniffed (it cannot be read twice): `import_file` gives it as held bytes."""
    default = next(iter(IMPORTERS.values()))
    if path == "-":
        return default
    from medlog.services.importers.source import head

    try:
        first = head(path, SNIFF_BYTES)
    except OSError:  # not there, a folder, unreadable: the default importer says which, as it always has
        return default
    found = sniffed(first)
    if found is None and looks_like_csv(first):  # not JSON: "Expecting value at line 1" would say nothing useful
        raise InputError("a CSV file medlog does not recognise (its first line is no app's header it knows): name "
                         "its format with --from csv and describe its columns in a mapping file (--map; "
                         "docs/import.md)")
    return found or default


def sniffed(head: bytes) -> Importer | None:
    """The importer whose `sniff` knows a file that begins with `head`, if one does."""
    return next((one for one in IMPORTERS.values() if one.sniff(head)), None)


def looks_like_csv(head: bytes) -> bool:
    """A first line of text with a comma, semicolon or tab between fields, and no JSON opening."""
    from medlog.services.importers.lines import first_line

    first = first_line(head)
    return not first.lstrip().startswith((b"{", b"[")) and any(sep in first for sep in (b",", b";", b"\t"))


def choices_help(table: dict[str, ReportFormat] | dict[str, ExportFormat] | dict[str, Importer]) -> str:
    """"pdf: …; html: …" for an option's --help, in the registry's order."""
    return "; ".join(f"{name}: {entry.summary}" for name, entry in table.items())


def _one(table: dict[str, T], name: str, what: str) -> T:
    try:
        return table[name]
    except KeyError:
        raise InputError(f"{name!r} is not {what}; choose one of {', '.join(table)}") from None


# The code behind each entry, imported when called ------------------------------------------------------------------

def _pdf(report: Report) -> bytes:
    from medlog.reports.pdf import render_pdf

    return render_pdf(report)


def _html(report: Report) -> str:
    from medlog.reports.html import render_html

    return render_html(report)


def _markdown(report: Report) -> str:
    from medlog.reports.markdown import render_markdown

    return render_markdown(report)


def _journal_json(journal: Journal, conn: sqlite3.Connection, *, progress: Progress,
                  all_notes: bool = False) -> Iterator[str]:
    from medlog.services.export_writers import journal_pieces

    return journal_pieces(conn, progress)


def _csv(journal: Journal, conn: sqlite3.Connection, *, progress: Progress, all_notes: bool = False) -> Iterator[str]:
    from medlog.services.export_writers import csv_pieces

    return csv_pieces(conn)


def _fhir(journal: Journal, conn: sqlite3.Connection, *, progress: Progress, all_notes: bool = False) -> Iterator[str]:
    from medlog.services.export_writers import fhir_pieces

    return fhir_pieces(journal, conn, all_notes)


def _medlog_json_sniff(head: bytes) -> bool:
    from medlog.services.importers import medlog_json

    return medlog_json.sniff(head)


def _medlog_json_read(path: str | Held, progress: Progress) -> Rows:
    from medlog.services.importers import medlog_json

    return medlog_json.read(path, progress)


def _medlog_csv_sniff(head: bytes) -> bool:
    from medlog.services.importers import medlog_csv

    return medlog_csv.sniff(head)


def _medlog_csv_parse(path: str | Held, options: ReadOptions) -> ForeignFile:
    from medlog.services.importers import medlog_csv

    return medlog_csv.parse(path, options)


def _daylio_sniff(head: bytes) -> bool:
    from medlog.services.importers import daylio

    return daylio.sniff(head)


def _daylio_parse(path: str | Held, options: ReadOptions) -> ForeignFile:
    from medlog.services.importers import daylio

    return daylio.parse(path, options)


def _bearable_sniff(head: bytes) -> bool:
    from medlog.services.importers import bearable

    return bearable.sniff(head)


def _bearable_parse(path: str | Held, options: ReadOptions) -> ForeignFile:
    from medlog.services.importers import bearable

    return bearable.parse(path, options)


def _csv_sniff(head: bytes) -> bool:
    return False  # any CSV could be one: named with --from csv, described by the mapping file


def _csv_parse(path: str | Held, options: ReadOptions) -> ForeignFile:
    from medlog.services.importers import generic_csv

    return generic_csv.parse(path, options)


# The registries: their order is the order of --help, the TUI's choices and the docs -----------------------------

REPORT_FORMATS: dict[str, ReportFormat] = {f.name: f for f in (
    ReportFormat("pdf", "PDF", "pdf", "application/pdf", "one or two printable pages with vector charts (the default)",
                 _pdf, terminal=False),
    ReportFormat("html", "HTML", "html", "text/html", "one file, charts inline, nothing fetched, prints well", _html),
    ReportFormat("md", "Markdown", "md", "text/markdown",
                 "Markdown to paste into a patient portal, a sparkline per chart", _markdown),
)}

EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("json", "JSON", "json", "application/json",
                 "the whole journal, every table and the change log (import restores it)", "journal", _journal_json,
                 progress=True),
    ExportFormat("csv", "CSV", "csv", "text/csv", "every entry, a row each, for a spreadsheet", "entries", _csv,
                 file_start="\ufeff"),  # a byte-order mark: how a spreadsheet knows the file is UTF-8
    ExportFormat("fhir", "FHIR", "json", "application/fhir+json", "a FHIR R4 Bundle for a clinician's system",
                 "FHIR bundle", _fhir, all_notes=True),
)}

IMPORTERS: dict[str, Importer] = {f.name: f for f in (
    Importer("medlog-json", "medlog JSON", "a file from 'medlog export --format json'", _medlog_json_sniff,
             read=_medlog_json_read),
    Importer("medlog-csv", "medlog CSV", "a file from 'medlog export --format csv' (entries matched by name)",
             _medlog_csv_sniff, parse=_medlog_csv_parse),
    Importer("daylio", "Daylio", "Daylio's 'Export entries' CSV (moods, activities, notes; every version since 2017)",
             _daylio_sniff, parse=_daylio_parse),
    Importer("bearable", "Bearable", "Bearable's CSV export (mood, symptoms, meds and supplements, sleep, energy, "
             "factors, notes)", _bearable_sniff, parse=_bearable_parse),
    Importer("csv", "CSV", "any other CSV, its columns named in a mapping file (--map, [csv])", _csv_sniff,
             parse=_csv_parse),
)}
