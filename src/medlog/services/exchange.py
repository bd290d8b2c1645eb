"""Exports and imports: the journal out in any of formats.EXPORT_FORMATS (written by services/export_writers.py),
and a file's rows in through any of formats.IMPORTERS (services/importers/).

Import adds what the journal lacks, row by row by UUID, in one transaction: importing the same file twice adds
nothing, and a file whose rows clash with the journal's own (a substance of the same name under another UUID, a
day rated twice) is refused whole, with nothing written.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from itertools import chain
from typing import TypeVar

from medlog.domain.errors import InputError, MedlogError
from medlog.domain.record import record
from medlog.domain.text import shown
from medlog.services import files, formats
from medlog.services.context import Journal
from medlog.services.importers import Progress, Rows, uuid_of
from medlog.store import exchange, forms
from medlog.store.connection import NoJournal, connect, translate_errors, write_transaction

T = TypeVar("T")
_STEP = 2000  # rows between progress reports


def quiet(what: str, done: int, total: int) -> None:
    """No progress shown (not a terminal, or a caller that does not care)."""


@contextmanager
def exported(journal: Journal, fmt: str, *, all_notes: bool = False,
             progress: Progress = quiet) -> Iterator[Iterator[str]]:
    """The export in `fmt` (a name in formats.EXPORT_FORMATS) as pieces of text made while the journal is read
    (open inside the `with`): rows are written as they come, so ten years are never held whole."""
    form = formats.export_format(fmt)
    try:
        with journal.reading() as conn:
            yield form.write(journal, conn, progress=progress, all_notes=all_notes)
    except NoJournal:
        raise InputError(f"there is no journal at {journal.path} yet: nothing to export") from None


def export(journal: Journal, fmt: str, path: str, *, overwrite: bool = False, all_notes: bool = False,
           progress: Progress = quiet) -> str:
    """The export written to the file `path` as every file medlog writes is (files.save: refused over an
    existing file unless `overwrite`, never into the backups folder nor over an SQLite database, atomic, 0600),
    beginning as the format's files begin; the absolute path written."""
    form = formats.export_format(fmt)
    with exported(journal, fmt, all_notes=all_notes, progress=progress) as pieces:
        return files.save(journal, path, chain((form.file_start,), pieces), overwrite=overwrite)


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


def read_import(path: str, source: str | None = None, progress: Progress = quiet) -> Rows:
    """The rows of a file to import ("-": standard input), read by the importer `source` names (one of
    formats.IMPORTERS), else by the one that knows the file's first bytes; checked as a whole (InputError) before
    `import_rows` writes any."""
    found = formats.importer(source) if source else formats.importer_for(path)
    return found.read(path, progress)


def import_rows(journal: Journal, rows: Rows, progress: Progress = quiet) -> Imported:
    """Add what the journal lacks of `rows` (`read_import`), in one transaction: all of them or none. Rows the
    journal holds already (the same UUID) are left as they are; a clash refuses the whole file."""
    done, total = 0, rows.total
    new = not os.path.exists(journal.path)
    conn = connect(journal.path, create=True)
    try:
        with _unmade_if_refused(conn, journal.path, new), translate_errors(journal.path), write_transaction(conn):
            ids = {table: exchange.known_uuids(conn, table) for table in exchange.ORDER}
            added = dict.fromkeys(exchange.ORDER, 0)
            present = 0
            for table in exchange.ORDER:
                insert = exchange.inserter(conn, table, ids)
                for row in rows.table(table):
                    done += 1
                    if done % _STEP == 0:
                        progress(f"importing {table.replace('_', ' ')}", done, total)
                    uuid = uuid_of(row, table)
                    if uuid in ids[table]:
                        present += 1
                        continue
                    ids[table][uuid] = _insert(insert, table, row)  # type: ignore[arg-type]
                    added[table] += 1
            known = {u for (u,) in conn.execute("SELECT uuid FROM change_log")}
            if rows.log_error is not None:  # every entry's uuid is checked before the first is written
                raise rows.log_error
            progress("importing the change log", done, total)
            insert_change = exchange.change_inserter(conn)
            fresh = 0
            for entry in rows.change_log():
                if uuid_of(entry, "change_log") not in known:
                    _insert(insert_change, "change_log", entry)  # type: ignore[arg-type]
                    fresh += 1
            progress("imported", total, total)
    finally:
        conn.close()
    return Imported(added, present, fresh)


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
