"""Long listings and exports are written while they are read (issue 18): the same documents as when they were
built whole, and never held whole in memory. A two-year demo journal (17,000 entries, a 7 MB export) with a
change log and a deleted row stands in for the ten-year one of the benchmarks."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import tracemalloc

import pytest

from medlog.services.context import open_journal
from medlog.services.formats import EXPORT_FORMATS
from tests.conftest import NOW, ZONE, dump


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A two-year demo journal, then a few writes of the CLI's own (change-log entries, a tombstone)."""
    folder = tmp_path_factory.mktemp("streaming")
    path = str(folder / "two-years.sqlite")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDLOG_", "XDG_"))}
    env.update(HOME=str(folder / "home"), XDG_DATA_HOME=str(folder / "data"), XDG_CONFIG_HOME=str(folder / "config"),
               MEDLOG_NOW=NOW.isoformat(), MEDLOG_TZ=ZONE)
    for args in (["demo", "--years", "2", "--no-tui"], ["note", "flagged “for the visit”", "--flag"],
                 ["take", "magnesium", "--note", "with food"], ["note", "then deleted"], ["undo"]):
        subprocess.run([sys.executable, "-m", "medlog", "--db", path, *args], env=env, check=True,
                       capture_output=True, timeout=120)
    return path


def _whole_json_export(path: str) -> str:
    """The JSON export as it was made before it streamed: every table's rows in one value, then json.dumps."""
    from medlog.store import exchange

    conn = sqlite3.connect(path)
    try:
        data = {"format": "medlog-journal", "version": 1, "schema": conn.execute("PRAGMA user_version").fetchone()[0],
                "tables": {table: list(exchange.rows(conn, table)) for table in exchange.ORDER},
                "change_log": list(exchange.change_log(conn))}
    finally:
        conn.close()
    assert len(data["tables"]["dose"]) > 12_000 and data["change_log"]
    return json.dumps(data, ensure_ascii=False) + "\n"


def test_the_json_export_is_the_document_it_was_when_built_whole(medlog, big):
    ran = medlog("--db", big, "export", "--format", "json")
    assert ran.code == 0, ran.err
    assert ran.out == _whole_json_export(big)


def _inputs(big: str):
    """What the FHIR bundle is made from, as the export reads it."""
    from medlog.store import listings, lookup

    journal = open_journal(big)
    with journal.reading() as conn:
        entries = list(listings.entries(conn, listings.Range()))
        metrics = {r.spec.key: {"label": r.spec.label, "unit": r.spec.unit, "integer": r.spec.integer}
                   for r in lookup.metrics(conn)}
        substances = {s.name: {"kind": s.kind, "reason": s.reason} for s in listings.substances(conn)}
    return journal, entries, dict(substances=substances, metrics=metrics, now=journal.now(),
                                  patient_name=journal.settings.name)


def test_the_fhir_bundle_is_the_document_it_was_when_built_whole(medlog, big):
    from medlog.reports.fhir_export import bundle, bundle_pieces

    _, entries, given = _inputs(big)
    assert len(entries) > 16_000
    whole = json.dumps(bundle(entries, **given), ensure_ascii=False) + "\n"
    assert "".join(bundle_pieces(entries, **given, per_piece=7)) == whole  # pieces cut anywhere join the same
    ran = medlog("--db", big, "export", "--format", "fhir")
    assert ran.code == 0, ran.err
    assert ran.out == whole
    data = json.loads(ran.out)
    assert len(data["entry"]) == 1 + sum(e.kind in ("dose", "rating", "symptom") for e in entries) + sum(
        e.kind == "note" and (e.details["flagged"] or e.details["note_kind"] == "question") for e in entries) + sum(
        e.details["event"] != "stop" for e in entries if e.kind == "regimen")


def test_the_csv_export_is_the_table_it_was_when_written_whole(medlog, big, tmp_path):
    from medlog.reports.csv_export import csv_pieces

    _, entries, _ = _inputs(big)
    whole = "".join(csv_pieces(entries, rows_per_piece=10**9))
    assert "".join(csv_pieces(entries, rows_per_piece=3)) == whole
    ran = medlog("--db", big, "export", "--format", "csv")
    assert ran.code == 0 and ran.out == whole
    rows = list(csv.reader(io.StringIO(ran.out)))
    assert len(rows) == len(entries) + 1 and [r[1] for r in rows[1:]] == [e.id for e in entries]
    out = tmp_path / "entries.csv"
    assert medlog("--db", big, "export", "--format", "csv", "-o", str(out)).code == 0
    assert out.read_bytes() == "\ufeff".encode() + whole.encode()


