"""Editing an entry in place: checked with the same rules as logging it, kept in the change log (undo works).

What can change: a note's text, flag and whether it is a question for the visit; a symptom's severity and note;
a rating's value; a dose's amount and note. A different time can change the journal day and the slot a dose
answers, so that is delete-and-log-again.
"""

from __future__ import annotations

import sqlite3

from medlog.domain.errors import InputError
from medlog.domain.metrics import parse_metric_value
from medlog.domain.text import clean_note
from medlog.domain.units import Amount, format_amount, to_dose_units
from medlog.services.context import Journal
from medlog.store import lookup
from medlog.store.changes import fetch_row

EDITABLE = {"note": ("text", "flagged", "question"), "symptom": ("severity", "note"), "rating": ("value",),
            "dose": ("amount", "note")}


def edit(journal: Journal, kind: str, entry_id: str, values: dict[str, object]) -> str:
    """Change the given fields of one entry; its summary for the history ('edited …'). `values` as the edit form
    returns them: a severity is an int, an amount an Amount, notes text; a rating's value is text (its scale is
    the journal's)."""
    if kind not in EDITABLE:
        raise InputError(f"a {kind} entry cannot be edited; delete it and log it again")
    with journal.writing(create=False) as batch:
        table = {"rating": "observation"}.get(kind, kind)
        try:
            row = fetch_row(batch.conn, table, entry_id)
        except LookupError:
            raise InputError("that entry is gone (deleted or undone meanwhile)") from None
        changes = _changes(batch.conn, kind, row, values)
        if not changes:
            raise InputError("nothing changed")
        batch.summary = f"edited {kind}: " + _describe(changes)
        batch.update(table, entry_id, changes)
    return batch.summary


def _changes(conn: sqlite3.Connection, kind: str, row: dict[str, object],
             values: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    if kind == "note":
        if values.get("text") is not None:
            out["text"] = clean_note(str(values["text"]))
        if values.get("flagged") is not None:
            out["flagged"] = bool(values["flagged"])
        if values.get("question") is not None:
            out["kind"] = "question" if values["question"] else "note"
    elif kind == "symptom":
        severity = values.get("severity")
        if severity is not None:
            if not isinstance(severity, int) or not 0 <= severity <= 10:
                raise InputError(f"severity {severity}: give 0 to 10")
            out["severity"] = severity
        if "note" in values:
            out["note"] = clean_note(str(values["note"])) if values["note"] else None
    elif kind == "rating":
        spec = next(ref.spec for ref in lookup.metrics(conn) if ref.id == row["metric_id"])
        out["value"] = float(parse_metric_value(spec, str(values["value"])))
    else:  # a dose
        if values.get("amount") is not None:
            if row["status"] != "taken":
                raise InputError("a skipped dose has no amount")
            strength = next((c.target.strength for c in lookup.substance_candidates(conn)
                             if c.target.id == row["substance_id"]), None)
            typed = values["amount"]
            if not isinstance(typed, Amount):
                raise TypeError(f"an amount is an Amount, parsed at the edge, not {typed!r}")
            amount = to_dose_units(typed, strength)
            if amount.unit is None:
                raise InputError("give the amount with a unit, like 10 mg")
            out["amount_value"], out["amount_unit"] = float(amount.value), amount.unit
        if "note" in values:
            out["note"] = clean_note(str(values["note"])) if values["note"] else None
    changed = {k: v for k, v in out.items() if row.get(k) != v}
    if "amount_value" in changed:  # an amount is a value and its unit: keep them together
        changed["amount_unit"] = out["amount_unit"]
    return changed


def _describe(changes: dict[str, object]) -> str:
    """'amount → 15 mg, note → late' in the words the user sees, not column names."""
    shown = dict(changes)
    if "amount_value" in shown:
        value, unit = shown.pop("amount_value"), shown.pop("amount_unit", None)
        assert isinstance(value, float) and isinstance(unit, str | None)  # as _changes sets them
        shown["amount"] = format_amount(value, unit)
    if "value" in shown:
        rating = shown["value"]
        assert isinstance(rating, float)  # a rating's value, as _changes sets it
        shown["value"] = format_amount(rating, None)
    if "flagged" in shown:
        shown["flag for clinician"] = "on" if shown.pop("flagged") else "off"
    if "kind" in shown:
        shown["question for the visit"] = "yes" if shown.pop("kind") == "question" else "no"
    return ", ".join(f"{key} → {'(none)' if value is None else value}" for key, value in shown.items())
