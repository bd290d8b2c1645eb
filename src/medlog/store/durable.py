"""Making a written file and its rename survive a power cut: the file synced, then the folder that names it.

Shared by the backups (store/backup.py) and the exports and reports (services/files.py): both write beside the
target and rename over it.
"""

from __future__ import annotations

import errno
import os

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
