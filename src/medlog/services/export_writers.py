"""The export formats' writers (registered in services/formats.py): each turns a journal, open for reading, into
its document as pieces of text made while the rows are read, so ten years are never held whole — as rows,
resources or text. The pieces make, byte for byte, the document the whole value would (tests/cli/test_streaming.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from itertools import islice

from medlog.services import history
from medlog.services.context import Journal
from medlog.store import exchange
from medlog.store.migrate import schema_version

FORMAT = "medlog-journal"
VERSION = 1  # of the document's layout; `schema` says which journal schema its rows follow

Progress = Callable[[str, int, int], None]
_ROWS_PER_PIECE = 200


def journal_pieces(conn: sqlite3.Connection, progress: Progress) -> Iterator[str]:
    """`json.dumps(document, ensure_ascii=False) + "\\n"` of the whole journal, byte for byte, in pieces: every
    table, every row (deleted ones and the change log included), references as UUIDs."""
    import json

    encode = json.JSONEncoder(ensure_ascii=False).encode  # compact: json's C encoder
    names = (*exchange.ORDER, "change_log")
    head = encode({"format": FORMAT, "version": VERSION, "schema": schema_version(conn), "tables": {}})
    yield head[:-2]  # up to the tables' "{"
    for done, table in enumerate(exchange.ORDER):
        progress(f"exporting {table.replace('_', ' ')}", done, len(names))
        yield (", " if done else "") + encode(table) + ": ["
        yield from _listed(encode, exchange.rows(conn, table))
        yield "]"
    progress("exporting the change log", len(names) - 1, len(names))
    yield '}, "change_log": ['
    yield from _listed(encode, exchange.change_log(conn))
    progress("exported", len(names), len(names))
    yield "]}\n"


def _listed(encode: Callable[[object], str], rows: Iterator[dict[str, object]]) -> Iterator[str]:
    """The rows as the items of a JSON list (", "-separated, no brackets), _ROWS_PER_PIECE rows a piece: a row
    held as a value is ~4 KB, so a piece of 200 keeps the export's peak under a megabyte."""
    separator = ""
    while batch := list(islice(rows, _ROWS_PER_PIECE)):
        yield separator + encode(batch)[1:-1]
        separator = ", "


def csv_pieces(conn: sqlite3.Connection) -> Iterator[str]:
    """Every live entry a row (reports/csv_export.py)."""
    from medlog.reports import csv_export

    return csv_export.csv_pieces(history.everything(conn))


def fhir_pieces(journal: Journal, conn: sqlite3.Connection, all_notes: bool) -> Iterator[str]:
    """A FHIR R4 Bundle (reports/fhir_export.py) with the notes for the clinician, or with `all_notes` every note."""
    from medlog.reports.fhir_export import bundle_pieces
    from medlog.store import listings, lookup

    metrics = {ref.spec.key: {"label": ref.spec.label, "unit": ref.spec.unit, "integer": ref.spec.integer}
               for ref in lookup.metrics(conn)}
    substances: dict[str, dict[str, object]] = {s.name: {"kind": s.kind, "reason": s.reason}
                                                for s in listings.substances(conn)}
    return bundle_pieces(history.everything(conn), substances=substances, metrics=metrics, now=journal.now(),
                         patient_name=journal.settings.name, all_notes=all_notes)
