"""The SQL migrations, the SQLModel tables and the stdlib write path describe one schema.

store/schema.py states it; store/catalogue.py is generated from it (tests/store/test_catalogue.py holds it
current); here a journal made by the real migrations is held to the catalogue, and the write path to both.
"""

from decimal import Decimal

import pytest
from sqlmodel import SQLModel

from medlog.domain.metrics import BUILTIN_METRICS
from medlog.store import catalogue, schema, writes
from medlog.store.catalogue_gen import file_columns, mismatches
from medlog.store.changes import TABLES
from medlog.store.connection import connect


@pytest.fixture
def conn(tmp_path):
    c = connect(str(tmp_path / "j.sqlite"), create=True)
    yield c
    c.close()


def test_every_table_is_modelled(conn):
    in_file = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert {t.name for t in SQLModel.metadata.sorted_tables} == in_file == set(catalogue.TABLES)
    assert TABLES | {"change_log"} == in_file


def test_the_migrations_make_the_catalogues_tables(conn):
    """Column by column: type, NOT NULL, primary key, UNIQUE, the table a reference points at, the default."""
    assert mismatches(conn, catalogue.TABLES) == []
    assert len(file_columns(conn, "note")) == len(catalogue.TABLES["note"]) > 10  # the comparison saw columns


def test_the_stdlib_write_path_names_only_real_columns(conn):
    """Every row builder fills the table's columns that the store does not manage itself: all of them, except a
    column with a default (NULL, or a DEFAULT), which a builder may leave to the file — so a new column with a
    default needs no builder until something writes it."""
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from medlog.domain.units import Amount

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
        "rule": writes.rule_row(kind="daily_max", substance_id=1),
        "stock_event": writes.stock_event_row(substance_id=1, kind="add", stamp=stamp,
                                              amount=Amount(Decimal(30), "tablet"), note=None),
        "rule_warning": writes.rule_warning_row(rule_id=1, stamp=stamp, text="x"),
    }
    assert set(samples) == TABLES  # a builder for every journal table
    for table, row in samples.items():
        assert row.table == table
        columns = {c.name: c for c in catalogue.TABLES[table] if c.name not in catalogue.MANAGED}
        assert set(row.values) <= set(columns), (table, set(row.values) - set(columns))
        required = {name for name, c in columns.items() if c.not_null and c.default is None}
        assert required <= set(row.values), (table, required - set(row.values))


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
