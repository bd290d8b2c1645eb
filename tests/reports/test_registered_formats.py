"""Every registered report format (services/formats.py: REPORT_FORMATS) renders the demo journal's visit report
as its kind of file, through the registry — the same path `medlog report` and the TUI's Report screen take."""

from __future__ import annotations

import re

import pytest

from medlog.services import report_file
from medlog.services.formats import REPORT_FORMATS


def _pdf(data: bytes) -> None:
    assert data[:5] == b"%PDF-" and data.rstrip().endswith(b"%%EOF")
    assert 1 <= len(re.findall(rb"/Type\s*/Page\b", data)) <= 3


def _html(data: bytes) -> None:
    text = data.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>") and "<svg" in text


def _markdown(data: bytes) -> None:
    text = data.decode("utf-8")
    assert text.startswith("# ") and "\n## Adherence" in text


KINDS = {"application/pdf": _pdf, "text/html": _html, "text/markdown": _markdown}  # by media type


def test_every_report_format_has_a_check_here():
    assert {form.media_type for form in REPORT_FORMATS.values()} <= set(KINDS), \
        "a new report format needs a check of its kind of file in KINDS"


@pytest.mark.parametrize("name", list(REPORT_FORMATS))
def test_every_report_format_renders_the_demo(demo_report, name):
    form = REPORT_FORMATS[name]
    data = report_file.render(demo_report, name)
    KINDS[form.media_type](data)
    for words in ("Escitalopram", "Magnesium glycinate", "Sleep quality"):
        assert words.encode() in data or form.media_type == "application/pdf"  # a PDF's text is compressed
    assert report_file.default_name(demo_report.header.until, name).endswith(f".{form.extension}")


def test_the_registry_order_is_the_default_first():
    assert next(iter(REPORT_FORMATS)) == "pdf"  # `medlog report` without --format, and the TUI's first choice
