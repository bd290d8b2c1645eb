"""Trends (key 4): charts per metric on the metric's own scale, the span and its keys, the adherence heatmap, the
symptoms, and before/after a chosen change with every caveat — on the demo journal and on small built ones."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.adherence import Tally
from medlog.domain.errors import InputError
from medlog.domain.metrics import MetricSpec
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import doses, entries, substances
from medlog.services.context import Journal
from medlog.services.demo.build import build_demo
from medlog.services.substances import NewSubstance
from medlog.tui.app import make_app
from tests.tui.conftest import EVENING, imported_at_startup, open_screen, settle
from tests.tui.conftest import until as wait_until


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> str:
    """The demo journal, built once: these tests only read it."""
    path = str(tmp_path_factory.mktemp("trends") / "demo.sqlite")
    build_demo(Journal(path, Settings(ZoneInfo("Europe/London")), FixedClock(EVENING)))
    return path


def demo(path: str) -> Journal:
    return Journal(path, Settings(ZoneInfo("Europe/London")), FixedClock(EVENING))


def title(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#trends-title").render())


def view(app, name: str) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(f"#{name}").text()


async def until(pilot, condition, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, condition, seconds, lambda app: app.screen.query_one('#trends-body').children)


def test_nothing_of_the_trends_screen_is_imported_at_startup():
    """The first paint is budgeted: the screen, its charts and compare come in only when 4 is pressed."""
    assert imported_at_startup("medlog.tui.screens.trends", "medlog.tui.charts", "medlog.tui.before_after",
                               "medlog.services.compare", "medlog.services.trends") == []


async def test_key_4_shows_a_chart_per_metric_on_its_own_scale(demo_path):
    app = make_app(demo(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "4")
        assert app.screen.id == "trends"
        assert title(app).startswith("Trends — 12 weeks to Sat 21 Nov 2026, from Sun 30 Aug")
        charts = view(app, "trends-charts")
        for label in ("Sleep hours  0–24 h, higher is better", "Sleep quality  0–10, higher is better",
                      "Mood  0–10, higher is better", "Anxiety  0–10, lower is better"):
            assert label in charts
        lines = charts.splitlines()
        assert lines[lines.index(next(x for x in lines if x.startswith("Sleep hours"))) + 1].startswith("24 ┤")
        assert "/84 days rated" in charts and "7-day mean" in charts
        assert any(ch in charts for ch in "⣀⠒⠉⡀")  # braille dots were drawn
        # each change in the span is marked on the axis and listed with its letter
        assert " A  Sat 10 Oct  started Magnesium glycinate" in charts
        assert " B  Sat 31 Oct  started Vitamin D3" in charts
        axis = next(x for x in lines if x.lstrip().startswith("└"))
        assert "A" in axis and "B" in axis and axis.index("A") < axis.index("B")
        assert app.screen.query("Footer")  # mounted after the charts


async def test_moving_the_week_and_changing_the_span(demo_path):
    app = make_app(demo(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "4")
        first = view(app, "trends-charts")
        await pilot.press("right_square_bracket")  # never past today
        await settle(pilot)
        assert "12 weeks to Sat 21 Nov 2026" in title(app)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "12 weeks to Sat 14 Nov 2026, from Sun 23 Aug" in title(app)
        assert app.screen.daily.until == date(2026, 11, 14)
        moved = view(app, "trends-charts")
        assert moved != first
        await pilot.press("minus")
        await settle(pilot)
        assert "8 weeks to Sat 14 Nov 2026, from Sun 20 Sep" in title(app)
        assert "/56 days rated" in view(app, "trends-charts")
        await pilot.press("plus", "plus", "plus")  # 12, 26, and no further
        await settle(pilot)
        assert "26 weeks to Sat 14 Nov 2026" in title(app)
        assert "/182 days rated" in view(app, "trends-charts")
        await pilot.press("t")
        await settle(pilot)
        assert "26 weeks to Sat 21 Nov 2026" in title(app)


@pytest.fixture
def dosed(tui_journal) -> Journal:
    """Escitalopram 08:00 and magnesium 21:30 from 1 Nov; a week of known outcomes before Saturday 21 Nov."""
    j = tui_journal
    doses.take(j, "esc", at=j.moment("2026-11-21 08:05"))  # today: the 21:30 dose is not due yet
    doses.take(j, "esc", at=j.moment("2026-11-20 08:05"))
    doses.take(j, "mag", at=j.moment("2026-11-20 21:35"))
    doses.take(j, "esc", at=j.moment("2026-11-19 08:10"))
    doses.skip(j, "mag", at=j.moment("2026-11-19 21:30"), reason="ran out")
    entries.add_note(j, "a day without doses", at=j.moment("2026-11-18 12:00"))  # logged, so both doses are missed
    entries.rate(j, ["mood=4"], day=date(2026, 11, 20))
    entries.symptom(j, "headache", 6, at=j.moment("2026-11-20 15:00"))
    entries.symptom(j, "headache", 2, at=j.moment("2026-11-19 15:00"))
    entries.symptom(j, "dizziness", 3, at=j.moment("2026-11-19 16:00"))
    return j


async def test_the_heatmap_shades_each_day_by_the_share_taken(dosed):
    app = make_app(dosed, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "4")
        await pilot.press("a")
        await until(pilot, lambda: "Per substance" in view(app, "trends-adherence"))
        heat = view(app, "trends-adherence")
        lines = heat.splitlines()
        assert lines[0].split() == ["week", "Su", "Mo", "Tu", "We", "Th", "Fr", "Sa", "taken"]
        # Sun–Tue nothing logged, Wed both missed, Thu one of two, Fri both, Sat the morning one (evening not due)
        assert "15 Nov–21 Nov ?? ?? ?? ×× ▒▒ ██ ██    57%" in lines
        before = next(x for x in lines if x.startswith("25 Oct–31 Oct"))  # before the regimen began: blank
        assert before.split() == ["25", "Oct–31", "Oct", "—"]
        assert "██ all taken" in heat and "?? nothing logged that day" in heat and "blank: nothing scheduled" in heat
        assert "Escitalopram" in heat and "Magnesium glycinate" in heat  # per substance, over the span
        await pilot.press("s")
        await settle(pilot)
        table = app.screen.query_one("#trends-symptoms")
        rows = [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [["headache", "2", "2", "4.0", "6"], ["dizziness", "1", "1", "3.0", "3"]]


async def test_before_after_magnesium_shows_each_verdict_with_its_sentence_and_every_caveat(demo_path):
    from medlog.services.compare import compare

    app = make_app(demo(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "4")
        await pilot.press("b")
        screen = app.screen
        await until(pilot, lambda: screen.every_change and screen.report is not None)
        texts = [c.text for c in screen.changes]
        assert texts[0].startswith("started Vitamin D3")  # the newest first; the first compared
        assert any(t.startswith("started Escitalopram") for t in texts)  # every change, not only the span's
        target = next(i for i, t in enumerate(texts) if t.startswith("started Magnesium glycinate"))
        listed = screen.query_one("#change-list")
        for _ in range(target):
            await pilot.press("down")
        assert listed.highlighted == target
        await pilot.press("enter")
        await until(pilot, lambda: screen.report is not None and screen.report.substance == "Magnesium glycinate")
        shown = view(app, "comparison")
        rows = {line.split("  ")[0]: line for line in shown.splitlines()}
        words = " ".join(shown.split())
        report = compare(demo(demo_path), "Magnesium glycinate", change_at=date(2026, 10, 10))
        verdicts = {m.spec.label: m.result.verdict for m in report.metrics}
        # the demo's sleep rose after magnesium, but with six weeks of ratings before, a trend could explain it
        assert verdicts["Sleep quality"] == "could be a trend" and verdicts["Mood"] == "no clear difference"
        for label in ("Sleep quality", "Mood"):
            assert rows[label].endswith(verdicts[label])
        assert all(" ".join(m.sentence.split()) in words for m in report.metrics)  # each verdict's own words
        assert "improved" not in words
        assert report.caveats and all(" ".join(c.split()) in words for c in report.caveats)
        assert "Other changes in these weeks" in words and "started Vitamin D3" in words
        assert "Sat 10 Oct 2026: started Magnesium glycinate" in shown
        for causal in ("caused", "because of", "due to"):
            assert causal not in words.lower()


async def test_a_compare_error_is_a_notification_not_a_crash(demo_path, monkeypatch):
    import medlog.tui.before_after as before_after

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise InputError("Magnesium glycinate has no regimen change on 2026-10-10")

    monkeypatch.setattr(before_after, "compare", refuse)
    app = make_app(demo(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "4")
        await pilot.press("b")
        await until(pilot, lambda: any("no regimen change" in str(n.message) for n in app._notifications))
        assert app.screen.id == "trends"
        assert "no regimen change on 2026-10-10" in view(app, "comparison")


async def test_an_empty_journal_says_so_on_every_tab(tmp_path):
    journal = Journal(str(tmp_path / "none.sqlite"), Settings(ZoneInfo("Europe/London")), FixedClock(EVENING))
    app = make_app(journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "4")
        assert "Nothing rated in these weeks" in view(app, "trends-charts")
        await pilot.press("a")
        await settle(pilot)
        assert "No scheduled doses in these weeks" in view(app, "trends-adherence")
        await pilot.press("s")
        await settle(pilot)
        assert "No symptoms noted" in str(app.screen.query_one("#trends-symptoms").get_row_at(0)[0])
        await pilot.press("b")
        await until(pilot, lambda: "No regimen changes yet" in view(app, "comparison"))


async def test_names_and_notes_are_never_markup(tui_journal):
    substances.add(tui_journal, NewSubstance("Odd [/b] name [bold]", "supplement", dose=parse_amount("1 capsule"),
                                             schedule=parse_schedule("09:00"),
                                             since=tui_journal.moment("2026-11-10 09:00")), source="tui")
    substances.change(tui_journal, "esc", dose=parse_amount("20 mg"), note="[/b] said the [red]doctor",
                      at=tui_journal.moment("2026-11-12 08:00", future=True))
    entries.symptom(tui_journal, "[/b]ache", 4, at=tui_journal.moment("2026-11-20 15:00"))
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "4")
        charts = view(app, "trends-charts")
        assert "started Odd [/b] name [bold]" in charts
        assert "[/b] said the [red]doctor" in charts
        await pilot.press("s")
        await settle(pilot)
        assert str(app.screen.query_one("#trends-symptoms").get_row_at(0)[0]) == "[/b]ache"
        await pilot.press("b")
        await until(pilot, lambda: app.screen.report is not None)
        assert "[/b] said the [red]doctor" in view(app, "comparison")  # the newest change, compared first
        await pilot.press("down")
        await until(pilot, lambda: app.screen.report is not None and app.screen.report.substance.startswith("Odd"))
        assert "started Odd [/b] name [bold]" in view(app, "comparison")


async def test_a_write_from_the_cli_redraws_the_charts(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "4")
        assert "Nothing rated in these weeks" in view(app, "trends-charts")
        entries.rate(tui_journal, ["mood=7"])  # as the CLI would, while the TUI is open
        app.refresh_journal()
        await until(pilot, lambda: "Mood  0–10" in view(app, "trends-charts"))
        assert "1/84 days rated" in view(app, "trends-charts")


# The drawing itself, without a terminal ----------------------------------------------------------------------

RATING = MetricSpec("mood", "Mood", Decimal(0), Decimal(10), True, integer=True)


def plot_rows(text: str) -> list[str]:
    return text.splitlines()[1:5]  # the title line, then four rows of dots


def test_a_chart_uses_the_metrics_scale_not_the_datas():
    from medlog.tui.charts import chart

    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(14)]
    flat = chart(RATING, days, {d: 5.0 for d in days}, [5.0] * 14, {}, width=40).plain
    rows = plot_rows(flat)
    assert rows[0].startswith("10 ┤") and rows[3].startswith(" 0 ┤")
    dotted = [i for i, row in enumerate(rows) if any("⠁" <= ch <= "⣿" for ch in row[4:])]
    assert dotted == [1] or dotted == [2]  # mid-height: a flat 5 of 10, not stretched to fill the chart
    high = plot_rows(chart(RATING, days, {d: 10.0 for d in days}, [10.0] * 14, {}, width=40).plain)
    assert any("⠁" <= ch <= "⣿" for ch in high[0][4:])


def test_a_chart_marks_changes_and_leaves_gaps_in_the_mean():
    from medlog.tui.charts import chart

    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(28)]
    rolling: list[float | None] = [None] * 6 + [6.0] * 22
    text = chart(RATING, days, {days[10]: 8.0}, rolling, {days[14]: "A"}, width=72).plain
    lines = text.splitlines()
    axis = lines[-1]
    column = axis.index("A")  # the change's letter on the axis, and a line above it where no dot is drawn
    assert all(line[column] == "│" or "⠁" <= line[column] <= "⣿" for line in lines[1:5])
    assert sum(line[column] == "│" for line in lines[1:5]) >= 3
    assert "7-day mean 6.0" in lines[0] and "1/28 days rated" in lines[0]
    assert all(line[4:14].strip() == "" for line in lines[1:5])  # the first six days: too thin for a mean


@pytest.mark.parametrize(("tally", "cell"), [
    (None, "  "),
    (Tally(scheduled=2, on_time=2), "██"),
    (Tally(scheduled=4, on_time=3, missed=1), "▓▓"),
    (Tally(scheduled=2, late=1, skipped=1), "▒▒"),
    (Tally(scheduled=3, on_time=1, missed=2), "░░"),
    (Tally(scheduled=2, missed=1, skipped=1), "××"),
    (Tally(scheduled=2, unlogged=2), "??"),
    (Tally(scheduled=1, pending=1), "··"),
])
def test_heat_cells(tally, cell):
    from medlog.tui.charts import heat_cell

    assert heat_cell(tally)[0] == cell
