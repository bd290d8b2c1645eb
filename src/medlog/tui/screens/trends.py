"""Trends: a span of weeks. Per metric a chart of daily values with the 7-day mean and the regimen changes marked;
adherence as a heatmap (weeks × days); the symptoms; and before/after one chosen change, with its caveats.

Switching here is budgeted (docs/performance.md), so the first frame holds only what it shows: the title, a line of
tabs, the charts and the footer, built from widget types the app has already styled (a new type's CSS makes
Textual parse every stylesheet again). The charts' figures come first (one read); the weekly figures (symptoms,
adherence per substance) next; the other tabs are built when first opened; the list of every change and a
comparison (a bootstrap) only on the Before/after tab. Each read has its own channel, so moving the span never
waits for a comparison.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from medlog.analysis.changes import Change
from medlog.domain.errors import InputError, MedlogError
from medlog.services import trends
from medlog.services.trends import Daily, Trends
from medlog.tui.base import JournalScreen
from medlog.tui.charts import TextView, charts, heatmap, letter
from medlog.tui.widgets import literal

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from medlog.services.compare import CompareReport

SPANS = (4, 8, 12, 26)  # weeks; + and - step through them
DEFAULT_SPAN = 12
PICK_DELAY = 0.15  # seconds the cursor rests on a change before it is compared (holding ↓ starts no bootstraps)
TABS = (("trends-charts", "Charts", "c"), ("trends-adherence", "Adherence", "a"), ("trends-symptoms", "Symptoms", "s"),
        ("trends-compare", "Before/after", "b"))
EMPTY = ("Nothing rated in these weeks. Rate a day on Today (press 1) or with `medlog rate mood=6 sleep_quality=7`; "
         "the charts fill in as you go.")


class TrendsScreen(JournalScreen):
    BINDINGS = [
        Binding("left_square_bracket,comma", "week(1)", "Older", id="trends.older"),
        Binding("right_square_bracket,full_stop", "week(-1)", "Newer", id="trends.newer"),
        Binding("plus,equals_sign", "span(1)", "Longer", id="trends.longer"),
        Binding("minus", "span(-1)", "Shorter", id="trends.shorter"),
        Binding("t", "to_today", "To today", show=False, id="trends.today"),
        Binding("c", "tab('trends-charts')", "Charts", show=False, id="trends.charts"),
        Binding("a", "tab('trends-adherence')", "Adherence", show=False, id="trends.adherence"),
        Binding("s", "tab('trends-symptoms')", "Symptoms", show=False, id="trends.symptoms"),
        Binding("b", "tab('trends-compare')", "Before/after", id="trends.compare"),
    ]

    def __init__(self) -> None:
        super().__init__(id="trends")
        self.weeks = DEFAULT_SPAN
        self.back = 0  # weeks before today that the span ends
        self.daily: Daily | None = None
        self.weekly: Trends | None = None
        self.tab = "trends-charts"
        self.changes: list[Change] | None = None  # the changes to compare, newest first; read when Before/after opens
        self.every_change = False  # whether `changes` holds every change so far, or (at first) the span's only
        self.chosen: Change | None = None
        self.report: CompareReport | None = None
        self._pick: Timer | None = None
        self._built = False
        self._read_span()  # begun before the screen is built: the read and the building overlap

    def compose(self) -> ComposeResult:
        yield Static("", id="trends-title", markup=False)
        yield Static(self._tab_line(), id="trends-tabs")  # our own words: markup, for the clickable tabs
        with Vertical(id="trends-body"):
            yield TextView(id="trends-charts")
        # the footer comes after the charts (as on Today): its keys are many widgets, restyled as focus moves

    def on_mount(self) -> None:
        self._built = True  # not is_mounted: that is set only after Mount's handlers, and a read may land between
        self.query_one("#trends-charts").focus()
        if self.daily is not None:  # read before the screen was mounted
            self._show(self.daily)
        else:  # still reading, or the read failed before the screen was built
            self._title(*self._bounds(), loading=not self._failure, failed=bool(self._failure))
        self.set_timer(0.5, self._add_footer)  # in case the read is slow

    async def _add_footer(self) -> None:
        await self.add_footer()

    # The span ------------------------------------------------------------------------------------------------

    def _bounds(self) -> tuple[date, date]:
        end = self.journal.today() - timedelta(days=7 * self.back)
        return end - timedelta(days=7 * self.weeks - 1), end

    def refresh_data(self) -> None:
        self._title(*self._bounds(), loading=True)
        self._read_span()
        if self.query("#change-list"):  # the Before/after tab has been opened: what it shows may have changed too
            self._load_changes(again=True)

    def _read_span(self) -> None:
        since, end = self._bounds()
        journal = self.journal
        self.load(lambda: trends.daily(journal, since, end), self._show)

    def read_failed(self, error: MedlogError, channel: str) -> None:
        """Not "loading…" for ever: the title says the span could not be read (the notice says why)."""
        if channel == "load" and self._built:  # else on_mount says it
            self._title(*self._bounds(), failed=True)

    def _title(self, since: date, end: date, *, loading: bool = False, failed: bool = False) -> None:
        wait = " · loading…" if loading else " · could not be read" if failed else ""
        self.query_one("#trends-title", Static).update(
            f"Trends — {self.weeks} weeks to {self.day_words(end)}, from {self.day_words(since, 'weekday')}{wait}"
            f"{'':>4}[ ] week · + - span")

    def _show(self, daily: Daily) -> None:
        """The charts and the heatmap; then the weekly figures are read (symptoms, adherence per substance)."""
        self.daily = daily
        if not self._built:
            return  # on_mount shows it
        self._title(daily.since, daily.until)
        marks = self._marks()
        self.query_one("#trends-charts", TextView).show(charts(
            daily.specs, daily.days, daily.values, daily.rolling, [(marks[c], c.day, c.text) for c in daily.changes],
            EMPTY))
        self.call_after_refresh(self._add_footer)
        self._fill_adherence()
        if self.changes is not None:
            self._fill_changes()  # the letters follow the span
        journal, weeks, end = self.journal, self.weeks, daily.until
        self.load(lambda: trends.weekly(journal, weeks, end), self._show_weekly, channel="weekly")

    def _show_weekly(self, weekly: Trends) -> None:
        self.weekly = weekly
        self._fill_adherence()
        self._fill_symptoms()

    def _marks(self) -> dict[Change, str]:
        """Each change in the span and its letter on the charts (A = the oldest)."""
        return {} if self.daily is None else {c: letter(i) for i, c in enumerate(self.daily.changes)}

    def _fill_adherence(self) -> None:
        found = self.query("#trends-adherence")
        if self.daily is None or not found:
            return
        daily, weeks = self.daily, self.weeks
        totals = _totals(self.weekly) if self.weekly is not None and self.weekly.end == daily.until else ""

        def draw(width: int, styles) -> Text:
            if not daily.adherence:
                return Text("No scheduled doses in these weeks." + totals)
            return heatmap(daily.until, weeks, daily.adherence, styles).append(totals)

        found.first(TextView).show(draw)

    def _fill_symptoms(self) -> None:
        found = self.query("#trends-symptoms")
        if self.weekly is None or not found:
            return
        table: DataTable = found.first()  # type: ignore[assignment]
        table.clear()
        summary = []
        for name, weeks in self.weekly.symptoms.items():
            reports = sum(w.reports for w in weeks.values())
            mean = sum(w.mean_severity * w.reports for w in weeks.values()) / reports
            summary.append((name, reports, sum(w.days for w in weeks.values()), mean,
                            max(w.worst for w in weeks.values())))
        for name, reports, days, mean, worst in sorted(summary, key=lambda s: (-s[1], s[0].casefold())):
            table.add_row(literal(name), f"{reports:>7}", f"{days:>5}", f"{mean:>13.1f}", f"{worst:>5}")
        if not summary:
            table.add_row("No symptoms noted in", "these", "weeks", "", "")

    def action_week(self, step: int) -> None:
        back = max(0, self.back + step)
        if back == self.back:
            self.notify("The span already ends today.", timeout=3)
            return
        self.back = back
        self.refresh_data()

    def action_to_today(self) -> None:
        if self.back:
            self.back = 0
            self.refresh_data()

    def action_span(self, step: int) -> None:
        at = min(range(len(SPANS)), key=lambda i: abs(SPANS[i] - self.weeks))
        weeks = SPANS[max(0, min(len(SPANS) - 1, at + step))]
        if weeks != self.weeks:
            self.weeks = weeks
            self.refresh_data()

    # Tabs ------------------------------------------------------------------------------------------------------

    def _tab_line(self) -> str:
        return "   ".join(f"[@click=screen.tab('{pane}')]{'[reverse b]' if pane == self.tab else ''} {label} "
                           f"[dim]{key}[/dim] {'[/reverse b]' if pane == self.tab else ''}[/]"
                           for pane, label, key in TABS)

    async def action_tab(self, pane: str) -> None:
        """Show a tab (building it the first time) and give it the keys."""
        body = self.query_one("#trends-body")
        if not self.query(f"#{pane}"):
            await body.mount(self._build(pane))
            if pane == "trends-adherence":
                self._fill_adherence()
            elif pane == "trends-symptoms":
                self._fill_symptoms()
            elif pane == "trends-compare":
                self._open_compare()
        self.tab = pane
        for view in body.children:
            view.display = view.id == pane
        self.query_one("#trends-tabs", Static).update(self._tab_line())
        self.query_one("#change-list" if pane == "trends-compare" else f"#{pane}").focus()

    def _build(self, pane: str):
        from textual.widgets import DataTable, OptionList

        if pane == "trends-adherence":
            return TextView(id=pane)
        if pane == "trends-symptoms":
            table: DataTable[object] = DataTable(id=pane, cursor_type="row")
            for label, width in (("symptom", 24), ("reports", 7), ("days", 5), ("mean severity", 13), ("worst", 5)):
                table.add_column(label, width=width)
            return table
        listed = OptionList(id="change-list")
        listed.border_subtitle = "↑ ↓ choose a change · Tab: read on below"
        return Vertical(listed, TextView(id="comparison"), id=pane)

    # Before/after ----------------------------------------------------------------------------------------------

    def _open_compare(self) -> None:
        """The span's changes at once (the newest is compared first); every change of the journal is read after
        the first comparison, so that a long journal's list never holds up the first answer."""
        now = self.journal.now()
        early = [] if self.daily is None else [c for c in reversed(self.daily.changes) if c.at <= now]
        if early:
            self.changes = early
            self._fill_changes()  # the highlight compares, then _compared reads the rest
        else:
            self._load_changes()

    def _load_changes(self, *, again: bool = False) -> None:
        """`again`: after a write; the comparison shown is made again as well."""
        if self.changes is None:
            self.query_one("#comparison", TextView).show("Reading the regimen changes…")
        from medlog.services.compare import past_changes

        self.load(partial(past_changes, self.journal), partial(self._got_changes, again), channel="changes")

    def _got_changes(self, again: bool, found: list[Change]) -> None:
        self.changes, self.every_change = found, True
        self._fill_changes()
        if not found:
            self.query_one("#comparison", TextView).show(
                "No regimen changes yet: add a substance on Substances (press 2), or with `medlog substance add`.")
        elif again and self.chosen is not None:
            self._compare(self.chosen)

    def _fill_changes(self) -> None:
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        assert self.changes is not None
        marks = {_key(c): mark for c, mark in self._marks().items()}
        listed = self.query_one("#change-list", OptionList)
        listed.clear_options()
        for i, change in enumerate(self.changes):
            mark = marks.get(_key(change), " ")
            prompt = Text(f"{mark} {self.day_words(change.day)}  ", style=Style(bold=mark != " "))
            prompt.append(change.text)  # as written: a name may hold '[/b]'
            listed.add_option(Option(prompt, id=f"change-{i}"))
        if self.changes:
            chosen = None if self.chosen is None else _key(self.chosen)
            keys = [_key(c) for c in self.changes]
            listed.highlighted = keys.index(chosen) if chosen in keys else 0  # else the newest
            self.call_after_refresh(listed.scroll_to_highlight)

    def on_option_list_option_highlighted(self, event) -> None:
        if self.changes is None or event.option_index >= len(self.changes):
            return
        change = self.changes[event.option_index]
        if change == self.chosen and self.report is not None:
            return
        if self._pick is not None:
            self._pick.stop()
        self._pick = self.set_timer(PICK_DELAY, partial(self._compare, change))

    def on_option_list_option_selected(self, event) -> None:
        if self.changes is not None and event.option_index < len(self.changes):
            if self._pick is not None:
                self._pick.stop()
            self._compare(self.changes[event.option_index])

    def _compare(self, change: Change) -> None:
        self.chosen = change
        self.report = None
        self.query_one("#comparison", TextView).show(Text(f"Comparing the weeks around {change.text}…"))
        from medlog.tui.before_after import compare_around

        self.load(partial(compare_around, self.journal, change), self._compared, channel="compare")

    def _compared(self, result: CompareReport | InputError) -> None:
        if not self.every_change:
            self._load_changes()  # the first comparison is on screen: now the list of every change
        view = self.query_one("#comparison", TextView)
        if isinstance(result, InputError):
            view.show(str(result))
            self.notify(str(result), severity="error", timeout=8, markup=False)
            return
        from medlog.tui.before_after import describe_report

        self.report = result
        view.show(lambda width, styles: describe_report(result, width))


def _key(change: Change) -> tuple[str, object, str]:
    """A change, whichever read it came from (the span's, or the list of every one)."""
    return change.substance, change.at, change.kind


def _totals(found: Trends) -> str:
    """Per substance over the span, in the words of `medlog adherence`."""
    if not found.adherence.totals:
        return ""
    lines = [f"\n\nPer substance, {found.weeks} weeks", f"  {'substance':<22}{'sched':>6}{'on time':>8}{'late':>6}"
             f"{'skipped':>8}{'missed':>7}{'unlogged':>9}{'taken':>7}"]
    for name, t in found.adherence.totals:
        taken = "—" if t.percent is None else f"{t.percent:.0f}%"
        shown = name if len(name) <= 21 else name[:20] + "…"
        lines.append(f"  {shown:<22}{t.scheduled - t.pending:>6}{t.on_time:>8}{t.late:>6}{t.skipped:>8}"
                     f"{t.missed:>7}{t.unlogged:>9}{taken:>7}")
    return "\n".join(lines)
