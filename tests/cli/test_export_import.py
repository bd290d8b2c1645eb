"""`medlog export --format json` and `medlog import`: every table out, back in exactly, and never twice."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest

from medlog.store.migrate import CURRENT_VERSION
from tests.conftest import default_journal, dump


@pytest.fixture
def kept(medlog):
    """A journal with a bit of everything, including an edit, a deletion and a rule."""
    for args in (
        ("substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--form", "tab",
         "--dose", "5 mg", "--schedule", "08:00", "--alias", "Lexapro", "--since", "2026-11-01 08:00"),
        ("substance", "add", "Magnesium glycinate", "--kind", "supplement", "--elemental", "28 mg", "--dose",
         "200 mg", "--schedule", "21:30", "--onset-lag", "14", "--since", "2026-11-10 08:00"),
        ("substance", "change", "escitalopram", "--dose", "10 mg", "--at", "2026-11-15 08:00"),
        ("rule", "add", "daily-max", "magnesium", "350", "mg"),
        ("take", "escitalopram", "--at", "2026-11-20 08:05"),
        ("skip", "magnesium", "--at", "2026-11-20 21:30", "--reason", "upset stomach"),
        ("rate", "mood=6", "sleep_hours=7.5", "--day", "2026-11-20"),
        ("symptom", "dizziness", "4", "--at", "2026-11-20 15:00"),
        ("note", "Ask about the afternoon dizziness — “since the increase”", "--flag", "--at", "2026-11-20 16:00"),
        ("note", "Can magnesium be taken with gabapentin?", "--question", "--at", "2026-11-20 17:00"),
        ("metric", "add", "focus", "--min", "0", "--max", "10", "--higher-is-better", "--integer"),
        ("rate", "focus=3", "--day", "2026-11-20"),
        ("experiment", "plan", "magnesium", "--metric", "sleep_quality", "--block", "17", "--seed", "1"),
        ("note", "to be deleted"),
    ):
        ran = medlog(*args)
        assert ran.code == 0, (args, ran.err)
    return medlog


def _tables(path):
    """Every row of every table, without the integer ids (which differ between journals)."""
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
        out = {}
        for name in names:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")
                    if r[1] != "id" and not r[1].endswith("_id")]
            out[name] = sorted(map(repr, conn.execute(f"SELECT {', '.join(cols)} FROM {name}")))
        return out
    finally:
        conn.close()


def test_export_import_export_is_equal_and_a_second_import_adds_nothing(kept, cli_env, tmp_path):
    first = tmp_path / "one.json"
    assert kept("export", "--format", "json", "-o", str(first)).code == 0
    data = json.loads(first.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["schema"]) == ("medlog-journal", 1, CURRENT_VERSION)
    assert sorted(row["kind"] for row in data["tables"]["note"]) == ["note", "note", "question"]
    assert {"substance", "dose", "rule", "observation", "note", "experiment"} <= set(data["tables"])
    assert len(data["tables"]["experiment"]) == 1 and data["change_log"]
    assert stat.S_IMODE(os.stat(first).st_mode) == 0o600

    copy = str(tmp_path / "restored.sqlite")
    ran = kept("--db", copy, "import", str(first))
    assert ran.code == 0 and ran.out.startswith("Logged: imported ")
    assert _tables(copy) == _tables(default_journal(cli_env))  # every row, the change log included

    second = tmp_path / "two.json"
    assert kept("--db", copy, "export", "--format", "json", "-o", str(second)).code == 0
    assert second.read_bytes() == first.read_bytes()

    before = dump(copy)
    again = kept("--db", copy, "import", str(first))
    assert again.code == 0 and "nothing new" in again.out
    assert dump(copy) == before


def test_the_restored_journal_works_like_the_original(kept, tmp_path):
    out = tmp_path / "j.json"
    kept("export", "--format", "json", "-o", str(out))
    copy = str(tmp_path / "restored.sqlite")
    kept("--db", copy, "import", str(out))
    # references were mapped to the new journal's ids: the substance, its rule, its doses and ratings hold together
    assert kept("--db", copy, "substance", "show", "magnesium").out == kept("substance", "show", "magnesium").out
    assert kept("--db", copy, "rule", "list").out == kept("rule", "list").out
    assert kept("--db", copy, "log", "--since", "2026-11-01").out == kept("log", "--since", "2026-11-01").out
    # the change log came along: undo in the copy undoes the last change made in the original
    assert kept("--db", copy, "undo").code == 0
    assert "to be deleted" not in kept("--db", copy, "log").out


def test_importing_into_a_journal_with_entries_of_its_own_adds_only_the_new_rows(kept, medlog, cli_env, tmp_path):
    out = tmp_path / "j.json"
    kept("export", "--format", "json", "-o", str(out))
    other = str(tmp_path / "other.sqlite")
    assert medlog("--db", other, "note", "my own note").code == 0
    assert medlog("--db", other, "import", str(out)).code == 0
    texts = medlog("--db", other, "log", "--kind", "note").out
    assert "my own note" in texts and "Ask about the afternoon dizziness" in texts


def test_an_export_from_before_schema_4_imports_with_its_notes_as_notes(kept, medlog, tmp_path):
    """Rows are exported as their columns, so an export written before schema 4 is today's without note.kind."""
    data = json.loads(kept("export", "--format", "json").out)
    data["schema"] = 3
    for row in data["tables"]["note"]:
        del row["kind"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    copy = str(tmp_path / "restored.sqlite")
    ran = medlog("--db", copy, "import", str(old))
    assert ran.code == 0, ran.err
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("SELECT kind, count(*) FROM note GROUP BY kind").fetchall() == [("note", 3)]
    finally:
        conn.close()
    assert "? question:" not in medlog("--db", copy, "log", "--since", "2026-11-01").out


def test_a_clash_is_refused_whole(kept, medlog, tmp_path):
    out = tmp_path / "j.json"
    kept("export", "--format", "json", "-o", str(out))
    other = str(tmp_path / "other.sqlite")
    medlog("--db", other, "substance", "add", "Escitalopram", "--kind", "medication")  # same name, another UUID
    before = dump(other)
    ran = medlog("--db", other, "import", str(out))
    assert ran.code == 2 and "clashes with the journal" in ran.err and "nothing was imported" in ran.err
    assert dump(other) == before


# A small valid file: one note, and the change-log entry that logged it.
_STAMP = "2026-11-20 08:00:00.000000"
N1, N2, C1 = (f"00000000-0000-4000-8000-0000000000{tail}" for tail in ("a1", "a2", "c1"))  # as medlog writes them
_NOTE = {"uuid": N1, "text": "x", "flagged": 0, "occurred_at": _STAMP, "zone": "Europe/London",
         "journal_day": "2026-11-20", "dose_uuid": None, "source": "cli", "created_at": _STAMP, "updated_at": _STAMP,
         "deleted_at": None, "kind": "note"}
_SNAPSHOT = {**{k: v for k, v in _NOTE.items() if k != "dose_uuid"}, "id": 1, "dose_id": None}
_ENTRY = {"uuid": C1, "batch": "b1", "at": _STAMP, "table_name": "note", "row_uuid": N1, "action": "insert",
          "before": None, "after": json.dumps(_SNAPSHOT), "summary": "noted", "undoes": None}


def _file(note: dict | None = None, entry: dict | None = None) -> str:
    return json.dumps({"format": "medlog-journal", "version": 1, "schema": 4,
                       "tables": {"note": [{**_NOTE, **(note or {})}]}, "change_log": [{**_ENTRY, **(entry or {})}]})


LOGGED = _file()


def test_the_small_file_of_the_cases_below_imports(medlog, tmp_path):
    path = tmp_path / "good.json"
    path.write_text(LOGGED, encoding="utf-8")
    ran = medlog("--db", str(tmp_path / "j.sqlite"), "import", str(path))
    assert ran.code == 0 and "imported 1 rows (1 note)" in ran.out, ran


@pytest.mark.parametrize("content, message", [
    ("not json", "not JSON"),
    ('{"format": "something else"}', "not a medlog journal export"),
    ('{"format": "medlog-journal", "version": 2}', "layout version 2"),
    ('{"format": "medlog-journal", "version": 1, "schema": 99, "tables": {}}', "journal schema 99"),
    ('{"format": "medlog-journal", "version": 1, "schema": 3, "tables": {"users": []}}', "expected shape"),
    ('{"format": "medlog-journal", "version": 1, "schema": 3, "tables": {"note": [{"text": "x"}]}}', "no uuid"),
    ('{"format": "medlog-journal", "version": 1, "schema": 3, "tables": {"dose": ['
     '{"uuid": "00000000-0000-4000-8000-0000000000d1", '
     '"substance_uuid": "nowhere", "status": "taken"}]}}', "refers to 'nowhere'"),
    # issue 16 item 1: a row's identity as medlog writes it, or a re-import would match nothing and duplicate it
    (_file({"uuid": "00000000-0000-4000-8000-0000000000A1"}), "has uuid '00000000-0000-4000-8000-0000000000A1', "
     "which is not a UUID as medlog writes one"),
    (_file({"uuid": "{00000000-0000-4000-8000-0000000000a1}"}), "which is not a UUID as medlog writes one"),
    (_file(entry={"row_uuid": "n1"}), "has row_uuid 'n1', which is not a UUID"),
    # found by tests/reliability/test_cli_fuzz.py (mutated exports):
    # a change-log entry without its summary (NOT NULL): was "the journal could not be used", exit 1
    (LOGGED.replace('"summary": "noted", ', ''), "-0000000000c1 clashes"),
    # a list where a value goes: was exit 1 (sqlite3 cannot bind it)
    ('{"format": "medlog-journal", "version": 1, "schema": 4, "tables": {"note": ['
     '{"uuid": "00000000-0000-4000-8000-0000000000a1", "text": ["x"]}]}}',
     "-0000000000a1 has text ['x'], which is not text"),
    # an integer beyond 64 bits: was an internal error (OverflowError)
    ('{"format": "medlog-journal", "version": 1, "schema": 4, "tables": {"note": ['
     '{"uuid": "00000000-0000-4000-8000-0000000000a1", '
     '"flagged": 100000000000000000000}]}}', "-0000000000a1 has flagged 100000000000000000000, which is not 0 or 1"),
    # values that would pass into the file and then stop every reader of it ("internal error" on every `log`)
    (_file({"occurred_at": "garbage"}), "-0000000000a1 has occurred_at 'garbage', which is not an instant"),
    (_file({"occurred_at": "2026-11-20T08:00:00+00:00"}), "which is not an instant as the journal keeps one"),
    (_file({"occurred_at": "9999-12-31 23:59:59.999999"}), "years 1900–2999"),
    (_file({"journal_day": "2026-02-30"}), "has journal_day '2026-02-30', which is not a day"),
    (_file({"zone": "Mars/Base"}), "has zone 'Mars/Base', which is not an IANA time zone"),
    (_file({"flagged": 2}), "has flagged 2, which is not 0 or 1"),
    (_file({"text": 5}), "has text 5, which is not text"),
    # change-log entries that `undo` would act on
    (_file(entry={"table_name": "users"}), "-0000000000c1 names the table 'users', which is not a journal"),
    (_file(entry={"row_uuid": N2}), f"-0000000000c1 refers to '{N2}'"),
    (_file(entry={"after": "not json"}), "has after 'not json', which is not a snapshot of a row"),
    (_file(entry={"action": "update"}), "-0000000000c1 has no before snapshot"),
    (_file(entry={"after": json.dumps({**_SNAPSHOT, "secret": 1})}), "has in its after snapshot 'secret', a column"),
    (_file(entry={"after": json.dumps({**_SNAPSHOT, "zone": "Mars/Base"})}),
     "has zone 'Mars/Base', which is not an IANA time zone (in its after snapshot)"),
    (_file(entry={"at": "yesterday"}), "-0000000000c1 has at 'yesterday', which is not an instant"),
])
def test_bad_files_are_one_line_and_write_nothing(medlog, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    target = tmp_path / "j.sqlite"
    medlog("--db", str(target), "note", "before")
    before = dump(str(target))
    ran = medlog("--db", str(target), "import", str(path))
    assert ran.code == 2 and message in ran.err and ran.err.count("\n") == 1, ran.err
    assert dump(str(target)) == before


def test_export_needs_a_journal_and_never_writes_over_it(medlog, cli_env, tmp_path):
    ran = medlog("export", "--format", "json")
    assert ran.code == 2 and "nothing to export" in ran.err
    medlog("note", "x")
    ran = medlog("export", "--format", "json", "-o", default_journal(cli_env))
    assert ran.code == 2 and "is the journal itself" in ran.err
    assert medlog("import", str(tmp_path / "missing.json")).code == 2


def test_export_to_standard_output(kept):
    ran = kept("export", "--format", "json")
    assert ran.code == 0 and json.loads(ran.out)["tables"]["substance"][0]["name"] == "Escitalopram"


def test_csv_has_every_entry_a_row_with_its_instant_zone_and_day(kept, tmp_path):
    import csv
    import io

    kept("note", "=HYPERLINK(\"http://example.com\")")  # typed by the user: shown, never run as a formula
    ran = kept("export", "--format", "csv")
    assert ran.code == 0
    rows = list(csv.DictReader(io.StringIO(ran.out)))
    logged = json.loads(kept("log", "--since", "2026-01-01", "--json").out)["entries"]
    assert sorted(r["id"] for r in rows) == sorted(e["id"] for e in logged)
    by_id = {r["id"]: r for r in rows}
    for entry in logged:
        row = by_id[entry["id"]]
        assert (row["kind"], row["journal_day"], row["at"], row["zone"]) == (
            entry["kind"], entry["journal_day"], entry["at"], entry["zone"])
    dose = next(r for r in rows if r["kind"] == "dose" and r["status"] == "taken")
    assert (dose["substance"], dose["amount"], dose["unit"], dose["slot"]) == ("Escitalopram", "10", "mg", "08:00")
    rating = next(r for r in rows if r["metric"] == "sleep_hours")
    assert rating["value"] == "7.5"
    assert next(r for r in rows if r["kind"] == "symptom")["symptom"] == "dizziness"
    formula = next(r for r in rows if r["kind"] == "note" and "HYPERLINK" in r["note"])
    assert formula["note"] == "'=HYPERLINK(\"http://example.com\")"
    flagged = next(r for r in rows if "afternoon dizziness" in r["note"])
    assert flagged["flagged"] == "yes" and flagged["note"].endswith("“since the increase”")
    assert flagged["note_kind"] == "note"
    question = next(r for r in rows if r["kind"] == "note" and r["note_kind"] == "question")
    assert question["note"] == "Can magnesium be taken with gabapentin?" and question["flagged"] == "no"
    assert question["text"] == "? question: Can magnesium be taken with gabapentin?"

    out = tmp_path / "entries.csv"
    assert kept("export", "--format", "csv", "-o", str(out)).code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == len(rows) + 1  # a BOM; one line per entry


def test_fhir_bundle_validates_and_tells_the_regimen_doses_and_ratings_honestly(kept):
    from fhir.resources.R4B.bundle import Bundle

    ran = kept("export", "--format", "fhir")
    assert ran.code == 0, ran.err
    data = json.loads(ran.out)
    Bundle.model_validate(data)  # the FHIR models' own validation, not ours
    resources = [e["resource"] for e in data["entry"]]
    urls = {e["fullUrl"] for e in data["entry"]}
    for r in resources:  # every reference points into the bundle
        if "subject" in r:
            assert r["subject"]["reference"] in urls

    statements = [r for r in resources if r["resourceType"] == "MedicationStatement"]
    esc = sorted((r for r in statements if r["medicationCodeableConcept"]["text"] == "Escitalopram"),
                 key=lambda r: r["effectivePeriod"]["start"])
    assert [(r["status"], r["dosage"][0]["text"]) for r in esc] == [("completed", "5 mg, at 08:00"),
                                                                     ("active", "10 mg, at 08:00")]
    assert esc[0]["effectivePeriod"]["end"] == esc[1]["effectivePeriod"]["start"] == "2026-11-15T08:00:00+00:00"
    assert esc[1]["dosage"][0]["doseAndRate"][0]["doseQuantity"] == {
        "value": 10.0, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}

    given = [r for r in resources if r["resourceType"] == "MedicationAdministration"]
    assert sorted(r["status"] for r in given) == ["completed", "not-done"]  # a skip is never "completed"
    skipped = next(r for r in given if r["status"] == "not-done")
    assert skipped["statusReason"] == [{"text": "upset stomach"}] and "dosage" not in skipped

    observations = {r["code"]["text"]: r for r in resources if r["resourceType"] == "Observation"}
    sleep = observations["Sleep hours"]
    assert sleep["code"]["coding"][0] == {"system": "http://loinc.org", "code": "93832-4", "display": "Sleep duration"}
    assert sleep["valueQuantity"]["value"] == 7.5 and sleep["effectiveDateTime"] == "2026-11-20"
    focus = observations["Focus"]
    assert focus["code"]["coding"][0]["code"] == "focus" and focus["valueInteger"] == 3
    assert observations["dizziness"]["valueInteger"] == 4
    # the same journal gives the same bundle, apart from when it was made
    again = json.loads(kept("export", "--format", "fhir").out)
    assert again["entry"] == data["entry"]


def test_undo_after_an_import_into_another_journal_keeps_each_row_with_its_substance(medlog, tmp_path):
    # The change log's snapshots hold the ids of the journal that wrote them. Here Escitalopram is substance 1 in
    # the file and 2 in the journal it goes into, where 1 is Melatonin: undoing the imported rule change once
    # wrote the whole snapshot back and moved the rule to Melatonin.
    source, target, out = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite"), str(tmp_path / "a.json")
    assert medlog("--db", target, "substance", "add", "Melatonin", "--kind", "supplement", "--dose", "3 mg").code == 0
    for args in (("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg"),
                 ("rule", "add", "daily-max", "escitalopram", "20", "mg"),
                 ("rule", "change", "1", "--amount", "30 mg"),
                 ("export", "--format", "json", "-o", out)):
        assert medlog("--db", source, *args).code == 0, args
    assert medlog("--db", target, "import", out).code == 0
    ran = medlog("--db", target, "undo")
    assert ran.code == 0 and "changed rule 1" in ran.out, ran
    assert "Escitalopram: at most 20 mg a day" in medlog("--db", target, "rule", "list").out
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT s.name FROM rule r JOIN substance s ON s.id = r.substance_id").fetchall() == [
            ("Escitalopram",)]
    finally:
        conn.close()


@pytest.mark.parametrize("design, order", [("abab", "AA,BB"), ("abba", "AB,AB"), ("random-pairs", "AA,AB"),
                                           ("abab", "AB,BA,AB")])
def test_an_imported_experiment_order_its_design_could_not_draw_is_refused(kept, tmp_path, design, order):
    """The randomisation test is exact only over the design's own orders: an order it could not have drawn (or
    with another number of pairs) is refused at the door, as typed plans are, and nothing is written."""
    exported = tmp_path / "one.json"
    assert kept("export", "--format", "json", "-o", str(exported)).code == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    [row] = data["tables"]["experiment"]
    row.update(design=design, assignment=order, pairs=2)
    data["change_log"] = [e for e in data["change_log"] if e["table_name"] != "experiment"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    target = str(tmp_path / "fresh.sqlite")
    kept("--db", target, "note", "before")
    before = dump(target)
    ran = kept("--db", target, "import", str(bad))
    assert ran.code == 2 and ran.err.count("\n") == 1, ran.err
    assert f"has assignment '{order}', which is not an order the design '{design}'" in ran.err
    assert dump(target) == before  # nothing of the file was kept


def test_no_export_or_report_replaces_a_backup_or_any_sqlite_file(medlog, cli_env, tmp_path):
    """A daily backup (plain or not) and any other SQLite database are never written over, byte for byte — not
    even with --force. Any other file is replaced only with --force (services/files.py: one rule)."""
    assert medlog("note", "x").code == 0 and medlog("note", "y").code == 0  # the second takes the day's backup
    folder = os.path.join(os.path.dirname(default_journal(cli_env)), "backups")
    daily = [os.path.join(folder, n) for n in os.listdir(folder) if "-daily-" in n]
    assert daily
    other = tmp_path / "other.sqlite"
    medlog("--db", str(other), "note", "another journal")
    kept = {path: open(path, "rb").read() for path in [*daily, str(other)]}
    for args in (["report", "--format", "md", "-o", daily[0]], ["export", "--format", "json", "-o", daily[0]],
                 ["export", "--format", "csv", "-o", str(other)], ["report", "--format", "html", "-o", str(other)],
                 ["export", "--format", "json", "-o", os.path.join(folder, "new.json")],
                 ["--db", str(other), "report", "--format", "md", "-o", daily[0]]):
        for force in ([], ["--force"]):
            ran = medlog(*args, *force)
            assert ran.code == 2 and ran.err.count("\n") == 1, (args, force, ran)
            assert "backups folder" in ran.err or "SQLite database" in ran.err, ran.err
    assert {path: open(path, "rb").read() for path in kept} == kept
    assert sorted(os.listdir(folder)) == sorted(os.path.basename(p) for p in daily)
    plain = tmp_path / "plain.json"
    plain.write_text("old")
    for args in (["export", "--format", "json"], ["report", "--format", "md"]):
        ran = medlog(*args, "-o", str(plain))
        assert (ran.code, ran.err) == (2, f"medlog: {plain} already exists; --force replaces it\n")
        assert plain.read_text() == "old" and [p.name for p in tmp_path.glob(".medlog-*")] == []
    assert medlog("export", "--format", "json", "-o", str(plain), "--force").code == 0  # asked: replaced
    assert json.loads(plain.read_text())["format"] == "medlog-journal"


@pytest.mark.parametrize("content, message", [
    (_file({"text": "a\ud800b"}), "-0000000000a1 has text 'a\\ud800b', which is not valid Unicode"),  # a lone surrogate
    ("[" * 200_000 + "]" * 200_000, "nested too deeply"),  # was RecursionError
    ('{"format": "medlog-journal", "version": 1, "schema": 4, "tables": {"note": ['
     '{"uuid": "00000000-0000-4000-8000-0000000000a1", "flagged": '
     + "9" * 5000 + "}]}}", "a number too long"),  # was ValueError: int parsing's digit limit
])
@pytest.mark.parametrize("into", ["new", "existing"])
def test_hostile_json_is_one_line_and_leaves_nothing_behind(medlog, tmp_path, content, message, into):
    """Each was "internal error" (exit 1); the surrogate into a new --db path also left an empty journal."""
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    target = tmp_path / "j.sqlite"
    if into == "existing":
        assert medlog("--db", str(target), "note", "before").code == 0
        before = dump(str(target))
    ran = medlog("--db", str(target), "import", str(path))
    assert ran.code == 2 and ran.err.count("\n") == 1 and message in ran.err, ran.err
    if into == "existing":
        assert dump(str(target)) == before
    else:
        assert sorted(os.listdir(tmp_path)) == ["bad.json"]


def _leftover(folder, name: str, hours: float) -> str:
    """A temporary file as a medlog killed mid-write (kill -9) leaves it, last written `hours` ago."""
    path = os.path.join(folder, name)
    with open(path, "w") as fh:
        fh.write('{"format": "medlog-journal", "the whole journal": "in plain text"}')
    when = os.path.getmtime(path) - hours * 3600
    os.utime(path, (when, when))
    return path


def test_stale_temporaries_of_a_killed_export_or_backup_are_removed_at_the_next_write(medlog, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    journal = str(tmp_path / "j.sqlite")
    assert medlog("note", "x", "--db", journal).code == 0
    stale = [_leftover(out, ".medlog-k3j_9xq2.tmp", 2), _leftover(out, "copy.sqlite.4242.part", 2),
             _leftover(out, "copy.sqlite.4242.part-journal", 2)]
    fresh = [_leftover(out, ".medlog-abcd1234.tmp", 0.5), _leftover(out, "other.sqlite.77.part", 0.5)]
    theirs = [_leftover(out, "download.pdf.part", 2), _leftover(out, ".medlog-notes.txt", 2),
              _leftover(out, "song.2024.part", 2)]
    os.chmod(theirs[-1], 0o644)  # the name fits, but medlog's own are private
    assert medlog("export", "--format", "json", "-o", str(out / "e.json"), "--db", journal).code == 0
    assert [p for p in stale if os.path.exists(p)] == []
    assert all(os.path.exists(p) for p in fresh + theirs)
    again = _leftover(out, "e2.sqlite.999.part", 3)
    assert medlog("backup", "-o", str(out / "b.sqlite"), "--db", journal).code == 0
    assert not os.path.exists(again) and all(os.path.exists(p) for p in fresh + theirs)


def test_check_names_and_removes_stale_temporaries_beside_the_journal(medlog, tmp_path):
    journal = str(tmp_path / "j.sqlite")
    assert medlog("note", "x", "--db", journal).code == 0 and medlog("note", "y", "--db", journal).code == 0
    beside = _leftover(tmp_path, ".medlog-q1w2e3r4.tmp", 2)
    backup_part = _leftover(tmp_path / "backups", "j-daily-2026-11-22.sqlite.31337.part", 2)
    ran = medlog("check", "--db", journal)
    assert ran.code == 0 and "is sound" in ran.out, ran
    assert ran.err.count("\n") == 2 and beside in ran.err and backup_part in ran.err, ran.err
    assert not os.path.exists(beside) and not os.path.exists(backup_part)
    ran = medlog("check", "--db", journal)
    assert ran.code == 0 and ran.err == ""
