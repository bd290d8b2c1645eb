"""The whole journal out to a JSON document, and back in: a backup no one needs medlog to read, restored exactly.

Import adds what the journal lacks, row by row by UUID, in one transaction: importing the same file twice adds
nothing, and a file whose rows clash with the journal's own (a substance of the same name under another UUID, a
day rated twice) is refused whole, with nothing written.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from itertools import islice
from typing import TypeVar

from medlog.domain.errors import InputError, MedlogError
from medlog.domain.record import record
from medlog.domain.text import shown
from medlog.services import export_reader, history
from medlog.services.context import Journal
from medlog.store import exchange, forms
from medlog.store.connection import NoJournal, connect, translate_errors, write_transaction
from medlog.store.migrate import CURRENT_VERSION, schema_version

FORMAT = "medlog-journal"
VERSION = 1  # of the document's layout; `schema` says which journal schema its rows follow


T = TypeVar("T")
Progress = Callable[[str, int, int], None]  # (what, done, total): for a progress bar on a terminal
_STEP = 2000  # rows between progress reports


def quiet(what: str, done: int, total: int) -> None:
    """No progress shown (not a terminal, or a caller that does not care)."""


@contextmanager
def exported(journal: Journal, fmt: str, *, all_notes: bool = False,
             progress: Progress = quiet) -> Iterator[Iterator[str]]:
    """The export in `fmt` as pieces of text made while the journal is read (open inside the `with`): rows are
    written as they come, so ten years are never held whole, as rows, resources or text. The pieces make the
    document the whole value would: json — every table, every row (deleted ones and the change log included),
    references as UUIDs; csv — every entry a row (reports/csv_export.py); fhir — a FHIR R4 Bundle
    (reports/fhir_export.py) with the notes for the clinician, or with `all_notes` every note."""
    try:
        with journal.reading() as conn:
            if fmt == "json":
                yield _journal_pieces(conn, progress)
            elif fmt == "csv":
                from medlog.reports.csv_export import csv_pieces

                yield csv_pieces(history.everything(conn))
            else:
                yield _fhir_pieces(journal, conn, all_notes)
    except NoJournal:
        raise InputError(f"there is no journal at {journal.path} yet: nothing to export") from None


_ROWS_PER_PIECE = 200


def _journal_pieces(conn: sqlite3.Connection, progress: Progress) -> Iterator[str]:
    """`json.dumps(document, ensure_ascii=False) + "\\n"` of the whole journal, byte for byte, in pieces."""
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


def _fhir_pieces(journal: Journal, conn: sqlite3.Connection, all_notes: bool) -> Iterator[str]:
    from medlog.reports.fhir_export import bundle_pieces
    from medlog.store import listings, lookup

    metrics = {ref.spec.key: {"label": ref.spec.label, "unit": ref.spec.unit, "integer": ref.spec.integer}
               for ref in lookup.metrics(conn)}
    substances: dict[str, dict[str, object]] = {s.name: {"kind": s.kind, "reason": s.reason}
                                                for s in listings.substances(conn)}
    return bundle_pieces(history.everything(conn), substances=substances, metrics=metrics, now=journal.now(),
                         patient_name=journal.settings.name, all_notes=all_notes)


@record
class Imported:
    added: dict[str, int]  # per table, rows added
    present: int  # rows the journal already had (same UUID): left as they are
    changes: int  # change-log entries added

    @property
    def summary(self) -> str:
        total = sum(self.added.values())
        if not total and not self.changes:
            return f"nothing new: the journal already holds all {self.present} rows of the file"
        parts = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in self.added.items() if n)
        kept = f"; {self.present} already there" if self.present else ""
        return f"imported {total} rows ({parts}){kept}"


def read_export(path: str, progress: Progress = quiet) -> object:
    """What `import_journal` takes from a file: its outline, to be read again a row at a time as the rows are
    written (services/export_reader.py), or — for standard input ("-") and a file that reader does not follow —
    the whole document, read the old way. InputError for a file that cannot be read as JSON at all."""
    if path != "-":
        try:
            return export_reader.outline(path, progress, _uuid)
        except export_reader.Unusual:
            pass
    return export_reader.load(path)


def import_journal(journal: Journal, data: object, progress: Progress = quiet) -> Imported:
    """Add what the journal lacks of `data`: a whole export document, or a file's outline (`read_export`)."""
    table_rows: Callable[[str], Iterable[object]]
    log_rows: Callable[[], Iterable[object]]
    if isinstance(data, export_reader.Outline):
        _checked(data.skeleton)
        total = sum(data.counts.values())
        rows_of = data.rows([*exchange.ORDER, export_reader.LOG])
        table_rows, log_rows = rows_of, lambda: rows_of(export_reader.LOG)
        log_error = data.log_error
    else:
        tables, log = _checked(data)
        total = sum(len(rows) for rows in tables.values()) + len(log)
        table_rows, log_rows = lambda table: tables.get(table, []), lambda: log
        log_error = next((exc for exc in map(_uuid_error, log) if exc), None)
    return _imported(journal, table_rows, log_rows, log_error, total, progress)


