"""backup, check and restore: the journal's safety copies, and a plain answer to "is my journal sound?"."""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress

from medlog.domain.errors import InputError, StoreError
from medlog.domain.record import record
from medlog.domain.text import shown
from medlog.services.context import Journal
from medlog.services.files import target
from medlog.store import backup as backups
from medlog.store.cipher import looks_encrypted, module_for, open_database, passphrase_for
from medlog.store.connection import APPLICATION_ID, NoJournal, connect, file_uri, translate_errors
from medlog.store.durable import sweep_stale
from medlog.store.migrate import CURRENT_VERSION, schema_version

# what a person counts as their entries (settings-like rows — substances, metrics, rules — are not)
ENTRY_TABLES = ("dose", "observation", "symptom", "note", "regimen_event")


@record
class Health:
    """What `medlog check` found."""

    path: str
    problems: tuple[str, ...]  # empty when the journal is sound
    schema: int
    entries: int
    size: int  # bytes, the journal with its -wal
    newest_backup: str | None  # the newest backup that is itself sound
    backups: int
    removed: tuple[str, ...] = ()  # stale temporary files of medlog's (a writer killed mid-copy) removed


@record
class Restored:
    source: str
    aside: str | None  # where the journal as it was is kept (None: there was none)
    entries: int


def backup(journal: Journal, output: str | None = None) -> tuple[str, int]:
    """A consistent copy of the journal: to `output`, or into the backups folder. (path, entries)."""
    path = None
    if output:
        path = target(journal, output, backup=True)
        if os.path.lexists(path):
            raise InputError(f"{shown(output)} already exists; a backup never replaces a file — choose another name")
    conn = _open(journal)
    try:
        with translate_errors(journal.path):
            backups.check_pages(conn)  # as the day's first write does
            entries = count_entries(conn)
            try:
                made = (backups.backup_to(conn, path, journal=journal.path) if path
                        else backups.manual_backup(conn, journal.path))
            except OSError as exc:
                raise StoreError(f"cannot write the backup {shown(path or backups.backups_dir(journal.path))}: "
                                 f"{exc.strerror or exc}") from None
    finally:
        conn.close()
    return made, entries


def check(journal: Journal) -> Health:
    """integrity_check and foreign_key_check over the whole journal; reads only."""
    conn = _open(journal)
    try:
        with translate_errors(journal.path):
            problems = [backups.one_line(row[0]) for row in conn.execute("PRAGMA integrity_check(20)")]
            if problems == ["ok"]:
                problems = [f"a {table} row refers to a missing {parent} row" for table, _, parent, _ in
                            conn.execute("PRAGMA foreign_key_check").fetchmany(20)]
            schema = schema_version(conn)
            entries = count_entries(conn) if not problems else 0
    finally:
        conn.close()
    size = sum(os.path.getsize(journal.path + s) for s in ("", "-wal") if os.path.exists(journal.path + s))
    removed = tuple(p for folder in (os.path.dirname(journal.path), backups.backups_dir(journal.path))
                    for p in sweep_stale(folder))
    return Health(journal.path, tuple(problems), schema, entries, size, backups.newest_good_backup(journal.path),
                  len(backups.backups_of(journal.path)), removed)


def restore(journal: Journal, source: str) -> Restored:
    """Replace the journal's contents with a backup's, after checking the backup; the journal as it was is kept."""
    source = os.path.abspath(os.path.expanduser(source))
    if not os.path.isfile(source):
        raise InputError(f"no backup file at {shown(source)}")
    if os.path.exists(journal.path) and os.path.samefile(source, journal.path):
        raise InputError(f"{shown(source)} is the journal itself; give a backup of it")
    key = passphrase_for(journal.path)
    if looks_encrypted(source) != (key is not None):
        differ = "is encrypted and the journal is not" if key is None else "is not encrypted and the journal is"
        raise StoreError(f"{shown(source)} {differ}: it cannot be restored into it as it is")
    problem = backups.inspect(source, application_id=APPLICATION_ID, passphrase=key)
    if problem:
        raise StoreError(f"{shown(source)} {problem}; the journal was left as it is")
    version = _schema_of(source, key)
    if version > CURRENT_VERSION:
        raise StoreError(f"{shown(source)} was written by a newer medlog (schema {version}); upgrade medlog to "
                         "restore it")
    # a journal with a bad page still opens, but a copy of it would not be the journal as it was
    aside = _move_damaged_aside(journal.path) if _damaged(journal.path, key) else None
    try:
        conn = connect(journal.path, create=True)
    except StoreError:
        # cannot be opened (unreadable, foreign, from a newer medlog): keep its files as they are, under new names
        aside = _move_damaged_aside(journal.path, "set-aside")
        conn = connect(journal.path, create=True)
    try:
        with translate_errors(journal.path):
            if aside is None and count_entries(conn):
                aside = backups.backup_to(conn, backups.aside_path(journal.path, "before-restore"),
                                          journal=journal.path)
            _copy_into(source, conn, key, journal.path)
    finally:
        conn.close()
    conn = connect(journal.path, create=False)  # migrates a backup from an older medlog (backing it up first)
    try:
        with translate_errors(journal.path):
            entries = count_entries(conn)
    finally:
        conn.close()
    return Restored(source, aside, entries)


