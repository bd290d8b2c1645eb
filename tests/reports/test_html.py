"""The visit report as HTML: one self-contained, well-formed file that fetches nothing and runs nothing.

Built from real journals: the demo (two regimen changes, four charted metrics), and a copy of it with the user's
own words full of markup, a third change with a note, and a metric of the user's own.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from html.parser import HTMLParser

import pytest

from medlog.reports.html import SVG_NS, render_html
from medlog.reports.sections import TITLE, sections, span
from tests.reports.conftest import marked_report

NOTE = '<script>alert("x")</script> & <b>bold</b> | *stars* _under_'
QUESTION = "# not a heading\n> not a quote\n1. not a list"
CHANGE_NOTE = "Dr <i>Lee</i> | said so & *soon*"
LABEL = "Focus <b>&</b> *x*"

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "area", "base", "col", "embed", "source", "track"}


class Tree(HTMLParser):
    """Checks the tags balance (void elements and self-closed SVG elements aside) and collects what tests read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}  # tag -> texts of each such element
        self.capture: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))
        if tag in VOID:
            return
        self.stack.append(tag)
        self.capture.append((tag, []))

    def handle_startendtag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()
        opened, parts = self.capture.pop()
        self.text.setdefault(opened, []).append("".join(parts))
        if self.capture:
            self.capture[-1][1].extend(parts)

    def handle_data(self, data):
        if self.capture:
            self.capture[-1][1].append(data)


