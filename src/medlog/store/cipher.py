"""Encryption at rest (optional): SQLCipher through the `sqlcipher3` package (`pip install 'medlog[encrypt]'`).

The passphrase is process state, like the umask: the face (CLI or TUI) resolves it once — MEDLOG_PASSPHRASE or a
prompt — and registers it for the journal's path; the store then opens that journal, its -wal and its backups with
SQLCipher wherever it opens them. A journal without a registered passphrase opens with the standard library's
sqlite3, and sqlcipher3 is never imported.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from types import ModuleType

from medlog.domain.errors import StoreError
from medlog.store.sqlite_file import file_uri

PLAIN_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every unencrypted SQLite database
_PASSPHRASES: dict[str, str] = {}  # journal path (absolute) → passphrase


def use_passphrase(journal: str, passphrase: str) -> None:
    if not passphrase:
        raise StoreError("the passphrase is empty")
    _PASSPHRASES[os.path.abspath(journal)] = passphrase


def forget_passphrases() -> None:
    _PASSPHRASES.clear()


def passphrase_for(path: str) -> str | None:
    """The passphrase of a journal, or of a file in a journal's backups folder (they share its key)."""
    full = os.path.abspath(path)
    if full in _PASSPHRASES:
        return _PASSPHRASES[full]
    folder = os.path.dirname(full)
    if os.path.basename(folder) == "backups":
        for journal, passphrase in _PASSPHRASES.items():
            if os.path.dirname(journal) == os.path.dirname(folder):
                return passphrase
    return None


def looks_encrypted(path: str) -> bool:
    """True if the file could be an SQLCipher database: one plain SQLite cannot read, made of whole pages (a
    multiple of 512 bytes), that does not start like text (SQLCipher's file starts with 16 random bytes of salt).
    """
    try:
        info = os.stat(path)
    except OSError:
        return False  # missing or unreachable: opening it will say so plainly
    if not stat.S_ISREG(info.st_mode) or info.st_size < 512 or info.st_size % 512:
        return False
    if _plain_sqlite_reads(path):
        return False
    # Only now is the file opened by hand: closing a descriptor drops every POSIX lock this process holds on the
    # file, but SQLite could not read this one, so no connection of ours can be holding it.
    with open(path, "rb") as fh:
        header = fh.read(len(PLAIN_HEADER))
    return header != PLAIN_HEADER and not all(32 <= byte < 127 or byte in b"\t\r\n" for byte in header)


def _plain_sqlite_reads(path: str) -> bool:
    """Whether stdlib SQLite reads the file's header. `immutable`: no locks, no -wal or -shm, and SQLite's own
    close keeps the descriptor open while another connection here holds locks on the file."""
    conn = sqlite3.connect(file_uri(path, "ro") + "&immutable=1", uri=True)
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        return "not a database" not in str(exc)  # other damage is for the real open to report
    finally:
        conn.close()
    return True


def module_for(passphrase: str | None) -> ModuleType:
    if passphrase is None:
        return sqlite3
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        raise StoreError("an encrypted journal needs the sqlcipher3 package: pip install 'medlog[encrypt]'") from None
    return dbapi2


def open_database(uri: str, passphrase: str | None, **options: object) -> sqlite3.Connection:
    """A connection to `uri` (a file: URI), keyed when there is a passphrase. The key is not checked here: the
    first read of the file says whether it was right."""
    conn = module_for(passphrase).connect(uri, uri=True, **options)
    if passphrase is not None:
        conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher would print its own errors on stderr
        conn.execute(f"PRAGMA key = {quote(passphrase)}")  # PRAGMA takes no parameters: quoted as SQL text
    return conn


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def errors() -> tuple[type[Exception], ...]:
    """The database errors to catch: sqlite3's, and SQLCipher's when it is in use (its own hierarchy)."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.Error, cipher.Error) if cipher is not None else (sqlite3.Error,)
