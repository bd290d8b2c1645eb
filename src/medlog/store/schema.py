"""The journal's tables as SQLModel classes: the typed reference the SQL and the stdlib reads are held to.

The migrations in migrations/*.sql create these tables; tests/store/test_schema_matches.py holds the two to
each other (columns, types, nullability, keys), holds the stdlib write path's SQL to these columns, and holds
the stdlib readers' values (store/listings.py, store/lookup.py) to what SQLModel reads from the same rows.
Importing this module is heavy (SQLModel, SQLAlchemy, pydantic: ~0.45 s): no command imports it.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from sqlalchemy.pool import StaticPool
from sqlmodel import Field, Session, SQLModel, create_engine


def session(conn: sqlite3.Connection) -> Session:
    """A SQLModel session over an already-open, already-checked medlog connection: typed rows of any table."""
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
    return Session(engine)


class Row(SQLModel):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True)
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


class Substance(Row, table=True):
    __tablename__ = "substance"
    name: str
    name_key: str
    kind: str
    form: str | None = None
    strength_value: float | None = None
    strength_unit: str | None = None
    elemental_value: float | None = None
    elemental_unit: str | None = None
    reason: str | None = None
    prescriber: str | None = None
    notes: str | None = None
    iu_mass_value: float | None = None  # the mass of one IU (schema 2)
    iu_mass_unit: str | None = None
    onset_lag_days: int | None = None  # days before a change shows, for compare (schema 3); None: the default


class SubstanceAlias(Row, table=True):
    __tablename__ = "substance_alias"
    substance_id: int = Field(foreign_key="substance.id")
    alias: str
    alias_key: str


class RegimenEvent(Row, table=True):
    __tablename__ = "regimen_event"
    substance_id: int = Field(foreign_key="substance.id")
    kind: str
    effective_at: datetime
    zone: str
    journal_day: date
    dose_value: float | None = None
    dose_unit: str | None = None
    schedule: str | None = None
    note: str | None = None
    source: str


class Dose(Row, table=True):
    __tablename__ = "dose"
    substance_id: int = Field(foreign_key="substance.id")
    status: str
    occurred_at: datetime
    zone: str
    journal_day: date
    amount_value: float | None = None
    amount_unit: str | None = None
    slot: str | None = None
    note: str | None = None
    source: str


class Metric(Row, table=True):
    __tablename__ = "metric"
    key: str
    label: str
    min_value: float
    max_value: float
    higher_is_better: bool
    whole_numbers: bool
    unit: str
    builtin: bool


class Observation(Row, table=True):
    __tablename__ = "observation"
    metric_id: int = Field(foreign_key="metric.id")
    value: float
    journal_day: date
    recorded_at: datetime
    zone: str
    source: str


class Symptom(Row, table=True):
    __tablename__ = "symptom"
    name: str
    name_key: str
    severity: int
    occurred_at: datetime
    zone: str
    journal_day: date
    note: str | None = None
    source: str


class Note(Row, table=True):
    __tablename__ = "note"
    text: str
    flagged: bool
    occurred_at: datetime
    zone: str
    journal_day: date
    dose_id: int | None = Field(default=None, foreign_key="dose.id")
    source: str
    kind: str = "note"  # note | question (one to ask at the next visit; schema 4)


class Rule(Row, table=True):
    __tablename__ = "rule"
    kind: str
    substance_id: int = Field(foreign_key="substance.id")
    other_substance_id: int | None = Field(default=None, foreign_key="substance.id")
    amount_value: float | None = None
    amount_unit: str | None = None
    hours: float | None = None
    max_per_day: int | None = None
    min_interval_hours: float | None = None
    source_text: str | None = None
    enabled: bool


class Experiment(Row, table=True):
    """A self-experiment (schema 5): how its on and off periods were planned and randomised. The periods are
    planned start/stop events of the substance in regimen_event."""

    __tablename__ = "experiment"
    substance_id: int = Field(foreign_key="substance.id")
    design: str  # abab | abba | random-pairs
    block_days: int
    washout_days: int
    onset_lag_days: int | None = None  # the substance's onset lag when planned (None: none set)
    pairs: int
    seed: int
    assignment: str  # "AB,BA": A = on, B = off, grouped by pair
    metrics: str  # metric keys, comma-separated
    start_day: date
    stopped_at: datetime | None = None
    with_clinician: bool
    note: str | None = None


class ChangeLog(SQLModel, table=True):
    __tablename__ = "change_log"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True)
    batch: str
    at: datetime
    table_name: str
    row_uuid: str
    action: str
    before: str | None = None
    after: str | None = None
    summary: str
    undoes: str | None = None
