"""The visit report as Markdown, for a patient-portal message: headings, pipe tables, quotes, sparklines, no HTML.

Built from real journals: the demo, and a copy of it with the user's own words full of Markdown and HTML, a
third change with a note, and a metric of the user's own rated in only some weeks.
"""

from __future__ import annotations

import re
import shutil

import pytest

from medlog.reports.markdown import BARS, render_markdown, sparkline
from medlog.reports.sections import TITLE, Table, header_lines, sections
from tests.reports.conftest import marked_report

NOTE = "*Not* bold, _not_ italic, `not code`, [not](a link) | and <b>no</b> HTML &amp; 2 < 3"
QUESTION = "# not a heading\n> not a quote\n1. not a list\n- not a bullet\n---"
CHANGE_NOTE = "Dr Lee | said so\nover two lines"
LABEL = "Focus_level *x*"

PIPE = re.compile(r"(?<!\\)\|")  # a cell boundary: a pipe not escaped


def cells(line: str) -> list[str]:
    assert line.startswith("| ") and line.endswith(" |"), line
    return [c.strip() for c in PIPE.split(line)[1:-1]]


def tables(text: str) -> list[list[str]]:
    """Each table's lines: runs of lines starting with a pipe."""
    found, run = [], []
    for line in text.split("\n"):
        if line.startswith("|"):
            run.append(line)
        elif run:
            found.append(run)
            run = []
    return found + ([run] if run else [])


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.fixture(scope="module")
def marked(demo_path, tmp_path_factory):
    """A copy of the demo with Markdown in a flagged note, a question, a change's note and a metric's label."""
    return marked_report(demo_path, str(tmp_path_factory.mktemp("marked")), note=NOTE, question=QUESTION,
                         change_note=CHANGE_NOTE, label=LABEL,
                         ratings=(("2026-08-25", 2), ("2026-10-01", 6), ("2026-10-02", 7), ("2026-11-18", 10)))


def test_title_header_and_every_section_in_order(demo_report):
    text = render_markdown(demo_report)
    lines = text.split("\n")
    assert lines[0] == f"# {TITLE}"
    assert [line[3:] for line in lines if line.startswith("## ")] == [s.title for s in sections(demo_report)]
    assert not any(line.startswith("#") for line in lines[1:] if not line.startswith(("# ", "## ")))
    head = header_lines(demo_report)
    for line in head[:-1]:
        assert line in lines
    assert f"*{head[-1]}*" in lines  # what kind of data this is, as small print


def test_tables_have_one_cell_per_column_and_right_aligned_figures(demo_report):
    text = render_markdown(demo_report)
    found = tables(text)
    laid = [b for s in sections(demo_report) for b in s.blocks if isinstance(b, Table)]
    assert len(found) == len(laid) == 9
    for lines, table in zip(found, laid, strict=True):
        widths = {len(cells(line)) for line in lines}
        assert widths == {len(table.headers)}
        assert cells(lines[1]) == ["---:" if n else "---" for n in table.numeric]
        assert len(lines) == 2 + len(table.rows)
        assert [unescape(c) for c in cells(lines[0])] == list(table.headers)
    adherence = next(t for t in found if t[0].startswith("| Scheduled doses |"))
    assert adherence[1] == "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    assert "| Escitalopram | 90 | 78 | 2 | 1 | 6 | 3 | 92% |" in adherence
    assert "**Medications · refill needed by Fri 27 Nov — Escitalopram, 6 tablets left, about 6 days**" in \
        text.split("\n") and "**Supplements**" in text.split("\n")  # the demo's escitalopram runs low (issue 20)


