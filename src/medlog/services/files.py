"""Files medlog writes besides the journal (exports, reports), all through `save`, with one rule for the CLI and
the TUI alike:

* an existing file is replaced only when the user said so (`--force`; in the TUI, yes to "Replace it?"),
  else `Exists`, and nothing is written — checked again as the file is put in place, so a file that appears
  meanwhile is not replaced either;
* never the journal (or a file SQLite keeps beside it), never any other SQLite database (a journal or a backup),
  never into the backups folder — not even when asked;
* written beside the target and renamed into place once complete, so a crash never leaves half a file; readable
  by the user alone (0600).

The CLI and the TUI never open an output file themselves. (Backups are the store's: store/backup.py.)
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from medlog.domain.errors import InputError, MedlogError
from medlog.domain.text import shown
from medlog.services.context import Journal
from medlog.store.durable import sweep_stale, sync_folder

# the journal's own file and the files SQLite keeps beside it
JOURNAL_SIBLINGS = ("", "-wal", "-shm", "-journal")


class Exists(MedlogError):
    """The target is already there: ask before replacing it, then save again with `overwrite=True`."""

    exit_code = 2

    def __init__(self, path: str) -> None:
        super().__init__(f"{shown(path)} already exists")
        self.path = path


def save(journal: Journal, path: str, pieces: Iterable[bytes | str], *, overwrite: bool = False) -> str:
    """Write the document `pieces` make (text as UTF-8) to `path` by the rule above; the absolute path written.
    The pieces are made only once the target is found acceptable, and a failure while they are made leaves
    nothing behind."""
    full = checked(journal, path, overwrite=overwrite)
    write_private_pieces(full, pieces, overwrite=overwrite)
    return full


def checked(journal: Journal, path: str, *, overwrite: bool = False) -> str:
    """The absolute path `save` would write, or its refusal — for a caller that would rather refuse before it
    spends time making the document (`save` checks again)."""
    full = target(journal, path)
    if not overwrite and os.path.lexists(full):
        raise Exists(full)
    return full


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


def write_private_pieces(path: str, pieces: Iterable[bytes | str], *, overwrite: bool = True) -> None:
    """Write the pieces (text as UTF-8) to a temporary file in the target's folder (0600), flush it to disk and
    rename it over `path` — or, without `overwrite`, link it there, which fails if a file has appeared: readers
    see the old file or the new one, never a part. The pieces are made as they are written, so an export of ten
    years is never held whole; a failure while they are made (a refusal, a damaged journal) or written leaves
    nothing behind."""
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
            if overwrite:
                os.replace(temp, path)
            else:
                _put_new(temp, path)
        except OSError as exc:
            raise InputError(f"cannot write {shown(path)}: {exc.strerror or exc}") from None
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def _put_new(temp: str, path: str) -> None:
    """`temp` in place as `path`, which must not exist: a hard link fails if a file appeared at `path` since it was
    checked (a rename would replace it). Where hard links are not to be had (some network and FAT file systems),
    the check is made once more and the file renamed."""
    import errno

    try:
        os.link(temp, path)
    except FileExistsError:
        raise Exists(path) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS, errno.EXDEV):
            raise
        if os.path.lexists(path):
            raise Exists(path) from None
        os.replace(temp, path)
        return
    os.unlink(temp)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable; the file is already synced and in place, so a failure here says so."""
    try:
        sync_folder(folder)
    except OSError as exc:
        raise InputError(f"{shown(folder)}: the file was written, but the folder could not be synced "
                         f"({exc.strerror})") from None
