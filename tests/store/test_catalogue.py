"""store/catalogue.py is what store/schema.py and the migrations give, and the generator refuses a mismatch."""

from __future__ import annotations

import ast
import os
import sqlite3
import subprocess
import sys

import pytest

from medlog.domain.record import replace
from medlog.store import catalogue, catalogue_gen
from medlog.store.column import Column

MIGRATIONS = os.path.join(catalogue_gen.STORE, "migrations")


def _migrated() -> sqlite3.Connection:
    return catalogue_gen.migrated(MIGRATIONS, catalogue_gen.migrations(MIGRATIONS))


def test_the_committed_catalogue_is_current():
    with open(os.path.join(catalogue_gen.STORE, "catalogue.py"), encoding="utf-8") as fh:
        committed = fh.read()
    assert catalogue_gen.render() == committed, (
        "store/catalogue.py is not what store/schema.py and migrations/ give: run "
        "`python -m medlog.store.catalogue_gen` (and commit the file it writes)")


def test_the_catalogue_says_what_the_rest_reads():
    assert catalogue.MIGRATIONS == catalogue_gen.migrations(MIGRATIONS)
    assert catalogue.JOURNAL[0] == "substance" and "change_log" not in catalogue.JOURNAL
    assert set(catalogue.TABLES) == {*catalogue.JOURNAL, "change_log"}
    for table in catalogue.JOURNAL:  # every journal table starts with the managed columns; parents come first
        assert tuple(c.name for c in catalogue.TABLES[table][:5]) == catalogue.MANAGED
        for column in catalogue.TABLES[table]:
            if column.references:
                assert catalogue.JOURNAL.index(column.references) <= catalogue.JOURNAL.index(table)
    note = {c.name: c for c in catalogue.TABLES["note"]}
    assert note["kind"] == Column("kind", "VARCHAR", not_null=True, default="note")
    assert note["zone"].form == "zone" and note["text"].form == "note" and note["occurred_at"].form == "instant"
    assert note["dose_id"].references == "dose"


def test_reading_the_catalogue_is_cheap(tmp_path):
    """The quick path reads it (changes.py, migrate.py): stdlib only, and no `typing` or `dataclasses`."""
    code = ("import sys\nimport medlog.store.changes, medlog.store.migrate\n"
            "print(repr(sorted(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    loaded = set(ast.literal_eval(proc.stdout.strip()))
    assert "medlog.store.catalogue" in loaded
    assert not loaded & {"sqlmodel", "sqlalchemy", "pydantic", "typing", "dataclasses", "json"}


@pytest.mark.parametrize("change, said", [
    (lambda c: replace(c, type="INTEGER") if c.name == "text" else c, "note.text: schema.py says text INTEGER"),
    (lambda c: replace(c, not_null=False) if c.name == "zone" else c, "note.zone: schema.py says zone VARCHAR;"),
    (lambda c: replace(c, default="memo") if c.name == "kind" else c, "DEFAULT 'memo'; the migrations make kind"),
    (lambda c: replace(c, references=None) if c.name == "dose_id" else c, "note.dose_id: schema.py says dose_id"),
    (lambda c: replace(c, unique=False) if c.name == "uuid" else c, "note.uuid: schema.py says uuid VARCHAR NOT"),
    (lambda c: replace(c, name="label") if c.name == "text" else c, "note.label: in schema.py, not made by the"),
])
def test_every_difference_between_schema_and_migrations_is_named(change, said):
    tables = {**catalogue.TABLES, "note": tuple(change(c) for c in catalogue.TABLES["note"])}
    conn = _migrated()
    try:
        assert catalogue_gen.mismatches(conn, catalogue.TABLES) == []
        found = catalogue_gen.mismatches(conn, tables)
    finally:
        conn.close()
    assert len(found) in (1, 2) and any(said in line for line in found), found


def test_a_migration_is_drafted_for_what_sqlite_can_add_in_place():
    conn = _migrated()
    added = Column("topic", "VARCHAR", not_null=True, default="general", form="name")
    new_table = (Column("id", "INTEGER", not_null=True, primary_key=True), Column("uuid", "VARCHAR", True, unique=True),
                 Column("note_id", "INTEGER", not_null=True, references="note"), Column("word", "VARCHAR"))
    try:
        tables = {**catalogue.TABLES, "note": (*catalogue.TABLES["note"], added), "tag": new_table}
        sql = catalogue_gen.draft(conn, tables)
        assert sql is not None and "ALTER TABLE note ADD COLUMN topic VARCHAR NOT NULL DEFAULT 'general';" in sql
        assert "CREATE TABLE tag (\n    id INTEGER NOT NULL PRIMARY KEY,\n" in sql
        conn.executescript(sql)
        assert catalogue_gen.mismatches(conn, tables) == []  # the draft makes exactly what was stated
        # SQLite cannot add a NOT NULL column without a default, nor change a column, in place: no draft
        required = {**tables, "note": (*tables["note"], Column("mood", "INTEGER", not_null=True))}
        assert catalogue_gen.draft(conn, required) is None
        retyped = {**tables, "tag": (*new_table[:3], Column("word", "INTEGER"))}
        assert catalogue_gen.draft(conn, retyped) is None
    finally:
        conn.close()


def test_migrations_are_numbered_without_a_gap(tmp_path):
    for name in ("0001_initial.sql", "0003_later.sql", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="not numbered 1, 2, 3"):
        catalogue_gen.migrations(str(tmp_path))
    (tmp_path / "0003_later.sql").rename(tmp_path / "0002_later.sql")
    assert catalogue_gen.migrations(str(tmp_path)) == ((1, "0001_initial.sql"), (2, "0002_later.sql"))
