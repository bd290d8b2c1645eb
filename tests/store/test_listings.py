"""The listings' stdlib reads (store/listings.py) against SQLModel's typed rows of the same journal: the same
rows, with the same values and types (aware UTC instants, days, floats, booleans), in the listing's order."""

from __future__ import annotations

import pytest
from sqlmodel import select

from medlog.services.demo.build import build_demo
from medlog.services.entries import add_note
from medlog.services.history import delete
from medlog.store import listings, schema
from medlog.store.listings import ORDER, Range

TABLES = {"dose": schema.Dose, "rating": schema.Observation, "symptom": schema.Symptom, "note": schema.Note,
          "regimen": schema.RegimenEvent}


@pytest.fixture
def demo(journal):
    build_demo(journal)
    add_note(journal, "to be deleted")
    with journal.reading() as conn:
        gone = conn.execute("SELECT uuid FROM note WHERE text = 'to be deleted'").fetchone()[0]
    delete(journal, "note", gone, "a note")
    return journal


def test_entries_are_sqlmodels_live_rows_with_the_same_values(demo):
    with demo.reading() as conn:
        found = list(listings.entries(conn, Range()))
        with schema.session(conn) as s:
            typed = {kind: {row.uuid: row for row in s.exec(select(table).where(table.deleted_at.is_(None)))}
                     for kind, table in TABLES.items()}
            metrics = {m.id: m for m in s.exec(select(schema.Metric))}
            names = {sub.id: sub.name for sub in s.exec(select(schema.Substance))}
    assert {kind: {e.id for e in found if e.kind == kind} for kind in TABLES} == {
        kind: set(rows) for kind, rows in typed.items()}
    assert len(found) > 800 and "to be deleted" not in {e.details.get("text") for e in found}
    assert [(e.day, e.at, ORDER[e.kind]) for e in found] == sorted((e.day, e.at, ORDER[e.kind]) for e in found)
    for entry in found:
        row = typed[entry.kind][entry.id]
        at = {"dose": "occurred_at", "rating": "recorded_at", "regimen": "effective_at"}.get(entry.kind, "occurred_at")
        assert (entry.at, entry.day, entry.zone, entry.source) == (getattr(row, at), row.journal_day, row.zone,
                                                                    row.source)
        assert entry.at.tzinfo is not None and entry.at.utcoffset().total_seconds() == 0
        d = entry.details
        if entry.kind == "dose":
            assert (d["substance"], d["status"], d["amount"], d["unit"], d["slot"], d["note"]) == (
                names[row.substance_id], row.status, row.amount_value, row.amount_unit, row.slot, row.note)
        elif entry.kind == "rating":
            assert (d["metric"], d["value"]) == (metrics[row.metric_id].key, row.value)
            assert type(d["value"]) is float
        elif entry.kind == "symptom":
            assert (d["name"], d["severity"], d["note"]) == (row.name, row.severity, row.note)
        elif entry.kind == "note":
            assert (d["text"], d["flagged"], d["note_kind"]) == (row.text, row.flagged, row.kind)
            assert type(d["flagged"]) is bool
        else:
            assert (d["substance"], d["event"], d["dose"], d["unit"], d["note"]) == (
                names[row.substance_id], row.kind, row.dose_value, row.dose_unit, row.note)


def test_substances_are_sqlmodels_live_rows_with_their_aliases_and_history(demo):
    with demo.reading() as conn:
        found = listings.substances(conn)
        with schema.session(conn) as s:
            rows = s.exec(select(schema.Substance).where(schema.Substance.deleted_at.is_(None))).all()
            aliases = s.exec(select(schema.SubstanceAlias).where(schema.SubstanceAlias.deleted_at.is_(None))).all()
            events = s.exec(select(schema.RegimenEvent).where(schema.RegimenEvent.deleted_at.is_(None))).all()
    assert [f.name for f in found] == [r.name for r in sorted(rows, key=lambda r: r.name_key)]
    by_id = {r.id: r for r in rows}
    for ref in found:
        row = by_id[ref.id]
        assert (ref.uuid, ref.kind, ref.form, ref.reason, ref.prescriber, ref.notes, ref.onset_lag) == (
            row.uuid, row.kind, row.form, row.reason, row.prescriber, row.notes, row.onset_lag_days)
        for amount, value, unit in ((ref.strength, row.strength_value, row.strength_unit),
                                    (ref.elemental, row.elemental_value, row.elemental_unit),
                                    (ref.iu_mass, row.iu_mass_value, row.iu_mass_unit)):
            assert (None if amount is None else (float(amount.value), amount.unit)) == (
                None if value is None else (value, unit))
        assert sorted(ref.aliases) == sorted(a.alias for a in aliases if a.substance_id == ref.id)
        mine = sorted((e for e in events if e.substance_id == ref.id), key=lambda e: (e.effective_at, e.id))
        assert [(e.kind, e.at) for e in ref.events] == [(e.kind, e.effective_at) for e in mine]
    assert sum(len(ref.events) for ref in found) == len(events)
