"""Opening the journal file safely (DESIGN §5).

Every connection: WAL, synchronous=FULL, foreign keys on, a 5 s busy timeout. Every write transaction:
BEGIN IMMEDIATE. A file that is not a medlog journal, is corrupt, locked, read-only, missing or from a newer
medlog is reported in one line (StoreError) and never written to.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager

from medlog.domain.errors import StoreError
from medlog.store.cipher import errors, open_database, passphrase_for
from medlog.store.durable import nearly_full
from medlog.store.sqlite_file import APPLICATION_ID, file_uri, write_transaction

__all__ = ["APPLICATION_ID", "NoJournal", "connect", "file_uri", "is_read_only", "translate_errors",
           "write_transaction"]  # the last three from sqlite_file, for the services' one place to open a journal

BUSY_TIMEOUT_MS = 5000


class NoJournal(StoreError):
    """No journal file at the path yet (read-only commands report this rather than create one)."""


def connect(path: str, *, create: bool) -> sqlite3.Connection:
    """Open (or, when `create`, make) the journal at `path`, checked, migrated and with its pragmas set."""
    from medlog.store.migrate import migrate  # the runner; reads its SQL only when a migration is due

    fresh = _prepare_file(path, create=create)
    read_only = not create and not fresh and not _writable(path)
    conn = _open_read_only(path) if read_only else _open(path)
    try:
        with translate_errors(path):
            _check_identity(conn, path, fresh=fresh, keyed=passphrase_for(path) is not None)
            if read_only:
                _set_read_only_pragmas(conn)
            else:
                _set_pragmas(conn)
            migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    _tighten_modes(path)
    return conn


# Journals this process could open only for reading (a write-protected file or folder, a read-only disk or
# snapshot): the CLI says so once, after a command that worked.
read_only_opened: set[str] = set()


def is_read_only(conn: sqlite3.Connection) -> bool:
    """Whether `conn` was opened for reading only (connect on a journal that cannot be written)."""
    return bool(conn.execute("PRAGMA query_only").fetchone()[0])


def _writable(path: str) -> bool:
    """Whether the journal and its folder (where SQLite keeps the -wal and -shm) can be written by this process."""
    return os.access(path, os.W_OK) and os.access(os.path.dirname(os.path.abspath(path)), os.W_OK)


def _open_read_only(path: str) -> sqlite3.Connection:
    """A read-only connection to a journal that cannot be written. mode=ro, which reads the -wal too when SQLite
    can use it; else (no -shm can be made beside it) immutable=1, but only when no -wal holds entries it would
    not see."""
    read_only_opened.add(path)
    options = {"isolation_level": None, "timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    uri = file_uri(path, "ro")
    try:
        conn = open_database(uri, passphrase_for(path), **options)
        try:
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
            return conn
        except errors():
            conn.close()
            if _has_wal(path):
                raise
        return open_database(uri + "&immutable=1", passphrase_for(path), **options)
    except errors() as exc:
        raise StoreError(describe(exc, path)) from exc


def _has_wal(path: str) -> bool:
    try:
        return os.path.getsize(path + "-wal") > 0
    except OSError:
        return False


@contextmanager
def translate_errors(path: str) -> Iterator[None]:
    """Turn sqlite3's exceptions into one plain sentence about the journal file."""
    try:
        yield
    except errors() as exc:
        raise StoreError(describe(exc, path)) from exc
    except Exception as exc:
        # SQLAlchemy (the listings' reads) wraps sqlite3's error; the original says what happened to the file
        original = getattr(exc, "orig", None)
        if isinstance(original, errors()):
            raise StoreError(describe(original, path)) from exc
        raise


