"""Bearable's CSV and any CSV with a mapping file, through the real CLI (issue 19)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import dump, rows_of

BEARABLE = Path(__file__).parent.parent / "fixtures" / "bearable"


def _log(medlog, db: str) -> list[dict]:  # type: ignore[no-untyped-def]
    ran = medlog("--db", db, "log", "--json", "--since", "2015-01-01")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)["entries"]


def test_bearable_doses_scales_and_symptoms_come_in_once(medlog, tmp_path):
    db = str(tmp_path / "j.sqlite")
    assert medlog("--db", db, "substance", "add", "Sertraline", "--kind", "medication", "--alias", "Zoloft").code == 0
    ran = medlog("--db", db, "import", str(BEARABLE / "export_2021.csv"), "--zone", "Europe/London")
    assert ran.code == 0 and "(read as bearable)" in ran.out, ran.err
    assert "new substances: Hydroxyzine, Vitamin B12, Lorazepam, Melatonin" in ran.out  # Sertraline is yours
    assert "sleep_quality: the file's 1–5 put on medlog's scale by the linear rule" in ran.out
    entries = _log(medlog, db)
    doses = [e for e in entries if e["kind"] == "dose"]
    assert {e["substance"] for e in doses} >= {"Sertraline", "Hydroxyzine"}
    assert all(e["source"] == "bearable" for e in doses)
    ratings = [e for e in entries if e["kind"] == "rating"]
    assert ratings and all(0 <= e["value"] <= (24 if e["metric"] == "sleep_hours" else 10) for e in ratings)
    symptoms = [e for e in entries if e["kind"] == "symptom"]
    assert symptoms and all(0 <= e["severity"] <= 10 for e in symptoms)
    before = dump(db)
    again = medlog("--db", db, "import", str(BEARABLE / "export_2021.csv"), "--zone", "Europe/London")
    assert again.code == 0 and "nothing new" in again.out and dump(db) == before


MAPPING = """
zone = "Europe/Paris"
kind = "supplement"

[csv]
day = "Datum"
time = "Uhrzeit"
day_format = "%d.%m.%Y"
delimiter = ";"
substance = "Mittel"
amount = "Menge"
note = "Notiz"

[csv.ratings]
"Stimmung (1-5)" = { metric = "mood", low = 1, high = 5 }
"Schlaf" = "sleep_hours"
"""

ROWS = """Datum;Uhrzeit;Mittel;Menge;Stimmung (1-5);Schlaf;Notiz
30.03.2024;08:00;Magnesium;200 mg;4;7,5;
30.03.2024;21:30;Magnesium;200 mg;;;abends
31.03.2024;08:00;;;2;6;schlecht geschlafen
"""


def test_any_csv_with_a_mapping_file(medlog, tmp_path):
    source, mapping = tmp_path / "tagebuch.csv", tmp_path / "map.toml"
    source.write_text(ROWS.replace("7,5", "7.5"), encoding="utf-8")
    mapping.write_text(MAPPING, encoding="utf-8")
    db = str(tmp_path / "j.sqlite")
    without = medlog("--db", db, "import", str(source), "--from", "csv")
    assert without.code == 2 and "[csv]" in without.err and not Path(db).exists()
    ran = medlog("--db", db, "import", str(source), "--from", "csv", "--map", str(mapping))
    assert ran.code == 0 and "(read as csv)" in ran.out, ran.err
    entries = _log(medlog, db)
    doses = [e for e in entries if e["kind"] == "dose"]
    assert [(e["substance"], e["amount"], e["unit"], e["zone"]) for e in doses] == \
        [("Magnesium", 200, "mg", "Europe/Paris")] * 2
    assert doses[0]["at"] == "2024-03-30T08:00:00+01:00"
    moods = sorted(e["value"] for e in entries if e["kind"] == "rating" and e["metric"] == "mood")
    assert moods == [2.5, 7.5]  # 2 and 4 on 1–5
    assert {e["text"] for e in entries if e["kind"] == "note"} == {"abends", "schlecht geschlafen"}
    again = medlog("--db", db, "import", str(source), "--from", "csv", "--map", str(mapping))
    assert again.code == 0 and "nothing new" in again.out


def test_a_mapping_naming_a_column_the_file_lacks_is_one_line(medlog, tmp_path):
    source, mapping = tmp_path / "t.csv", tmp_path / "map.toml"
    source.write_text(ROWS, encoding="utf-8")
    mapping.write_text(MAPPING.replace('note = "Notiz"', 'note = "Bemerkung"'), encoding="utf-8")
    ran = medlog("import", str(source), "--from", "csv", "--map", str(mapping))
    assert ran.code == 2 and ran.err.count("\n") == 1 and "no column 'Bemerkung'" in ran.err
    mapping.write_text(MAPPING, encoding="utf-8")
    ran = medlog("import", str(source), "--from", "csv", "--map", str(mapping))  # "7,5": a decimal comma
    assert ran.code == 2 and "'7,5' (line 2, column 'Schlaf')" in ran.err, ran.err
    mapping.write_text(MAPPING.replace('delimiter = ";"', 'delimiter = ";"\ndecimal = ","'), encoding="utf-8")
    ran = medlog("import", str(source), "--from", "csv", "--map", str(mapping))
    assert ran.code == 0 and "(read as csv)" in ran.out, ran.err
    assert 7.5 in [e["value"] for e in json.loads(medlog("log", "--json", "--since", "2024-01-01").out)["entries"]
                   if e["kind"] == "rating"]


def test_a_bearable_export_with_cr_lf_or_cr_only_lines_is_told_by_its_header(medlog, tmp_path):
    data = (BEARABLE / "export_2021.csv").read_bytes()
    lf = str(tmp_path / "lf.sqlite")
    assert medlog("--db", lf, "import", str(BEARABLE / "export_2021.csv")).code == 0
    for end in (b"\r\n", b"\r"):
        source = tmp_path / "export.csv"
        source.write_bytes(data.replace(b"\n", end))
        db = str(tmp_path / f"{len(end)}.sqlite")
        ran = medlog("--db", db, "import", str(source))
        assert ran.code == 0 and "(read as bearable)" in ran.out, ran.err
        assert "Read 33 lines of bearable" in ran.out and rows_of(db) == rows_of(lf)
