"""services/files.py: the one writer of every file medlog makes besides the journal (reports, exports), its one
rule, and the registries' promise to import nothing until a format is used."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys

import pytest

from medlog.domain.errors import InputError
from medlog.services import files
from medlog.services.formats import IMPORTERS, SNIFF_BYTES, importer_for


def mode(path) -> int:  # type: ignore[no-untyped-def]
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    return out


def test_a_new_file_is_written_whole_and_private(journal, folder):
    old = os.umask(0o022)
    try:
        written = files.save(journal, str(folder / "a.txt"), iter(["text, ", b"bytes"]))
    finally:
        os.umask(old)
    assert written == str(folder / "a.txt") and open(written, "rb").read() == b"text, bytes"
    assert mode(written) == 0o600 and os.listdir(folder) == ["a.txt"]


def test_an_existing_file_only_when_asked(journal, folder):
    path = folder / "a.txt"
    path.write_text("mine")
    made = []

    def pieces():  # type: ignore[no-untyped-def]
        made.append(True)
        yield "new"

    with pytest.raises(files.Exists) as raised:
        files.save(journal, str(path), pieces())
    assert raised.value.path == str(path) and raised.value.exit_code == 2
    assert made == [] and path.read_text() == "mine"  # refused before the document was made
    files.save(journal, str(path), pieces(), overwrite=True)
    assert path.read_text() == "new" and mode(path) == 0o600 and os.listdir(folder) == ["a.txt"]


def test_a_file_that_appears_while_the_document_is_made_is_not_replaced(journal, folder):
    path = folder / "a.txt"

    def pieces():  # type: ignore[no-untyped-def]
        yield "medlog's "
        path.write_text("someone else's")  # another program, meanwhile
        yield "document"

    with pytest.raises(files.Exists):
        files.save(journal, str(path), pieces())
    assert path.read_text() == "someone else's" and os.listdir(folder) == ["a.txt"]


@pytest.mark.parametrize("code", [errno.EPERM, errno.EOPNOTSUPP])
def test_without_hard_links_the_rule_holds_by_a_second_look(journal, folder, monkeypatch, code):
    """Some file systems (FAT, some network shares) have no hard links: the check is made again, then a rename."""
    def no_links(*args):  # type: ignore[no-untyped-def]
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files.os, "link", no_links)
    path = folder / "a.txt"
    files.save(journal, str(path), iter(["one"]))
    assert path.read_text() == "one"
    with pytest.raises(files.Exists):
        files.save(journal, str(path), iter(["two"]))
    assert path.read_text() == "one" and os.listdir(folder) == ["a.txt"]


def test_a_failure_while_the_document_is_made_leaves_nothing(journal, folder):
    def pieces():  # type: ignore[no-untyped-def]
        yield "half"
        raise InputError("the journal is damaged")

    with pytest.raises(InputError):
        files.save(journal, str(folder / "a.txt"), pieces())
    assert os.listdir(folder) == []


def test_never_the_journal_another_database_or_the_backups_folder_even_when_asked(journal, folder, medlog_journal):
    other = folder / "other.sqlite"
    other.write_bytes(b"SQLite format 3\x00" + bytes(100))
    backups = os.path.join(os.path.dirname(medlog_journal.path), "backups")
    os.makedirs(backups, exist_ok=True)
    for path, words in ((medlog_journal.path, "is the journal itself"), (str(other), "SQLite database"),
                        (os.path.join(backups, "x.json"), "backups folder")):
        with pytest.raises(InputError, match=words):
            files.save(medlog_journal, path, iter(["x"]), overwrite=True)
    assert os.listdir(backups) == [] and other.read_bytes().startswith(b"SQLite format 3\x00")


@pytest.fixture
def medlog_journal(journal):
    from medlog.services import entries

    entries.add_note(journal, "a journal that exists")
    return journal


def test_medlog_json_is_told_from_its_first_bytes(tmp_path):
    export = tmp_path / "e.json"
    export.write_bytes(b'{"format": "medlog-journal", "version": 1, ' + b" " * SNIFF_BYTES)
    other = tmp_path / "o.csv"
    other.write_bytes(b"\xef\xbb\xbfkind,id,journal_day\r\n")
    assert IMPORTERS["medlog-json"].sniff(export.read_bytes()[:SNIFF_BYTES])
    assert not IMPORTERS["medlog-json"].sniff(other.read_bytes()) and not IMPORTERS["medlog-json"].sniff(b"")
    assert importer_for(str(export)).name == "medlog-json"
    # a file that cannot be read: the first importer reads it, and says what it is not
    assert importer_for(str(tmp_path / "missing")) is next(iter(IMPORTERS.values()))
    # a CSV no importer claims (a truncated header here): refused with the way to import it, not "not JSON"
    with pytest.raises(InputError, match="--from csv"):
        importer_for(str(other))


LAZY = """
import sys
from medlog.cli.parser import build_parser
from medlog.services import formats
build_parser()
formats.report_format("pdf"), formats.export_format("json"), formats.importer("medlog-json")
print(sorted(m for m in sys.modules if m.startswith(("reportlab", "json", "csv", "medlog.reports", "medlog.store",
                                                     "medlog.services.export", "medlog.services.importers."))))
"""


def test_the_registries_import_no_format_until_it_is_used():
    """The parser reads the registries for --help and choices; no renderer, writer or importer comes with them."""
    out = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
