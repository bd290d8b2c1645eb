"""services.report_file: the visit report written for the CLI's `report -o` and the TUI — through files.save's one
rule: an existing file only when asked, never the journal nor another SQLite file; atomically, 0600."""

from __future__ import annotations

import importlib.util
import os
import stat
from datetime import date

import pytest

from medlog.domain.errors import InputError
from medlog.domain.periods import parse_period
from medlog.domain.record import replace
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import files, formats, report, report_file, substances
from medlog.services.substances import NewSubstance


@pytest.fixture
def built(journal):
    substances.add(journal, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                                         schedule=parse_schedule("08:00"),
                                         since=journal.moment("2026-11-01 08:00")), source="tui")
    since, until = report.period(journal, last=parse_period("30"))
    return report.build(journal, since, until)


@pytest.fixture
def plain(monkeypatch):
    """A stand-in renderer: these tests are about the file, not the layout (each renderer has its own tests)."""
    calls: list[str] = []

    def render(found, fmt):  # type: ignore[no-untyped-def]
        calls.append(fmt)
        return f"# report {found.header.since}–{found.header.until} as {fmt}\n"

    monkeypatch.setattr(report_file, "render", render)
    return calls


def mode(path) -> int:  # type: ignore[no-untyped-def]
    return stat.S_IMODE(os.stat(path).st_mode)


def leftovers(folder) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(name for name in os.listdir(folder) if name.startswith(".medlog-"))


def test_save_writes_the_rendered_report_with_mode_0600(journal, built, plain, tmp_path):
    old = os.umask(0o022)  # a permissive umask: 0600 must not depend on the user's
    try:
        written = report_file.save(journal, built, "md", str(tmp_path / "visit.md"))
    finally:
        os.umask(old)
    assert written == str(tmp_path / "visit.md")
    assert mode(written) == 0o600
    with open(written, encoding="utf-8") as fh:
        assert fh.read() == "# report 2026-11-01–2026-11-21 as md\n"  # from the first entry
    assert plain == ["md"] and leftovers(tmp_path) == []


def test_a_relative_or_home_path_is_made_absolute(journal, built, plain, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    os.mkdir(tmp_path / "home")
    assert report_file.save(journal, built, "html", "r.html") == str(tmp_path / "r.html")
    assert report_file.save(journal, built, "html", "~/r.html") == str(tmp_path / "home" / "r.html")
    assert os.path.exists(tmp_path / "home" / "r.html")


def test_an_existing_file_is_replaced_only_when_asked(journal, built, plain, tmp_path):
    path = tmp_path / "visit.md"
    path.write_text("mine")
    os.chmod(path, 0o644)
    with pytest.raises(report_file.Exists) as raised:
        report_file.save(journal, built, "md", str(path))
    assert raised.value.path == str(path) and "already exists" in str(raised.value)
    assert path.read_text() == "mine" and plain == []  # not even rendered
    report_file.save(journal, built, "md", str(path), overwrite=True)
    assert path.read_text().startswith("# report") and mode(path) == 0o600  # the new file's mode, not the old's
    assert leftovers(tmp_path) == []


def test_the_journal_and_its_sqlite_files_are_refused(journal, built, plain, tmp_path, monkeypatch):
    with open(journal.path, "rb") as fh:
        before = fh.read()
    os.symlink(journal.path, tmp_path / "link.sqlite")
    monkeypatch.chdir(os.path.dirname(journal.path))
    for path in (journal.path, journal.path + "-wal", journal.path + "-shm", "journal.sqlite",
                 "./../data/journal.sqlite", str(tmp_path / "link.sqlite")):
        with pytest.raises(InputError, match="is the journal itself"):
            report_file.save(journal, built, "md", path, overwrite=True)
    os.link(journal.path, tmp_path / "hard.sqlite")
    with pytest.raises(InputError, match="is the journal itself"):
        report_file.save(journal, built, "md", str(tmp_path / "hard.sqlite"), overwrite=True)
    with open(journal.path, "rb") as fh:
        assert fh.read() == before
    assert plain == []


@pytest.mark.parametrize(("path", "words"), [
    ("", "give a file"),
    ("   ", "give a file"),
    (".", "is a folder"),
    ("no-such-folder/visit.md", "cannot write in"),
])
def test_no_file_name_a_folder_or_a_missing_folder_is_refused(journal, built, plain, tmp_path, monkeypatch, path,
                                                              words):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=words):
        report_file.save(journal, built, "md", path)
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # the journal's folder only


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(journal, built, plain, tmp_path,
                                                                        monkeypatch):
    path = tmp_path / "visit.md"
    path.write_text("mine")

    def full(*args):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(InputError, match="No space left on device"):
        report_file.save(journal, built, "md", str(path), overwrite=True)
    assert path.read_text() == "mine" and leftovers(tmp_path) == []


def test_a_renderer_that_fails_writes_nothing(journal, built, tmp_path, monkeypatch):
    def broken(found, fmt):  # type: ignore[no-untyped-def]
        raise ValueError("a layout bug")

    monkeypatch.setattr(report_file, "render", broken)
    with pytest.raises(ValueError):
        report_file.save(journal, built, "md", str(tmp_path / "visit.md"))
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_a_renderer_not_installed_is_said_in_words(journal, built, tmp_path, monkeypatch):
    def missing(found):  # type: ignore[no-untyped-def]
        raise ModuleNotFoundError("No module named 'reportlab'", name="reportlab")

    monkeypatch.setitem(formats.REPORT_FORMATS, "pdf", replace(formats.REPORT_FORMATS["pdf"], render=missing))
    with pytest.raises(InputError, match="PDF reports cannot be made here: reportlab is not installed"):
        report_file.save(journal, built, "pdf", str(tmp_path / "visit.pdf"))
    assert not (tmp_path / "visit.pdf").exists()


def test_an_unknown_format_is_refused(journal, built, plain, tmp_path):
    with pytest.raises(InputError, match="not a report format"):
        report_file.save(journal, built, "docx", str(tmp_path / "visit.docx"))
    assert plain == []


def test_the_default_name_is_the_clis():
    assert report_file.default_name(date(2026, 11, 21), "pdf") == "medlog-report-2026-11-21.pdf"
    assert report_file.default_name(date(2026, 1, 2), "md") == "medlog-report-2026-01-02.md"


@pytest.mark.parametrize(("fmt", "start"), [("md", b"# "), ("html", b"<!DOCTYPE html>"), ("pdf", b"%PDF-")])
def test_the_real_renderers_write_their_kind_of_file(journal, built, tmp_path, fmt, start):
    module = {"md": "markdown", "html": "html", "pdf": "pdf"}[fmt]
    if importlib.util.find_spec(f"medlog.reports.{module}") is None:
        pytest.skip(f"medlog.reports.{module} is not written yet")
    written = report_file.save(journal, built, fmt, str(tmp_path / f"visit.{fmt}"))
    with open(written, "rb") as fh:
        assert fh.read().startswith(start)
    assert mode(written) == 0o600
