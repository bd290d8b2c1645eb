"""The whole journal out to a JSON document, and back in: a backup no one needs medlog to read, restored exactly.

Import adds what the journal lacks, row by row by UUID, in one transaction: importing the same file twice adds
nothing, and a file whose rows clash with the journal's own (a substance of the same name under another UUID, a
day rated twice) is refused whole, with nothing written.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TypeVar

from medlog.domain.errors import InputError, MedlogError
from medlog.domain.record import record
from medlog.domain.text import shown
from medlog.services.context import Journal
from medlog.store import exchange, forms
from medlog.store.connection import NoJournal, connect, translate_errors, write_transaction
from medlog.store.migrate import CURRENT_VERSION, schema_version

FORMAT = "medlog-journal"
VERSION = 1  # of the document's layout; `schema` says which journal schema its rows follow


T = TypeVar("T")
Progress = Callable[[str, int, int], None]  # (what, done, total): for a progress bar on a terminal
_STEP = 2000  # rows between progress reports


def _quiet(what: str, done: int, total: int) -> None:
    """No progress shown (not a terminal, or a caller that does not care)."""


def export_journal(journal: Journal, progress: Progress = _quiet) -> dict[str, object]:
    """Every table, every row (deleted ones and the change log included), references as UUIDs."""
    try:
        with journal.reading() as conn:
            names = (*exchange.ORDER, "change_log")
            tables: dict[str, list[dict[str, object]]] = {}
            for done, table in enumerate(exchange.ORDER):
                progress(f"exporting {table.replace('_', ' ')}", done, len(names))
                tables[table] = list(exchange.rows(conn, table))
            progress("exporting the change log", len(names) - 1, len(names))
            log = list(exchange.change_log(conn))
            progress("exported", len(names), len(names))
            return {"format": FORMAT, "version": VERSION, "schema": schema_version(conn), "tables": tables,
                    "change_log": log}
    except NoJournal:
        raise InputError(f"there is no journal at {journal.path} yet: nothing to export") from None


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


def import_journal(journal: Journal, data: object, progress: Progress = _quiet) -> Imported:
    tables, log = _checked(data)
    total, done = sum(len(rows) for rows in tables.values()) + len(log), 0
    new = not os.path.exists(journal.path)
    conn = connect(journal.path, create=True)
    try:
        with _unmade_if_refused(conn, journal.path, new), translate_errors(journal.path), write_transaction(conn):
            ids = {table: exchange.known_uuids(conn, table) for table in exchange.ORDER}
            added = dict.fromkeys(exchange.ORDER, 0)
            present = 0
            for table in exchange.ORDER:
                insert = exchange.inserter(conn, table, ids)
                for row in tables.get(table, []):
                    done += 1
                    if done % _STEP == 0:
                        progress(f"importing {table.replace('_', ' ')}", done, total)
                    uuid = _uuid(row, table)
                    if uuid in ids[table]:
                        present += 1
                        continue
                    ids[table][uuid] = _insert(insert, table, row)
                    added[table] += 1
            known = {u for (u,) in conn.execute("SELECT uuid FROM change_log")}
            fresh = [entry for entry in log if _uuid(entry, "change_log") not in known]
            progress("importing the change log", done, total)
            insert_change = exchange.change_inserter(conn)
            for entry in fresh:
                _insert(insert_change, "change_log", entry)
            progress("imported", total, total)
    finally:
        conn.close()
    return Imported(added, present, len(fresh))


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


def fhir_bundle(journal: Journal, *, all_notes: bool = False) -> dict[str, object]:
    """The journal as a FHIR R4 Bundle (see reports/fhir_export.py for what becomes which resource): the notes
    for the clinician (flagged, and questions), or with `all_notes` every note; the Patient named from config."""
    from medlog.reports.fhir_export import bundle
    from medlog.services.history import everything
    from medlog.services.substances import list_substances
    from medlog.store import lookup

    try:
        found = everything(journal)
        with journal.reading() as conn:
            metrics = {ref.spec.key: {"label": ref.spec.label, "unit": ref.spec.unit, "integer": ref.spec.integer}
                       for ref in lookup.metrics(conn)}
    except NoJournal:
        raise InputError(f"there is no journal at {journal.path} yet: nothing to export") from None
    substances = {v.info.name: {"kind": v.info.kind, "reason": v.info.reason} for v in list_substances(journal)}
    return bundle(found, substances=substances, metrics=metrics, now=journal.now(),
                  patient_name=journal.settings.name, all_notes=all_notes)
