"""Exports and imports: the journal out in any of formats.EXPORT_FORMATS (written by services/export_writers.py),
and a file's rows in through any of formats.IMPORTERS (services/importers/).

Import adds what the journal lacks, row by row by UUID, in one transaction: importing the same file twice adds
nothing, and a file whose rows clash with the journal's own (a substance of the same name under another UUID, a
day rated twice) is refused whole, with nothing written.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from itertools import chain
from typing import TypeVar
from zoneinfo import ZoneInfo

from medlog.domain.errors import InputError, MedlogError
from medlog.domain.record import record
from medlog.domain.text import shown
from medlog.domain.zones import zone_named
from medlog.services import files, formats
from medlog.services.context import Journal
from medlog.services.importers import Progress, ReadOptions, Rows, uuid_of
from medlog.services.importers.resolve import Plan, Resolved, resolve
from medlog.services.importers.source import held, name_of
from medlog.store import exchange, forms
from medlog.store.connection import NoJournal, connect, translate_errors, write_transaction
from medlog.store.rows import db_time, new_uuid

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
        if not total and not self.changes and not self.present:  # a header alone, or every line left out
            return "nothing to import"
        if not total and not self.changes:
            return f"nothing new: the journal already holds all {self.present} rows of the file"
        parts = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in self.added.items() if n)
        kept = f"; {self.present} already there" if self.present else ""
        return f"imported {total} rows ({parts}){kept}"


def read_import(path: str, source: str | None = None, progress: Progress = quiet) -> Rows:
    """The rows of a medlog JSON export to import ("-": standard input), checked as a whole (InputError) before
    `import_rows` writes any. Other formats go through `import_file`, which meets their names with the journal."""
    found = formats.importer(source) if source else formats.importer_for(path)
    if found.read is None:
        raise InputError(f"{found.label} files are imported with 'medlog import', which matches their names")
    return found.read(path, progress)


@record
class ImportOutcome:
    """What `import_file` did (or, dry, would do): the format read, the plan of another app's file, and the
    counts the store's import gave."""

    fmt: str
    imported: Imported
    plan: Plan | None = None
    dry_run: bool = False


class _DryRun(MedlogError):
    """Raised at the end of a dry run's transaction, so that everything is checked and nothing is kept."""


def import_file(journal: Journal, path: str, source: str | None = None, *, dry_run: bool = False,
                mapping: dict[str, object] | None = None, zone: ZoneInfo | None = None, skip_bad: bool = False,
                progress: Progress = quiet) -> ImportOutcome:
    """Import a file in any registered format: medlog's JSON export as it is; another app's file (or medlog's CSV)
    read into entries (`options`: the zone its times were written in — `zone`, else the mapping file's `zone`,
    else the journal's —, --skip-bad, the mapping), its names met with the journal's (importers/resolve.py), and
    its rows written through the same import. `dry_run`: everything is done and checked in a transaction that is
    then rolled back, so the counts are the real ones and nothing is written (a journal not there is not made)."""
    _not_a_device(path)
    # A pipe or standard input can be read once: held whole, so that telling its format leaves the importer its
    # header (importers/source.py).
    file = held(path)
    found = formats.importer(source) if source else formats.importer_for(file)
    mapping = mapping or {}
    resolved: list[Resolved] = []
    rows: Rows | Callable[[sqlite3.Connection], Rows]
    if found.read is not None:
        rows = found.read(file, progress)
    else:
        assert found.parse is not None  # every importer has read or parse (tests/cli/test_format_registries.py)
        chosen = zone or _mapping_zone(mapping) or journal.settings.zone
        parsed = found.parse(file, ReadOptions(chosen, skip_bad, mapping))

        def met(conn: sqlite3.Connection) -> Rows:
            resolved.append(resolve(conn, parsed, mapping, rollover=journal.settings.rollover, now=journal.now(),
                                    skip_bad=skip_bad))
            tables = resolved[-1].rows
            return Rows(lambda table: tables.get(table, ()), sum(len(r) for r in tables.values()))

        rows = met
    # Another app's file has no change log of its own: its rows are logged as one batch, which `undo` takes back.
    logged_as = None if found.read is not None else f"{found.label} file {shown(name_of(file))}"
    try:
        imported = import_rows(journal, rows, progress, dry_run=dry_run, logged_as=logged_as)
    except _DryRun as done:
        imported = done.args[0]
    return ImportOutcome(found.name, imported, resolved[-1].plan if resolved else None, dry_run)