def create(journal: Journal, *, passphrase: str | None = None) -> None:
    """Make the journal file (schema and all) if there is none; an existing one is only opened and checked.
    With a passphrase, the new journal is encrypted (SQLCipher) from its first byte."""
    if passphrase is not None:
        module_for(passphrase)  # says how to install SQLCipher before anything is made
        if os.path.exists(journal.path) and os.path.getsize(journal.path) > 0:
            raise StoreError(f"the journal {journal.path} exists already; an encrypted journal starts empty")
        journal.unlock(passphrase)
    connect(journal.path, create=True).close()


def count_entries(conn: sqlite3.Connection) -> int:
    return sum(conn.execute(f"SELECT count(*) FROM {t} WHERE deleted_at IS NULL").fetchone()[0]
               for t in ENTRY_TABLES)


def _open(journal: Journal) -> sqlite3.Connection:
    try:
        return connect(journal.path, create=False)
    except NoJournal:
        raise StoreError(f"no journal at {journal.path}") from None


def _schema_of(path: str, key: str | None) -> int:
    conn = open_database(file_uri(path, "ro"), key)
    try:
        return schema_version(conn)
    finally:
        conn.close()


def _damaged(path: str, key: str | None) -> bool:
    """The journal's pages fail quick_check (read only: nothing of it is written)."""
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        return False
    return (backups.inspect(path, quick=True, passphrase=key) or "").startswith("is damaged")


def _copy_into(source: str, conn: sqlite3.Connection, key: str | None, journal: str) -> None:
    """The backup API in reverse: every page of `source` into the open journal, in one step under the write lock,
    so another medlog (the TUI) sees the old journal or the restored one, never a mix."""
    src = open_database(file_uri(source, "ro"), key)
    resized = None
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        if src.execute("PRAGMA page_size").fetchone()[0] != size:
            # a journal in WAL mode takes pages of its own size only: first a copy of the backup at that size
            if key is not None:
                raise StoreError(f"{shown(source)} has another page size than the journal; it cannot be restored "
                                 "into it")
            resized = f"{backups.aside_path(journal, 'restoring')}.{os.getpid()}.part"
            os.makedirs(os.path.dirname(resized), mode=0o700, exist_ok=True)
            src.execute(f"PRAGMA page_size = {int(size)}")
            src.execute("VACUUM INTO ?", (resized,))
            src.close()
            src = open_database(file_uri(resized, "ro"), None)
        src.backup(conn)  # sqlite3 retries while another medlog holds the write lock
    finally:
        src.close()
        if resized:
            with suppress(FileNotFoundError):
                os.remove(resized)


def _move_damaged_aside(path: str, why: str = "damaged") -> str:
    """Rename a journal SQLite cannot open, or finds damaged (and its -wal), into the backups folder, untouched."""
    aside = backups.aside_path(path, why)
    os.makedirs(os.path.dirname(aside), mode=0o700, exist_ok=True)
    for suffix in ("-wal", ""):
        if suffix and os.path.exists(path + suffix) and os.path.getsize(path + suffix) == 0:
            os.remove(path + suffix)  # an empty -wal holds nothing (a read-only look at the journal leaves one)
        elif os.path.exists(path + suffix):
            os.replace(path + suffix, aside + suffix)
    if os.path.exists(path + "-shm"):
        os.remove(path + "-shm")  # an index of the -wal, rebuilt from it; nothing of the journal is in it
    return aside
