"""Making a written file and its rename survive a power cut: the file synced, then the folder that names it.

Shared by the backups (store/backup.py) and the exports and reports (services/files.py): both write beside the
target and rename over it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time

# What a platform answers when it does not let a folder be synced (Windows, some network filesystems): the rename
# is then as durable as that platform makes it, which is not a reason to refuse the write.
_NO_FOLDER_SYNC = (errno.EINVAL, errno.EACCES, errno.EBADF, errno.ENOTSUP)


def fsync_file(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: str) -> None:
    """Make a rename in `folder` durable, where the platform allows a folder to be synced; OSError otherwise."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # a folder that cannot be opened cannot be synced either
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_FOLDER_SYNC:
            raise
    finally:
        os.close(fd)


# Below this much free space, a write SQLite could not make (SQLITE_FULL, or an I/O error creating the -wal or
# -shm beside the journal, which even a read needs) is taken to be the disk being full.
NEARLY_FULL = 1 << 20


def nearly_full(folder: str) -> bool:
    """Whether the filesystem holding `folder` has (almost) no room left for this user."""
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):  # gone, or no statvfs (Windows)
        return False
    return info.f_bavail * info.f_frsize < NEARLY_FULL


# medlog's own temporary names: an export's or report's `.medlog-XXXXXXXX.tmp` (services/files.py) and a backup's
# `NAME.PID.part` with what SQLite keeps beside it (store/backup.py). One an hour old is no longer being written:
# its writer was killed (kill -9, a power cut). It may hold the whole journal in plain text.
_TEMPORARY = re.compile(r"(\.medlog-[A-Za-z0-9_]{6,}\.tmp|.+\.\d+\.part(-journal|-wal|-shm)?)")
STALE_AFTER = 3600


def sweep_stale(folder: str) -> list[str]:
    """Remove medlog's temporary files in `folder` left by a writer that was killed; the paths removed."""
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    cutoff = time.time() - STALE_AFTER
    for name in names:
        if not _TEMPORARY.fullmatch(name):
            continue
        path = os.path.join(folder, name)
        try:
            info = os.lstat(path)
            # private (0600, as medlog makes them): a user's own `song.2024.part` (0644 under a usual umask) stays
            if info.st_mtime < cutoff and stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077:
                os.remove(path)
                removed.append(path)
        except OSError:
            continue  # gone meanwhile, or not ours to remove: left as it is
    return removed
