"""`medlog sync DIR`: one journal on several devices, through a folder another tool keeps in sync (Syncthing,
Nextcloud, Dropbox, iCloud Drive, git). medlog runs no server and opens no connection.

Each device writes one file in DIR, `medlog-<host>-<id>.journal`: a consistent copy of its journal (SQLite's backup
API; an encrypted journal's copy is encrypted with the same passphrase), put in place by a rename so a sync tool
never sees half of it. Each sync merges every other device's file into the journal (`medlog merge`: rows by UUID,
idempotent and commutative), then writes this device's copy again, so a device that merges everyone's and writes
its own passes their entries on. A whole copy rather than the changes since the last sync: a device that missed a
sync, or a file the sync tool delivered late, still converges; merging is idempotent, so what is already there
adds nothing.

What a sync leaves alone, each said in one line: a sync tool's conflicted copy (Syncthing's `.sync-conflict-`,
Nextcloud's and Dropbox's "conflicted copy", iCloud's "name 2"), and a peer file that is not a whole journal (still
being copied, truncated, another program's): nothing of it is merged and the file is not touched; the next sync
tries again. The device's identity and what it last merged are kept beside the journal (`JOURNAL.sync`, 0600): a
peer file whose size and time have not changed since it was merged is not read again, and a journal with no new
change-log entries since its copy was written is not copied again — so a sync with nothing new opens the journal,
lists the folder and stops.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
from datetime import UTC, datetime

from medlog.domain.errors import InputError, MedlogError
from medlog.domain.record import record
from medlog.domain.text import shown
from medlog.services.context import Journal
from medlog.store.connection import connect, translate_errors

PREFIX, SUFFIX = "medlog-", ".journal"
_OURS = re.compile(r"medlog-([a-z0-9-]{1,40})-([0-9a-f]{8})\.journal\Z")
# A sync tool's copies of a file it could not reconcile: left alone, and said.
_CONFLICT = re.compile(r"(\.sync-conflict-|conflicted copy|\(conflict| \d+\.journal\Z|\.journal\.orig\Z)",
                       re.IGNORECASE)


@record
class Peer:
    file: str  # its name in DIR
    device: str  # host-id, as its name says
    written: datetime  # when it was last written (the file's time)
    merged: bool  # merged by this sync
    problem: str | None = None  # why it was left alone


@record
class Synced:
    folder: str
    mine: str  # this device's file
    wrote: bool  # whether this sync wrote it (False: nothing new since the last)
    peers: tuple[Peer, ...]
    added: int  # entries the merges added
    left_alone: tuple[str, ...]  # files not merged, each with why: said one line each


def sync(journal: Journal, folder: str, *, status: bool = False) -> Synced:
    """Merge every other device's file in `folder` into the journal and write this device's copy there. With
    `status`, only say when each device last synced (nothing is read into the journal or written)."""
    folder = _folder(folder)
    state = _State.load(journal.path)
    mine = state.file_name()
    peers, left = _scan(folder, mine)
    if status:
        return Synced(folder, mine, False, tuple(peers), 0, tuple(left))
    merged, added = [], 0
    for peer in peers:
        path = os.path.join(folder, peer.file)
        seen = _signature(path)
        if state.peers.get(peer.file) == seen:
            merged.append(peer)
            continue
        try:
            added += _merge(journal, path)
        except MedlogError as exc:
            left.append(f"{peer.file}: left as it is, not merged ({exc})")
            merged.append(Peer(peer.file, peer.device, peer.written, False, str(exc)))
            continue
        state.peers[peer.file] = seen
        merged.append(Peer(peer.file, peer.device, peer.written, True))
    if not os.path.exists(journal.path):  # a new device, and no other device's file yet: nothing to sync
        return Synced(folder, mine, False, tuple(merged), added, tuple(left))
    wrote = _write_mine(journal, folder, mine, state)
    state.save(journal.path)
    return Synced(folder, mine, wrote, tuple(merged), added, tuple(left))


def _folder(folder: str) -> str:
    path = os.path.abspath(os.path.expanduser(folder))
    if not os.path.isdir(path):
        raise InputError(f"{shown(folder)} is not a folder; give the folder your sync tool keeps (it must exist)")
    return path


def _scan(folder: str, mine: str) -> tuple[list[Peer], list[str]]:
    peers: list[Peer] = []
    left: list[str] = []
    for name in sorted(os.listdir(folder)):
        if name == mine or not name.startswith(PREFIX) or name.startswith("."):
            continue
        if _CONFLICT.search(name):
            left.append(f"{name}: left as it is — your sync tool's conflicted copy; medlog merges each device's own "
                        "file, so it can be deleted once the devices have synced")
            continue
        m = _OURS.fullmatch(name)
        if not m:
            continue  # a sync tool's temporary file, or something else that begins with medlog-
        path = os.path.join(folder, name)
        try:
            written = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
        except FileNotFoundError:
            continue  # the sync tool replaced or removed it since the folder was listed
        peers.append(Peer(name, f"{m.group(1)}-{m.group(2)}", written, False))
    return peers, left


def _signature(path: str) -> list[int]:
    info = os.stat(path)
    return [info.st_size, info.st_mtime_ns]


def _merge(journal: Journal, path: str) -> int:
    """Merge one peer's file; the entries it added. The file must be a whole medlog journal (the merge checks)."""
    from medlog.services import merge

    return merge.merge_file(journal, path).added


