"""A journal export read from its file a row at a time, so an import never holds the whole document.

`json.loads` of a 34 MB export holds its text and every row as Python values at once (~100 MiB more than the
rows being written at any moment). Here the standard library's own decoder (`JSONDecoder.raw_decode`) reads the
document's parts from a buffer of a few hundred kilobytes: the few values at the top level whole, and each row of each
table and of the change log one by one.

Two passes. The first (`outline`) reads the whole file and keeps only its header values, the shape of its tables
and how many rows each holds, so the import checks the file as a whole before a row is written, as it did with
the whole document in hand: the same checks, in the same order, with the same messages. The second
(`Outline.rows`) reads the rows again for the import; when the file's tables are in the order the import needs
(parents first, as medlog writes them), one more pass reads them all, else one pass per table.

A file this reader does not follow exactly — not an object at the top, a key given twice (JSON keeps the
last), a syntax error, text that is not UTF-8, nesting too deep, a number too long — is read the old way, whole
(`load`), so that every refusal and its message stay what they were.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
from collections.abc import Callable, Generator, Iterator

from medlog.domain.errors import InputError
from medlog.domain.record import record
from medlog.domain.text import shown

Progress = Callable[[str, int, int], None]
CHUNK = 1 << 18  # characters read at a time

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # what JSON allows between tokens (json.decoder.WHITESPACE)
LOG = ("change_log",)  # the change log's section: tables are named by strings (any string a file gives)


class Unusual(Exception):
    """The file is not the plain shape this reader follows (or not JSON at all): read it whole instead."""


def load(path: str) -> object:
    """The whole document of a file ("-": standard input), with one line for each way it cannot be one."""
    import sys

    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
    except FileNotFoundError:
        raise InputError(f"{shown(path)}: no such file") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise InputError(f"{shown(path)}: cannot read it as text ({exc.__class__.__name__})") from None
    return _parsed(text, path)


def load_bytes(data: bytes, name: str) -> object:
    """The whole document of bytes read from `name` (a pipe, standard input), as `load` reads a file."""
    try:  # as `open` reads a file: the same decoding and newline handling, so the same messages
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()
    except UnicodeDecodeError as exc:
        raise InputError(f"{shown(name)}: cannot read it as text ({exc.__class__.__name__})") from None
    return _parsed(text, name)


def _parsed(text: str, path: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{shown(path)}: not JSON ({exc.msg} at line {exc.lineno}); nothing was imported") from None
    except RecursionError:
        raise InputError(f"{shown(path)}: JSON nested too deeply to be a medlog export; nothing was imported") from None
    except ValueError:  # int parsing's digit limit (sys.get_int_max_str_digits), the one other ValueError here
        raise InputError(f"{shown(path)}: holds a number too long to be a medlog value; nothing was imported") from None


class _Text:
    """A file's text, a chunk at a time, whose JSON values are decoded one by one from the front."""

    def __init__(self, path: str, progress: Progress | None = None) -> None:
        self._fh = open(path, encoding="utf-8")  # as `load` opens it: the same newline handling
        info = os.fstat(self._fh.fileno())
        if not stat.S_ISREG(info.st_mode):  # a pipe (`<(…)`, /dev/stdin) can be read only once
            self._fh.close()
            raise Unusual
        self._size = info.st_size
        self._read = 0
        self._progress = progress
        self._buffer, self._pos, self._eof = "", 0, False
        self._decode = json.JSONDecoder().raw_decode  # json.loads' own decoder, one value at a time

    def close(self) -> None:
        self._fh.close()

    def _more(self, size: int = CHUNK) -> bool:
        if self._eof:
            return False
        chunk = self._fh.read(size)
        if not chunk:
            self._eof = True
            return False
        self._buffer = self._buffer[self._pos:] + chunk
        self._pos = 0
        self._read += len(chunk)
        if self._progress is not None:
            self._progress("reading the file", min(self._read, self._size), self._size)
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end), left unread."""
        while True:
            self._pos = _WHITESPACE.match(self._buffer, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._more():
                return ""

    def take(self, allowed: str) -> str:
        """The next character, which must be one of `allowed`."""
        found = self.peek()
        if not found or found not in allowed:
            raise Unusual
        self._pos += 1
        return found

    def value(self) -> object:
        """The next JSON value, read whole (more of the file is read until it is complete)."""
        self.peek()
        size = CHUNK
        while True:
            try:
                found, end = self._decode(self._buffer, self._pos)
            except json.JSONDecodeError:  # incomplete, or not JSON: more text tells which
                end = -1
            # A value ending where the text read so far ends may go on (a number cut in two): read more first.
            if 0 <= end < len(self._buffer):
                self._pos = end
                return found
            if not self._more(size):
                if end < 0:
                    raise Unusual
                self._pos = end
                return found
            size *= 2  # a value longer than a chunk is decoded again with twice as much more each time

    def events(self) -> Iterator[tuple]:
        """The document as ("value", key, value) for each top-level key but the streamed ones;
        ("tables",) when the tables' object begins, then ("value", "tables", name, value) for a table that is
        not a list, and ("start", section), ("row", section, row) …, ("end", section) for each list of rows
        (a table's name, or LOG)."""
        self.take("{")
        if self.peek() == "}":
            self.take("}")
        else:
            while True:
                key = self._key()
                if key == "tables" and self.peek() == "{":
                    yield ("tables",)
                    yield from self._tables()
                elif key == "change_log" and self.peek() == "[":
                    yield from self._rows(LOG)
                else:
                    yield ("value", key, self.value())
                if self.take(",}") == "}":
                    break
        if self.peek():
            raise Unusual  # text after the document ("Extra data")

    def _key(self) -> str:
        if self.peek() != '"':
            raise Unusual
        key = self.value()
        self.take(":")
        return key  # type: ignore[return-value]

    def _tables(self) -> Iterator[tuple]:
        self.take("{")
        if self.peek() == "}":
            self.take("}")
            return
        while True:
            name = self._key()
            if self.peek() == "[":
                yield from self._rows(name)
            else:
                yield ("value", "tables", name, self.value())
            if self.take(",}") == "}":
                return

    def _rows(self, section: str | tuple) -> Iterator[tuple]:
        yield ("start", section)
        self.take("[")
        if self.peek() == "]":
            self.take("]")
        else:
            while True:
                yield ("row", section, self.value())
                if self.take(",]") == "]":
                    break
        yield ("end", section)


@record
class Outline:
    """What the first pass keeps of a file: enough to check it as a whole, and to read its rows again."""

    path: str
    skeleton: dict  # the document with each list of rows empty: what the import's shape checks read
    counts: dict  # section (a table's name, or LOG) → rows
    order: tuple  # the sections, in the file's order
    log_error: InputError | None  # the first change-log entry without a uuid, as the import words it

    def rows(self, sections: list) -> Callable[[str | tuple], Iterator[object]]:
        """A function giving a section's rows, to be asked in the order of `sections`: one pass over the file
        when that is the file's order, else one pass per section."""
        shared = [s for s in self.order if s in sections] == [s for s in sections if s in self.order]
        passes: list[Generator[tuple, None, None]] = []

        def rows_of(section: str | tuple) -> Iterator[object]:
            if section not in self.order:
                return
            if not passes or not shared:
                if passes:
                    passes[0].close()
                passes[:] = [_reread(self.path)]
            for event in passes[0]:
                if event[0] == "row" and event[1] == section:
                    yield event[2]
                elif event[0] == "end" and event[1] == section:
                    return

        return rows_of


def _reread(path: str) -> Generator[tuple, None, None]:
    text = _Text(path)
    try:
        yield from text.events()
    except (Unusual, ValueError, RecursionError):
        raise InputError(f"{shown(path)} changed while it was imported; nothing was imported") from None
    finally:
        text.close()


def outline(path: str, progress: Progress, uuid_check: Callable[[object, str], object]) -> Outline:
    """The first pass (see the module's docstring); Unusual when the file must be read whole instead.
    `uuid_check(row, "change_log")` is the import's own check of a change-log entry's uuid."""
    skeleton: dict = {}
    tables: dict | None = None
    counts: dict[str | tuple, int] = {}
    order: list[str | tuple] = []
    log_error: InputError | None = None
    try:
        text = _Text(path, progress)
    except (OSError, ValueError):
        raise Unusual from None
    try:
        for event in text.events():
            kind = event[0]
            if kind == "row":
                counts[event[1]] += 1
                if event[1] == LOG and log_error is None:
                    try:
                        uuid_check(event[2], "change_log")
                    except InputError as exc:
                        log_error = exc
            elif kind == "start":
                if event[1] == LOG:
                    _once(skeleton, "change_log")
                    skeleton["change_log"] = []
                else:
                    _once(tables, event[1])
                    tables[event[1]] = []  # type: ignore[index]
                counts[event[1]] = 0
                order.append(event[1])
            elif kind == "end":
                continue
            elif kind == "tables":
                _once(skeleton, "tables")
                skeleton["tables"] = tables = {}
            elif len(event) == 4:  # a table that is not a list: the shape check refuses it
                _once(tables, event[2])
                tables[event[2]] = event[3]  # type: ignore[index]
            else:
                _once(skeleton, event[1])
                skeleton[event[1]] = event[2]
    except (ValueError, RecursionError, OSError):  # not JSON, not UTF-8, a number too long, nested too deep
        raise Unusual from None
    finally:
        text.close()
    return Outline(path, skeleton, counts, tuple(order), log_error)


def _once(seen: dict | None, key: str) -> None:
    """A key given twice means its last value (as json.loads reads it): not followed here."""
    if seen is None or key in seen:
        raise Unusual
