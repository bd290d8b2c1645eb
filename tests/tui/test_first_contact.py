"""First contact (issue 16, item 21): a new journal says what to do first; a screen whose read is under way says
it is loading, never "none yet"; an unrated metric shows no scale that reads as a value; and at 80 columns every
metric's label stays distinguishable from the others."""

from __future__ import annotations

import threading
from zoneinfo import ZoneInfo

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import metrics, substances
from medlog.services.context import Journal
from medlog.services.substances import NewSubstance
from medlog.tui.app import make_app
from medlog.tui.widgets import DoseTable
from tests.tui.conftest import EVENING, settle, until


def new_journal(tmp_path) -> Journal:  # type: ignore[no-untyped-def]
    """No file yet: the journal of someone opening medlog for the first time."""
    return Journal(str(tmp_path / "journal.sqlite"), Settings(ZoneInfo("Europe/London")), FixedClock(EVENING))


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows, as plain text (the compositor's lines, as a real terminal would get them)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


class Held:
    """A read that waits until released: the screen as it is while a slow disk (or a busy machine) reads."""

    def __init__(self, read) -> None:  # type: ignore[no-untyped-def]
        self.read, self.started, self.go = read, threading.Event(), threading.Event()

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.started.set()
        assert self.go.wait(10), "the test never released the read"
        return self.read(*args, **kwargs)


async def started(pilot, held: Held) -> None:  # type: ignore[no-untyped-def]
    """Wait (without waiting on the workers, one of which is held) until the held read has begun, and a little
    more: long enough for the screen to paint whatever it paints while it waits."""
    for _ in range(100):
        if held.started.is_set():
            break
        await pilot.pause(0.05)
    assert held.started.is_set(), "the read never began"
    await pilot.pause(0.3)


async def test_a_new_journal_says_what_to_do_first_and_not_before_it_has_read(tmp_path, monkeypatch):
    from medlog.tui import day_read

    journal = new_journal(tmp_path)
    held = Held(day_read.read_day)  # the first read too: it is the one the first frame waits for
    monkeypatch.setattr(day_read, "read_day", held)
    app = make_app(journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, held)
        # The read is held all along: the first frame waits for it a moment (FIRST_READ_WAIT), then the screen
        # says it is loading, and whatever it shows meanwhile is never "no substances yet".
        for _ in range(100):
            if "Loading…" in screen_text(app):
                break
            await pilot.pause(0.05)
        hint = app.screen.query_one("#first-step")
        assert not hint.display  # an empty journal is not known yet: the read is under way
        assert "No substances yet" not in screen_text(app)
        assert "Loading…" in screen_text(app)
        assert "Nothing logged" not in screen_text(app)
        assert not held.go.is_set()
        held.go.set()
        await until(pilot, lambda: hint.display, shown=screen_text)
        shown = screen_text(app)
        assert "No substances yet. Press 2 for Substances, then a to add your first medicine" in shown
        assert not app.screen.query_one(DoseTable).display  # no empty checklist under it
        assert "due    substance" not in shown

        substances.add(journal, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                                             schedule=parse_schedule("08:00"),
                                             since=journal.moment("2026-11-01 08:00")), source="cli")
        app.screen.refresh_data()  # as the watcher does when the CLI writes
        await until(pilot, lambda: not hint.display, shown=screen_text)
        assert app.screen.query_one(DoseTable).display
        assert "○  08:00  Escitalopram" in screen_text(app)
        assert "No substances yet" not in screen_text(app)


async def test_the_journal_the_cli_creates_while_the_tui_is_open_is_noticed(tmp_path):
    """The first write to a new journal may come from the command line: the file did not exist when the TUI
    opened, so the watcher had nothing to compare with, and it must still say the journal changed."""
    journal = new_journal(tmp_path)
    app = make_app(journal, watch=True, watch_seconds=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        hint = app.screen.query_one("#first-step")
        await until(pilot, lambda: hint.display, shown=screen_text)
        substances.add(journal, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                                             schedule=parse_schedule("08:00"),
                                             since=journal.moment("2026-11-01 08:00")), source="cli")
        await until(pilot, lambda: "○  08:00  Escitalopram" in screen_text(app), shown=screen_text)
        assert not hint.display


