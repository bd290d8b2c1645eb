"""Importers: one module per format medlog reads, each registered in services/formats.py (IMPORTERS).

An importer's module has two functions:

* `sniff(head: bytes) -> bool` — whether a file beginning with `head` (its first few kilobytes) is of its format.
  Cheap, and never sure of more than the head shows: `medlog import FILE` asks each importer in turn, and
  `--from NAME` skips the question.
* `read(path: str | Held, progress: Progress) -> Rows` — the file checked as a whole (a refusal is an InputError,
  before anything is written) and its rows, to be read as they are imported.

`path` is the file's path, or — for a pipe or standard input, which can be read only once — its bytes, held
(source.py: `Held`); an importer opens either with `source.opened`.

Another app's file (Daylio, Bearable, a CSV with a mapping, medlog's own CSV) is read differently: its module has
`sniff` and `parse(path: str | Held, options: ReadOptions) -> domain.foreign.ForeignFile` — entries as the file
writes them (names, labels, local times made instants in `options.zone`), each with its line and a stable UUID. A
line that cannot be read raises `domain.foreign.BadLine` (line and column named), unless `options.skip_bad`: then
it is left out and listed in `ForeignFile.skipped`. `resolve.py` matches the names to the journal's and makes the
rows.

Rows are in the form of medlog's own JSON export (docs/cli.md, "Export and import"): each row a dict of the
table's columns as medlog stores them, with a `uuid`, and references to other rows as their UUIDs
(`substance_uuid`). The store's import (services/exchange.py: `import_rows`) holds every value to the journal's
forms (store/forms.py), matches rows by UUID (so importing a file twice adds nothing: an importer of another app's
file makes each row's UUID from that app's own id, e.g. uuid5 of it) and writes all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from medlog.domain.errors import InputError
from medlog.domain.record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from zoneinfo import ZoneInfo

Progress = Callable[[str, int, int], None]  # (what, done, total): for a progress bar on a terminal


@record
class ReadOptions:
    """How to read another app's file: the zone its times without an offset were written in, whether a bad line
    is left out (listed) rather than refusing the file, and the mapping file's choices (a generic CSV's columns)."""

    zone: ZoneInfo
    skip_bad: bool = False
    mapping: Mapping[str, object] = {}  # the mapping file (TOML) as read; importers read only their own keys


@record
class Rows:
    """What an importer read: the rows of each table (asked for parents first, in store.exchange.ORDER) and the
    change-log entries (medlog's own exports carry theirs; other apps' files have none)."""

    table: Callable[[str], Iterable[object]]  # a table's rows
    total: int  # rows in all, for the progress shown
    change_log: Callable[[], Iterable[object]] = lambda: ()
    log_error: InputError | None = None  # a change-log entry found wrong while reading: refused before the log


def uuid_of(row: object, table: str) -> str:
    """The row's uuid, which the import matches rows by; a row without one is refused."""
    uuid = row.get("uuid") if isinstance(row, dict) else None
    if not isinstance(uuid, str) or not uuid:
        raise InputError(f"a {table} row of the file has no uuid; nothing was imported")
    return uuid
