"""Writes store/catalogue.py from store/schema.py, once the migrations are shown to make exactly those tables.

    python -m medlog.store.catalogue_gen                  check, then write catalogue.py
    python -m medlog.store.catalogue_gen --migration NAME  first draft migrations/NNNN_NAME.sql for what the
                                                           migrations lack (new columns, new tables), then write
    python -m medlog.store.catalogue_gen --check          exit 1 if catalogue.py is not what it would write

The catalogue is the schema in the standard library's terms — each table in order, each column's type,
nullability, keys, default and form, and the migrations — because the quick path may not import SQLModel.
The check applies every migration to a new in-memory file and compares what SQLite reports of it, column by
column, with schema.py: the migrations are history (frozen once released) and stay hand-written SQL, but a
migration that does not make what schema.py says cannot get past this. A development tool: no command imports it.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sqlite3
import sys
from types import ModuleType

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from medlog.domain.record import replace
from medlog.store.column import Column

STORE = os.path.dirname(os.path.abspath(__file__))
# The form of a column's values when schema.py names none: its type's (store/forms.py's FORMS).
BY_TYPE = {"DATETIME": "instant", "DATE": "day", "INTEGER": "integer", "FLOAT": "number", "BOOLEAN": "flag",
           "VARCHAR": "text"}
_MIGRATION = re.compile(r"(\d{4})_[a-z0-9_]+\.sql\Z")
REGENERATE = "python -m medlog.store.catalogue_gen"


class Mismatch(Exception):
    """The migrations do not make the tables schema.py states; str() lists each difference."""

    def __init__(self, problems: list[str], draft: str | None):
        self.problems, self.draft = problems, draft
        super().__init__("the migrations do not make the tables of store/schema.py:\n  " + "\n  ".join(problems))


def tables_of(schema: ModuleType) -> tuple[dict[str, tuple[Column, ...]], tuple[str, ...], tuple[str, ...]]:
    """schema.py's tables in the order it declares them, as columns; its journal tables (those with the columns
    of `Row`, parents before children); and those columns (the store fills them)."""
    declared = [(v, getattr(v, "__table__", None)) for v in vars(schema).values() if isinstance(v, type)]
    classes = [(cls, table) for cls, table in declared if isinstance(table, Table)]
    tables = {table.name: tuple(_column(c) for c in table.columns) for _, table in classes}
    journal = tuple(table.name for cls, table in classes if issubclass(cls, schema.Row))
    for i, table in enumerate(journal):
        for column in tables[table]:
            if column.references is not None and column.references not in journal[:i + 1]:
                raise ValueError(f"{table}.{column.name} refers to {column.references}, declared after it: "
                                 "declare parents first (export and import follow this order)")
    for table, columns in tables.items():
        names = {c.name for c in columns}
        for column in columns:
            if column.form == "key" and not (column.name.endswith("_key") and column.name[:-4] in names):
                raise ValueError(f"{table}.{column.name}: a key column is named NAME_key, beside its NAME column")
    return tables, journal, tuple(schema.Row.model_fields)


def _column(c: object) -> Column:
    from sqlalchemy import Column as SAColumn

    assert isinstance(c, SAColumn)
    kind = c.type.compile(dialect=sqlite_dialect.dialect())
    default: object = None
    if c.server_default is not None:
        raise ValueError(f"{c.table.name}.{c.name}: state a default as the field's default, not server_default")
    if isinstance(c.default, ScalarElementColumnDefault):
        default = int(c.default.arg) if isinstance(c.default.arg, bool) else c.default.arg
    elif c.default is not None:
        raise ValueError(f"{c.table.name}.{c.name}: only a fixed value can be a column's default")
    targets = [fk.column for fk in c.foreign_keys]
    if any(t.name != "id" for t in targets):
        raise ValueError(f"{c.table.name}.{c.name}: a reference holds another table's id")
    form = c.info.get("form") or BY_TYPE.get(kind)
    if form is None:
        raise ValueError(f"{c.table.name}.{c.name}: no form for the type {kind}; name one with formed()")
    return Column(c.name, kind, not c.nullable, c.primary_key, bool(c.unique),
                  targets[0].table.name if targets else None, default, form)


def migrations(directory: str = os.path.join(STORE, "migrations")) -> tuple[tuple[int, str], ...]:
    """(version, file) of every migration, in order; the versions run 1, 2, 3… without a gap."""
    found = sorted((int(m[1]), name) for name in os.listdir(directory) if (m := _MIGRATION.match(name)))
    if [v for v, _ in found] != list(range(1, len(found) + 1)):
        raise ValueError(f"the migrations in {directory} are not numbered 1, 2, 3…: {[n for _, n in found]}")
    return tuple(found)


def migrated(directory: str, files: tuple[tuple[int, str], ...]) -> sqlite3.Connection:
    """A new in-memory file with every migration applied."""
    conn = sqlite3.connect(":memory:")
    for _, name in files:
        with open(os.path.join(directory, name), encoding="utf-8") as fh:
            conn.executescript(fh.read())
    return conn


def file_columns(conn: sqlite3.Connection, table: str) -> tuple[Column, ...]:
    """A table's columns as SQLite reports them (the form is not SQLite's to say: left empty)."""
    refs = {row[3]: row[2] for row in conn.execute(f"PRAGMA foreign_key_list({table})")}
    unique = set()
    for _, index, is_unique, origin, *_ in conn.execute(f"PRAGMA index_list({table})"):
        names = [row[2] for row in conn.execute(f"PRAGMA index_info({index})")]
        if is_unique and origin == "u" and len(names) == 1:
            unique.add(names[0])
    return tuple(Column(name, kind, bool(notnull), bool(pk), name in unique, refs.get(name),
                        None if default is None else conn.execute(f"SELECT {default}").fetchone()[0], "")
                 for _, name, kind, notnull, default, pk in conn.execute(f"PRAGMA table_info({table})"))


def mismatches(conn: sqlite3.Connection, tables: dict[str, tuple[Column, ...]]) -> list[str]:
    """Every way the file `conn` differs from `tables` (types, NOT NULL, keys, UNIQUE, defaults); [] if none."""
    in_file = [name for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'"
                                                " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    out = [f"{name}: a table the migrations make, not in schema.py" for name in in_file if name not in tables]
    out += [f"{name}: a table in schema.py the migrations do not make" for name in tables if name not in in_file]
    for table in (t for t in tables if t in in_file):
        found = {c.name: c for c in file_columns(conn, table)}
        stated = {c.name: replace(c, form="") for c in tables[table]}
        out += [f"{table}.{name}: in schema.py, not made by the migrations" for name in stated if name not in found]
        out += [f"{table}.{name}: made by the migrations, not in schema.py" for name in found if name not in stated]
        out += [f"{table}.{name}: schema.py says {_ddl(stated[name])}; the migrations make {_ddl(found[name])}"
                for name in stated if name in found and stated[name] != found[name]]
    return out


def _literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def _ddl(c: Column) -> str:
    """A column's definition as a migration writes it."""
    return (f"{c.name} {c.type}" + " NOT NULL" * c.not_null + " PRIMARY KEY" * c.primary_key + " UNIQUE" * c.unique
            + (f" DEFAULT {_literal(c.default)}" if c.default is not None else "")
            + (f" REFERENCES {c.references} (id)" if c.references else ""))


