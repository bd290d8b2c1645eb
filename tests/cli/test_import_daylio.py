"""Daylio's CSV through the real CLI (issue 19): told by its header, mapped, imported once, and said in one line
when it cannot be."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import dump, rows_of

FIXTURES = Path(__file__).parent.parent / "fixtures" / "daylio"


def _log(medlog, db: str) -> list[dict]:  # type: ignore[no-untyped-def]
    ran = medlog("--db", db, "log", "--json", "--since", "2017-01-01")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)["entries"]


def test_a_daylio_export_imports_once_with_its_own_moods_mapped(medlog, tmp_path):
    db = str(tmp_path / "j.sqlite")
    source = FIXTURES / "rich_notes.csv"
    gap = medlog("--db", db, "import", str(source))  # the suite's zone is London: 01:30 on 31 March is its gap
    assert gap.code == 2 and gap.err.startswith("medlog: line 7, column 'time': 2024-03-31 01:30 does not exist")
    refused = medlog("--db", db, "import", str(source), "--zone", "Europe/Berlin")
    assert refused.code == 2 and refused.err.count("\n") == 1
    assert "'vaguely ok'" in refused.err and "'rested'" in refused.err and "[labels.mood]" in refused.err
    assert not Path(db).exists()

    dry = medlog("--db", db, "import", str(source), "--map", str(FIXTURES / "rich_notes.toml"), "--dry-run")
    assert dry.code == 0, dry.err
    assert "read as" not in dry.out and "Would import from daylio:" in dry.out
    assert "mood: vaguely ok → 5" in dry.out and "as symptom insomnia: insomnia" in dry.out
    assert "left out: <c_e> tired" in dry.out and not Path(db).exists()

    ran = medlog("--db", db, "import", str(source), "--map", str(FIXTURES / "rich_notes.toml"))
    assert ran.code == 0 and "(read as daylio)" in ran.out, ran.err
    entries = _log(medlog, db)
    assert {e["source"] for e in entries} == {"daylio"}
    symptoms = [e for e in entries if e["kind"] == "symptom"]
    assert symptoms and all(e["name"] == "insomnia" and e["severity"] == 5 for e in symptoms)
    notes = [e["text"] for e in entries if e["kind"] == "note"]
    assert any("Slept badly again." in n and "<br>" not in n for n in notes)  # Daylio's HTML as plain text
    ratings = {(e["metric"], e["journal_day"]): e["value"] for e in entries if e["kind"] == "rating"}
    assert ratings[("sleep_quality", "2024-03-31")] == 8  # "8/10 points" on medlog's 0–10
    assert ratings[("sleep_hours", "2024-03-31")] == 7.5  # "Sleep Time: 7:30"

    before = dump(db)
    again = medlog("--db", db, "import", str(source), "--map", str(FIXTURES / "rich_notes.toml"))
    assert again.code == 0 and "nothing new" in again.out
    assert dump(db) == before


def test_times_are_in_the_zone_named_and_days_by_the_rollover(medlog, tmp_path):
    db = str(tmp_path / "j.sqlite")
    assert medlog("--db", db, "import", str(FIXTURES / "old_format.csv"), "--zone", "America/New_York").code == 0
    berlin = str(tmp_path / "berlin.sqlite")
    assert medlog("--db", berlin, "import", str(FIXTURES / "old_format.csv"), "--zone", "Europe/Berlin").code == 0
    ny, de = _log(medlog, db), _log(medlog, berlin)
    assert len(ny) == len(de) > 0
    assert {e["zone"] for e in ny} == {"America/New_York"} and {e["zone"] for e in de} == {"Europe/Berlin"}
    assert [e["at"] for e in ny] != [e["at"] for e in de]  # the same wall times, other instants


def test_a_bad_line_is_named_and_skip_bad_imports_the_rest(medlog, tmp_path):
    source = tmp_path / "daylio.csv"
    shutil.copy(FIXTURES / "old_format.csv", source)
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[2].split(",")
    cells[3] = "25:99"  # the time column
    lines[2] = ",".join(cells)
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = str(tmp_path / "j.sqlite")
    ran = medlog("--db", db, "import", str(source))
    assert ran.code == 2 and ran.err.startswith("medlog: line 3, column 'time': ") and ran.err.count("\n") == 1
    assert not Path(db).exists()
    ran = medlog("--db", db, "import", str(source), "--skip-bad")
    assert ran.code == 0 and "skipped 1:" in ran.out and "line 3, column 'time'" in ran.out, ran.err


def test_a_mapping_file_that_is_not_toml_is_one_line(medlog, tmp_path):
    bad = tmp_path / "map.toml"
    bad.write_text("[labels.mood\nrad = 10\n")
    ran = medlog("import", str(FIXTURES / "old_format.csv"), "--map", str(bad))
    assert ran.code == 2 and ran.err.count("\n") == 1 and "not TOML" in ran.err and "line 1" in ran.err


def test_an_old_mac_or_windows_export_is_told_by_its_header_and_imports_the_same(medlog, tmp_path):
    """CR-only (an old Mac) and CR LF line ends, after the BOM: recognised without --from, the same entries."""
    data = (FIXTURES / "old_format.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    lf = str(tmp_path / "lf.sqlite")
    assert medlog("--db", lf, "import", str(FIXTURES / "old_format.csv")).code == 0
    for end in (b"\r", b"\r\n"):
        source = tmp_path / "export.csv"
        source.write_bytes(data.replace(b"\n", end))
        db = str(tmp_path / f"{len(end)}.sqlite")
        ran = medlog("--db", db, "import", str(source))
        assert ran.code == 0 and "(read as daylio)" in ran.out, ran.err
        assert rows_of(db) == rows_of(lf)


def test_undo_after_an_import_removes_exactly_what_it_added_and_says_how_many(medlog, tmp_path):
    """Another app's file is logged as one change-log batch: `undo` takes the import back, entries and new
    substances, and leaves what the journal held before (issue 19). The undone rows stay as tombstones under the ids
    the file gives them, so importing the same file again adds nothing (docs/import.md)."""
    db = str(tmp_path / "j.sqlite")
    assert medlog("--db", db, "note", "my own note", "--at", "2018-06-01 09:00").code == 0
    before = _log(medlog, db)
    ran = medlog("--db", db, "import", str(FIXTURES / "old_format.csv"))
    assert ran.code == 0 and "imported 18 rows (7 observation, 11 note)" in ran.out, ran.err
    assert len(_log(medlog, db)) == len(before) + 18
    undone = medlog("--db", db, "undo")
    assert undone.code == 0, undone.err
    assert undone.out.startswith("Undid: imported 18 rows (7 observation, 11 note) from Daylio file ")
    assert _log(medlog, db) == before
    again = medlog("--db", db, "import", str(FIXTURES / "old_format.csv"))
    assert again.code == 0 and "nothing new" in again.out and _log(medlog, db) == before
    assert medlog("--db", db, "undo").out.startswith("Undid: note “my own note”")  # then the journal's own batch


def test_undo_after_a_bearable_import_removes_its_new_substances_too(medlog, tmp_path):
    db = str(tmp_path / "j.sqlite")
    ran = medlog("--db", db, "import", str(FIXTURES.parent / "bearable" / "export_2021.csv"))
    assert ran.code == 0 and "new substances:" in ran.out, ran.err
    assert medlog("--db", db, "undo").out.startswith("Undid: imported 40 rows (5 substance, 5 dose")
    listed = medlog("--db", db, "substance", "list")
    assert listed.code == 0 and "Sertraline" not in listed.out
    assert _log(medlog, db) == []
