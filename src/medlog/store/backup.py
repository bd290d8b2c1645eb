"""Backups with SQLite's online backup API (copying the .db alone can miss what is still in -wal).

Automatic backups live in a `backups` folder beside the journal, named for the journal and why they were taken:
  <journal>-daily-2026-11-22.sqlite        the first write of each journal day (the newest KEEP_DAILY kept)
  <journal>-schema3-20261122T0801…Z.sqlite before a migration from schema 3 (the newest KEEP_SCHEMA kept)
  <journal>-manual-20261122T0801…Z.sqlite  `medlog backup` (never removed by medlog)
  <journal>-before-restore-….sqlite        the journal as it was before `medlog restore` (never removed)
Every backup is written under a temporary name, synced, then renamed: a crash never leaves half a backup under a
name that looks whole. Files are 0600 in a 0700 folder.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from datetime import UTC, date, datetime

from medlog.domain.errors import StoreError
from medlog.store.cipher import errors, open_database, passphrase_for
from medlog.store.durable import fsync_file, nearly_full, sweep_stale, sync_folder
from medlog.store.sqlite_file import file_uri

KEEP_DAILY = 7  # a week of days to go back to
KEEP_SCHEMA = 3  # the copies from before the last few upgrades


def backups_dir(journal: str) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(journal)), "backups")


def _base(journal: str) -> str:
    return os.path.splitext(os.path.basename(journal))[0]


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def backup_to(conn: sqlite3.Connection, target: str, *, journal: str) -> str:
    """Write a consistent copy of the open `journal` to `target`, a new file (mode 0600); refuses to replace one.
    An encrypted journal's copy is encrypted with the same passphrase."""
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    sweep_stale(folder)  # copies cut short by a kill -9 before
    if os.path.lexists(target):
        raise FileExistsError(target)
    partial = f"{target}.{os.getpid()}.part"
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        dest = open_database(file_uri(partial, "rw"), passphrase_for(journal))
        try:
            conn.backup(dest)
            # a backup is one self-contained file: no -wal beside it to lose when it is copied elsewhere
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        fsync_file(partial)
        os.replace(partial, target)
        sync_folder(folder)  # the rename itself survives a power cut
    except errors() as exc:
        # the copy could not be written: when the target's disk is full, say so about the target, not the journal
        full = "full" in str(exc) or nearly_full(folder)
        _remove_partial(partial)
        if full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target) from None
        raise
    except BaseException:
        _remove_partial(partial)
        raise
    return target


def _remove_partial(partial: str) -> None:
    """A copy cut short, with whatever SQLite kept beside it (a -journal, or -wal and -shm: the copy takes the
    journal's WAL header until it is switched back)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        _remove(partial + suffix)


def backup_before_migration(conn: sqlite3.Connection, journal: str, version: int) -> str:
    made = backup_to(conn, os.path.join(backups_dir(journal), f"{_base(journal)}-schema{version}-{_stamp()}.sqlite"),
                     journal=journal)
    _rotate(journal, "schema", KEEP_SCHEMA)
    return made


def manual_backup(conn: sqlite3.Connection, journal: str) -> str:
    return backup_to(conn, os.path.join(backups_dir(journal), f"{_base(journal)}-manual-{_stamp()}.sqlite"),
                     journal=journal)


def aside_path(journal: str, why: str) -> str:
    """Where a journal set aside (before a restore, or damaged) is kept: never removed by medlog."""
    return os.path.join(backups_dir(journal), f"{_base(journal)}-{why}-{_stamp()}.sqlite")


def daily_backup_path(journal: str, day: date) -> str:
    return os.path.join(backups_dir(journal), f"{_base(journal)}-daily-{day.isoformat()}.sqlite")


# Whether the journal holds anything of the user's: a change (every command logs one) or a row of a table that
# only the user fills. The demo and other bulk-written journals have thousands of entries and no change log.
# Metrics are left out, because the built-in ones are there from the start; every other table hangs off these.
_ANYTHING_TO_KEEP = " UNION ALL ".join(f"SELECT 1 FROM {table}" for table in (
    "change_log", "substance", "observation", "symptom", "note")) + " LIMIT 1"


def daily_backup(conn: sqlite3.Connection, journal: str, day: date) -> str | None:
    """On a journal day's first write: check the journal (quick_check) and back it up. None if already done today.

    The check runs here, once a day, rather than on every open (where it would cost the quick-log budget): a
    damaged journal is then found before anything more is written to it, and before a damaged copy could push the
    last good backups out of the rotation.
    """
    target = daily_backup_path(journal, day)
    if os.path.exists(target):
        return None  # one stat on every other write of the day
    if conn.execute(_ANYTHING_TO_KEEP).fetchone() is None:
        return None  # nothing written yet: nothing to keep
    check_pages(conn)
    try:
        made = backup_to(conn, target, journal=journal)
        _rotate(journal, "daily", KEEP_DAILY, today=day)
    except FileExistsError:
        return None  # another medlog took today's backup a moment ago
    except OSError as exc:
        # refusing the write is the safe side: a journal that cannot be backed up should not quietly go on
        raise StoreError(f"cannot write today's backup in {backups_dir(journal)} ({exc.strerror}); "
                         "nothing was written") from None
    return made


def check_pages(conn: sqlite3.Connection) -> None:
    """quick_check before a copy, which a damaged journal would pass off as a good backup: damage is raised as
    SQLite's own error, so translate_errors words it like any other (and names the newest good backup)."""
    problem = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if problem != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed ({one_line(problem)})")


