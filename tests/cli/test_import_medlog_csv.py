"""medlog's own CSV export imported back (issue 19): through the real CLI, into a new journal and into the one it
came from; --dry-run writes nothing; a bad line is named by line and column."""

from __future__ import annotations

import json
import os

import pytest

from tests.cli.test_export_import import kept  # noqa: F401 - the fixture: a journal with a bit of everything
from tests.conftest import default_journal, dump


def _entries(medlog, *db: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    ran = medlog(*db, "log", "--json", "--since", "2026-10-01")  # planned changes ahead too
    assert ran.code == 0, ran.err
    return sorted((e["kind"], e["id"], e["at"], e["journal_day"], e["text"]) for e in json.loads(ran.out)["entries"])


@pytest.fixture
def exported(kept, tmp_path):  # noqa: F811 - the fixture above
    out = tmp_path / "entries.csv"
    assert kept("export", "--format", "csv", "-o", str(out)).code == 0
    return out


def test_a_csv_export_imports_into_a_new_journal_entry_for_entry(kept, exported, tmp_path):  # noqa: F811
    copy = str(tmp_path / "copy.sqlite")
    assert kept("--db", copy, "metric", "add", "focus", "--min", "0", "--max", "10", "--higher-is-better",
                "--integer").code == 0  # the CSV names a metric of its own; its scale is not in the CSV
    ran = kept("--db", copy, "import", str(exported))
    assert ran.code == 0, ran.err
    assert "(read as medlog-csv)" in ran.out and "new substances: Escitalopram, Magnesium glycinate" in ran.out
    assert _entries(kept, "--db", copy) == _entries(kept)  # every entry, with its id, time, day and words

    before = dump(copy)
    again = kept("--db", copy, "import", str(exported))
    assert again.code == 0 and "nothing new" in again.out
    assert dump(copy) == before


def test_into_the_journal_it_came_from_it_adds_nothing(kept, exported, cli_env):  # noqa: F811
    before = dump(default_journal(cli_env))
    ran = kept("import", str(exported))
    assert ran.code == 0 and "nothing new" in ran.out, ran.err
    assert dump(default_journal(cli_env)) == before


def test_dry_run_says_what_and_writes_nothing_not_even_a_journal(kept, exported, tmp_path):  # noqa: F811
    copy = tmp_path / "new.sqlite"
    ran = kept("--db", str(copy), "import", str(exported), "--dry-run")
    assert ran.code == 2 and "focus" in ran.err and "[metrics]" in ran.err  # a metric the new journal lacks
    assert not copy.exists()
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    exported.write_text("\n".join(line for line in lines if ",focus," not in line) + "\n", encoding="utf-8")
    ran = kept("--db", str(copy), "import", str(exported), "--dry-run")
    assert ran.code == 0, ran.err
    assert "Would import from medlog-csv:" in ran.out and "Nothing was written (--dry-run)." in ran.out
    assert "new substances: Escitalopram, Magnesium glycinate" in ran.out
    assert not copy.exists()


def test_a_bad_line_is_named_and_nothing_is_imported_unless_skip_bad(kept, exported, tmp_path):  # noqa: F811
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    bad = next(i for i, line in enumerate(lines) if line.startswith("dose,"))
    cells = lines[bad].split(",")
    cells[3] = "yesterday-ish"  # the `at` column
    lines[bad] = ",".join(cells)
    exported.write_text("\n".join(line for line in lines if ",focus," not in line) + "\n", encoding="utf-8")
    copy = tmp_path / "copy.sqlite"
    ran = kept("--db", str(copy), "import", str(exported))
    assert ran.code == 2 and ran.err.count("\n") == 1
    assert ran.err.startswith(f"medlog: line {bad + 1}, column 'at': ")
    assert not copy.exists()
    ran = kept("--db", str(copy), "import", str(exported), "--skip-bad")
    assert ran.code == 0, ran.err
    assert "skipped 1:" in ran.out and f"line {bad + 1}, column 'at'" in ran.out
    assert os.path.exists(copy)


def test_a_formula_guarded_cell_comes_back_as_written(medlog, tmp_path):
    assert medlog("note", "=1+1 is what the nurse wrote").code == 0
    out = tmp_path / "notes.csv"
    assert medlog("export", "--format", "csv", "-o", str(out)).code == 0
    assert "'=1+1" in out.read_text(encoding="utf-8-sig")  # guarded in the file
    copy = str(tmp_path / "copy.sqlite")
    assert medlog("--db", copy, "import", str(out)).code == 0
    assert "note: =1+1 is what the nurse wrote" in medlog("--db", copy, "log").out