def _write_mine(journal: Journal, folder: str, mine: str, state: _State) -> bool:
    """This device's copy, written when the journal has changed since it was last written (or it is missing)."""
    target = os.path.join(folder, mine)
    conn = connect(journal.path, create=False)
    try:
        with translate_errors(journal.path):
            count = _log_size(conn)
            if state.written == count and os.path.exists(target):
                return False
            from medlog.store.backup import backup_to

            fresh = os.path.join(folder, f".{mine}.{os.getpid()}.new")
            backup_to(conn, fresh, journal=journal.path)
            os.replace(fresh, target)  # whole, by one rename: a sync tool never sees half of it
    finally:
        conn.close()
    state.written = count
    return True


def _log_size(conn: sqlite3.Connection) -> int:
    """How far the journal's change log goes: every write adds to it, so a copy written at this size is current."""
    return int(conn.execute("SELECT count(*) FROM change_log").fetchone()[0])


class _State:
    """`JOURNAL.sync`: this device's id for this journal, and what it has merged and written."""

    def __init__(self, device: str, host: str, written: int | None, peers: dict[str, list[int]]) -> None:
        self.device, self.host, self.written, self.peers = device, host, written, peers

    @classmethod
    def load(cls, journal_path: str) -> _State:
        host = _host()
        try:
            with open(journal_path + ".sync", encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("host") == host and re.fullmatch(r"[0-9a-f]{8}", str(data.get("device", ""))):
                return cls(data["device"], host, data.get("written"), dict(data.get("peers", {})))
        except (OSError, ValueError, AttributeError):
            pass  # none yet, or copied from another device with the journal (its host differs): a new identity
        return cls(os.urandom(4).hex(), host, None, {})

    def file_name(self) -> str:
        return f"{PREFIX}{self.host}-{self.device}{SUFFIX}"

    def save(self, journal_path: str) -> None:
        path = journal_path + ".sync"
        fresh = f"{path}.{os.getpid()}.new"
        fd = os.open(fresh, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"device": self.device, "host": self.host, "written": self.written, "peers": self.peers}, fh)
        os.replace(fresh, path)


def _host() -> str:
    """This machine's name as a file name part: lower-case letters, digits and hyphens."""
    name = re.sub(r"[^a-z0-9-]+", "-", socket.gethostname().split(".")[0].lower()).strip("-")
    return name[:40] or "device"
