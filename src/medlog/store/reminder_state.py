"""The reminder state file: what this device has sent and snoozed, for one journal (stdlib; read every few minutes).

A small text file in the state dir (XDG_STATE_HOME/medlog), one per journal, never beside the journal: a journal
may live in a synced folder, and a reminder sent on this laptop is not the phone's. Lines of tab-separated fields:

    medlog reminders 1
    sent     KEY  2026-11-21T08:00:00+00:00  17      (the desktop's notification id, or -)
    snoozed  KEY  2026-11-21T08:30:00+00:00

Written whole, under a temporary name (0600, in a 0700 folder) and renamed over the old one; read and written
under an exclusive lock (`locked`), so a timer's run and a snooze from the TUI never lose each other's lines.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from medlog.domain.errors import MedlogError
from medlog.domain.reminders import EMPTY, Sent, State

HEADER = "medlog reminders 1"


class StateDamaged(MedlogError):
    """The file is there but is not a reminder state this medlog wrote (the service decides what to do)."""


def state_file(folder: str, journal: str) -> str:
    """One file per journal: its name and a checksum of its whole path (two journals called journal.sqlite in
    different folders get different files). crc32, not hashlib: hashlib's import costs ~4 ms every few minutes."""
    name = os.path.basename(journal) or "journal"
    return os.path.join(folder, f"{name}-{zlib.crc32(journal.encode('utf-8', 'surrogateescape')):08x}.reminders")


def read(path: str) -> State:
    """The state in `path`; an empty one when there is no file yet. StateDamaged, naming the line, otherwise."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        return EMPTY
    except UnicodeDecodeError:
        raise StateDamaged("it is not text") from None
    if not lines or lines[0] != HEADER:
        raise StateDamaged(f"its first line is not {HEADER!r}")
    sent: dict[str, Sent] = {}
    snoozed: dict[str, datetime] = {}
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        try:
            if fields[0] == "sent" and len(fields) == 4:
                sent[fields[1]] = Sent(_instant(fields[2]), None if fields[3] == "-" else int(fields[3]))
            elif fields[0] == "snoozed" and len(fields) == 3:
                snoozed[fields[1]] = _instant(fields[2])
            else:
                raise ValueError("not a sent or snoozed line")
        except ValueError as exc:
            raise StateDamaged(f"line {number}: {exc}") from None
    return State(sent, snoozed)


def _instant(text: str) -> datetime:
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        raise ValueError(f"{text!r} has no offset")
    return instant


def write(path: str, state: State) -> None:
    """Replace the file with `state`, atomically: a reader sees the old file or the new one, never half of one."""
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    lines = [HEADER]
    lines += [f"sent\t{k}\t{v.at.isoformat()}\t{'-' if v.notification is None else v.notification}"
              for k, v in sorted(state.sent.items())]
    lines += [f"snoozed\t{k}\t{v.isoformat()}" for k, v in sorted(state.snoozed.items())]
    temporary = f"{path}.{os.getpid()}.part"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
            fh.flush()
            # Not fsynced: losing the last write in a power cut costs at most a reminder sent once more, and this
            # runs every few minutes all day.
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def set_aside(path: str) -> str:
    """Move a damaged file out of the way (kept, for a look), returning where it went."""
    aside = f"{path}.bad"
    os.replace(path, aside)
    return aside


@contextmanager
def locked(path: str) -> Iterator[None]:
    """Hold this journal's reminder lock: one process at a time reads, sends and writes (flock, released by the
    kernel if the process dies)."""
    try:
        import fcntl
    except ImportError:  # Windows has no flock: two runs at the same second could then both send (no timer there)
        yield
        return
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
