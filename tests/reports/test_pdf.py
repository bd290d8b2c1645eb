"""The visit report as PDF: one or two pages of the chosen paper, the report's words in it, the same bytes for the
same report, and the user's own words (markup, arrows, Greek, emoji) drawn without failing.

Built from real journals: the demo (the shared fixtures in conftest.py) and a copy of it with unruly notes.
Reading the text back needs poppler's pdftotext; without it those checks skip and the uncompressed page
streams are searched instead (reportlab writes ASCII text as itself in them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.reports.pdf import FOOTER, render_pdf
from medlog.reports.sections import TITLE
from medlog.services import entries, report
from medlog.services.context import Journal
from tests.conftest import NOW, ZONE

SIZES = {"A4": (595.2756, 841.8898), "letter": (612.0, 792.0)}
REGIMEN = ("Escitalopram", "Gabapentin", "Maalox", "Magnesium glycinate", "Vitamin D3")
NOTE = "Felt <b>odd</b> & dizzy → better by noon; ρ ≈ 0.3 per the café’s naïve chart 😀\nsecond line"
QUESTION = "Dose 5 mg → 10 mg — too fast? (≤ 2 weeks) <i>"


def journal(path: str, page_size: str = "A4", name: str | None = None) -> Journal:
    return Journal(path, Settings(ZoneInfo(ZONE), name=name, page_size=page_size), FixedClock(NOW))


def built(j: Journal, metrics: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    since, until = report.period(j)
    return report.build(j, since, until, metrics)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def media_boxes(pdf: bytes) -> list[tuple[float, ...]]:
    return [tuple(float(v) for v in box.split()) for box in re.findall(rb"/MediaBox \[\s*([-\d. ]+?)\s*\]", pdf)]


def text_of(pdf: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def letter_report(demo_path):
    return built(journal(demo_path, "letter", name="Zoë Ångström"))


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_the_demo_fits_one_or_two_pages_of_the_paper_asked_for(demo_report, letter_report, paper):
    found = demo_report if paper == "A4" else letter_report
    assert found.header.page_size == paper
    pdf = render_pdf(found)
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert 1 <= pages(pdf) <= 2
    boxes = media_boxes(pdf)
    assert boxes and all(box == pytest.approx((0, 0, *SIZES[paper]), abs=0.01) for box in boxes)
    assert len(pdf) < 200_000  # vector charts and two font subsets, no images


def test_the_words_are_in_the_page_streams(demo_report):
    """No poppler needed: uncompressed, reportlab writes ASCII text as itself."""
    pdf = render_pdf(demo_report, compress=False)
    n = pages(pdf)
    for words in (*REGIMEN, "Adherence", "Sleep quality", "Mood", "Anxiety", "Pain", "Regimen changes",
                  "Before and after each change", f"page 1 of {n}", f"page {n} of {n}"):
        assert f"({words}".encode() in pdf or words.encode() in pdf, words
    for key in (rb"/Author \(medlog\)", rb"/Subject \(patient-reported data\)", rb"/Title \(Medication and"):
        assert re.search(key, pdf), key
    assert b"/Subtype /Image" not in pdf  # the charts are vector drawings


def test_the_text_reads_back_in_order(demo_report, tmp_path):
    text = text_of(render_pdf(demo_report), tmp_path)
    flat = " ".join(text.split())
    n = pages(render_pdf(demo_report))
    for words in (TITLE, *REGIMEN, "Adherence", "Sleep quality", "Mood", "Anxiety", "Pain",
                  "Period: 24 Aug–21 Nov 2026 (90 days)", FOOTER.format(page=1, pages=n),
                  "started Magnesium glycinate (200 mg, 21:30)", "Ask whether magnesium and gabapentin"):
        assert words in flat, words
    order = ["Regimen on", "Regimen changes", "Adherence", "Trends", "Before and after each change", "Symptoms",
             "For the clinician", "Data completeness"]
    at = [flat.index(title) for title in order]
    assert at == sorted(at)


def test_the_patient_name_with_accents_is_in_the_header(letter_report, tmp_path):
    assert "Patient: Zoë Ångström" in " ".join(text_of(render_pdf(letter_report), tmp_path).split())


def test_the_same_report_gives_the_same_bytes_even_in_another_process(demo_path, demo_report, tmp_path):
    first = render_pdf(demo_report)
    assert render_pdf(demo_report) == first
    out = tmp_path / "again.pdf"
    script = (
        "import sys\n"
        "from tests.reports.test_pdf import built, journal\n"
        "from medlog.reports.pdf import render_pdf\n"
        "open(sys.argv[2], 'wb').write(render_pdf(built(journal(sys.argv[1]))))\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": root}
    subprocess.run([sys.executable, "-c", script, demo_path, str(out)], check=True, env=env, cwd=root,
                   timeout=120)
    assert out.read_bytes() == first


@pytest.fixture(scope="module")
def unruly(demo_path, tmp_path_factory):
    """A copy of the demo with a flagged note and a question full of markup and characters Vera lacks."""
    path = str(tmp_path_factory.mktemp("unruly") / "demo.sqlite")
    shutil.copyfile(demo_path, path)
    j = journal(path)
    entries.add_note(j, NOTE, at=j.moment("2026-11-20 18:00"), flagged=True)
    entries.add_note(j, QUESTION, at=j.moment("2026-11-20 18:05"), question=True)
    return built(j)


def test_markup_arrows_greek_and_emoji_in_the_users_words_do_not_fail(unruly):
    assert any("😀" in n.text for n in unruly.flagged)
    pdf = render_pdf(unruly)
    assert pdf.startswith(b"%PDF") and 1 <= pages(pdf) <= 2


def test_the_users_words_read_back_verbatim(unruly, tmp_path):
    flat = " ".join(text_of(render_pdf(unruly), tmp_path).split())
    assert "Felt <b>odd</b> & dizzy" in flat  # escaped, not taken as markup
    assert "→" in flat and "ρ" in flat and "≈ 0.3" in flat and "café’s naïve" in flat  # Symbol, DejaVu, Vera
    assert "chart [grinning face]" in flat  # an emoji is named (test_pdf_scripts.py has the rest)
    assert "too fast? (≤ 2 weeks) <i>" in flat


@pytest.mark.parametrize("keys", [("mood",), ("sleep_quality", "mood", "anxiety", "pain", "energy")])
def test_one_chart_or_an_odd_number_of_charts(demo_path, keys):
    found = built(journal(demo_path), keys)
    assert [m.spec.key for m in found.metrics] == list(keys)
    pdf = render_pdf(found)
    assert pdf.startswith(b"%PDF") and 1 <= pages(pdf) <= 3