def describe(exc: Exception, path: str) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return f"the journal {path} is busy (another medlog is writing); try again in a moment"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"the journal {path} is damaged ({exc}); it was left untouched{_way_back(path)}"
    if "readonly" in text or "read-only" in text:
        return f"the journal {path} (or its folder) is read-only; nothing was written"
    if "disk is full" in text or "database or disk is full" in text or (
            "disk i/o error" in text and nearly_full(os.path.dirname(os.path.abspath(path)))):
        # a real ENOSPC often comes back as an I/O error (the -wal or -shm could not grow), even for a read
        return f"the disk holding {path} is full; nothing was written"
    if "unable to open" in text:
        return f"cannot open the journal {path}: check the folder exists and is yours"
    return f"the journal {path} could not be used: {exc}"


def _way_back(path: str) -> str:
    """The newest good backup, named in a damage message (looked for only once something is wrong)."""
    from medlog.store.backup import restore_name

    try:
        return restore_name(path) or " — no backup of it was found"
    except OSError:
        return ""  # the backups folder cannot be read: the message stands without it


def _prepare_file(path: str, *, create: bool) -> bool:
    """Make sure the file is ours to open; create it (0600, in a 0700 folder) when asked. True if new."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if not create:
            raise NoJournal(f"no journal at {path} yet; log something first (see 'medlog --help')") from None
        return _create(path)
    except OSError as exc:
        raise StoreError(f"cannot reach the journal {path}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path} is not a file")
    # The header is not read here with open(): closing any descriptor of the file would drop the POSIX locks
    # that this process's other SQLite connections hold on it (the TUI keeps one open), after which another
    # process can checkpoint and delete the -wal under them. SQLite reads the header itself in _check_identity.
    return info.st_size == 0  # an empty file holds nothing to lose; it becomes a new journal


def _create(path: str) -> bool:
    folder = os.path.dirname(path) or "."
    try:
        if not os.path.isdir(folder):
            os.makedirs(folder, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        return False  # another process made it first; open it as it is
    except OSError as exc:
        raise StoreError(f"cannot create the journal {path}: {exc.strerror}") from None
    return True


def _open(path: str) -> sqlite3.Connection:
    try:
        # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves and never hold a read open.
        return open_database(file_uri(path, "rw"), passphrase_for(path), isolation_level=None,
                             timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except errors() as exc:
        raise StoreError(describe(exc, path)) from exc


def _check_identity(conn: sqlite3.Connection, path: str, *, fresh: bool, keyed: bool) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except errors() as exc:
        if "not a database" in str(exc) and keyed:
            # SQLCipher cannot tell a wrong key from a foreign file; the passphrase is the likelier culprit, and
            # calling it damage would send someone to restore a backup they do not need
            raise StoreError(f"the passphrase does not open {path} (or it is not a medlog journal); "
                             "nothing was read or written") from exc
        if "not a database" in str(exc):
            raise StoreError(f"{path} is not a medlog journal, or is damaged (SQLite cannot read it as a database);"
                             f" it was left untouched{_way_back(path)}") from exc
        raise
    if app_id == APPLICATION_ID:
        return
    tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    if app_id == 0 and tables == 0:
        return  # a new, empty database: the first migration will claim it
    raise StoreError(f"{path} is an SQLite file but not a medlog journal; it was left untouched")


def _set_read_only_pragmas(conn: sqlite3.Connection) -> None:
    """A journal that cannot be written: no journal mode to set; a write is refused by SQLite itself."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA query_only = ON")


def _set_pragmas(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    # FULL: in simulated power cuts (tests/reliability/test_power_loss.py) NORMAL lost acknowledged rows whenever
    # another connection held the journal open (the last one to close checkpoints, which syncs); FULL lost none.
    conn.execute("PRAGMA synchronous = FULL")


def _tighten_modes(path: str) -> None:
    """The journal and its -wal/-shm are private (0600) even if something else loosened them."""
    for name in (path, path + "-wal", path + "-shm"):
        try:
            mode = stat.S_IMODE(os.stat(name).st_mode)
            if mode & 0o077:
                os.chmod(name, mode & 0o700)
        except FileNotFoundError:
            continue  # -wal/-shm come and go with connections
        except OSError:
            continue  # not our file to change (read-only mount, another owner); reading still works
