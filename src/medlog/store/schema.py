"""The journal's tables as SQLModel classes: where each table and column is stated, once.

Everything else about a column is derived from here. `python -m medlog.store.catalogue_gen` writes
store/catalogue.py from these classes (stdlib only: the quick path reads it) — the tables in order, each column's
type, nullability, keys, default and form — and checks that the migrations in migrations/*.sql make exactly
these tables; the change log, the export and import, and the import's value checks (store/forms.py) read the
catalogue. tests/store/test_catalogue.py fails while the committed catalogue is not what these classes give.

A field says what the catalogue cannot guess: `formed(FORM)` names the form of its values where its type alone
would say too little (a zone, a unit, a schedule…; the forms are store/forms.py's FORMS), and a scalar default
(`kind: str = "note"`) is the column's DEFAULT in the file. Importing this module is heavy (SQLModel,
SQLAlchemy, pydantic: ~0.45 s): no command imports it.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

from sqlalchemy.pool import StaticPool
from sqlmodel import Field, Session, SQLModel, create_engine


def session(conn: sqlite3.Connection) -> Session:
    """A SQLModel session over an already-open, already-checked medlog connection: typed rows of any table."""
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
    return Session(engine)


def formed(form: str, **field: Any) -> Any:
    """A column whose values have `form` (a key of store/forms.py's FORMS), beyond what its type says."""
    return Field(sa_column_kwargs={"info": {"form": form}}, **field)


class Row(SQLModel):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = formed("uuid", unique=True)
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


class Substance(Row, table=True):
    __tablename__ = "substance"
    name: str = formed("name")
    name_key: str = formed("key")
    kind: str
    form: str | None = None
    strength_value: float | None = formed("amount", default=None)
    strength_unit: str | None = formed("unit", default=None)
    elemental_value: float | None = formed("amount", default=None)
    elemental_unit: str | None = formed("unit", default=None)
    reason: str | None = formed("note", default=None)
    prescriber: str | None = formed("name", default=None)
    notes: str | None = formed("note", default=None)
    iu_mass_value: float | None = formed("amount", default=None)  # the mass of one IU (schema 2)
    iu_mass_unit: str | None = formed("unit", default=None)
    onset_lag_days: int | None = None  # days before a change shows, for compare (schema 3); None: the default
    ingredients: str | None = formed("ingredient_keys", default=None)  # name keys, comma-separated (schema 6)
    classes: str | None = formed("class_keys", default=None)  # medlog/data/names' class keys, comma-separated
    refill_warn_days: int | None = None  # days before the run-out date a refill is asked for; None: the default
    pharmacy: str | None = formed("name", default=None)
    rx_number: str | None = formed("name", default=None)
    refills_left: int | None = None


class SubstanceAlias(Row, table=True):
    __tablename__ = "substance_alias"
    substance_id: int = Field(foreign_key="substance.id")
    alias: str = formed("name")
    alias_key: str = formed("key")


class RegimenEvent(Row, table=True):
    __tablename__ = "regimen_event"
    substance_id: int = Field(foreign_key="substance.id")
    kind: str
    effective_at: datetime
    zone: str = formed("zone")
    journal_day: date
    dose_value: float | None = formed("amount", default=None)
    dose_unit: str | None = formed("unit", default=None)
    schedule: str | None = formed("schedule", default=None)
    note: str | None = formed("note", default=None)
    source: str


class Dose(Row, table=True):
    __tablename__ = "dose"
    substance_id: int = Field(foreign_key="substance.id")
    status: str
    occurred_at: datetime
    zone: str = formed("zone")
    journal_day: date
    amount_value: float | None = formed("amount", default=None)
    amount_unit: str | None = formed("unit", default=None)
    slot: str | None = formed("clock", default=None)
    note: str | None = formed("note", default=None)
    source: str


class Metric(Row, table=True):
    __tablename__ = "metric"
    key: str
    label: str = formed("name")
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
    zone: str = formed("zone")
    source: str


class Symptom(Row, table=True):
    __tablename__ = "symptom"
    name: str = formed("name")
    name_key: str = formed("key")
    severity: int
    occurred_at: datetime
    zone: str = formed("zone")
    journal_day: date
    note: str | None = formed("note", default=None)
    source: str


class Note(Row, table=True):
    __tablename__ = "note"
    text: str = formed("note")
    flagged: bool
    occurred_at: datetime
    zone: str = formed("zone")
    journal_day: date
    dose_id: int | None = Field(default=None, foreign_key="dose.id")
    source: str
    kind: str = "note"  # note | question (one to ask at the next visit; schema 4)


class Rule(Row, table=True):
    __tablename__ = "rule"
    kind: str
    substance_id: int = Field(foreign_key="substance.id")
    other_substance_id: int | None = Field(default=None, foreign_key="substance.id")
    amount_value: float | None = formed("amount", default=None)
    amount_unit: str | None = formed("unit", default=None)
    hours: float | None = None
    max_per_day: int | None = None
    min_interval_hours: float | None = None
    source_text: str | None = None
    enabled: bool
    starter: str | None = None  # the starter rule it was copied from (schema 6); None: the user's own


class StockEvent(Row, table=True):
    """A new pack (`add`) or a count of what is on hand (`set`), in a unit of the substance (schema 6)."""

    __tablename__ = "stock_event"
    substance_id: int = Field(foreign_key="substance.id")
    kind: str  # add | set
    occurred_at: datetime
    zone: str = formed("zone")
    journal_day: date
    amount_value: float = formed("stock_amount")
    amount_unit: str = formed("unit")
    note: str | None = formed("note", default=None)


class RuleWarning(Row, table=True):
    """A warning that fired (schema 6): an interaction when its second substance arrived, or a dose that broke
    a timing rule. The visit report lists them; an interaction is told once."""

    __tablename__ = "rule_warning"
    rule_id: int = Field(foreign_key="rule.id")
    dose_id: int | None = Field(default=None, foreign_key="dose.id")
    occurred_at: datetime
    zone: str = formed("zone")
    journal_day: date
    text: str = formed("note")


class Experiment(Row, table=True):
    """A self-experiment (schema 5): how its on and off periods were planned and randomised. The periods are
    planned start/stop events of the substance in regimen_event."""

    __tablename__ = "experiment"
    substance_id: int = Field(foreign_key="substance.id")
    design: str = formed("design")  # abab | abba | random-pairs
    block_days: int
    washout_days: int
    onset_lag_days: int | None = None  # the substance's onset lag when planned (None: none set)
    pairs: int
    seed: int
    assignment: str = formed("assignment")  # "AB,BA": A = on, B = off, grouped by pair
    metrics: str = formed("metric_keys")  # metric keys, comma-separated
    start_day: date
    stopped_at: datetime | None = None
    with_clinician: bool
    note: str | None = formed("note", default=None)


class ChangeLog(SQLModel, table=True):
    __tablename__ = "change_log"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = formed("uuid", unique=True)
    batch: str
    at: datetime
    table_name: str
    row_uuid: str = formed("uuid")
    action: str
    before: str | None = None
    after: str | None = None
    summary: str
    undoes: str | None = None
