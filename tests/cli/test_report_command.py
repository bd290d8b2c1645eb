"""`medlog report` as typed, on the demo journal: each format, the file it writes, and every refusal.

The issue's done-when: from the demo journal, a PDF of one to three pages naming the regimen, adherence, sleep
and mood, with charts; HTML with inline charts; Markdown.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys

import pytest

from tests.conftest import default_journal


def test_markdown_on_standard_output(demo, medlog):
    ran = medlog("report", "--format", "md")
    assert ran.code == 0 and ran.err == ""
    titles = re.findall(r"^## (.+)$", ran.out, flags=re.M)
    assert titles[:3] == ["Regimen on Sat 21 Nov 2026", "Regimen changes", "Adherence"]
    for name in ("Escitalopram", "Magnesium glycinate", "Vitamin D3", "Sleep quality", "Mood"):
        assert name in ran.out
    assert "Ask whether magnesium and gabapentin should be taken apart." in ran.out


def test_html_to_a_private_file(demo, medlog, tmp_path):
    target = tmp_path / "visit.html"
    ran = medlog("report", "--format", "html", "--last", "12w", "-o", str(target))
    assert ran.code == 0 and str(target) in ran.err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.count("<svg") == 4
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_pdf_from_the_demo(demo, medlog, tmp_path):
    target = tmp_path / "visit.pdf"
    assert medlog("report", "-o", str(target)).code == 0
    data = target.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert data.startswith(b"%PDF") and 1 <= pages <= 3
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                              check=True).stdout
        for words in ("Escitalopram", "Magnesium glycinate", "Adherence", "Sleep quality", "Mood", "Trends"):
            assert words in text


def test_pdf_to_a_pipe_is_the_bytes(demo, cli_env):
    ran = subprocess.run([sys.executable, "-m", "medlog", "report", "--format", "pdf", "--last", "30d"],
                         capture_output=True, env=cli_env, timeout=60)
    assert ran.returncode == 0 and ran.stdout.startswith(b"%PDF") and ran.stdout.rstrip().endswith(b"%%EOF")


def test_a_range_and_metrics_of_ones_own(demo, medlog):
    ran = medlog("report", "--format", "md", "--from", "2026-10-01", "--to", "2026-10-31", "--metric", "energy",
                 "--metric", "sleep hours")
    assert ran.code == 0
    assert "Period: 01 Oct–31 Oct 2026 (31 days)" in ran.out
    assert "Energy" in ran.out and "Sleep hours" in ran.out and "| Anxiety" not in ran.out


@pytest.mark.parametrize(("args", "words"), [
    (["--last", "0d"], "--last"),
    (["--last", "1e309"], "--last"),
    (["--last", "-5d"], "--last"),
    (["--last", "٣٠"], "--last"),
    (["--last", "90d", "--from", "2026-10-01"], "either --last"),
    (["--from", "2026-02-30"], "2026-02-30"),
    (["--from", "2026-11-20", "--to", "2026-11-01"], "comes after"),
    (["--to", "2026-12-24"], "future"),
    (["--metric", "wellbeing"], "wellbeing"),
    (["--format", "docx"], "docx"),
])
def test_bad_input_gets_one_line_and_exit_2(demo, medlog, args, words, tmp_path):
    target = tmp_path / "never.pdf"
    ran = medlog("report", *args, "-o", str(target))
    assert ran.code == 2 and ran.out == ""
    assert len(ran.err.strip().splitlines()) == 1 and words in ran.err and "Traceback" not in ran.err
    assert not target.exists()


def test_never_over_the_journal_and_never_half_a_file(demo, medlog, tmp_path):
    before = open(demo, "rb").read()
    ran = medlog("report", "-o", demo)
    assert ran.code == 2 and "journal itself" in ran.err
    assert open(demo, "rb").read() == before
    ran = medlog("report", "-o", str(tmp_path / "no" / "such" / "folder.pdf"))
    assert ran.code == 2 and "cannot write in" in ran.err
    assert not (tmp_path / "no").exists()


def test_no_journal_yet(medlog, cli_env):
    ran = medlog("report", "--format", "md")
    assert ran.code == 2 and "no journal" in ran.err
    assert not os.path.exists(default_journal(cli_env))