def _not_a_device(path: str) -> None:
    """A device (a symlink to /dev/zero, /dev/urandom) is refused before a byte is read: every reader would read
    it until the memory ran out."""
    if path == "-":
        return
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # not there, unreadable, a NUL in the name: the importer says which
        return
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError(f"{shown(path)} is a device, not a file; nothing was imported")


def _mapping_zone(mapping: dict[str, object]) -> ZoneInfo | None:
    name = mapping.get("zone")
    if name is None:
        return None
    if not isinstance(name, str):
        raise InputError("the mapping file's zone: give an IANA zone name, like \"Europe/Berlin\"")
    return zone_for_import(name, "the mapping file's zone")


def zone_for_import(name: str, what: str) -> ZoneInfo:
    """The zone `name` means (an IANA name, or a POSIX rule as the journal keeps them); a name nobody knows is
    refused in one line (zone_named raises ValueError, which would be an internal error)."""
    try:
        return zone_named(name)
    except ValueError:
        raise InputError(f"{what} {name!r} is not a time zone medlog knows; give an IANA name, like "
                         "\"Europe/Berlin\"") from None


def read_mapping(path: str) -> dict[str, object]:
    """A mapping file (TOML): one line naming the file and the line for anything wrong."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise InputError(f"the mapping file {shown(path)}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"the mapping file {shown(path)} is not TOML medlog can read: {exc}") from None


def import_rows(journal: Journal, rows: Rows | Callable[[sqlite3.Connection], Rows], progress: Progress = quiet, *,
                dry_run: bool = False, logged_as: str | None = None) -> Imported:
    """Add what the journal lacks of `rows` (`read_import`), in one transaction: all of them or none. Rows the
    journal holds already (the same UUID) are left as they are; a clash refuses the whole file. `dry_run`: the
    transaction is rolled back at the end (_DryRun carries the counts); a journal it had to make is removed.
    `rows` may be a function of the open connection, called inside the transaction: another app's file is met with
    the journal there (names, the days it rates already), so no other writer can come between. `logged_as` (what
    the file was, for rows without a change log of their own): the rows added are logged as one batch, "imported
    N rows (…) from `logged_as`", so that `undo` takes the import back."""
    done = 0
    new = not os.path.exists(journal.path)
    conn = connect(journal.path, create=True)
    try:
        with unmade_if_refused(conn, journal.path, new), translate_errors(journal.path), write_transaction(conn):
            if not isinstance(rows, Rows):
                rows = rows(conn)
            total = rows.total
            since = exchange.last_ids(conn) if logged_as is not None else {}
            ids = {table: exchange.known_uuids(conn, table) for table in exchange.ORDER}
            added: dict[str, int] = dict.fromkeys(exchange.ORDER, 0)
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
            if logged_as is not None and any(added.values()):
                exchange.log_added(conn, since, batch=new_uuid(), at=db_time(journal.now()),
                                   summary=f"{Imported(added, present, 0).summary} from {logged_as}")
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
            if dry_run:
                raise _DryRun(Imported(added, present, fresh))
    finally:
        conn.close()
    return Imported(added, present, fresh)


@contextmanager
def unmade_if_refused(conn: sqlite3.Connection, path: str, new: bool) -> Iterator[None]:
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
        checked = re.match(r"CHECK constraint failed: (?:\w+\()*(\w+)", str(exc))
        if checked:  # a value the schema's own CHECK refuses (a kind no journal has): not a clash with the journal
            raise InputError(f"the file's {table} row {shown(str(row['uuid']))} has a {checked.group(1)} the "
                             "journal does not allow; nothing was imported") from None
        raise InputError(f"the file's {table} row {shown(str(row['uuid']))} clashes with the journal "
                         f"({_clash(table, row, str(exc))}); nothing was imported") from None


def _clash(table: str, row: dict[str, object], said: str) -> str:
    """What SQLite's constraint message ("UNIQUE constraint failed: substance.name_key") means, in the journal's
    words: no SQL reaches a message."""
    if "substance.name_key" in said or "substance_alias.alias_key" in said:
        return f"the journal has a substance called {_named(row.get('name', row.get('alias', '')))} already, under " \
               "another id"
    if "observation.journal_day" in said:
        return f"the journal rates that metric on {_named(row.get('journal_day'))} already"
    if "metric.key" in said:
        return f"the journal has a metric {_named(row.get('key'))} already, under another id"
    if "NOT NULL" in said:
        return f"it has no {said.rpartition('.')[2]}"
    return "a row the journal holds already stands in its way"


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
