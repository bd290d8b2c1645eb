"""`medlog merge OTHER`: another journal — a journal file (encrypted with its passphrase) or medlog's JSON export —
joined into this one in one transaction: rows by UUID, substances by name, a dose logged on both devices kept once,
deletions carried over, an edit on both sides decided by its change time. OTHER is never written. The rules, and
why, are in docs/architecture.md ("Merging two journals"); the SQL is store/merge.py.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence

from medlog.domain.errors import InputError, MedlogError, StoreError
from medlog.domain.record import record
from medlog.domain.text import counted, shown
from medlog.services.context import Journal
from medlog.services.exchange import unmade_if_refused
from medlog.store import merge, merge_source, merge_stage, merge_write
from medlog.store.backup import daily_backup
from medlog.store.cipher import PLAIN_HEADER, errors, looks_encrypted, passphrase_for
from medlog.store.connection import connect, is_read_only, translate_errors, write_transaction
from medlog.store.exchange import ORDER, columns_of
from medlog.store.rows import db_time, new_uuid

Progress = Callable[[str, int, int], None]


def quiet(what: str, done: int, total: int) -> None:
    """No progress shown."""


@record
class Merged:
    """What a merge did (or, dry, would do)."""

    other: str  # OTHER as given
    added: int  # OTHER's rows new to the journal, live once merged
    updated: int  # the journal's rows that took OTHER's later version (edits, deletions carried over)
    doubles: int  # doses and rules on both sides, days rated on both: kept once
    joined: int  # substances of one name made one
    metrics_joined: int = 0
    kept: int = 0  # rows both sides edited where this journal's later edit stayed (OTHER's is in the change log)
    dry_run: bool = False
    nothing_new: bool = False

    @property
    def counts(self) -> str:
        if self.nothing_new:
            return "nothing new (the journal already holds all of it)"
        said = (f"{self.added} added, {self.updated} updated, {counted(self.doubles, 'double')} kept once, "
                f"{counted(self.joined, 'substance')} joined")
        if self.metrics_joined:
            said += f", {counted(self.metrics_joined, 'metric')} joined"
        if self.kept:
            said += f"; this journal's later edits of {counted(self.kept, 'entry')} kept, the other's logged"
        return said

    @property
    def summary(self) -> str:
        return f"merged {shown(self.other)}: {self.counts}"


class _DryRun(MedlogError):
    """Raised at the end of a dry run's transaction, so that everything is done and checked and nothing kept."""


def needs_passphrase(other: str) -> bool:
    """Whether OTHER looks like an encrypted journal (its passphrase is needed to read it)."""
    return other != "-" and os.path.isfile(other) and looks_encrypted(other)


def merge_file(journal: Journal, other: str, *, passphrase: str | None = None, dry_run: bool = False,
               progress: Progress = quiet) -> Merged:
    """Merge OTHER (a journal file, a JSON export, or "-": an export on standard input) into the journal, in one
    transaction: all of it or nothing. An encrypted OTHER opens with `passphrase`, else the journal's own (a
    device's copy in a sync folder has it). `dry_run`: everything is done and checked, then rolled back (no
    journal is made). A journal not there yet is made, as a first entry makes it. Bad input — OTHER missing, not
    a journal nor an export, damaged, from a newer medlog, the journal itself, a value out of form — is one
    InputError, before anything is written."""
    name = shown(other)
    source = _Source.open(journal, other, passphrase, progress)
    try:
        new = not os.path.exists(journal.path)
        conn = _empty_journal() if dry_run and new else connect(journal.path, create=True)
        try:
            with unmade_if_refused(conn, journal.path, new and not dry_run), translate_errors(journal.path):
                if is_read_only(conn):
                    raise StoreError(f"the journal {journal.path} (or its folder) is read-only; nothing was written")
                merge_stage.stage(conn)
                for table in ORDER:  # OTHER's rows beside the journal, each value checked: no lock held meanwhile
                    progress(f"reading {table.replace('_', ' ')}", ORDER.index(table), len(ORDER))
                    merge_stage.load(conn, table, source.rows(table), name)
                merge_stage.load_gone(conn, source.gone(conn))
                if not dry_run:
                    daily_backup(conn, journal.path, journal.today())  # the first write of a day; checks the file
                with write_transaction(conn):
                    done = _merged(conn, journal, other, dry_run)
                    if dry_run:
                        raise _DryRun(done)
                return done
        except _DryRun as stopped:
            return stopped.args[0]
        finally:
            conn.close()
    finally:
        source.close()


