"""The file an import reads: a path, or — for what can be read only once — its bytes, read whole first.

A pipe (`medlog import <(…)`, `/dev/stdin` on a pipe, `/dev/fd/N`) and standard input (`-`) give their bytes once.
Telling the format by the first bytes would take the header away from the importer, which then found "an empty
file" or no header it knew. So such a file is read into memory once (`held`), up to LIMIT — a file that never
ends is refused rather than read until the memory runs out — and the format is told, and the file read, from
those bytes. A regular file is read where it is (it can be read twice, and is never held whole).
"""

from __future__ import annotations

import io
import os
import stat
import sys

from medlog.domain.errors import InputError
from medlog.domain.record import record
from medlog.domain.text import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

# Bytes held from a pipe or standard input: twice a 10-year journal's JSON export (34 MB), a lifetime of any app's CSV.
LIMIT = 128 << 20


@record
class Held:
    """A file that can be read only once, as its bytes."""

    name: str  # as it was given ("-" for standard input): what messages call it
    data: bytes


def held(path: str) -> str | Held:
    """`path` itself when it can be read again (a regular file; a folder, a missing or unreadable file too — the
    importer says which), else its bytes read once (InputError beyond LIMIT, or when it cannot be read)."""
    if path != "-":
        try:
            mode = os.stat(path).st_mode
        except (OSError, ValueError):  # not there, a NUL in the name: the importer says which
            return path
        if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            return path
    what = "standard input" if path == "-" else shown(path)
    try:
        if path == "-":
            binary = getattr(sys.stdin, "buffer", None)  # a text-only stdin (an embedding host, a test) has none
            data = binary.read(LIMIT + 1) if binary is not None else sys.stdin.read(LIMIT + 1).encode("utf-8")
        else:
            with open(path, "rb") as fh:
                data = fh.read(LIMIT + 1)
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}") from None
    if len(data) > LIMIT:
        raise InputError(f"{what} holds more than {LIMIT >> 20} MiB, more than medlog holds from a pipe or "
                         "standard input: save it to a file and import that; nothing was imported")
    return Held(path, data)


def name_of(source: str | Held) -> str:
    return source.name if isinstance(source, Held) else source


def opened(source: str | Held) -> IO[bytes]:
    """The file's bytes to read (a file object to close, `with`)."""
    if isinstance(source, Held):
        return io.BytesIO(source.data)
    return open(source, "rb")  # noqa: SIM115 — the caller's `with` closes it


def head(source: str | Held, size: int) -> bytes:
    """The first `size` bytes (OSError as open raises it)."""
    if isinstance(source, Held):
        return source.data[:size]
    with open(source, "rb") as fh:
        return fh.read(size)
