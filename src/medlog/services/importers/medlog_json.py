"""medlog's own JSON export (`medlog export --format json`): the journal's rows, read back exactly.

The file is read twice, a row at a time (services/export_reader.py): a first pass checks it as a whole — its
kind, versions and shape — before anything is written; the rows are read again as they are imported. Standard
input, a pipe (held: importers/source.py), and a file that reader does not follow, are read whole, with the same
checks and messages.
"""

from __future__ import annotations

from medlog.domain.errors import InputError
from medlog.services import export_reader
from medlog.services.export_writers import FORMAT, VERSION
from medlog.services.importers import Progress, Rows, uuid_of
from medlog.services.importers.source import Held
from medlog.store import exchange
from medlog.store.migrate import CURRENT_VERSION

SIGN = b'"format": "' + FORMAT.encode() + b'"'  # how medlog begins every export (its first key)


def sniff(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and SIGN in head


def read(path: str | Held, progress: Progress) -> Rows:
    """The file's rows once its kind, versions and shape are ones this medlog reads (InputError otherwise). A
    pipe's or standard input's bytes, held (importers/source.py), are read whole, as "-" is."""
    if isinstance(path, Held):
        tables, log = _checked(export_reader.load_bytes(path.data, path.name))
        return _whole(tables, log)
    if path != "-":
        try:
            found = export_reader.outline(path, progress, uuid_of)
        except export_reader.Unusual:
            pass
        else:
            _checked(found.skeleton)
            rows_of = found.rows([*exchange.ORDER, export_reader.LOG])
            return Rows(rows_of, sum(found.counts.values()), lambda: rows_of(export_reader.LOG), found.log_error)
    tables, log = _checked(export_reader.load(path))
    return _whole(tables, log)


def _whole(tables: dict[str, list[dict[str, object]]], log: list[dict[str, object]]) -> Rows:
    return Rows(lambda table: tables.get(table, []), sum(len(rows) for rows in tables.values()) + len(log),
                lambda: log, next((exc for exc in map(_uuid_error, log) if exc), None))


def _uuid_error(entry: object) -> InputError | None:
    try:
        uuid_of(entry, "change_log")
    except InputError as exc:
        return exc
    return None


def _checked(data: object) -> tuple[dict[str, list[dict[str, object]]], list[dict[str, object]]]:
    """The document's tables and change log, once its kind and versions are ones this medlog reads."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"not a medlog journal export (its \"format\" is not \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise InputError(f"a medlog export of layout version {data.get('version')!r}; this medlog reads {VERSION}")
    schema = data.get("schema")
    if not isinstance(schema, int) or not 1 <= schema <= CURRENT_VERSION:
        raise InputError(f"the export follows journal schema {schema!r}; this medlog knows 1 to {CURRENT_VERSION} "
                         "(a newer medlog wrote it?)")
    tables, log = data.get("tables"), data.get("change_log", [])
    if not isinstance(tables, dict) or not isinstance(log, list) or set(tables) - set(exchange.ORDER) or not all(
            isinstance(rows, list) for rows in tables.values()):
        raise InputError("the export's tables are not in the expected shape; nothing was imported")
    return tables, log
