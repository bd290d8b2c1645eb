"""The line reader the importers of other apps' CSV share (importers/lines.py), and the bytes an import holds from a
pipe (importers/source.py): every line end an editor knows, a BOM, bad bytes named by line; a pipe read once."""

from __future__ import annotations

import csv
import io
import os
import threading

import pytest

from medlog.domain.errors import InputError
from medlog.domain.foreign import BadLine
from medlog.services.importers import lines as lines_module
from medlog.services.importers import source
from medlog.services.importers.lines import Lines, first_line, read_rows


def _lines(data: bytes) -> Lines:
    return Lines(io.BytesIO(data), "a test export", "tests write UTF-8")


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_each_line_end_ends_one_line_and_csv_reads_the_same_rows(end):
    data = lines_module.BOM + end.join([b"a,b", b'1,"two', b'lines"', b"3,x"]) + end
    lines = _lines(data)
    rows = list(csv.reader(lines, strict=True))
    assert rows == [["a", "b"], ["1", f"two{end.decode()}lines"], ["3", "x"]]  # a quoted break kept as written
    assert lines.number == 4 and lines.bad == {}


def test_mixed_line_ends_and_a_cr_lf_split_across_reads_are_counted_as_an_editor_counts():
    body = b"x" * 8191 + b"\r\n" + b"y\rz\n\r\nw"  # the CR LF straddles the reader's first 8 KiB
    assert [len(line) for line in _lines(body)] == [8193, 2, 2, 2, 1]


def test_the_bom_goes_only_before_the_first_line():
    lines = _lines(lines_module.BOM + b"a\r" + lines_module.BOM + b"b\r")
    assert list(lines) == ["a\r", "\ufeffb\r"]


def test_bad_bytes_and_nuls_are_remembered_by_line_whatever_the_line_end():
    lines = _lines(b"ok\rbad \xff byte\rnul \x00 here\rok\r")
    assert list(lines) == ["ok\r", "bad \ufffd byte\r", "nul  here\r", "ok\r"]
    assert lines.bad == {2: "line 2 is not UTF-8 text (byte 5 of the line); tests write UTF-8",
                         3: "line 3 holds a NUL byte"}


def test_a_line_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(lines_module, "LONGEST_LINE", 10)
    with pytest.raises(InputError, match="line 2 is longer than 1 MiB: not a line of a test export"):
        list(_lines(b"short\r" + b"z" * 20))


@pytest.mark.parametrize("head", [b"a,b\nc", b"a,b\r\nc", b"a,b\rc", b"\xef\xbb\xbfa,b\rc", b"a,b"])
def test_first_line_ends_at_any_line_end(head):
    assert first_line(head) == b"a,b"


def test_read_rows_gives_each_row_its_first_line_and_refuses_bad_ones():
    lines = _lines(b'h\r"one\rtwo"\r\rbad \xff\r3\r')
    reader = csv.reader(lines, strict=True)
    next(reader)
    read, refused = [], []
    count = read_rows(lines, reader, lambda row, line: read.append((line, row)), refused.append)
    assert read == [(2, ["one\rtwo"]), (6, ["3"])]  # line 4 blank: passed over
    assert [(bad.where.line, "not UTF-8" in bad.problem) for bad in refused] == [(5, True)]
    assert count == 3


def test_read_rows_names_csv_that_does_not_parse_through_its_last_line():
    lines = _lines(b'h\r"open\rand on\r')
    reader = csv.reader(lines, strict=True)
    next(reader)

    def refuse(bad: BadLine) -> None:
        raise bad

    with pytest.raises(BadLine, match=r"line 2: is not CSV that can be read .*, through line 3"):
        read_rows(lines, reader, lambda row, line: None, refuse)


def test_a_pipe_is_held_once_and_a_regular_file_is_not(tmp_path):
    regular = tmp_path / "file.csv"
    regular.write_bytes(b"a,b\r")
    assert source.held(str(regular)) == str(regular)
    assert source.held(str(tmp_path / "missing")) == str(tmp_path / "missing")  # the importer says it is not there
    read_end, write_end = os.pipe()
    threading.Thread(target=lambda: os.fdopen(write_end, "wb").write(b"a,b\r1,2\r") and None, daemon=True).start()
    found = source.held(f"/dev/fd/{read_end}")
    assert isinstance(found, source.Held) and found.data == b"a,b\r1,2\r"
    assert source.head(found, 3) == b"a,b" and source.opened(found).read() == found.data
    os.close(read_end)


def test_a_pipe_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(source, "LIMIT", 4)
    read_end, write_end = os.pipe()
    os.write(write_end, b"12345")
    os.close(write_end)
    with pytest.raises(InputError, match="holds more than 0 MiB.*save it to a file"):
        source.held(f"/dev/fd/{read_end}")
    os.close(read_end)
