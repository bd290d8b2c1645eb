"""The journal as a FHIR R4 Bundle (type "collection"), for a patient portal or a clinician's system.

* a **Patient** with no identifiers (the journal holds none; a name only if the user configured one);
* a **MedicationStatement** per regimen period: from a start, or a dose or schedule change, to the next change
  or a stop — status `active` (in force now), `completed` (superseded by a change), `stopped` (ended by a stop)
  or `intended` (planned, not begun); the dosage as text, as a dose quantity, and as times of day;
* a **MedicationAdministration** per dose logged: `completed` when taken, `not-done` with the reason when
  skipped. A missed dose is an absence in the journal, and is not turned into a resource;
* an **Observation** per rating and per symptom: LOINC codes only where a real one matches (sleep duration
  93832-4, pain severity 0–10 72514-3); other ratings carry their own text and medlog's local code;
* a **Communication** from the patient per note flagged for the clinician and per question for the visit (with
  `all_notes`, per journal note): the text as `payload.contentString`, the instant as `sent`, and the kind of note
  as its category. A note is something the patient says, addressed (when flagged) to the clinician — not a
  measurement, so not an Observation, and not a document, so not a DocumentReference.

Quantities use UCUM codes where the unit has one (mg, ug, g, mL, [IU], h); a count of a form (tablet) is given as
text. Every resource's id is the journal row's UUID, so two exports of one journal agree. Pure: no database.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from medlog.domain.entries import Entry
from medlog.domain.units import format_amount
from medlog.domain.zones import zone_named

PATIENT_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://medlog.invalid/patient"))  # the same in every export
LOCAL_CODES = "https://medlog.invalid/fhir/CodeSystem/metric"  # ratings without a standard code
UCUM = "http://unitsofmeasure.org"
_UCUM = {"mg": "mg", "mcg": "ug", "g": "g", "mL": "mL", "L": "L", "IU": "[IU]", "h": "h"}
LOINC = {  # metric key → (code, display): only exact matches
    "sleep_hours": ("93832-4", "Sleep duration"),
    "pain": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
}


def bundle(entries: Iterable[Entry], *, substances: dict[str, dict[str, object]],
           metrics: dict[str, dict[str, object]], now: datetime, patient_name: str | None = None,
           all_notes: bool = False) -> dict:
    """`substances`: name → {"kind", "reason"}; `metrics`: key → {"label", "unit", "integer"}; `all_notes`:
    every note, not only those for the clinician (flagged ones and questions). The whole bundle as one value;
    `bundle_pieces` writes the same document while the entries are read."""
    return {**_head(now), "entry": [_entry(r) for r in resources(
        entries, substances=substances, metrics=metrics, now=now, patient_name=patient_name, all_notes=all_notes)]}


def bundle_pieces(entries: Iterable[Entry], *, substances: dict[str, dict[str, object]],
                  metrics: dict[str, dict[str, object]], now: datetime, patient_name: str | None = None,
                  all_notes: bool = False, per_piece: int = 100) -> Iterator[str]:
    """`json.dumps(bundle(...), ensure_ascii=False) + "\\n"`, byte for byte, a piece of `per_piece` resources at
    a time: each resource is built, written and dropped, so ten years of entries are never held as resources."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    head = encode({**_head(now), "entry": []})
    yield head[:-2]  # up to the entry list's "["
    batch: list[dict] = []
    separator = ""
    for resource in resources(entries, substances=substances, metrics=metrics, now=now, patient_name=patient_name,
                              all_notes=all_notes):
        batch.append(_entry(resource))
        if len(batch) == per_piece:
            yield separator + encode(batch)[1:-1]  # the items as a list writes them, without its brackets
            batch, separator = [], ", "
    yield (separator + encode(batch)[1:-1] if batch else "") + "]}\n"


def resources(entries: Iterable[Entry], *, substances: dict[str, dict[str, object]],
              metrics: dict[str, dict[str, object]], now: datetime, patient_name: str | None = None,
              all_notes: bool = False) -> Iterator[dict]:
    """The bundle's resources in its order: the Patient, a resource per dose, rating, symptom and note as the
    entries come, then each substance's MedicationStatements (regimen events are few: they are kept until the end)."""
    yield _patient(patient_name)
    regimen: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.kind == "regimen":
            regimen.setdefault(str(entry.details["substance"]), []).append(entry)
        elif entry.kind == "dose":
            yield _administration(entry)
        elif entry.kind == "rating":
            yield _rating(entry, metrics.get(str(entry.details["metric"]), {}))
        elif entry.kind == "symptom":
            yield _symptom(entry)
        elif entry.kind == "note" and (all_notes or _for_the_clinician(entry)):
            yield _communication(entry)
    for name, events in regimen.items():
        yield from _statements(name, events, substances.get(name, {}), now)


def _head(now: datetime) -> dict:
    return {"resourceType": "Bundle", "type": "collection", "timestamp": _instant(now, "UTC")}


def _entry(resource: dict) -> dict:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _subject() -> dict:
    return {"reference": f"urn:uuid:{PATIENT_ID}"}


def _patient(name: str | None) -> dict:
    patient: dict[str, object] = {"resourceType": "Patient", "id": PATIENT_ID}
    if name:
        patient["name"] = [{"text": name}]
    return patient


def _instant(at: datetime, zone: str) -> str:
    return at.astimezone(zone_named(zone)).isoformat(timespec="seconds")


def _quantity(value: object, unit: object) -> dict:
    quantity: dict[str, object] = {"value": value}
    if unit:
        quantity["unit"] = str(unit)
        if str(unit) in _UCUM:
            quantity.update(system=UCUM, code=_UCUM[str(unit)])
    return quantity


