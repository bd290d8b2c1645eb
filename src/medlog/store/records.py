"""Each entity the store reads whole, as its one record, and the one converter from its row to that record.

A read selects an entity's `*_COLUMNS` (with `columns(…, "alias")` under a join) and passes each row — or its
first len(*_COLUMNS) values, when the read adds more — to the entity's converter. The other way, record → row,
is store/writes.py (`*_row`); the columns themselves are stated once, in store/schema.py (the catalogue).
tests/store/test_records.py holds every column named here to the catalogue.
Entries in listings (`domain.entries.Entry`, one converter per kind in store/listings.py) are views of several
tables, not records of one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from medlog.domain.metrics import MetricSpec
from medlog.domain.record import record
from medlog.domain.regimen import RegimenEvent
from medlog.domain.rules import Rule
from medlog.domain.schedule import from_stored
from medlog.domain.units import Amount
from medlog.store.rows import from_db_time


def columns(names: tuple[str, ...], alias: str = "") -> str:
    """`names` as a SELECT list, each under the table alias `alias` when given (`e.kind, e.effective_at…`)."""
    return ", ".join(f"{alias}.{name}" if alias and "." not in name else name for name in names)


def amount_of(value: float | None, unit: str | None) -> Amount | None:
    """A stored value and unit as an Amount (exact: through the float's shortest text)."""
    return None if value is None else Amount(Decimal(str(value)), unit)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@record
class SubstanceRef:
    """A substance: the one record of its row, for name matching on the quick path and for listings."""

    id: int
    uuid: str
    name: str
    kind: str
    form: str | None
    strength: Amount | None
    elemental: Amount | None
    iu_mass: Amount | None = None  # the mass of one IU, when the substance defines it
    onset_lag: int | None = None  # days before a change can show (compare's after window); None: the default
    reason: str | None = None
    prescriber: str | None = None
    notes: str | None = None
    classes: tuple[str, ...] = ()  # class keys for the safety rules (schema 6)
    ingredients: tuple[str, ...] = ()
    # What a listing reads besides the row (store/listings.substances); a name lookup leaves them empty, unread.
    aliases: tuple[str, ...] = ()
    events: tuple[RegimenEvent, ...] = ()


SUBSTANCE_COLUMNS = ("id", "uuid", "name", "kind", "form", "strength_value", "strength_unit", "elemental_value",
                     "elemental_unit", "iu_mass_value", "iu_mass_unit", "onset_lag_days", "reason", "prescriber",
                     "notes", "classes", "ingredients")


def substance_of(row: tuple, aliases: tuple[str, ...] = (), events: tuple[RegimenEvent, ...] = ()) -> SubstanceRef:
    """A row of SUBSTANCE_COLUMNS as its record (with its aliases and events when the caller read them)."""
    return SubstanceRef(row[0], row[1], row[2], row[3], row[4], amount_of(row[5], row[6]), amount_of(row[7], row[8]),
                        amount_of(row[9], row[10]), row[11], row[12], row[13], row[14], _keys(row[15]),
                        _keys(row[16]), aliases, events)


def _keys(stored: str | None) -> tuple[str, ...]:
    return tuple(stored.split(",")) if stored else ()


EVENT_COLUMNS = ("kind", "effective_at", "dose_value", "dose_unit", "schedule", "note")  # of regimen_event


def event_of(row: tuple) -> RegimenEvent:
    """A row of EVENT_COLUMNS (and whatever follows them) as its record."""
    kind, at, value, unit, schedule, note = row[:6]
    return RegimenEvent(kind, from_db_time(at), amount_of(value, unit), from_stored(schedule), note)


@record
class MetricRef:
    id: int
    spec: MetricSpec
    builtin: bool


METRIC_COLUMNS = ("id", "key", "label", "min_value", "max_value", "higher_is_better", "whole_numbers", "unit",
                  "builtin")


def metric_of(row: tuple) -> MetricRef:
    """A row of METRIC_COLUMNS as its record."""
    return MetricRef(row[0], MetricSpec(row[1], row[2], Decimal(str(row[3])), Decimal(str(row[4])), bool(row[5]),
                                        bool(row[6]), row[7]), bool(row[8]))


# A rule with the names of its substances: rule r, substance s, the other substance o (LEFT JOIN: may be NULL).
RULE_COLUMNS = ("r.id", "r.kind", "r.substance_id", "s.name", "r.other_substance_id", "o.name", "r.amount_value",
                "r.amount_unit", "r.hours", "r.max_per_day", "r.min_interval_hours", "r.source_text", "r.enabled",
                "r.starter")


def rule_of(row: tuple) -> Rule:
    """A row of RULE_COLUMNS as its record (domain.rules.Rule)."""
    (id_, kind, substance_id, name, other_id, other, value, unit, hours, per_day, interval, source, enabled,
     starter) = row
    return Rule(id_, kind, substance_id, name, other_id, other, amount_of(value, unit), _decimal(hours), per_day,
                _decimal(interval), source, bool(enabled), starter)


@record
class ExperimentRecord:
    id: int
    uuid: str
    substance_id: int
    substance: str  # its name
    kind: str  # the substance's kind: medication | supplement
    design: str
    block_days: int
    washout_days: int
    onset_lag_days: int | None
    pairs: int
    seed: int
    assignment: str
    metrics: tuple[str, ...]
    start_day: date
    stopped_at: datetime | None
    with_clinician: bool
    note: str | None
    created_at: datetime

    @property
    def short(self) -> str:
        """The first eight characters of the UUID: how notes and commands name it."""
        return self.uuid[:8]

    @property
    def end_day(self) -> date:
        """The last day of its last period: 2 × pairs periods of block_days from start_day."""
        return self.start_day + timedelta(days=self.block_days * 2 * self.pairs - 1)


# An experiment e with its substance s (JOIN).
EXPERIMENT_COLUMNS = ("e.id", "e.uuid", "e.substance_id", "s.name", "s.kind", "e.design", "e.block_days",
                      "e.washout_days", "e.onset_lag_days", "e.pairs", "e.seed", "e.assignment", "e.metrics",
                      "e.start_day", "e.stopped_at", "e.with_clinician", "e.note", "e.created_at")


def experiment_of(row: tuple) -> ExperimentRecord:
    """A row of EXPERIMENT_COLUMNS as its record."""
    (id_, uuid, substance_id, substance, kind, design, block_days, washout_days, onset_lag_days, pairs, seed,
     assignment, metrics, start_day, stopped_at, with_clinician, note, created_at) = row
    return ExperimentRecord(id_, uuid, substance_id, substance, kind, design, block_days, washout_days,
                            onset_lag_days, pairs, seed, assignment, tuple(metrics.split(",")),
                            date.fromisoformat(start_day), from_db_time(stopped_at) if stopped_at else None,
                            bool(with_clinician), note, from_db_time(created_at))