def parse(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert tree.errors == [] and tree.stack == [], (tree.errors, tree.stack)
    return tree


@pytest.fixture(scope="module")
def marked(demo_path, tmp_path_factory):
    """A copy of the demo with markup in a flagged note, a question, a change's note and a metric's label."""
    return marked_report(demo_path, str(tmp_path_factory.mktemp("marked")), note=NOTE, question=QUESTION,
                         change_note=CHANGE_NOTE, label=LABEL,
                         ratings=(("2026-10-01", 6), ("2026-10-02", 6), ("2026-11-18", 6)))


def test_the_page_is_well_formed_html5_with_a_title_naming_the_period(demo_report):
    page = render_html(demo_report)
    assert page.startswith("<!DOCTYPE html>\n")
    tree = parse(page)
    assert ("html", {"lang": "en"}) in tree.starts
    assert ("meta", {"charset": "utf-8"}) in tree.starts
    period = span(demo_report.header.since, demo_report.header.until)
    assert period == "24 Aug–21 Nov 2026"
    assert tree.text["title"][0] == f"{TITLE} · {period}"  # the page's <title> comes first; the charts' follow
    assert tree.text["h1"] == [TITLE]


def test_every_section_title_is_a_heading_in_order_and_the_header_lines_are_shown(demo_report):
    page = render_html(demo_report)
    tree = parse(page)
    titles = [s.title for s in sections(demo_report)]
    assert tree.text["h2"] == titles
    assert "Period: 24 Aug–21 Nov 2026 (90 days) · entries on 87 of 90 days" in tree.text["p"]


def test_one_chart_per_metric_with_each_change_lettered_and_named_for_screen_readers(demo_report):
    page = render_html(demo_report)
    tree = parse(page)
    svgs = [attrs for tag, attrs in tree.starts if tag == "svg"]
    assert len(svgs) == len(demo_report.metrics) == 4
    assert all(a["role"] == "img" and a["viewbox"] and a["aria-label"] for a in svgs)
    assert [a["aria-label"].split(".")[0] for a in svgs] == [
        "Sleep quality · 0–10, higher is better", "Mood · 0–10, higher is better",
        "Anxiety · 0–10, lower is better", "Pain · 0–10, lower is better"]
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == 4
    for chart, series in zip(charts, demo_report.metrics, strict=True):
        assert f"<title>{series.spec.label} · " in chart
        assert [m for m in re.findall(r'<text class="letter"[^>]*>([^<]*)</text>', chart)] == ["A", "B"]
        assert chart.count('class="mark"') == 2
        assert chart.count('<circle class="day"') == len(series.values)  # every rated day is a dot
        assert 'class="week"' in chart
    assert [c.mark for c in demo_report.changes] == ["A", "B"]


def test_tables_have_column_heads_captions_and_right_aligned_figures(demo_report):
    tree = parse(render_html(demo_report))
    heads = [attrs for tag, attrs in tree.starts if tag == "th"]
    assert heads and all(a.get("scope") == "col" for a in heads)
    assert tree.text["caption"] == ["Medications · refill needed by Fri 27 Nov — Escitalopram, 6 tablets left, "
                                    "about 6 days", "Supplements"]  # the demo's escitalopram runs low (issue 20)
    page = render_html(demo_report)
    adherence = re.search(r"<th scope=\"col\">Scheduled doses</th>.*?</table>", page, re.S).group(0)
    assert '<th scope="col" class="num">Due</th>' in adherence
    assert '<td>Escitalopram</td><td class="num">90</td>' in adherence


def test_nothing_is_fetched_and_nothing_runs(demo_report, marked):
    for page in (render_html(demo_report), render_html(marked)):
        lowered = page.lower()
        assert set(re.findall(r"https?://[^\s\"'<>)]*", lowered)) == {SVG_NS}
        for outside in ("src=", "url(", "href", "@import", "<link", "<script", "<iframe", "<object", "<img",
                        "javascript:", " on", "data:"):
            if outside == " on":  # no event handler attributes (onload=, onclick=, …)
                assert not re.search(r"<[^>]*\son[a-z]+\s*=", lowered)
                continue
            assert outside not in lowered, outside
        tree = parse(page)
        assert not any(tag == "script" for tag, _ in tree.starts)


def test_the_users_words_are_escaped_everywhere(marked):
    page = render_html(marked)
    tree = parse(page)
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    # read back as text, the words are the user's, verbatim
    quotes = tree.text["blockquote"]
    assert f"20 Nov 2026: {NOTE}" in quotes
    assert QUESTION in quotes
    cells = tree.text["td"]
    assert CHANGE_NOTE in cells
    assert any(title.startswith(LABEL) for title in tree.text["title"][1:])
    svgs = [attrs for tag, attrs in tree.starts if tag == "svg"]
    assert len(svgs) == 2 and svgs[1]["aria-label"].startswith(f"{LABEL} · 0–10")
    # the third change is lettered on both charts
    assert [c.mark for c in marked.changes] == ["A", "B", "C"]
    for chart in re.findall(r"<svg.*?</svg>", page, re.S):
        assert re.findall(r'<text class="letter"[^>]*>([^<]*)</text>', chart) == ["A", "B", "C"]


def test_the_page_is_sized_for_the_users_paper(demo_report):
    assert re.search(r"@page\s*\{\s*size:\s*A4;", render_html(demo_report))
    letter = demo_report._replace(header=demo_report.header._replace(page_size="letter"))
    page = render_html(letter)
    assert re.search(r"@page\s*\{\s*size:\s*letter;", page) and "size: A4" not in page


def test_it_prints_without_splitting_a_table_or_a_chart(demo_report):
    style = re.search(r"<style>(.*?)</style>", render_html(demo_report), re.S).group(1)
    assert re.search(r"\btable \{[^}]*break-inside: avoid", style)
    assert re.search(r"\.chart \{[^}]*break-inside: avoid", style)
    assert re.search(r"\bh2 \{[^}]*break-after: avoid", style)
    assert "@media print" in style


def test_a_chart_with_no_ratings_says_so(marked):
    empty = marked._replace(metrics=tuple(m._replace(values={}, weekly=(None,) * len(m.weekly))
                                          for m in marked.metrics))
    page = render_html(empty)
    parse(page)
    assert page.count("no ratings in this period") == 2 and "<circle" not in page and "<polyline" not in page


def test_the_cli_writes_the_html_to_a_private_file(medlog, demo_path, tmp_path):
    db = str(tmp_path / "journal.sqlite")
    shutil.copyfile(demo_path, db)
    target = str(tmp_path / "out" / "visit.html")
    os.makedirs(os.path.dirname(target))
    ran = medlog("--db", db, "report", "--format", "html", "-o", target)
    assert ran.code == 0, ran.err
    assert ran.out == "" and "Wrote the visit report (24 Aug–21 Nov 2026)" in ran.err
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    with open(target, encoding="utf-8") as fh:
        page = fh.read()
    tree = parse(page)
    assert tree.text["h2"][0] == "Regimen on Sat 21 Nov 2026" and page.count("<svg") == 4
