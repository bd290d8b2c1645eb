"""Journal rows: the column names live here, not in the services.

Each `*_row` function builds one table's row; `Batch.insert(row)` writes one with its change-log entry, and
`BulkWriter.add(row)` queues many (the demo journal).
"""

from __future__ import annotations

from datetime import date, datetime

from medlog.domain.record import record
from medlog.domain.schedule import Schedule
from medlog.domain.units import Amount
from medlog.store.rows import db_day, db_time


@record
class Row:
    """Values for one row of `table` (the store adds uuid and the created/updated instants)."""

    table: str
    values: dict[str, object]


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


def substance_row(*, name: str, name_key: str, kind: str, form: str | None, strength: Amount | None,
                  elemental: Amount | None, reason: str | None, prescriber: str | None,
                  notes: str | None = None, iu_mass: Amount | None = None, onset_lag_days: int | None = None,
                  ingredients: str | None = None, classes: str | None = None) -> Row:
    strength_value, strength_unit = _value(strength)
    elemental_value, elemental_unit = _value(elemental)
    iu_mass_value, iu_mass_unit = _value(iu_mass)
    return Row("substance", {
        "name": name, "name_key": name_key, "kind": kind, "form": form,
        "strength_value": strength_value, "strength_unit": strength_unit,
        "elemental_value": elemental_value, "elemental_unit": elemental_unit,
        "reason": reason, "prescriber": prescriber, "notes": notes,
        "iu_mass_value": iu_mass_value, "iu_mass_unit": iu_mass_unit, "onset_lag_days": onset_lag_days,
        "ingredients": ingredients, "classes": classes,
    })


def alias_row(*, substance_id: int, alias: str, alias_key: str) -> Row:
    return Row("substance_alias", {"substance_id": substance_id, "alias": alias, "alias_key": alias_key})


def regimen_event_row(*, substance_id: int, kind: str, stamp: Stamp, dose: Amount | None,
                      schedule: Schedule | None, note: str | None, source: str) -> Row:
    dose_value, dose_unit = _value(dose)
    return Row("regimen_event", {
        "substance_id": substance_id, "kind": kind, **_when(stamp, "effective_at"),
        "dose_value": dose_value, "dose_unit": dose_unit,
        "schedule": schedule.stored() if schedule else None, "note": note, "source": source,
    })


def dose_row(*, substance_id: int, status: str, stamp: Stamp, amount: Amount | None, slot: str | None,
             note: str | None, source: str) -> Row:
    value, unit = _value(amount)
    return Row("dose", {
        "substance_id": substance_id, "status": status, **_when(stamp, "occurred_at"),
        "amount_value": value, "amount_unit": unit, "slot": slot, "note": note, "source": source,
    })


def observation_row(*, metric_id: int, value: float, day: date, recorded: Stamp, source: str) -> Row:
    return Row("observation", {
        "metric_id": metric_id, "value": value, "journal_day": db_day(day),
        "recorded_at": db_time(recorded.at), "zone": recorded.zone, "source": source,
    })


def symptom_row(*, name: str, name_key: str, severity: int, stamp: Stamp, note: str | None,
                source: str) -> Row:
    return Row("symptom", {"name": name, "name_key": name_key, "severity": severity, **_when(stamp, "occurred_at"),
            "note": note, "source": source})


def note_row(*, text: str, flagged: bool, stamp: Stamp, source: str, dose_id: int | None = None,
             kind: str = "note") -> Row:
    """`kind`: note, or question (one to ask at the next visit; the visit report lists them)."""
    return Row("note", {"text": text, "flagged": flagged, **_when(stamp, "occurred_at"), "dose_id": dose_id,
                        "source": source, "kind": kind})


def metric_row(*, key: str, label: str, min_value: float, max_value: float, higher_is_better: bool,
               whole_numbers: bool, unit: str) -> Row:
    return Row("metric", {"key": key, "label": label, "min_value": min_value, "max_value": max_value,
            "higher_is_better": higher_is_better, "whole_numbers": whole_numbers, "unit": unit, "builtin": False})


def experiment_row(*, substance_id: int, design: str, block_days: int, washout_days: int, onset_lag_days: int | None,
                   pairs: int, seed: int, assignment: str, metrics: str, start_day: date, with_clinician: bool,
                   note: str | None) -> Row:
    return Row("experiment", {"substance_id": substance_id, "design": design, "block_days": block_days,
                              "washout_days": washout_days, "onset_lag_days": onset_lag_days, "pairs": pairs,
                              "seed": seed, "assignment": assignment, "metrics": metrics,
                              "start_day": db_day(start_day), "stopped_at": None, "with_clinician": with_clinician,
                              "note": note})


def rule_row(*, kind: str, substance_id: int, other_substance_id: int | None = None, amount: Amount | None = None,
             hours: float | None = None, max_per_day: int | None = None, min_interval_hours: float | None = None,
             source_text: str | None = None, enabled: bool = True, starter: str | None = None) -> Row:
    value, unit = _value(amount)
    return Row("rule", {"kind": kind, "substance_id": substance_id, "other_substance_id": other_substance_id,
                        "amount_value": value, "amount_unit": unit, "hours": hours, "max_per_day": max_per_day,
                        "min_interval_hours": min_interval_hours, "source_text": source_text, "enabled": enabled,
                        "starter": starter})


def stock_event_row(*, substance_id: int, kind: str, stamp: Stamp, amount: Amount, note: str | None) -> Row:
    return Row("stock_event", {"substance_id": substance_id, "kind": kind, **_when(stamp, "occurred_at"),
                               "amount_value": float(amount.value), "amount_unit": amount.unit, "note": note})


def rule_warning_row(*, rule_id: int, stamp: Stamp, text: str, dose_id: int | None = None) -> Row:
    return Row("rule_warning", {"rule_id": rule_id, "dose_id": dose_id, **_when(stamp, "occurred_at"),
                                "text": text})
