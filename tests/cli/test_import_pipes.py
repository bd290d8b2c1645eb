"""A file given through a pipe (`medlog import <(cat export.csv)`, /dev/stdin, a FIFO) imports as the file itself does
(issue 19): the format is told from the bytes read once, and the importer still gets its header. Through the real
CLI, with a real pipe or FIFO."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.cli.test_import_bearable_and_csv import MAPPING, ROWS
from tests.conftest import rows_of

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _through_fifo(tmp_path: Path, data: bytes) -> str:
    """A FIFO that gives `data` once to whoever opens it (a thread writes it, as `<(cat FILE)` does)."""
    fifo = str(tmp_path / "fifo")
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as fh:  # blocks until medlog opens the other end
            fh.write(data)

    threading.Thread(target=write, daemon=True).start()
    return fifo


def _through_pipe(data: bytes) -> str:
    """/dev/fd/N of a real pipe (os.pipe), written by a thread and closed: what bash's <(…) gives a command."""
    read_end, write_end = os.pipe()

    def write() -> None:
        with os.fdopen(write_end, "wb") as fh:
            fh.write(data)

    threading.Thread(target=write, daemon=True).start()
    return f"/dev/fd/{read_end}"


def _small_journal(medlog, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "source.sqlite")
    for args in (("substance", "add", "Escitalopram", "--kind", "medication"),
                 ("take", "escitalopram", "10 mg", "--at", "2026-11-20 08:05"),
                 ("rate", "mood=6", "--day", "2026-11-20"), ("note", "a quiet day", "--at", "2026-11-20 16:00")):
        ran = medlog("--db", db, *args)
        assert ran.code == 0, ran.err
    return db


def _cases(medlog, tmp_path: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    """Each importer's file, and the options it is imported with."""
    source = _small_journal(medlog, tmp_path)
    for fmt in ("json", "csv"):
        assert medlog("--db", source, "export", "--format", fmt, "-o", str(tmp_path / f"export.{fmt}")).code == 0
    mapping, rows = tmp_path / "map.toml", tmp_path / "tagebuch.csv"
    mapping.write_text(MAPPING, encoding="utf-8")
    rows.write_text(ROWS.replace("7,5", "7.5"), encoding="utf-8")
    return {
        "medlog-json": (tmp_path / "export.json", ()),
        "medlog-csv": (tmp_path / "export.csv", ()),
        "daylio": (FIXTURES / "daylio" / "old_format.csv", ()),
        "bearable": (FIXTURES / "bearable" / "export_2021.csv", ()),
        "csv": (rows, ("--from", "csv", "--map", str(mapping))),
    }


@pytest.mark.parametrize("fmt", ["medlog-json", "medlog-csv", "daylio", "bearable", "csv"])
@pytest.mark.parametrize("how", ["fifo", "pipe"])
def test_every_format_imports_through_a_pipe_as_from_the_file(medlog, tmp_path, fmt, how):
    path, options = _cases(medlog, tmp_path)[fmt]
    from_file = str(tmp_path / "from_file.sqlite")
    ran = medlog("--db", from_file, "import", str(path), *options)
    assert ran.code == 0, ran.err
    piped = str(tmp_path / "piped.sqlite")
    given = _through_fifo(tmp_path, path.read_bytes()) if how == "fifo" else _through_pipe(path.read_bytes())
    ran = medlog("--db", piped, "import", given, *options)
    assert ran.code == 0, ran.err
    assert f"(read as {fmt})" in ran.out
    assert rows_of(piped) == rows_of(from_file)


def test_a_pipe_beyond_the_limit_is_refused_in_one_line_and_nothing_is_written(medlog, tmp_path, monkeypatch):
    from medlog.services.importers import source

    monkeypatch.setattr(source, "LIMIT", 100)  # bytes: the fixture is larger
    data = (FIXTURES / "daylio" / "old_format.csv").read_bytes()
    db = str(tmp_path / "j.sqlite")
    ran = medlog("--db", db, "import", _through_fifo(tmp_path, data))
    assert ran.code == 2 and ran.err.count("\n") == 1 and ran.out == ""
    assert "holds more than" in ran.err and "save it to a file and import that" in ran.err
    assert "Traceback" not in ran.err and not Path(db).exists()


def test_another_apps_file_on_standard_input_imports(tmp_path, cli_env):
    """`cat export.csv | medlog import -` (was: 'read from a file, not standard input')."""
    data = (FIXTURES / "daylio" / "old_format.csv").read_bytes()
    db = str(tmp_path / "j.sqlite")
    proc = subprocess.run([sys.executable, "-m", "medlog", "--db", db, "import", "-"], input=data,
                          capture_output=True, timeout=60, env=cli_env)
    assert proc.returncode == 0, proc.stderr
    assert b"(read as daylio)" in proc.stdout and b"imported 18 rows" in proc.stdout