async def test_substances_say_loading_until_read_and_none_yet_only_when_there_are_none(tmp_path, monkeypatch):
    journal = new_journal(tmp_path)
    held = Held(substances.list_substances)
    monkeypatch.setattr(substances, "list_substances", held)
    app = make_app(journal, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:  # wider than 80, the table is laid out before the read
        await settle(pilot)
        await pilot.press("2")
        await started(pilot, held)
        assert "No substances yet" not in screen_text(app)
        assert "Loading…" in screen_text(app)
        held.go.set()
        await until(pilot, lambda: "No substances yet — press a to add one." in screen_text(app),
                    shown=screen_text)
        assert "Loading…" not in screen_text(app)


async def test_substances_go_from_loading_to_the_list_without_a_false_empty(tui_journal, monkeypatch):
    held = Held(substances.list_substances)
    monkeypatch.setattr(substances, "list_substances", held)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await started(pilot, held)
        assert "No substances yet" not in screen_text(app)
        assert "Loading…" in screen_text(app)
        held.go.set()
        await until(pilot, lambda: "Escitalopram — history" in screen_text(app), shown=screen_text)
        assert app.screen.query_one("#substance-table").row_count == 3
        assert "Loading…" not in screen_text(app) and "No substances yet" not in screen_text(app)


async def test_experiments_say_loading_until_read(tui_journal, monkeypatch):
    from medlog.services import experiments

    held = Held(experiments.overview)
    monkeypatch.setattr(experiments, "overview", held)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await started(pilot, held)
        assert "No experiments yet" not in screen_text(app)
        assert "Loading…" in screen_text(app)
        held.go.set()
        await until(pilot, lambda: "No experiments yet" in screen_text(app), shown=screen_text)


async def test_history_says_loading_until_its_page_is_read(tui_journal, monkeypatch):
    from medlog.services import history

    held = Held(history.log)
    monkeypatch.setattr(history, "log", held)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await started(pilot, held)
        assert "· loading…" in screen_text(app)
        held.go.set()
        await until(pilot, lambda: "Nothing in these two weeks." in screen_text(app), shown=screen_text)
        assert "loading" not in screen_text(app)


async def test_an_unrated_metric_shows_a_dash_not_its_scale(tui_journal):
    from medlog.services import entries

    entries.rate(tui_journal, ["mood=6"], source="cli")
    for size in ((80, 24), (120, 40)):
        app = make_app(tui_journal, watch=False)
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda app=app: app.screen.query_one("#rate-mood").value == "6", shown=screen_text)
            panel = app.screen.query_one("#ratings")
            shown = "\n".join(line for line in screen_text(app).splitlines()[:20] if "Sleep" in line or "Pain" in line)
            assert "0–10" not in shown and "0–24" not in shown, shown  # no scale where a value would be
            for key in ("sleep_hours", "sleep_quality", "anxiety", "pain", "energy"):
                field = app.screen.query_one(f"#rate-{key}")
                assert (field.value, field.placeholder) == ("", "—")
            assert "— not rated yet" in str(app.screen.query_one("#rating-hint").render())
            await pilot.press("r")  # the scale is spelled out, as a scale, for the metric being rated
            assert "Sleep hours: 0–24 h, higher is better" in str(app.screen.query_one("#rating-hint").render())
            assert panel.query_one("#rate-sleep_hours").placeholder == "—"


async def test_at_80_columns_sleep_quality_is_not_cut_to_sleep(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Sleep quality" in shown and "Sleep hours" in shown, shown
        labels = [str(label.render()) for label in app.screen.query("#ratings Label")]
        assert labels == ["Sleep hours", "Sleep quality", "Mood", "Anxiety", "Pain", "Energy"]


async def test_at_80_columns_long_labels_of_your_own_stay_apart(tui_journal):
    for key, label in (("stiff_am", "Morning stiffness level"), ("stiff_min", "Morning stiffness duration"),
                       ("knee_l", "Knee pain, left side, after walking"),
                       ("knee_r", "Knee pain, right side, after walking"), ("pain_again", "Pain")):
        metrics.add(tui_journal, key, min_text="0", max_text="10", higher_is_better=False, integer=True,
                    label=label)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: len(app.screen.query("#ratings Label")) == 11, shown=screen_text)
        await settle(pilot)
        labels = [str(label.render()) for label in app.screen.query("#ratings Label")]
        assert len(set(labels)) == len(labels), labels
        shown = screen_text(app)
        for label in labels:
            assert label in shown, (label, shown)  # drawn whole, not cut again by the layout


def test_short_labels_never_read_alike():
    from rich.cells import cell_len

    from medlog.tui.widgets import short_labels

    assert short_labels(["Sleep hours", "Sleep quality"], 13) == ["Sleep hours", "Sleep quality"]
    assert short_labels(["Sleep hours", "Sleep quality"], 8) == ["Sleep h…", "Sleep q…"]
    level, duration = short_labels(["Morning stiffness level", "Morning stiffness duration"], 15)
    assert level != duration and level.endswith("level") and duration.endswith("duration")
    assert len(set(short_labels(["Pain", "Pain", "Pain (knee)"], 6))) == 3  # the same label twice: numbered
    for width in range(4, 30):
        labels = ["Knee pain, left side, after walking", "Knee pain, right side, after walking",
                  "Knee pain, left side, at rest", "Sleep quality", "Sleep hours", "Mood", "Mood swings",
                  "疼痛 左膝", "疼痛 右膝"]
        shown = short_labels(labels, width)
        assert len(set(shown)) == len(shown), (width, shown)
        assert all(cell_len(text) <= width for text in shown), (width, shown)
