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


def _two_weeks(medlog) -> None:  # type: ignore[no-untyped-def]
    """A new user's first two weeks (08–21 Nov 2026): a medicine taken each morning, sleep and mood rated."""
    assert medlog("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule",
                  "08:00", "--since", "2026-11-08 08:00").code == 0
    for n in range(8, 21):
        assert medlog("take", "escitalopram", "--at", f"2026-11-{n:02d} 08:05").code == 0
        assert medlog("rate", f"sleep_quality={n % 7 + 2}", f"mood={n % 5 + 3}", "--day", f"2026-11-{n:02d}").code == 0


def test_a_two_week_journal_is_reported_from_its_first_entry_on_two_pages_at_most(medlog, tmp_path):
    _two_weeks(medlog)
    ran = medlog("report", "--format", "md")
    assert ran.code == 0, ran.err
    assert "Period: 08 Nov–21 Nov 2026 (14 days, from the first entry, 08 Nov)" in ran.out, ran.out[:600]
    weeks = re.findall(r"^\| (\d\d(?: \w\w\w)?–\d\d \w\w\w) \|", ran.out, flags=re.M)
    assert len(weeks) == 2, weeks
    target = tmp_path / "visit.pdf"
    assert medlog("report", "--format", "pdf", "-o", str(target)).code == 0
    assert 1 <= _pages(target) <= 2


def test_a_range_inside_the_journal_is_kept_as_asked(medlog):
    _two_weeks(medlog)
    ran = medlog("report", "--format", "md", "--from", "2026-11-10", "--to", "2026-11-20")
    assert ran.code == 0, ran.err
    assert "Period: 10 Nov–20 Nov 2026 (11 days)" in ran.out and "first entry" not in ran.out