def test_a_long_log_in_json_is_the_listing_it_was_when_printed_whole(medlog, big):
    from medlog.cli.history import entry_json
    from medlog.services import history

    ran = medlog("--db", big, "log", "--since", "2024-01-01", "--json")
    assert ran.code == 0, ran.err
    journal = open_journal(big)
    found = history.log(journal, since=journal.parse_day("2024-01-01"))  # a day, as `--since 2024-01-01` reads
    assert len(found) > 16_000
    assert ran.out == json.dumps({"format": 1, "entries": [entry_json(e) for e in found]}, ensure_ascii=False) + "\n"
    text = medlog("--db", big, "log", "--since", "2024-01-01").out
    assert text.count("\n") == len(found) + len({e.day for e in found})  # a heading per day, a line per entry


@pytest.mark.parametrize("items", [[], [{"a": 1, "b": [1, {"c": []}], "d": None}], list(range(1203))])
@pytest.mark.parametrize("tty", [False, True])
def test_a_listing_written_while_read_is_print_json_byte_for_byte(monkeypatch, items, tty):
    """Compact when piped (json's C encoder), indented at a terminal: both as print_json writes them."""
    from medlog.cli import common

    def printed(write) -> str:  # type: ignore[no-untyped-def]
        out = io.StringIO()
        out.isatty = lambda: tty  # type: ignore[method-assign]
        monkeypatch.setattr(sys, "stdout", out)
        write()
        monkeypatch.undo()
        return out.getvalue()

    whole = printed(lambda: common.print_json({"format": 1, "entries": items}))
    assert printed(lambda: common.print_json_listing({"format": 1}, "entries", iter(items))) == whole


def _peak(run) -> int:  # type: ignore[no-untyped-def]
    """Python's peak of allocated memory (tracemalloc) while `run()` runs, in bytes."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", [name for name, form in EXPORT_FORMATS.items() if form.streams])
def test_an_export_never_holds_the_journal_whole(medlog, big, tmp_path, fmt):
    """Before, an export held every row (or entry, or resource) and then the whole text: the peak was several
    times the document (as text and again as values). Now it is a batch of rows and a piece of text."""
    out = tmp_path / f"export.{fmt}"
    assert medlog("--db", big, "export", "--format", fmt, "-o", str(out)).code == 0  # warm: imports and caches
    codes: list[int] = []
    peak = _peak(lambda: codes.append(medlog("--db", big, "export", "--format", fmt, "-o", str(out), "--force").code))
    assert codes == [0]  # written again (over the warm-up's file), not refused
    size = out.stat().st_size
    assert size > 2_000_000
    assert peak < size / 2, (peak, size)


def test_a_long_log_in_json_is_never_held_whole(medlog, big, monkeypatch, tmp_path):
    sink = open(tmp_path / "log.json", "w", encoding="utf-8")  # not capsys: it would hold the text itself
    monkeypatch.setattr(sys, "stdout", sink)
    medlog("--db", big, "log", "--since", "2024-01-01", "--json")
    peak = _peak(lambda: medlog("--db", big, "log", "--since", "2024-01-01", "--json"))
    sink.close()
    size = (tmp_path / "log.json").stat().st_size
    assert size > 2_000_000 and peak < size / 2, (peak, size)


def test_an_import_reads_its_file_a_row_at_a_time(medlog, big, tmp_path):
    """The file is read in pieces, twice (checked whole, then imported): never its whole text, nor all its rows
    (before, both at once: several times the file). What grows with the file is a map of UUIDs to ids per
    table, which the references need (~200 bytes a row)."""
    exported = tmp_path / "export.json"
    assert medlog("--db", big, "export", "--format", "json", "-o", str(exported)).code == 0
    medlog("--db", str(tmp_path / "warm.sqlite"), "import", str(exported))
    copy = tmp_path / "copy.sqlite"
    peak = _peak(lambda: medlog("--db", str(copy), "import", str(exported)))
    assert peak < exported.stat().st_size, (peak, exported.stat().st_size)
    again = tmp_path / "again.json"
    assert medlog("--db", str(copy), "export", "--format", "json", "-o", str(again)).code == 0
    assert again.read_bytes() == exported.read_bytes()


def _small_export(medlog) -> dict:
    for args in (("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule",
                  "08:00", "--since", "2026-11-01 08:00"),
                 ("take", "escitalopram", "--at", "2026-11-20 08:05"), ("note", "a note", "--flag"),
                 ("rate", "mood=6")):
        assert medlog(*args).code == 0, args
    return json.loads(medlog("export", "--format", "json").out)


@pytest.mark.parametrize("layout", ["tables reversed", "change log first", "header last", "a key twice",
                                    "spaced and indented"])
def test_an_export_laid_out_otherwise_imports_the_same(medlog, tmp_path, layout):
    """Files medlog did not write: tables children first, the change log before them, the header at the end
    (each read once per table), a key given twice (read whole, the last value counting, as JSON says), or
    indented. Each imports the same rows as medlog's own layout."""
    data = _small_export(medlog)
    own = tmp_path / "own.json"
    own.write_text(json.dumps(data), encoding="utf-8")
    expected = str(tmp_path / "expected.sqlite")
    assert medlog("--db", expected, "import", str(own)).code == 0
    if layout == "tables reversed":
        text = json.dumps({**data, "tables": dict(reversed(data["tables"].items()))})
    elif layout == "change log first":
        text = json.dumps({"change_log": data["change_log"], **{k: v for k, v in data.items() if k != "change_log"}})
    elif layout == "header last":
        text = json.dumps({"tables": data["tables"], "change_log": data["change_log"], "format": data["format"],
                           "version": data["version"], "schema": data["schema"]})
    elif layout == "a key twice":
        text = json.dumps(data)[:-1] + ', "tables": ' + json.dumps(data["tables"]) + "}"
    else:
        text = json.dumps(data, indent=4).replace("\n", "\r\n") + "\n\n"
    path = tmp_path / "other.json"
    path.write_text(text, encoding="utf-8")
    target = str(tmp_path / "imported.sqlite")
    ran = medlog("--db", target, "import", str(path))
    assert ran.code == 0, ran.err
    assert dump(target) == dump(expected)


