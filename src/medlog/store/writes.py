"""Inserting journal entries: the column names live here, not in the services."""

from __future__ import annotations

from datetime import date, datetime

from medlog.domain.record import record
from medlog.domain.schedule import Schedule
from medlog.domain.units import Amount
from medlog.store.changes import Batch
from medlog.store.rows import db_day, db_time


@record
class Stamp:
    """When an entry happened, in which zone, and the journal day it was filed under."""

    at: datetime
    zone: str
    day: date


def _when(stamp: Stamp, column: str) -> dict[str, object]:
    return {column: db_time(stamp.at), "zone": stamp.zone, "journal_day": db_day(stamp.day)}


def _value(amount: Amount | None) -> tuple[float | None, str | None]:
    return (None, None) if amount is None else (float(amount.value), amount.unit)


def insert_substance(batch: Batch, *, name: str, name_key: str, kind: str, form: str | None,
                     strength: Amount | None, elemental: Amount | None, reason: str | None,
                     prescriber: str | None) -> dict[str, object]:
    strength_value, strength_unit = _value(strength)
    elemental_value, elemental_unit = _value(elemental)
    return batch.insert("substance", {
        "name": name, "name_key": name_key, "kind": kind, "form": form,
        "strength_value": strength_value, "strength_unit": strength_unit,
        "elemental_value": elemental_value, "elemental_unit": elemental_unit,
        "reason": reason, "prescriber": prescriber,
    })


def insert_alias(batch: Batch, *, substance_id: int, alias: str, alias_key: str) -> None:
    batch.insert("substance_alias", {"substance_id": substance_id, "alias": alias, "alias_key": alias_key})


def insert_regimen_event(batch: Batch, *, substance_id: int, kind: str, stamp: Stamp, dose: Amount | None,
                         schedule: Schedule | None, note: str | None, source: str) -> None:
    dose_value, dose_unit = _value(dose)
    batch.insert("regimen_event", {
        "substance_id": substance_id, "kind": kind, **_when(stamp, "effective_at"),
        "dose_value": dose_value, "dose_unit": dose_unit,
        "schedule": schedule.stored() if schedule else None, "note": note, "source": source,
    })


def insert_dose(batch: Batch, *, substance_id: int, status: str, stamp: Stamp, amount: Amount | None,
                slot: str | None, note: str | None, source: str) -> dict[str, object]:
    value, unit = _value(amount)
    return batch.insert("dose", {
        "substance_id": substance_id, "status": status, **_when(stamp, "occurred_at"),
        "amount_value": value, "amount_unit": unit, "slot": slot, "note": note, "source": source,
    })


def insert_observation(batch: Batch, *, metric_id: int, value: float, day: date, recorded: Stamp,
                       source: str) -> None:
    batch.insert("observation", {
        "metric_id": metric_id, "value": value, "journal_day": db_day(day),
        "recorded_at": db_time(recorded.at), "zone": recorded.zone, "source": source,
    })


def insert_symptom(batch: Batch, *, name: str, name_key: str, severity: int, stamp: Stamp, note: str | None,
                   source: str) -> None:
    batch.insert("symptom", {
        "name": name, "name_key": name_key, "severity": severity, **_when(stamp, "occurred_at"),
        "note": note, "source": source,
    })


def insert_note(batch: Batch, *, text: str, flagged: bool, stamp: Stamp, source: str) -> None:
    batch.insert("note", {"text": text, "flagged": flagged, **_when(stamp, "occurred_at"), "source": source})


def insert_metric(batch: Batch, *, key: str, label: str, min_value: float, max_value: float,
                  higher_is_better: bool, whole_numbers: bool, unit: str) -> None:
    batch.insert("metric", {
        "key": key, "label": label, "min_value": min_value, "max_value": max_value,
        "higher_is_better": higher_is_better, "whole_numbers": whole_numbers, "unit": unit, "builtin": False,
    })
