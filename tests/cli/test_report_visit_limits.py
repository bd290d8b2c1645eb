"""Issue 16, items 12 and 16: the visit report keeps its one-to-two-page promise — a long note is cut with a
pointer to the journal (alike in every format), and a journal younger than the range starts at its first entry."""

from __future__ import annotations

import re
import sqlite3
import time

from tests.conftest import default_journal


def _pages(path) -> int:  # type: ignore[no-untyped-def]
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


def _grow_notes(path: str, text: str) -> None:
    """What an older journal or another tool can hold: notes far over the typed limit."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE note SET text = ?", (text,))
    conn.close()


def test_a_1_mb_flagged_note_and_question_are_cut_with_a_pointer_to_the_journal(medlog, cli_env, tmp_path):
    assert medlog("note", "first words", "--flag").code == 0
    assert medlog("note", "a question", "--question").code == 0
    _grow_notes(default_journal(cli_env), "START " + "word " * 200_000 + "\n" * 5_000 + "END")
    pointer = "(cut; the whole note is in the journal: medlog log --since 2026-11-21 --until 2026-11-21 --kind note)"
    for fmt in ("md", "html"):
        ran = medlog("report", "--format", fmt)
        assert ran.code == 0, ran.err
        assert ran.out.count(pointer) == 2 and "START word" in ran.out and "END" not in ran.out
        assert len(ran.out) < 40_000
    target = tmp_path / "visit.pdf"
    began = time.monotonic()
    ran = medlog("report", "--format", "pdf", "-o", str(target))
    assert ran.code == 0, ran.err
    assert time.monotonic() - began < 10
    assert 1 <= _pages(target) <= 2
