"""Power loss the way SQLite's own crash tests simulate it: a VFS that forgets every write not yet synced.

`PowerCutVFS` (apsw, a test-only dependency) writes through to the real files at once but keeps, per file, an
undo log of everything written or truncated since that file's last xSync. Once armed, it counts the operations
that change the disk; when the count reaches the cut point it refuses that one and every later one (the power
is off), so nothing more reaches the disk. `PowerCut.restore()` then replays the undo logs backwards: the files
are left exactly as a disk holding only the synced writes would be after the machine came back up.

`ApswConnection` offers the part of `sqlite3.Connection` medlog uses, over an apsw connection on that VFS, so
the test can patch it in as `medlog.store.connection._open` and drive medlog's own pragmas and write path.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import apsw

BUSY_TIMEOUT_MS = 5000  # as medlog's own connections
_FLAG = apsw.mapping_open_flags
# Files whose contents survive a power cut only once synced. The -shm never comes here (SQLite maps it
# through the main file's xShm* methods) and is rebuilt on recovery anyway; temp files do not outlive a crash.
DURABLE = (_FLAG["SQLITE_OPEN_MAIN_DB"] | _FLAG["SQLITE_OPEN_MAIN_JOURNAL"] | _FLAG["SQLITE_OPEN_WAL"]
           | _FLAG["SQLITE_OPEN_SUPER_JOURNAL"])
_names = itertools.count()


class PowerIsOff(apsw.IOError):
    """What every disk-changing call gets from the cut onwards (SQLite sees SQLITE_IOERR)."""


@dataclass
class Undo:
    """How to put back one write or truncate: these bytes at `offset`, then the file cut to `size`."""

    offset: int
    old: bytes
    size: int


class PowerCutVFS(apsw.VFS):
    def __init__(self) -> None:
        self.name = f"powercut-{os.getpid()}-{next(_names)}"
        super().__init__(self.name, base="")
        self.ops = 0  # writes, syncs, truncates and deletes of durable files so far
        self.cut_at: int | None = None
        self.cut = False
        self.unsynced: dict[str, list[Undo]] = {}  # path → undo log since the file's last sync, oldest first

    def arm(self, after_ops: int) -> None:
        """The power goes off at the `after_ops`-th disk-changing operation from now (it never reaches the disk)."""
        self.cut_at = self.ops + after_ops

    def tick(self) -> None:
        """Count one disk-changing operation; refuse it, and all that follow, once the cut point is reached."""
        if not self.cut:
            self.ops += 1
            self.cut = self.cut_at is not None and self.ops >= self.cut_at
        if self.cut:
            raise PowerIsOff("power cut: nothing more reaches the disk")

    def xOpen(self, name: Any, flags: list[int]) -> apsw.VFSFile:
        if self.cut:
            raise PowerIsOff("power cut: no file can be opened")
        return PowerCutFile(self, name, flags)

    def xDelete(self, filename: str, syncdir: bool) -> None:
        self.tick()
        super().xDelete(filename, syncdir)
        # Nothing left to put back. A delete counts as durable at once: the model is file contents, not directories.
        self.unsynced.pop(filename, None)

    def roll_back(self) -> int:
        """Put every durable file back as its last sync left it: undo newest first, byte for byte. Returns how
        many writes and truncates were undone."""
        undone = sum(len(log) for log in self.unsynced.values())
        for path, log in self.unsynced.items():
            with open(path, "r+b") as fh:
                for undo in reversed(log):
                    fh.seek(undo.offset)
                    fh.write(undo.old)
                    fh.truncate(undo.size)
        self.unsynced.clear()
        return undone


class PowerCutFile(apsw.VFSFile):
    def __init__(self, vfs: PowerCutVFS, name: Any, flags: list[int]) -> None:
        super().__init__("", name, flags)
        self.vfs = vfs
        self.path = name.filename() if isinstance(name, apsw.URIFilename) else name
        self.durable = bool(flags[0] & DURABLE)

    def _remember(self, offset: int, length: int) -> None:
        """Keep what `length` bytes at `offset` hold now, and the size, so the change can be undone."""
        size = super().xFileSize()
        # Read only what exists: SQLite treats a short read as an error, and past the end there is nothing to keep.
        keep = max(0, min(length, size - offset))
        old = super().xRead(keep, offset) if keep else b""
        self.vfs.unsynced.setdefault(self.path, []).append(Undo(offset, old, size))

    def xWrite(self, data: bytes, offset: int) -> None:
        if self.durable:
            self.vfs.tick()
            self._remember(offset, len(data))
        super().xWrite(data, offset)

    def xTruncate(self, newsize: int) -> None:
        if self.durable:
            self.vfs.tick()
            size = super().xFileSize()
            self._remember(newsize, max(0, size - newsize))
        super().xTruncate(newsize)

    def xSync(self, flags: int) -> None:
        if not self.durable:
            super().xSync(flags)
            return
        self.vfs.tick()
        # Synced as far as this simulated disk goes: a cut can no longer take it back. The real fsync is skipped:
        # what survives a cut is decided by the undo logs, and the fsyncs would only make the suite I/O-bound.
        self.vfs.unsynced.pop(self.path, None)


# apsw's exceptions as the sqlite3 module raises them for the same SQLite result codes (Modules/_sqlite/util.c),
# so medlog's handlers (write_transaction's rollback, translate_errors) act as they do in production. One
# difference remains: apsw re-raises PowerIsOff from a VFS call even where SQLite carried on without it (a
# checkpoint in close); the test counts nothing as acknowledged once the cut has come, so it makes no odds.
_SQLITE3_ERRORS: tuple[tuple[type[apsw.Error], type[sqlite3.Error]], ...] = (
    (apsw.ConstraintError, sqlite3.IntegrityError),
    (apsw.MismatchError, sqlite3.IntegrityError),
    (apsw.CorruptError, sqlite3.DatabaseError),
    (apsw.NotADBError, sqlite3.DatabaseError),
    (apsw.TooBigError, sqlite3.DataError),
    (apsw.InternalError, sqlite3.InternalError),
    (apsw.NotFoundError, sqlite3.InternalError),
    (apsw.MisuseError, sqlite3.InterfaceError),
    (apsw.RangeError, sqlite3.InterfaceError),
    (apsw.BindingsError, sqlite3.ProgrammingError),
    (apsw.ConnectionClosedError, sqlite3.ProgrammingError),
)


@contextmanager
def sqlite3_errors() -> Iterator[None]:
    try:
        yield
    except apsw.Error as exc:
        kind = next((mine for theirs, mine in _SQLITE3_ERRORS if isinstance(exc, theirs)), sqlite3.OperationalError)
        raise kind(str(exc)) from exc


class Cursor:
    """A finished statement's results (fetched at once, so no statement is left holding a read open)."""

    def __init__(self, rows: list[tuple[Any, ...]], description: tuple[tuple[Any, ...], ...] | None,
                 lastrowid: int, rowcount: int) -> None:
        self._rows = iter(rows)
        self.description = description
        self.lastrowid = lastrowid
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return self._rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return next(self._rows, None)

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._rows)


