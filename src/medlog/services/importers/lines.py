"""A CSV file read for csv.reader a physical line at a time, each counted as an editor numbers it, and its rows.

Shared by the importers of other apps' files (Daylio, Bearable, a CSV with a mapping file):

* A line ends with LF, CR LF or a CR alone (an old Mac's, and some spreadsheets' "CSV (Macintosh)"): each is one
  line, so line numbers are an editor's and a file of CR-only lines is not one line that is no app's header.
* A line is read with a limit: a file that never ends (a symlink to /dev/zero) is refused rather than read until
  memory runs out.
* A UTF-8 BOM before the first line is dropped.
* A line that is not UTF-8, or holds a NUL, is still read (replaced, dropped) and remembered in `bad`, so the
  importer refuses its row by line number — or leaves it out with --skip-bad (`read_rows`).
"""

from __future__ import annotations

import csv
import io
import re

from medlog.domain.errors import InputError
from medlog.domain.foreign import BadLine, Where

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import IO

BOM = b"\xef\xbb\xbf"
LONGEST_LINE = 1 << 20  # characters: no app writes a longer line; the rest of one would be read as lines of its own
_LINE_END = re.compile(rb"\r\n?|\n")
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that are not UTF-8, as surrogateescape decodes them


def first_line(head: bytes) -> bytes:
    """The first line of a file's first bytes, without a UTF-8 BOM before it nor its line end (LF, CR LF or CR)."""
    return _LINE_END.split(head.removeprefix(BOM), maxsplit=1)[0]


class Lines:
    """The lines of `handle` (bytes) as text for csv.reader, each with its own line end (csv.reader keeps a quoted
    line break as it is written). `what` ends the refusal of an overlong line ("a Daylio export"); `advice` ends
    the note on a line that is not UTF-8 ("Daylio writes UTF-8")."""

    def __init__(self, handle: IO[bytes], what: str, advice: str) -> None:
        # newline="": CR LF, LF and CR each end a line, kept as written; surrogateescape: a byte that is not UTF-8
        # is kept (a lone surrogate) so its line can be named, and the line's bytes given back exactly.
        self.text = io.TextIOWrapper(handle, encoding="utf-8", errors="surrogateescape", newline="")
        self.what, self.advice = what, advice
        self.number = 0
        self.bad: dict[int, str] = {}  # line number → why its row cannot be read

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        text = self.text.readline(LONGEST_LINE + 1)
        if not text:
            raise StopIteration
        self.number += 1
        if len(text) > LONGEST_LINE:  # not skippable: the rest of the line would be read as lines of its own
            raise InputError(f"line {self.number} is longer than 1 MiB: not a line of {self.what}")
        if self.number == 1:
            text = text.removeprefix("\ufeff")
        if _ESCAPED.search(text):
            raw = text.encode("utf-8", "surrogateescape")
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                self.bad[self.number] = (f"line {self.number} is not UTF-8 text (byte {exc.start + 1} of the line); "
                                         f"{self.advice}")
            text = raw.decode("utf-8", "replace")
        if "\x00" in text:
            self.bad.setdefault(self.number, f"line {self.number} holds a NUL byte")
            text = text.replace("\x00", "")
        return text


def read_rows(lines: Lines, reader: Iterator[list[str]], read: Callable[[list[str], int], None],
              refuse: Callable[[BadLine], None]) -> int:
    """Give each row of `reader` (a csv.reader over `lines`, its header read) to `read` with the physical line it
    starts on (a quoted note can span lines); blank lines are passed over. A row that cannot be read — CSV that
    does not parse, bytes that are not UTF-8, a NUL — or that `read` refuses (BadLine) goes to `refuse`, which
    raises it, or lists it (--skip-bad). The number of rows read, the refused ones among them."""
    count = 0
    while True:
        start = lines.number + 1
        try:
            row = next(reader)
        except StopIteration:
            return count
        except csv.Error as exc:  # strict: a quote left open is not the rest of the file in one cell
            count += 1
            through = f", through line {lines.number}" if lines.number > start else ""
            problem = BadLine(Where(start), f"is not CSV that can be read ({exc}){through}")
            if lines.number < start:  # nothing was consumed: going on would not end
                raise problem from None
            refuse(problem)
            continue
        if not any(field.strip() for field in row):
            continue  # a blank line
        count += 1
        try:
            bad = [lines.bad[n] for n in range(start, lines.number + 1) if n in lines.bad]
            if bad:
                raise BadLine(Where(start), "; ".join(bad))
            read(row, start)
        except BadLine as exc:
            refuse(exc)