def _rotate(journal: str, kind: str, keep: int, *, today: date | None = None) -> None:
    """Remove all but the newest `keep` automatic backups of this kind (by the date or time in their names: a
    schema number comes before it, and a copy from schema 1 taken today is newer than one from schema 3).

    `today`: daily backups dated after it (taken while the clock was wrong: a device without a real-time clock,
    faketime) are kept aside — neither counted nor removed — or they would push every backup of the present out
    of the rotation, today's included, the moment it is made."""
    prefix = f"{_base(journal)}-{kind}"
    folder = backups_dir(journal)
    ours = sorted((name for name in os.listdir(folder) if name.startswith(prefix) and name.endswith(".sqlite")
                   and not (today and _dated_after(name[len(prefix) + 1:-len(".sqlite")], today))),
                  key=lambda name: name[len(prefix):].split("-", 1)[-1])
    for name in ours[:-keep]:
        _remove(os.path.join(folder, name))
    # a copy cut short (the process killed mid-backup) is never a backup; one an hour old is no longer being written
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name.startswith(prefix) and name.endswith(".part") and os.path.getmtime(path) < time.time() - 3600:
            _remove(path)


def _dated_after(stamp: str, today: date) -> bool:
    try:
        return date.fromisoformat(stamp) > today
    except ValueError:  # not a daily backup's name after all: counted as it always was
        return False


def backups_of(journal: str) -> list[str]:
    """This journal's backups, newest first (by when they were written)."""
    folder = backups_dir(journal)
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = _base(journal) + "-"
    paths = [os.path.join(folder, n) for n in names if n.startswith(prefix) and n.endswith(".sqlite")
             and not n.startswith((prefix + "damaged-", prefix + "set-aside-"))]  # kept as found, not backups
    return sorted(paths, key=os.path.getmtime, reverse=True)


def newest_good_backup(journal: str) -> str | None:
    """The newest backup of `journal` that SQLite reads as a whole, sound database."""
    for path in backups_of(journal):
        if inspect(path, quick=True) is None:
            return path
    return None


def inspect(path: str, *, quick: bool = False, application_id: int | None = None,
            passphrase: str | None = None) -> str | None:
    """What is wrong with the database file at `path` (read only; never written), or None if it is sound.
    `passphrase`: the file's own, else that of the journal whose backups folder holds it (if any)."""
    try:
        conn = open_database(file_uri(os.path.abspath(path), "ro"), passphrase or passphrase_for(path))
    except errors() as exc:
        return f"cannot be opened ({exc})"
    try:
        check = "quick_check" if quick else "integrity_check"
        result = [row[0] for row in conn.execute(f"PRAGMA {check}(5)")]
        if result != ["ok"]:
            return "is damaged (" + "; ".join(map(one_line, result)) + ")"
        if application_id is not None and conn.execute("PRAGMA application_id").fetchone()[0] != application_id:
            return "is not a medlog journal"
        return None
    except errors() as exc:
        return "is not a sound SQLite database" if "not a database" in str(exc) else f"is damaged ({exc})"
    finally:
        conn.close()


def one_line(problem: str) -> str:
    """An integrity-check finding on one line (SQLite starts some with '*** in database main ***' and a newline)."""
    return " ".join(problem.split())


def restore_name(path: str) -> str:
    """How the damage messages name the way back."""
    good = newest_good_backup(path)
    return f"; to go back to its newest good backup: medlog restore {good}" if good else ""


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass  # already gone: what we wanted