def _imported(journal: Journal, table_rows: Callable[[str], Iterable[object]], log_rows: Callable[[], Iterable[object]],
              log_error: InputError | None, total: int, progress: Progress) -> Imported:
    done = 0
    new = not os.path.exists(journal.path)
    conn = connect(journal.path, create=True)
    try:
        with _unmade_if_refused(conn, journal.path, new), translate_errors(journal.path), write_transaction(conn):
            ids = {table: exchange.known_uuids(conn, table) for table in exchange.ORDER}
            added = dict.fromkeys(exchange.ORDER, 0)
            present = 0
            for table in exchange.ORDER:
                insert = exchange.inserter(conn, table, ids)
                for row in table_rows(table):
                    done += 1
                    if done % _STEP == 0:
                        progress(f"importing {table.replace('_', ' ')}", done, total)
                    uuid = _uuid(row, table)
                    if uuid in ids[table]:
                        present += 1
                        continue
                    ids[table][uuid] = _insert(insert, table, row)  # type: ignore[arg-type]
                    added[table] += 1
            known = {u for (u,) in conn.execute("SELECT uuid FROM change_log")}
            if log_error is not None:  # every entry's uuid is checked before the first is written
                raise log_error
            progress("importing the change log", done, total)
            insert_change = exchange.change_inserter(conn)
            fresh = 0
            for entry in log_rows():
                if _uuid(entry, "change_log") not in known:
                    _insert(insert_change, "change_log", entry)  # type: ignore[arg-type]
                    fresh += 1
            progress("imported", total, total)
    finally:
        conn.close()
    return Imported(added, present, fresh)


def _uuid_error(entry: object) -> InputError | None:
    try:
        _uuid(entry, "change_log")
    except InputError as exc:
        return exc
    return None


@contextmanager
def _unmade_if_refused(conn: sqlite3.Connection, path: str, new: bool) -> Iterator[None]:
    """A journal this import created is removed again if the import is refused, so a bad file on a fresh install
    leaves nothing behind (as every other refused command does) — unless something else wrote to it meanwhile."""
    try:
        yield
    except MedlogError:
        if new and conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == 0:
            conn.close()
            for suffix in ("-wal", "-shm", ""):
                with suppress(FileNotFoundError):
                    os.remove(path + suffix)
        raise


def _insert(insert: Callable[[dict[str, object]], T], table: str, row: dict[str, object]) -> T:
    try:
        return insert(row)
    except UnicodeEncodeError:  # a lone surrogate ("\\ud800" in the JSON): SQLite cannot store it as UTF-8
        raise InputError(f"the file's {table} row {_named(row['uuid'])} {_not_unicode(row)}; "
                         "nothing was imported") from None
    except RecursionError:  # a snapshot nested thousands deep
        raise InputError(f"the file's {table} row {_named(row['uuid'])} holds JSON nested too deeply; "
                         "nothing was imported") from None
    except forms.BadValue as exc:
        raise InputError(f"the file's {table} row {shown(str(row['uuid']))} {exc}; nothing was imported") from None
    except KeyError as exc:
        raise InputError(f"the file's {table} row {shown(str(row['uuid']))} refers to {exc.args[0]!r}, which is in "
                         "neither the file nor the journal; nothing was imported") from None
    except sqlite3.IntegrityError as exc:
        raise InputError(f"the file's {table} row {shown(str(row['uuid']))} clashes with the journal ({exc}); "
                         "nothing was imported") from None


def _named(value: object) -> str:
    """A value from the file as a message quotes it; one that is not valid Unicode as a Python literal."""
    text = str(value)
    return shown(text) if _encodable(text) else repr(text)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_unicode(row: dict[str, object]) -> str:
    for column, value in row.items():
        if isinstance(value, str) and not _encodable(value):
            return f"has {_named(column)} {value!r}, which is not valid Unicode (a lone surrogate)"
    return "holds text that is not valid Unicode (a lone surrogate)"


def _uuid(row: object, table: str) -> str:
    uuid = row.get("uuid") if isinstance(row, dict) else None
    if not isinstance(uuid, str) or not uuid:
        raise InputError(f"a {table} row of the file has no uuid; nothing was imported")
    return uuid


def _checked(data: object) -> tuple[dict[str, list[dict[str, object]]], list[dict[str, object]]]:
    """The document's tables and change log, once its kind and versions are ones this medlog reads."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError("not a medlog journal export (its \"format\" is not \"medlog-journal\")")
    if data.get("version") != VERSION:
        raise InputError(f"a medlog export of layout version {data.get('version')!r}; this medlog reads {VERSION}")
    schema = data.get("schema")
    if not isinstance(schema, int) or not 1 <= schema <= CURRENT_VERSION:
        raise InputError(f"the export follows journal schema {schema!r}; this medlog knows 1 to {CURRENT_VERSION} "
                         "(a newer medlog wrote it?)")
    tables, log = data.get("tables"), data.get("change_log", [])
    if not isinstance(tables, dict) or not isinstance(log, list) or set(tables) - set(exchange.ORDER) or not all(
            isinstance(rows, list) for rows in tables.values()):
        raise InputError("the export's tables are not in the expected shape; nothing was imported")
    return tables, log
