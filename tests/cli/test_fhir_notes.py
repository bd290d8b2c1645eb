"""Issue 16, item 17: the FHIR export carries the notes for the clinician (flagged notes and questions; every note
with --all-notes) as Communication resources from the patient, and the Patient's name from the config."""

from __future__ import annotations

import json
import os

import pytest


@pytest.fixture
def kept(medlog):  # type: ignore[no-untyped-def]
    """A journal with a dose, a rating, a flagged note, a question, a plain note and a deleted one."""
    for args in (
        ("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00",
         "--since", "2026-11-01 08:00"),
        ("take", "escitalopram", "--at", "2026-11-20 08:05"),
        ("rate", "mood=6", "--day", "2026-11-20"),
        ("note", "Ask about the afternoon dizziness — “since the increase”", "--flag", "--at", "2026-11-20 16:00"),
        ("note", "Can magnesium be taken with gabapentin?", "--question", "--at", "2026-11-20 17:00"),
        ("note", "to be deleted"),
        ("undo",),
    ):
        ran = medlog(*args)
        assert ran.code == 0, (args, ran.err)
    return medlog


def _validated(ran) -> list[dict]:  # type: ignore[no-untyped-def]
    from fhir.resources.R4B.bundle import Bundle

    assert ran.code == 0, ran.err
    data = json.loads(ran.out)
    Bundle.model_validate(data)  # the FHIR models' own validation (R4B keeps R4's Communication and Patient)
    resources = [e["resource"] for e in data["entry"]]
    urls = {e["fullUrl"] for e in data["entry"]}
    for r in resources:
        for field in ("subject", "sender"):
            if field in r:
                assert r[field]["reference"] in urls
    for r in resources:
        if r["resourceType"] == "Communication":
            from fhir.resources.R4B.communication import Communication

            Communication.model_validate(r)
    return resources


def _notes(resources: list[dict]) -> dict[str, dict]:
    return {r["payload"][0]["contentString"]: r for r in resources if r["resourceType"] == "Communication"}


def test_flagged_notes_and_questions_are_in_the_bundle_and_other_notes_only_when_asked(kept):
    assert kept("note", "slept badly, unflagged").code == 0
    notes = _notes(_validated(kept("export", "--format", "fhir")))
    flagged = notes["Ask about the afternoon dizziness — “since the increase”"]
    question = notes["Can magnesium be taken with gabapentin?"]
    assert "slept badly, unflagged" not in notes and "to be deleted" not in notes
    assert flagged["status"] == question["status"] == "completed"
    assert flagged["sent"] == "2026-11-20T16:00:00+00:00"
    assert flagged["category"][0]["text"] == "note flagged for the clinician"
    assert question["category"][0]["text"] == "question for the clinician"

    every = _notes(_validated(kept("export", "--format", "fhir", "--all-notes")))
    assert every["slept badly, unflagged"]["category"][0]["text"] == "journal note"
    assert "to be deleted" not in every and set(notes) < set(every)


def test_the_patient_is_named_from_the_config(kept, cli_env):
    resources = _validated(kept("export", "--format", "fhir"))
    assert next(r for r in resources if r["resourceType"] == "Patient").get("name") is None
    config = os.path.join(cli_env["XDG_CONFIG_HOME"], "medlog", "config.toml")
    os.makedirs(os.path.dirname(config), exist_ok=True)
    with open(config, "w", encoding="utf-8") as f:
        f.write('name = "Alex Example"\n')
    patient = next(r for r in _validated(kept("export", "--format", "fhir")) if r["resourceType"] == "Patient")
    assert patient["name"] == [{"text": "Alex Example"}]  # as written: no guess at which part is the family name


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_all_notes_is_only_for_fhir(kept, fmt):
    ran = kept("export", "--format", fmt, "--all-notes")
    assert ran.code == 2 and "--all-notes" in ran.err