def test_an_export_piped_in_imports_the_same(medlog, tmp_path):
    """Standard input is read whole (it cannot be read twice)."""
    data = _small_export(medlog)
    proc = subprocess.run([sys.executable, "-m", "medlog", "--db", str(tmp_path / "piped.sqlite"), "import", "-"],
                          input=json.dumps(data), capture_output=True, text=True, timeout=60,
                          env={**os.environ, "MEDLOG_NOW": NOW.isoformat()})
    assert proc.returncode == 0 and "imported" in proc.stdout, proc.stderr
    path = tmp_path / "file.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert medlog("--db", str(tmp_path / "file.sqlite"), "import", str(path)).code == 0
    assert dump(str(tmp_path / "piped.sqlite")) == dump(str(tmp_path / "file.sqlite"))


def test_a_file_whose_rows_are_bad_late_is_refused_whole(medlog, big, tmp_path):
    """The check of the file as a whole comes before any row is written: the last row of the change log
    without a uuid refuses the import, and the new journal is not left behind."""
    exported = tmp_path / "export.json"
    assert medlog("--db", big, "export", "--format", "json", "-o", str(exported)).code == 0
    text = exported.read_text(encoding="utf-8")
    cut = text.rindex('{"uuid": ')  # the change log's last entry: it comes last
    assert cut > text.index('"change_log"')
    bad = tmp_path / "bad.json"
    bad.write_text(text[:cut] + '{"uid": ' + text[cut + len('{"uuid": '):], encoding="utf-8")
    ran = medlog("--db", str(tmp_path / "new.sqlite"), "import", str(bad))
    assert ran.code == 2 and ran.err == "medlog: a change_log row of the file has no uuid; nothing was imported\n"
    assert not os.path.exists(tmp_path / "new.sqlite")
    truncated = tmp_path / "truncated.json"
    truncated.write_text(text[:-100], encoding="utf-8")
    ran = medlog("--db", str(tmp_path / "new.sqlite"), "import", str(truncated))
    assert ran.code == 2 and "not JSON (" in ran.err and ran.err.count("\n") == 1
    assert not os.path.exists(tmp_path / "new.sqlite")