class ApswConnection:
    """The `sqlite3.Connection` API medlog uses (execute, executemany, in_transaction, close), over apsw."""

    def __init__(self, path: str, vfs: str) -> None:
        with sqlite3_errors():
            self.apsw = apsw.Connection(path, flags=apsw.SQLITE_OPEN_READWRITE, vfs=vfs)
            self.apsw.set_busy_timeout(BUSY_TIMEOUT_MS)
        self.closed = False

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Cursor:
        described: list[tuple[tuple[Any, ...], ...]] = []

        def trace(cursor: apsw.Cursor, _sql: str, _bindings: Any) -> bool:
            described.append(cursor.description)  # known before the first step, even if no row comes back
            return True

        with sqlite3_errors():
            cursor = self.apsw.cursor()
            cursor.exec_trace = trace
            rows = cursor.execute(sql, params).fetchall()
            changed = sql.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE", "REPLACE"}
            return Cursor(rows, (described[-1] or None) if described else None, self.apsw.last_insert_rowid(),
                          self.apsw.changes() if changed else -1)

    def executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> Cursor:
        with sqlite3_errors():
            self.apsw.cursor().executemany(sql, seq)
            return Cursor([], None, self.apsw.last_insert_rowid(), -1)

    def backup(self, target: sqlite3.Connection) -> None:
        """Copy into the file `target` (a stdlib connection, another SQLite library) is open on, via apsw.

        Safe only because `target` has not read its file yet, so holds no lock that closing apsw's descriptor
        of the same file could drop (medlog's backup_to passes a fresh connection)."""
        filename = target.execute("PRAGMA database_list").fetchone()[2]
        with sqlite3_errors():
            copy = apsw.Connection(filename)
            try:
                with copy.backup("main", self.apsw, "main") as job:
                    job.step()
            finally:
                copy.close()

    @property
    def in_transaction(self) -> bool:
        return not self.apsw.get_autocommit()

    def close(self) -> None:
        with sqlite3_errors():
            self.apsw.close()
        self.closed = True


class PowerCut:
    """One journal's power cut: a fresh VFS, the connections medlog opened on it, and the recovery afterwards."""

    def __init__(self) -> None:
        self.vfs = PowerCutVFS()
        self.connections: list[ApswConnection] = []

    def open(self, path: str) -> ApswConnection:
        """Stands in for `medlog.store.connection._open`."""
        conn = ApswConnection(path, self.vfs.name)
        self.connections.append(conn)
        return conn

    def arm(self, after_ops: int) -> None:
        self.vfs.arm(after_ops)

    @property
    def cut(self) -> bool:
        return self.vfs.cut

    def restore(self, path: str) -> int:
        """The machine comes back up: unsynced writes are gone, and the -shm (memory, not disk) with them.
        Returns how many writes and truncates were lost."""
        assert self.vfs.cut, "restore() is for after the cut"
        for conn in self.connections:
            if not conn.closed:
                try:
                    conn.apsw.close()
                except PowerIsOff:
                    pass  # the dying connection's checkpoint or rollback: refused by the VFS, which is the point
                conn.closed = True
        undone = self.vfs.roll_back()
        if os.path.exists(path + "-shm"):
            os.remove(path + "-shm")
        return undone

    def unregister(self) -> None:
        self.vfs.unregister()