def draft(conn: sqlite3.Connection, tables: dict[str, tuple[Column, ...]]) -> str | None:
    """The SQL that would add what schema.py has and the file lacks (new tables; new columns SQLite can add in
    place), or None when the difference needs a migration written by hand (a table rebuild)."""
    in_file = {name for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    out = []
    for table, columns in tables.items():
        if table not in in_file:
            out.append(f"CREATE TABLE {table} (\n" + ",\n".join("    " + _ddl(c) for c in columns) + "\n);")
            continue
        found = {c.name for c in file_columns(conn, table)}
        for c in columns:
            if c.name in found:
                continue
            if c.primary_key or c.unique or (c.not_null and c.default is None) or (c.references and c.default):
                return None  # SQLite's ADD COLUMN cannot: the table must be rebuilt
            out.append(f"ALTER TABLE {table} ADD COLUMN {_ddl(c)};")
    probe = sqlite3.connect(":memory:")
    try:  # the draft must leave nothing else different (a changed or removed column needs a rebuild)
        conn.backup(probe)
        for statement in out:
            probe.execute(statement)
        return "\n".join(out) + "\n" if out and not mismatches(probe, tables) else None
    finally:
        probe.close()


def render(schema: ModuleType | None = None, directory: str = os.path.join(STORE, "migrations")) -> str:
    """The text of catalogue.py for `schema` (store/schema.py) and the migrations in `directory`; Mismatch if the
    migrations do not make its tables."""
    tables, journal, managed = tables_of(schema or importlib.import_module("medlog.store.schema"))
    files = migrations(directory)
    conn = migrated(directory, files)
    try:
        problems = mismatches(conn, tables)
        if problems:
            raise Mismatch(problems, draft(conn, tables))
    finally:
        conn.close()
    lines = [HEADER, "# (schema version, the migration that makes it), in order",
             "MIGRATIONS = ("]
    lines += [f"    ({version}, {_py(name)})," for version, name in files]
    lines += [")", "# Every journal table's first columns (schema.Row): the store fills them.",
              "MANAGED = (" + ", ".join(map(_py, managed)) + ")",
              "# The journal's tables, parents before children: the change log names these, export writes them so.",
              "JOURNAL = (", *_wrapped([_py(name) for name in journal]), ")",
              "# Every table's columns, in schema.py's order.",
              "TABLES: dict[str, tuple[Column, ...]] = {"]
    for table, columns in tables.items():
        lines.append(f"    {_py(table)}: (")
        lines += [f"        {_source(c)}," for c in columns]
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _py(value: object) -> str:
    """A value as Python source (strings in double quotes, as the project writes them)."""
    return json.dumps(value) if isinstance(value, str) else repr(value)


def _wrapped(items: list[str], indent: str = "    ", width: int = 116) -> list[str]:
    lines = [indent]
    for item in items:
        if len(lines[-1]) + len(item) + 1 > width:
            lines.append(indent)
        lines[-1] += item + ", "
    return [line.rstrip() for line in lines]


def _source(c: Column) -> str:
    said = [_py(c.name), _py(c.type)]
    for field, value, unset in (("not_null", c.not_null, False), ("primary_key", c.primary_key, False),
                                ("unique", c.unique, False), ("references", c.references, None),
                                ("default", c.default, None), ("form", c.form, "text")):
        if value != unset:
            said.append(f"{field}={_py(value)}")
    return f"Column({', '.join(said)})"


HEADER = '''"""The journal's tables. GENERATED from store/schema.py and migrations/: do not edit by hand.

To change a table: edit schema.py, write the migration that makes the change, and run
`python -m medlog.store.catalogue_gen` (with `--migration NAME` it drafts the migration first). It refuses while
the migrations do not make what schema.py says; tests/store/test_catalogue.py fails while this file is not what
it writes. Standard library only: the quick path reads it and may not import SQLModel (docs/architecture.md,
"Schema: stated once").
"""

from __future__ import annotations

from medlog.store.column import Column
'''


def main(argv: list[str]) -> int:
    path = os.path.join(STORE, "catalogue.py")
    if argv[:1] == ["--migration"] and len(argv) == 2 and re.fullmatch(r"[a-z0-9_]+", argv[1]):
        try:
            render()
            print("the migrations already make every table of schema.py: no migration drafted", file=sys.stderr)
        except Mismatch as exc:
            if exc.draft is None:
                print(f"{exc}\nwrite this migration by hand (a table rebuild: docs/architecture.md)", file=sys.stderr)
                return 1
            name = f"{len(migrations()) + 1:04d}_{argv[1]}.sql"
            with open(os.path.join(STORE, "migrations", name), "w", encoding="utf-8") as fh:
                fh.write(f"-- Schema {len(migrations()) + 1}: drafted from store/schema.py; say here why.\n"
                         + exc.draft)
            print(f"drafted migrations/{name}", file=sys.stderr)
    elif argv not in ([], ["--check"]):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        text = render()
    except (Mismatch, ValueError) as exc:
        print(exc, file=sys.stderr)
        if isinstance(exc, Mismatch) and exc.draft:
            print(f"\n`{REGENERATE} --migration NAME` would write:\n{exc.draft}", file=sys.stderr)
        return 1
    current = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            current = fh.read()
    if argv == ["--check"]:
        if text != current:
            print(f"store/catalogue.py is out of date: run `{REGENERATE}`", file=sys.stderr)
        return int(text != current)
    if text != current:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    print("store/catalogue.py " + ("written" if text != current else "already current"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
