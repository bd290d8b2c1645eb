"""Editing entries in place: the same checks as logging, kept in the change log."""

import pytest

from medlog.domain.errors import InputError
from medlog.domain.metrics import parse_severity
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount, parse_strength
from medlog.services import doses, edit, entries, history, substances
from medlog.services.substances import NewSubstance
from tests.tui.conftest import rows


def test_edit_each_kind_and_undo(journal):
    substances.add(journal, NewSubstance("Escitalopram", "medication", strength=parse_strength("10 mg"),
                                         dose=parse_amount("10 mg"), schedule=parse_schedule("08:00")))
    doses.take(journal, "esc", at=journal.moment("08:05"))
    entries.rate(journal, ["mood=4"])
    entries.symptom(journal, "dizziness", parse_severity("3"))
    found = {e.kind: e for e in history.log(journal)}
    summary = edit.edit(journal, "dose", found["dose"].id, {"amount": parse_amount("1.5 tab"), "note": "late"})
    assert summary == "edited dose: note → late, amount → 15 mg"
    assert rows(journal, "SELECT amount_value, note FROM dose WHERE deleted_at IS NULL") == [(15.0, "late")]
    edit.edit(journal, "rating", found["rating"].id, {"value": "6"})
    edit.edit(journal, "symptom", found["symptom"].id, {"severity": parse_severity("severe"), "note": None})
    assert rows(journal, "SELECT severity FROM symptom") == [(8,)]
    with pytest.raises(InputError, match="outside its scale"):
        edit.edit(journal, "rating", found["rating"].id, {"value": "11"})
    with pytest.raises(InputError, match="nothing changed"):
        edit.edit(journal, "rating", found["rating"].id, {"value": "6"})
    with pytest.raises(InputError, match="cannot be edited"):
        edit.edit(journal, "regimen", "x", {})
    assert history.undo(journal).summary.startswith("edited symptom")
    assert rows(journal, "SELECT severity FROM symptom") == [(3,)]


def test_a_note_becomes_a_question_for_the_visit_and_back(journal):
    entries.add_note(journal, "ask about the dizziness")
    note = next(e for e in history.log(journal) if e.kind == "note")
    assert edit.edit(journal, "note", note.id, {"question": True}) == "edited note: question for the visit → yes"
    assert rows(journal, "SELECT kind, flagged FROM note") == [("question", 0)]
    with pytest.raises(InputError, match="nothing changed"):
        edit.edit(journal, "note", note.id, {"question": True, "flagged": False})
    assert history.undo(journal).summary.startswith("edited note")
    assert rows(journal, "SELECT kind FROM note") == [("note",)]
