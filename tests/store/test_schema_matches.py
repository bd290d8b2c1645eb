"""The SQL migrations, the SQLModel tables and the stdlib write path describe one schema."""

from decimal import Decimal

import pytest
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import SQLModel

from medlog.domain.metrics import BUILTIN_METRICS
from medlog.store import schema, writes
from medlog.store.changes import TABLES
from medlog.store.connection import connect


@pytest.fixture
def conn(tmp_path):
    c = connect(str(tmp_path / "j.sqlite"), create=True)
    yield c
    c.close()


def sqlmodel_tables():
    return {t.name: t for t in SQLModel.metadata.sorted_tables if t.name in TABLES | {"change_log"}}


def test_every_table_is_modelled(conn):
    in_file = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert set(sqlmodel_tables()) == in_file == TABLES | {"change_log"}


def test_columns_types_nullability_and_keys_agree(conn):
    for name, table in sqlmodel_tables().items():
        in_file = {row[1]: (row[2], bool(row[3]), bool(row[5])) for row in conn.execute(f"PRAGMA table_info({name})")}
        modelled = {c.name: (c.type.compile(dialect=sqlite_dialect.dialect()), not c.nullable, c.primary_key)
                    for c in table.columns}
        assert in_file == modelled, name
        file_fks = {(r[3], r[2], r[4]) for r in conn.execute(f"PRAGMA foreign_key_list({name})")}
        model_fks = {(fk.parent.name, fk.column.table.name, fk.column.name) for fk in table.foreign_keys}
        assert file_fks == model_fks, name


def test_the_stdlib_write_path_names_only_real_columns(conn):
    """Every row builder fills exactly the table's columns that are not managed by the store itself."""
    from datetime import UTC, date, datetime

    stamp = writes.Stamp(datetime(2026, 1, 1, tzinfo=UTC), "UTC", date(2026, 1, 1))
    samples = {
        "substance": writes.substance_row(name="x", name_key="x", kind="supplement", form=None, strength=None,
                                          elemental=None, reason=None, prescriber=None),
        "substance_alias": writes.alias_row(substance_id=1, alias="y", alias_key="y"),
        "regimen_event": writes.regimen_event_row(substance_id=1, kind="start", stamp=stamp, dose=None,
                                                  schedule=None, note=None, source="cli"),
        "dose": writes.dose_row(substance_id=1, status="taken", stamp=stamp, amount=None, slot=None, note=None,
                                source="cli"),
        "observation": writes.observation_row(metric_id=1, value=1.0, day=stamp.day, recorded=stamp, source="cli"),
        "symptom": writes.symptom_row(name="x", name_key="x", severity=1, stamp=stamp, note=None, source="cli"),
        "note": writes.note_row(text="x", flagged=False, stamp=stamp, source="cli"),
        "experiment": writes.experiment_row(substance_id=1, design="abab", block_days=14, washout_days=3,
                                            onset_lag_days=None, pairs=2, seed=1, assignment="AB,BA",
                                            metrics="mood", start_day=stamp.day, with_clinician=False, note=None),
        "metric": writes.metric_row(key="k", label="K", min_value=0, max_value=1, higher_is_better=True,
                                    whole_numbers=True, unit=""),
    }
    managed = {"id", "uuid", "created_at", "updated_at", "deleted_at"}
    for table, row in samples.items():
        assert row.table == table
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        assert set(row.values) == columns - managed, (table, set(row.values) ^ (columns - managed))


def test_the_seeded_metrics_are_the_builtins(conn):
    rows = conn.execute("SELECT key, label, min_value, max_value, higher_is_better, whole_numbers, unit FROM metric"
                        " WHERE builtin ORDER BY id").fetchall()
    assert [(k, lbl, Decimal(str(lo)), Decimal(str(hi)), bool(h), bool(w), u) for k, lbl, lo, hi, h, w, u in rows] == [
        (s.key, s.label, s.min_value, s.max_value, s.higher_is_better, s.integer, s.unit) for s in BUILTIN_METRICS]


def test_sqlmodel_reads_what_the_stdlib_path_wrote(conn):
    from sqlmodel import select

    from medlog.store.schema import session

    with session(conn) as s:
        metric = s.exec(select(schema.Metric).where(schema.Metric.key == "mood")).one()
    assert metric.created_at.tzinfo is not None and metric.higher_is_better is True
