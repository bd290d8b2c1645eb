"""Files medlog writes besides the journal (exports, reports): written beside the target and renamed over it, so
a crash never leaves half a file, readable by the user alone (0600), and never over the journal itself.

Both faces call these; the CLI and the TUI never open an output file themselves.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from medlog.domain.errors import InputError
from medlog.domain.text import shown
from medlog.services.context import Journal
from medlog.store.durable import sweep_stale, sync_folder

# the journal's own file and the files SQLite keeps beside it
JOURNAL_SIBLINGS = ("", "-wal", "-shm", "-journal")


def target(journal: Journal, path: str, *, backup: bool = False) -> str:
    """The absolute path a file would be written to; refused when it is no file name, a folder, or the journal
    (or a file SQLite keeps beside it), an existing SQLite database, or — unless it is a `backup` — a file in the
    backups folder."""
    text = path.strip()
    if not text:
        raise InputError("give a file to write to")
    full = os.path.abspath(os.path.expanduser(text))
    if os.path.isdir(full):
        raise InputError(f"{shown(text)} is a folder; give a file name in it")
    journal_file = os.path.realpath(journal.path)
    for suffix in JOURNAL_SIBLINGS:
        if _same(full, journal_file + suffix):
            raise InputError(f"{shown(text)} is the journal itself; choose another file")
    if not backup and any(_inside(full, folder) for folder in _backup_folders(journal)):
        raise InputError(f"{shown(text)} is in medlog's backups folder, which only medlog's own backups go into; "
                         "choose another folder")
    if _is_sqlite(full):
        raise InputError(f"{shown(text)} is an SQLite database (a journal or a backup?) and is never replaced; "
                         "choose another file")
    return full


SQLITE_HEADER = b"SQLite format 3\x00"


def _backup_folders(journal: Journal) -> set[str]:
    """This journal's backups folder and the default journal's (a report aimed there from another --db)."""
    from medlog.paths import JOURNAL_NAME, data_dir
    from medlog.store.backup import backups_dir

    return {os.path.realpath(backups_dir(journal.path)),
            os.path.realpath(backups_dir(os.path.join(data_dir(os.environ), JOURNAL_NAME)))}


def _inside(path: str, folder: str) -> bool:
    real = os.path.realpath(path)
    try:
        return os.path.commonpath([real, folder]) == folder
    except ValueError:  # different drives
        return False


def _is_sqlite(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:  # not there, or not readable: nothing to protect that we can see
        return False


def _same(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # a hard link to the journal
    except OSError:
        return False


def write_private(path: str, data: bytes) -> None:
    """Write `data` to a temporary file in the target's folder (0600), flush it to disk and rename it over `path`:
    readers see the old file or the new one, never a part. The temporary file never outlives a failure."""
    write_private_pieces(path, (data,))


def write_private_pieces(path: str, pieces: Iterable[bytes | str]) -> None:
    """`write_private` of a document made piece by piece (text is written as UTF-8), so that an export of ten
    years is written while it is read and never held whole. A failure while the pieces are made (a refusal, a
    damaged journal) leaves nothing behind, as a failure to write does."""
    import tempfile

    folder = os.path.dirname(path)
    sweep_stale(folder)  # what a writer killed before left here (an export may be the whole journal in plain text)
    try:
        fd, temp = tempfile.mkstemp(prefix=".medlog-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write in {shown(folder)}: {exc.strerror}") from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), 0o600)  # mkstemp's mode already; said here: these files hold health data
                for piece in pieces:
                    fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp, path)
        except OSError as exc:
            raise InputError(f"cannot write {shown(path)}: {exc.strerror or exc}") from None
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable; the file is already synced and in place, so a failure here says so."""
    try:
        sync_folder(folder)
    except OSError as exc:
        raise InputError(f"{shown(folder)}: the file was written, but the folder could not be synced "
                         f"({exc.strerror})") from None
