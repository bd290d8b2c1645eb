"""The bytes of a journal and its -wal, to show that nothing was written."""

from __future__ import annotations

import hashlib
import os


def sha(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except FileNotFoundError:
        return None


def state(path: str) -> tuple[str | None, str | None]:
    """The journal's bytes and its -wal's (an empty -wal, which a read-only look leaves, holds no frames: the same
    as none): equal states mean nothing was written."""
    wal = path + "-wal"
    return sha(path), sha(wal) if os.path.exists(wal) and os.path.getsize(wal) else None