def _merged(conn: sqlite3.Connection, journal: Journal, other: str, dry_run: bool) -> Merged:
    """Inside the write transaction: the merged state, and (when anything changes) its writing."""
    name = shown(other)
    plan = merge.resolve(conn, name)
    done = Merged(other, plan.added, plan.updated, plan.doubles, plan.joined, plan.metrics_joined, plan.kept,
                  dry_run, nothing_new=not plan.writes and not plan.kept)
    if plan.writes or plan.kept:
        kept = f"kept this journal's later edits of {counted(plan.kept, 'entry')} over {name}'s"
        merge_write.write(conn, batch=new_uuid(), kept_batch=new_uuid(), at=db_time(journal.now()),
                          summary=done.summary, kept_summary=kept, where=name)
    return done


class _Source:
    """OTHER's rows in the export's form, table by table, whichever kind of file it is."""

    def __init__(self, rows: Callable[[str], Iterator[Sequence[object]]],
                 gone: Callable[[sqlite3.Connection], list[tuple[str, str, str]]],
                 close: Callable[[], None] = lambda: None) -> None:
        self.rows, self.gone, self.close = rows, gone, close

    @classmethod
    def open(cls, journal: Journal, other: str, passphrase: str | None, progress: Progress) -> _Source:
        name = shown(other)
        if other != "-":
            if not os.path.exists(other):
                raise InputError(f"{name}: no such file")
            if not os.path.isfile(other):
                raise InputError(f"{name} is not a file: give a medlog journal or a JSON export")
            if os.path.exists(journal.path) and os.path.samefile(other, journal.path):
                raise InputError(f"{name} is the journal itself: give another journal, or an export of one")
            if _is_journal(other):
                return cls._journal(journal, other, passphrase)
        return cls._export(other, progress)

    @classmethod
    def _journal(cls, journal: Journal, other: str, passphrase: str | None) -> _Source:
        name = shown(other)
        key = None
        if looks_encrypted(other):
            key = passphrase or passphrase_for(journal.path)
            if key is None:
                raise InputError(f"{name} is encrypted: give its passphrase (MEDLOG_PASSPHRASE, or at a terminal)")
        conn = merge_source.open_other(other, key)

        def rows(table: str) -> Iterator[Sequence[object]]:
            try:
                yield from merge_source.rows(conn, table)
            except errors():
                raise merge_source.damaged(other) from None

        def gone(_: sqlite3.Connection) -> list[tuple[str, str, str]]:
            try:
                return merge_source.undone_merge_inserts(conn)
            except errors():
                raise merge_source.damaged(other) from None

        return cls(rows, gone, conn.close)

    @classmethod
    def _export(cls, other: str, progress: Progress) -> _Source:
        from medlog.services.exchange import read_import

        _not_for_import(other)
        try:
            found = read_import(other, "medlog-json", progress)
        except InputError as exc:  # the import's own checks and words, for this command
            said = str(exc).replace("nothing was imported", "nothing was merged")
            raise InputError(said if shown(other) in said else f"{shown(other)}: {said}") from None
        defaults = {table: [(k, c.default) for k, c in zip(merge_stage.KEYS[table], columns_of(table), strict=True)]
                    for table in ORDER}

        def rows(table: str) -> Iterator[Sequence[object]]:
            for row in found.table(table):
                if not isinstance(row, dict):
                    raise InputError(f"a {table} row of {shown(other)} is not a row (a JSON object); "
                                     "nothing was merged")
                yield tuple(row.get(k, default) for k, default in defaults[table])

        return cls(rows, lambda conn: merge_stage.gone_in_log(conn, found.change_log()))


def _not_for_import(other: str) -> None:
    """OTHER that is another app's file, or any other CSV, is refused with the command that reads it: merge takes
    only medlog's own journals and exports, and has no --from or mapping file to read anything else with."""
    from medlog.services import formats
    from medlog.services.importers.source import head

    if other == "-":  # standard input is read as an export: it cannot be read twice
        return
    try:
        first = head(other, formats.SNIFF_BYTES)
    except OSError:  # unreadable: the export's reader says why
        return
    found = formats.sniffed(first)
    if found is not None and found.name != "medlog-json":
        raise InputError(f"{shown(other)} is a {found.label} file, not a medlog journal or export: "
                         "'medlog import' reads it")
    if found is None and formats.looks_like_csv(first):
        raise InputError(f"{shown(other)} is a CSV file, not a medlog journal or export: 'medlog import' reads it, "
                         "its columns described in a mapping file (docs/import.md)")


def _is_journal(path: str) -> bool:
    """An SQLite file (medlog's or not: opening it says which), or what looks like an encrypted one."""
    try:
        with open(path, "rb") as fh:  # never the journal (refused above), so no lock of ours is on this file
            head = fh.read(len(PLAIN_HEADER))
    except OSError as exc:
        raise InputError(f"{shown(path)}: cannot read it ({exc.strerror})") from None
    return head == PLAIN_HEADER or looks_encrypted(path)


def _empty_journal() -> sqlite3.Connection:
    """A new, empty journal in memory: a dry run against a journal not made yet makes none."""
    from medlog.store.migrate import migrate

    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, ":memory:")
    return conn
