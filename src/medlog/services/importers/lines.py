"""An app's CSV export read for csv.reader a physical line at a time, each counted as an editor numbers it.

Shared by the importers of other apps' files (Daylio, Bearable): a line is read with a limit (a file that never
ends, such as /dev/zero, is refused rather than read until memory runs out); a UTF-8 BOM before the first line is
dropped; a line that is not UTF-8, or holds a NUL, is still read (replaced, dropped) and remembered in `bad`, so the
importer refuses its row by line number — or leaves it out with --skip-bad.
"""

from __future__ import annotations

from medlog.domain.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

BOM = b"\xef\xbb\xbf"
LONGEST_LINE = 1 << 20  # bytes: no app writes a longer line; the rest of one would be read as lines of its own


class Lines:
    def __init__(self, handle: IO[bytes], app: str) -> None:
        self.handle, self.app = handle, app
        self.number = 0
        self.bad: dict[int, str] = {}  # line number → why its row cannot be read

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        raw = self.handle.readline(LONGEST_LINE + 1)
        if not raw:
            raise StopIteration
        self.number += 1
        if len(raw) > LONGEST_LINE:  # not skippable: the rest of the line would be read as lines of its own
            raise InputError(f"line {self.number} is longer than 1 MiB: not a line of a {self.app} export")
        if self.number == 1:
            raw = raw.removeprefix(BOM)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.bad[self.number] = (f"line {self.number} is not UTF-8 text (byte {exc.start + 1} of the line); "
                                     f"{self.app} writes UTF-8")
            text = raw.decode("utf-8", "replace")
        if "\x00" in text:
            self.bad.setdefault(self.number, f"line {self.number} holds a NUL byte")
            text = text.replace("\x00", "")
        return text
