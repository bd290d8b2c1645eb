"""The visit report lists the safety warnings that fired in its period (issue 20), in every format, through the
real CLI: an interaction told when its second substance arrived, and a timing rule crossed by doses."""

from __future__ import annotations

import pytest


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "j.sqlite")


def report(medlog, db, tmp_path, fmt: str, *period: str) -> str:
    out = tmp_path / f"r.{fmt}"
    ran = medlog("--db", db, "report", "--format", fmt, "-o", str(out), "--force", *period)
    assert ran.code == 0, ran.err
    return out.read_text(encoding="utf-8")


def test_warnings_of_the_period_are_listed_once_per_rule_with_their_count(medlog, db, tmp_path):
    for args in (["Lexapro", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00", "--since",
                  "2026-10-01"],
                 ["Gabapentin", "--kind", "medication", "--dose", "300 mg", "--as-needed", "--since", "2026-10-01"],
                 ["Maalox", "--kind", "medication", "--dose", "1 tablet", "--as-needed", "--since", "2026-10-01"],
                 ["St John's wort", "--kind", "supplement", "--dose", "300 mg"]):
        assert medlog("--db", db, "substance", "add", *args).code == 0
    for day in ("2026-11-18", "2026-11-19"):
        assert medlog("--db", db, "take", "maalox", "--at", f"{day} 12:00").code == 0
        took = medlog("--db", db, "take", "gabapentin", "--at", f"{day} 13:00")
        assert "less than 2 h" in took.err
    for fmt in ("md", "html"):
        text = report(medlog, db, tmp_path, fmt, "--last", "30d")
        assert "Safety warnings medlog gave in this period" in text
        assert "interaction: Escitalopram with St John" in text
        assert "Gabapentin at least 2 h after Maalox (2 times" in text
    earlier = report(medlog, db, tmp_path, "md", "--from", "2026-10-01", "--to", "2026-10-31")
    assert "Safety warnings" not in earlier


def test_a_report_without_warnings_says_nothing_of_them(medlog, db, tmp_path):
    assert medlog("--db", db, "substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg",
                  "--schedule", "08:00").code == 0
    assert "Safety warnings" not in report(medlog, db, tmp_path, "md")


def test_the_demo_lists_its_interaction_in_a_report_of_four_months(medlog, tmp_path):
    demo = str(tmp_path / "demo.sqlite")
    assert medlog("demo", "--no-tui", "--db", demo).code == 0
    text = report(medlog, demo, tmp_path, "md", "--last", "4m")
    assert "interaction: Gabapentin with Co\\-codamol" in text or "interaction: Gabapentin with Co-codamol" in text
    assert "Safety warnings" not in report(medlog, demo, tmp_path, "md")  # the default 90 days: before them
