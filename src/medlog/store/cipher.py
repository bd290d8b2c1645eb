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
    """True if the file could be an SQLCipher database: whole pages (a multiple of 512 bytes) that do not start
    like a plain SQLite database, nor like text (SQLCipher's file starts with 16 random bytes of salt).

    Read with a raw descriptor: call this before this process opens the journal with SQLite, because closing any
    descriptor of a file drops the POSIX locks the process's SQLite connections hold on it.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False  # missing or unreadable: opening it will say so plainly
    try:
        info = os.fstat(fd)
        header = os.read(fd, len(PLAIN_HEADER)) if stat.S_ISREG(info.st_mode) else b""
    finally:
        os.close(fd)
    size = info.st_size
    if not header or size < 512 or size % 512 or header == PLAIN_HEADER:
        return False
    return not all(32 <= byte < 127 or byte in b"\t\r\n" for byte in header)


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
