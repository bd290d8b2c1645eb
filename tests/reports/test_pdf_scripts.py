"""Issue 16, item 15: the PDF report in every script. A Russian, Greek, Chinese or Japanese name, symptom or note
comes out readable, each character in a font that has it (pdf_fonts.py); an emoji is named in brackets; a
report in Latin letters alone reads and embeds Vera only, as before.

The report is made through `medlog report --format pdf -o FILE` on a real journal. Reading it back needs
poppler's pdftotext (and poppler-data's CMaps for the Chinese and Japanese); without pdftotext those checks skip,
and the font names in the file and the run-splitting tests below still run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from reportlab.pdfbase import pdfmetrics

import medlog
from medlog.reports import pdf_fonts as fonts
from medlog.reports.pdf import render_pdf

RUSSIAN, GREEK, CHINESE, JAPANESE = "головокружение", "ζάλη, πονοκέφαλος", "头晕", "めまい、頭痛"
NOTE = f"{GREEK} · {CHINESE} · {JAPANESE} 😴"
NAME = "Елена Yamada 山田"


def read_back(path) -> str:  # type: ignore[no-untyped-def]
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


@pytest.fixture
def scripts_pdf(medlog, cli_env, tmp_path):
    """A journal kept in four scripts (substance, symptoms, a flagged note, a metric's label, the patient's name),
    all typed at the command line, and its visit report as a PDF file."""
    config = os.path.join(cli_env["XDG_CONFIG_HOME"], "medlog")
    os.makedirs(config, exist_ok=True)
    with open(os.path.join(config, "config.toml"), "w", encoding="utf-8") as fh:
        fh.write(f'name = "{NAME}"\n')
    for args in (
        ("substance", "add", "Валериана", "--kind", "supplement", "--dose", "200 mg", "--schedule", "21:30",
         "--since", "2026-11-01"),
        ("substance", "add", "葛根湯", "--kind", "medication", "--dose", "2.5 g", "--schedule", "08:00",
         "--since", "2026-11-01"),
        ("take", "валериана", "--at", "2026-11-20 21:30"),
        ("symptom", RUSSIAN, "mild", "--at", "2026-11-20 22:00"),
        ("symptom", "ζάλη", "mild", "--at", "2026-11-19 22:00"),
        ("symptom", CHINESE, "moderate", "--at", "2026-11-18 22:00"),
        ("symptom", "めまい", "moderate", "--at", "2026-11-17 22:00"),
        ("note", NOTE, "--flag", "--at", "2026-11-20 08:00"),
        ("metric", "add", "dizziness", "--min", "0", "--max", "10", "--lower-is-better", "--integer", "--label",
         "Головокружение"),
        ("rate", "dizziness=4", "--day", "2026-11-19"),
        ("rate", "dizziness=6", "--day", "2026-11-20"),
    ):
        ran = medlog(*args)
        assert ran.code == 0, (args, ran.err)
    target = tmp_path / "visit.pdf"
    ran = medlog("report", "--format", "pdf", "--metric", "dizziness", "-o", str(target))
    assert ran.code == 0, ran.err
    return target


def test_russian_greek_chinese_and_japanese_read_back_and_the_emoji_is_named(scripts_pdf):
    flat = read_back(scripts_pdf)
    for words in ("Валериана", "葛根湯", RUSSIAN, "ζάλη", CHINESE, "めまい",  # regimen and symptom tables
                  f"20 Nov 2026: {GREEK} · {CHINESE} · {JAPANESE} [sleeping face]",  # the flagged note
                  "Головокружение · 0–10, lower is better",  # the chart's title, a drawing's string
                  f"Patient: {NAME}", f"{NAME} · 01 Nov–21 Nov 2026"):  # the header and the footer
        assert words in flat, words
    assert "😴" not in flat and "\ufffd" not in flat


def test_the_fonts_that_draw_them_are_in_the_file(scripts_pdf):
    """No poppler needed: DejaVu is embedded (a subset) in the faces used, the CJK fonts are named, not embedded."""
    named = set(re.findall(rb"/BaseFont /(?:[A-Z]{6}\+)?([\w-]+)", scripts_pdf.read_bytes()))
    # DejaVu in a table cell, the chart's title (bold) and the quoted note (oblique); Vera for the rest
    assert {b"DejaVuSans", b"DejaVuSans-Bold", b"DejaVuSans-Oblique", b"BitstreamVeraSans-Roman"} <= named
    assert {b"STSong-Light", b"HeiseiKakuGo-W5"} <= named  # named, for the viewer to supply
    assert scripts_pdf.read_bytes().count(b"/FontFile2") == 6  # embedded: Vera's three faces and DejaVu's, no more


def test_the_same_report_gives_the_same_bytes(scripts_pdf, medlog, tmp_path):
    again = tmp_path / "again.pdf"
    assert medlog("report", "--format", "pdf", "--metric", "dizziness", "-o", str(again)).code == 0
    assert again.read_bytes() == scripts_pdf.read_bytes()


def test_dejavu_is_read_from_medlogs_own_package(scripts_pdf):
    package = os.path.dirname(os.path.abspath(medlog.__file__))
    assert sorted(os.listdir(fonts.SHIPPED)) == ["DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans.ttf",
                                                 "LICENSE"]
    for face in fonts.WIDE.values():
        path = pdfmetrics.getFont(face).face.filename  # type: ignore[attr-defined]
        assert os.path.commonpath([os.path.abspath(path), package]) == package, path


def test_a_latin_report_embeds_vera_alone(demo_report):
    fonts.runs(RUSSIAN)  # even once DejaVu is loaded in this process
    fonts.runs(CHINESE)
    pdf = render_pdf(demo_report)
    assert b"DejaVu" not in pdf and b"STSong" not in pdf and b"Heisei" not in pdf
    assert b"BitstreamVeraSans" in pdf


R, B, IT = fonts.REGULAR, fonts.BOLD, fonts.ITALIC


@pytest.mark.parametrize(("text", "font", "expected"), [
    ("Escitalopram 10 mg", R, [(R, "Escitalopram 10 mg")]),
    ("Zoë Ångström, 5 mg ≤ 10 mg", R, [(R, "Zoë Ångström, 5 mg ≤ 10 mg")]),  # Vera has these
    ("5 mg → 10 mg", R, [(R, "5 mg "), ("Symbol", "→"), (R, " 10 mg")]),  # a sign: Symbol, as the report's own
    (RUSSIAN, R, [("DejaVuSans", RUSSIAN)]),
    (RUSSIAN, B, [("DejaVuSans-Bold", RUSSIAN)]),
    (RUSSIAN, IT, [("DejaVuSans-Oblique", RUSSIAN)]),
    ("ζάλη", R, [("DejaVuSans", "ζάλη")]),  # Greek letters, accented or not, in DejaVu (Symbol has no ά)
    ("Łódź", R, [(R, "Łód"), ("DejaVuSans", "ź")]),
    (CHINESE, R, [("STSong-Light", CHINESE)]),
    (JAPANESE, R, [("HeiseiKakuGo-W5", JAPANESE)]),  # kana in the word: its kanji in the Japanese face too
    ("10mgを飲んだ後、頭痛", R, [(R, "10mg"), ("HeiseiKakuGo-W5", "を飲んだ後、頭痛")]),
    (f"{CHINESE} {JAPANESE}", R, [("STSong-Light", CHINESE), (R, " "), ("HeiseiKakuGo-W5", JAPANESE)]),
    ("어지러움 頭痛이", R, [("HYSMyeongJo-Medium", "어지러움"), (R, " "), ("HYSMyeongJo-Medium", "頭痛이")]),
    ("slept 😴 badly", R, [(R, "slept [sleeping face] badly")]),
    ("👍🏽 ❤️ 🇯🇵", B, [(B, "[thumbs up sign] "), ("DejaVuSans-Bold", "❤"), (B, " [flag JP]")]),
    ("नमस्ते दुनिया", R, [(R, "[Devanagari text] [Devanagari text]")]),  # no font here has it
    ("שלום", R, [(R, "[Hebrew text]")]),  # right to left: not drawn backwards
    ("\ue000 a\u3000b", R, [(R, "[U+E000] a b")]),
])
def test_each_character_goes_to_the_first_font_that_has_it(text, font, expected):
    assert fonts.runs(text, font) == expected


def test_markup_escapes_and_sets_each_run_in_its_face():
    assert fonts.markup("a <b> & c") == "a &lt;b&gt; &amp; c"
    assert fonts.markup("é → ρ <ж> 😀\nb", fonts.ITALIC) == (
        'é <font face="Symbol">→</font> <font face="DejaVuSans-Oblique">ρ</font> &lt;'
        '<font face="DejaVuSans-Oblique">ж</font>&gt; [grinning face]<br/>b')


def test_widths_count_each_run_in_its_face():
    assert fonts.width(CHINESE, fonts.REGULAR, 10) == pytest.approx(20.0)  # two full-width characters
    assert fonts.width("a " + RUSSIAN, fonts.BOLD, 10) == pytest.approx(
        pdfmetrics.stringWidth("a ", fonts.BOLD, 10) + pdfmetrics.stringWidth(RUSSIAN, "DejaVuSans-Bold", 10))
    assert fonts.has_cjk(JAPANESE) and not fonts.has_cjk(RUSSIAN + " 😴")
