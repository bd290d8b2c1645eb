"""The registries (services/formats.py) as the CLI, the docs and a user see them: `--format` and `--from` offer
exactly the registered names, docs/cli.md names each one, every export format writes a file that reads back, and
every file written with -o follows the one overwrite rule."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat

import pytest

from medlog.cli.parser import build_parser
from medlog.services.formats import EXPORT_FORMATS, IMPORTERS, REPORT_FORMATS
from tests.conftest import default_journal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI_DOC = open(os.path.join(ROOT, "docs", "cli.md"), encoding="utf-8").read()
OPTIONS = [("report", "--format", REPORT_FORMATS), ("export", "--format", EXPORT_FORMATS),
           ("import", "--from", IMPORTERS)]


def _choices(command: str, option: str) -> tuple[str, ...]:
    parser = build_parser(only=command)
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices[command]
    return tuple(next(a for a in sub._actions if option in a.option_strings).choices)


@pytest.mark.parametrize("command, option, table", OPTIONS, ids=[c for c, _, _ in OPTIONS])
def test_the_cli_offers_exactly_the_registered_names(command, option, table, medlog):
    assert _choices(command, option) == tuple(table)
    shown = medlog(command, "--help").out
    assert "{" + ",".join(table) + "}" in shown  # argparse's list of choices, in the registry's order
    for name, entry in table.items():
        assert f"{name}: " in shown and entry.summary.split()[0] in shown  # each explained in --help
    ran = medlog(command, *(["x.json"] if command == "import" else []), option, "docx")
    assert ran.code == 2 and "invalid choice: 'docx'" in ran.err


@pytest.mark.parametrize("command, option, table", OPTIONS, ids=[c for c, _, _ in OPTIONS])
def test_docs_cli_names_every_registered_format(command, option, table):
    heading = re.search(r"^### `medlog " + command + r" .*`$", CLI_DOC, re.M)
    assert heading, command
    listed = re.search(re.escape(option) + r" ([\w|-]+)", heading.group(0))
    assert listed and listed.group(1).split("|") == list(table), (heading.group(0), list(table))
    section = CLI_DOC[heading.end():CLI_DOC.find("\n### ", heading.end())]
    for name in table:
        assert f"`{option} {name}`" in section or f"`{name}`" in section, f"docs/cli.md: {command}: no word of {name}"


@pytest.fixture
def kept(medlog):
    for args in (("substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--dose",
                  "10 mg", "--schedule", "08:00", "--since", "2026-11-01 08:00"),
                 ("take", "escitalopram", "--at", "2026-11-20 08:05"), ("rate", "mood=6", "sleep_hours=7.5"),
                 ("symptom", "dizziness", "4", "--at", "2026-11-20 15:00"),
                 ("note", "=SUM(A1) for the clinician, “quoted”", "--flag", "--at", "2026-11-20 16:00")):
        assert medlog(*args).code == 0, args
    return medlog


def _json_reimports(medlog, path, tmp_path):  # type: ignore[no-untyped-def]
    copy = str(tmp_path / "copy.sqlite")
    assert medlog("--db", copy, "import", str(path)).code == 0
    again = tmp_path / "again.json"
    assert medlog("--db", copy, "export", "--format", "json", "-o", str(again)).code == 0
    assert again.read_bytes() == path.read_bytes()


def _csv_parses(medlog, path, tmp_path):  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    assert sorted(r["kind"] for r in rows) == ["dose", "note", "rating", "rating", "regimen", "symptom"]
    assert next(r for r in rows if r["kind"] == "note")["note"].startswith("'=SUM(A1)")


def _fhir_validates(medlog, path, tmp_path):  # type: ignore[no-untyped-def]
    from fhir.resources.R4B.bundle import Bundle

    bundle = Bundle.model_validate(json.loads(path.read_text(encoding="utf-8")))
    kinds = sorted({entry.resource.__resource_type__ for entry in bundle.entry})
    assert kinds == ["Communication", "MedicationAdministration", "MedicationStatement", "Observation", "Patient"]


READS_BACK = {"json": _json_reimports, "csv": _csv_parses, "fhir": _fhir_validates}


def test_every_export_format_has_a_check_here():
    assert set(READS_BACK) == set(EXPORT_FORMATS), "a new export format needs its read-back check in READS_BACK"


@pytest.mark.parametrize("name", list(EXPORT_FORMATS))
def test_every_export_format_writes_a_private_file_that_reads_back(kept, tmp_path, name):
    form = EXPORT_FORMATS[name]
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / f"out.{form.extension}"
    ran = kept("export", "--format", name, "-o", str(path))
    assert (ran.code, ran.err) == (0, f"Exported the {form.what} to {path}\n")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and [p.name for p in folder.iterdir()] == [path.name]
    raw = path.read_bytes()
    assert raw.startswith(form.file_start.encode())
    said = kept("export", "--format", name).out  # standard output: the same document, without the file's start
    if name != "fhir":  # a bundle says when it was made
        assert raw.decode("utf-8") == form.file_start + said
    READS_BACK[name](kept, path, tmp_path)


WRITERS = [("report", "--format", name) for name in REPORT_FORMATS] + [
    ("export", "--format", name) for name in EXPORT_FORMATS]


@pytest.mark.parametrize("args", WRITERS, ids=[f"{a[0]} {a[2]}" for a in WRITERS])
def test_every_writer_refuses_an_existing_file_unless_forced(kept, tmp_path, args):
    """One rule for every file medlog writes with -o (and the TUI's Report screen, which asks instead)."""
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "mine.txt"
    path.write_text("my own notes")
    os.chmod(path, 0o644)
    ran = kept(*args, "-o", str(path))
    assert (ran.code, ran.out, ran.err) == (2, "", f"medlog: {path} already exists; --force replaces it\n")
    assert path.read_text() == "my own notes" and sorted(p.name for p in folder.iterdir()) == ["mine.txt"]
    ran = kept(*args, "-o", str(path), "--force")
    assert ran.code == 0, ran.err
    assert path.read_bytes() != b"my own notes" and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["mine.txt"]  # no temporary file left beside it


@pytest.mark.parametrize("args", WRITERS, ids=[f"{a[0]} {a[2]}" for a in WRITERS])
def test_force_never_writes_over_the_journal(kept, cli_env, args):
    journal = default_journal(cli_env)
    before = open(journal, "rb").read()
    ran = kept(*args, "-o", journal, "--force")
    assert ran.code == 2 and "is the journal itself" in ran.err
    assert open(journal, "rb").read() == before


def test_a_pdf_at_a_terminal_goes_to_its_default_file_by_the_same_rule(kept, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert kept("report").code == 0
    written = tmp_path / "medlog-report-2026-11-21.pdf"
    assert written.read_bytes()[:5] == b"%PDF-"
    ran = kept("report")
    assert (ran.code, ran.err) == (2, "medlog: medlog-report-2026-11-21.pdf already exists; --force replaces it\n")
    assert kept("report", "--force").code == 0


def test_import_tells_the_format_by_its_first_bytes_or_by_from(kept, medlog, tmp_path):
    out = tmp_path / "j.json"
    assert kept("export", "--format", "json", "-o", str(out)).code == 0
    for extra in ([], ["--from", "medlog-json"]):
        copy = str(tmp_path / f"copy{len(extra)}.sqlite")
        ran = medlog("--db", copy, "import", str(out), *extra)
        assert ran.code == 0 and ran.out.startswith("Logged: imported "), ran.err
    entries = tmp_path / "entries.csv"  # medlog's CSV: told by its header, and read as medlog-csv
    assert kept("export", "--format", "csv", "-o", str(entries)).code == 0
    csv_db = str(tmp_path / "csv.sqlite")
    assert medlog("--db", csv_db, "metric", "add", "focus", "--min", "0", "--max", "10",
                  "--higher-is-better").code == 0  # as `kept` has it
    for extra in ([], ["--from", "medlog-csv"]):
        ran = medlog("--db", csv_db, "import", str(entries), "--dry-run", *extra)
        assert ran.code == 0 and "Would import from medlog-csv" in ran.out, ran.err
    other = tmp_path / "shopping.txt"  # no importer knows it: medlog's own JSON importer says what it is not
    other.write_text("shopping\nmilk\n")
    ran = medlog("--db", str(tmp_path / "none.sqlite"), "import", str(other))
    assert ran.code == 2 and "not JSON" in ran.err and not (tmp_path / "none.sqlite").exists()
    unknown = tmp_path / "other-app.csv"  # a CSV no importer claims: told how to import it, not "not JSON"
    unknown.write_text("when;what\n2024-01-01;x\n")
    ran = medlog("--db", str(tmp_path / "none.sqlite"), "import", str(unknown))
    assert ran.code == 2 and ran.err.count("\n") == 1 and "--from csv" in ran.err and "not JSON" not in ran.err