def test_a_sparkline_per_metric_with_a_character_a_week(demo_report):
    text = render_markdown(demo_report)
    weeks = len(demo_report.weeks)
    assert weeks == 13
    for series in demo_report.metrics:
        prefix = f"- {series.spec.label} ({series.spec.scale}): "
        line = next(line for line in text.split("\n") if line.startswith(prefix))
        rest = line[len(prefix):]
        spark, tail = rest[:weeks], rest[weeks:]
        assert len(spark) == weeks and set(spark) <= set(BARS)  # every week of the demo was rated
        means = [m for m in series.weekly if m is not None]
        assert tail == f" {means[0]:.1f} → {means[-1]:.1f}"
        # the bars follow the means: a higher week never has a lower bar
        for (a, m), (b, n) in zip(zip(spark, series.weekly, strict=True), zip(spark[1:], series.weekly[1:],
                                                                              strict=True), strict=False):
            assert (BARS.index(a) <= BARS.index(b)) if m <= n else (BARS.index(a) >= BARS.index(b))
    sleep = demo_report.metrics[0]
    assert sleep.spec.key == "sleep_quality"
    assert f"- Sleep quality (0–10, higher is better): {sparkline(sleep)} 4.8 → 8.1" in text


def test_a_week_without_a_rating_is_a_space_and_the_scale_is_the_metrics_own(marked):
    focus = marked.metrics[1]
    weekly = focus.weekly
    assert len(weekly) == 13 and sum(m is not None for m in weekly) == 3
    line = sparkline(focus)
    assert len(line) == len(marked.weeks)
    assert [c == " " for c in line] == [m is None for m in weekly]
    # 2 of 0–10 is low, 6.5 past the middle, 10 the top bar: the metric's scale, not the spread of its means
    assert line.replace(" ", "") == "▂▆█"
    text = render_markdown(marked)
    assert f"- Focus\\_level \\*x\\* (0–10, higher is better): {line} 2.0 → 10.0" in text.split("\n")


def test_the_users_words_cannot_change_the_formatting_or_break_a_table(marked):
    text = render_markdown(marked)
    lines = text.split("\n")
    # the flagged note: every mark escaped, read back it is the user's words
    note = next(line for line in lines if line.startswith("> 20 Nov 2026: "))
    assert unescape(note[2:]) == f"20 Nov 2026: {NOTE}"
    assert r"\*Not\* bold, \_not\_ italic, \`not code\`, \[not\](a link) \| and \<b>no\</b> HTML \&amp; 2 \< 3" in note
    # the question: its lines stay lines of the quote and none starts a heading, a quote, a list or a rule
    at = lines.index(r"> \# not a heading")
    assert lines[at:at + 5] == [r"> \# not a heading", r"> \> not a quote", r"> 1\. not a list",
                                r"> \- not a bullet", r"> \---"]
    # the change's note with a pipe and a line break stays in its row
    changes = next(t for t in tables(text) if t[0] == "| Mark | Date | Change | Note |")
    assert len(changes) == 2 + 3 and {len(cells(row)) for row in changes} == {4}
    row = next(r for r in changes if r.startswith("| C |"))
    assert cells(row)[3] == r"Dr Lee \| said so over two lines"
    # nothing a renderer would take for HTML
    assert not re.search(r"(?<!\\)<[A-Za-z/!?]", text)
    for found in tables(text):
        assert len({len(cells(line)) for line in found}) == 1


def test_the_cli_prints_the_markdown(medlog, demo_path, tmp_path):
    db = str(tmp_path / "journal.sqlite")
    shutil.copyfile(demo_path, db)
    ran = medlog("--db", db, "report", "--format", "md")
    assert ran.code == 0, ran.err
    assert ran.out.startswith(f"# {TITLE}\n\nPeriod: 24 Aug–21 Nov 2026 (90 days)")
    assert "\n## Trends\n\n- Sleep quality (0–10, higher is better): " in ran.out
    assert ran.out.endswith("Days rated: Sleep quality 81, Mood 81, Anxiety 81, Pain 71.\n")
    assert "<" not in ran.out


def test_figures_of_changes_that_cannot_be_separated_are_marked_beside_them(demo_report):
    """The demo's vitamin D starts inside magnesium's after window: magnesium's figures are of both changes,
    which the reader must see at the figure, not only in the small print under the table."""
    from medlog.reports.markdown import render_markdown

    text = render_markdown(demo_report)
    magnesium = text[text.index("A · started Magnesium glycinate"):text.index("B · started Vitamin D3")]
    rows = [line for line in magnesium.splitlines() if line.startswith("| Sleep quality") or line.startswith("| Mood")]
    assert rows and all("†" in row for row in rows)
    assert "*† Changes are of this and Vitamin D3 started" in text