def _administration(entry: Entry) -> dict:
    d = entry.details
    resource: dict[str, object] = {
        "resourceType": "MedicationAdministration", "id": entry.id,
        "status": "completed" if d["status"] == "taken" else "not-done",
        "medicationCodeableConcept": {"text": str(d["substance"])}, "subject": _subject(),
        "effectiveDateTime": _instant(entry.at, entry.zone),
    }
    if d["status"] != "taken":
        resource["statusReason"] = [{"text": str(d.get("note") or "skipped (no reason given)")}]
    elif d.get("amount") is not None:
        resource["dosage"] = {"dose": _quantity(d["amount"], d.get("unit"))}
    if d.get("note") and d["status"] == "taken":
        resource["note"] = [{"text": str(d["note"])}]
    return resource


def _rating(entry: Entry, metric: dict[str, object]) -> dict:
    key = str(entry.details["metric"])
    label = str(metric.get("label") or key)
    code: dict[str, object] = {"coding": [{"system": LOCAL_CODES, "code": key, "display": label}], "text": label}
    if key in LOINC:
        code["coding"] = [{"system": "http://loinc.org", "code": LOINC[key][0], "display": LOINC[key][1]}]
    value = entry.details["value"]
    resource: dict[str, object] = {
        "resourceType": "Observation", "id": entry.id, "status": "final", "code": code, "subject": _subject(),
        "effectiveDateTime": entry.day.isoformat(),  # a rating is of a journal day
        "issued": _instant(entry.at, "UTC"),
    }
    if metric.get("integer") and not metric.get("unit") and float(str(value)).is_integer():
        resource["valueInteger"] = int(float(str(value)))
    else:
        resource["valueQuantity"] = _quantity(value, metric.get("unit") or None)
    return resource


def _symptom(entry: Entry) -> dict:
    d = entry.details
    resource: dict[str, object] = {
        "resourceType": "Observation", "id": entry.id, "status": "final",
        "category": [{"text": "symptom"}], "code": {"text": str(d["name"])}, "subject": _subject(),
        "effectiveDateTime": _instant(entry.at, entry.zone), "valueInteger": int(str(d["severity"])),
        "note": [{"text": "severity on a 0–10 scale" + (f"; {d['note']}" if d.get("note") else "")}],
    }
    return resource


def _for_the_clinician(entry: Entry) -> bool:
    return bool(entry.details.get("flagged")) or entry.details.get("note_kind") == "question"


def _communication(entry: Entry) -> dict:
    d = entry.details
    category = ("question for the clinician" if d.get("note_kind") == "question" else
                "note flagged for the clinician" if d.get("flagged") else "journal note")
    return {
        "resourceType": "Communication", "id": entry.id, "status": "completed",
        "category": [{"text": category}], "subject": _subject(), "sender": _subject(),
        "sent": _instant(entry.at, entry.zone), "payload": [{"contentString": str(d["text"])}],
    }


def _statements(name: str, events: list[Entry], substance: dict[str, object], now: datetime) -> list[dict]:
    """A MedicationStatement per period between regimen events of one substance."""
    out: list[dict] = []
    dose: tuple[object, object] | None = None
    schedule: object = None
    days: object = None
    open_period: dict | None = None
    for event in sorted(events, key=lambda e: e.at):
        d = event.details
        kind = str(d["event"])
        if d.get("dose") is not None:
            dose = (d["dose"], d.get("unit"))
        if d.get("schedule") is not None:
            schedule, days = d["schedule"], d.get("days")
        if open_period is not None:
            open_period["effectivePeriod"]["end"] = _instant(event.at, event.zone)
            if event.at <= now:  # a planned change or end leaves the period in force until it comes
                open_period["status"] = "stopped" if kind == "stop" else "completed"
            open_period = None
        if kind != "stop":
            open_period = _statement(event, name, substance, dose, schedule, days, now)
            out.append(open_period)
    return out


def _statement(event: Entry, name: str, substance: dict[str, object], dose: tuple[object, object] | None,
               schedule: object, days: object, now: datetime) -> dict:
    as_needed = schedule == "as-needed"
    listed = [str(t) for t in schedule] if isinstance(schedule, list) else []
    times = [f"{t}:00" for t in listed]
    text = ", ".join(part for part in (
        format_amount(Decimal(str(dose[0])), str(dose[1]) if dose[1] else None) if dose else None,
        "as needed" if as_needed else ("at " + ", ".join(listed) if times else None)) if part)
    dosage: dict[str, object] = {"text": text or "no regular dose", "asNeededBoolean": as_needed}
    if dose:
        dosage["doseAndRate"] = [{"doseQuantity": _quantity(dose[0], dose[1])}]
    if times:
        repeat: dict[str, object] = {"timeOfDay": times}
        if isinstance(days, list):  # weekday names: FHIR's day-of-week codes are the same three letters
            repeat["dayOfWeek"] = days
        elif isinstance(days, dict):  # every N days
            repeat.update(frequency=len(times), period=days["every"], periodUnit="d")
        dosage["timing"] = {"repeat": repeat}
    statement: dict[str, object] = {
        "resourceType": "MedicationStatement", "id": event.id,
        "status": "intended" if event.at > now else "active",
        "medicationCodeableConcept": {"text": name}, "subject": _subject(),
        "effectivePeriod": {"start": _instant(event.at, event.zone)}, "dosage": [dosage],
    }
    if substance.get("reason"):
        statement["reasonCode"] = [{"text": str(substance["reason"])}]
    if substance.get("kind") == "supplement":
        statement["category"] = {"text": "supplement"}
    if event.details.get("note"):
        statement["note"] = [{"text": str(event.details["note"])}]
    return statement
