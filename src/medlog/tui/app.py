"""The medlog terminal UI: six screens (modes), a help screen, the command palette, and live refresh.

Built by `make_app(journal)` for the CLI and for tests alike. The app paints first and loads in workers.
"""

from __future__ import annotations

import os

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.filter import LineFilter

from medlog.domain.errors import MedlogError
from medlog.services.context import Journal
from medlog.tui.base import JournalScreen
from medlog.tui.day_read import FirstRead
from medlog.tui.neutral import Neutral
from medlog.tui.screens.today import TodayScreen

WATCH_SECONDS = 1.0  # how often to ask SQLite whether another process (the CLI) wrote


# What is not on the first screen is imported when first used: the first paint is budgeted (docs/performance.md).
def _substances_screen():
    from medlog.tui.screens.substances import SubstancesScreen

    return SubstancesScreen()


def _history_screen():
    from medlog.tui.screens.history import HistoryScreen

    return HistoryScreen()


def _trends_screen():
    from medlog.tui.screens.trends import TrendsScreen

    return TrendsScreen()


def _report_screen():
    from medlog.tui.screens.report import ReportScreen

    return ReportScreen()


def _experiments_screen():
    from medlog.tui.screens.experiments import ExperimentsScreen

    return ExperimentsScreen()


def _journal_commands():
    from medlog.tui.commands import JournalCommands

    return JournalCommands


class MedlogApp(App[None]):
    TITLE = "medlog"
    CSS_PATH = "app.tcss"
    # Today is the default screen, and becomes a mode once shown (on_mount): Textual restyles the whole app when
    # it first shows a mode's screen (~40 ms of the first paint, for nothing), but not for the default screen.
    MODES = {"substances": _substances_screen, "history": _history_screen, "trends": _trends_screen,
             "report": _report_screen, "experiments": _experiments_screen}
    DEFAULT_MODE = "today"
    COMMANDS = App.COMMANDS | {_journal_commands}
    BINDINGS = [
        # The footer shows a few keys (each is a widget: the first paint is budgeted); help (?) lists them all.
        Binding("1", "switch_mode('today')", "Today", show=False, id="app.today"),
        Binding("2", "switch_mode('substances')", "Substances", show=False, id="app.substances"),
        Binding("3", "switch_mode('history')", "History", show=False, id="app.history"),
        Binding("4", "switch_mode('trends')", "Trends", show=False, id="app.trends"),
        Binding("5", "switch_mode('report')", "Report", show=False, id="app.report"),
        Binding("6", "switch_mode('experiments')", "Experiments", show=False, id="app.experiments"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", show=False, id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_now"),
    ]

    def __init__(self, journal: Journal, *, watch: bool = True, watch_seconds: float = WATCH_SECONDS,
                 first_read: FirstRead | None = None) -> None:
        super().__init__()
        self.journal = journal
        self.first_read = first_read  # today, being read: the Today screen takes it for its first frame
        self.journal_seen = os.path.exists(journal.path)  # one that then vanishes is said to be gone, not empty
        journal.must_exist = self.journal_seen  # and a write then never makes a new, empty one in its place
        self.read_failure: str | None = None  # the notice up for a failed read (JournalScreen: said once)
        self._watch_failed = False
        self.watching = watch
        self.watch_seconds = watch_seconds
        self.substance_names: list[str] = []
        self.crash: BaseException | None = None  # an unhandled error: the CLI logs it and exits non-zero
        self._neutral = Neutral()

    def get_line_filters(self) -> list[LineFilter]:
        """Textual's filters (NO_COLOR's monochrome, dimming), then the escape of stored control characters."""
        return [*super().get_line_filters(), self._neutral]

    def _handle_exception(self, error: Exception) -> None:
        """Textual's handler (the return code 1, the error kept for Pilot), without its pages of traceback on the
        terminal: the CLI says one line and writes the traceback to a log file (cli/tui.py)."""
        self.crash = error
        super()._handle_exception(error)
        self._exit_renderables.clear()

    def get_default_screen(self) -> TodayScreen:
        return TodayScreen()

    def on_mount(self) -> None:
        self.add_mode("today", TodayScreen)  # its stack exists already: this only lets switch_mode('today') in

    def on_ready(self) -> None:
        """Textual's Ready: the first frame is on screen. The rest of the first screen, watching, names."""
        if self.watching:
            from medlog.services.day import Watcher

            self.watcher = Watcher(self.journal)
            self.set_interval(self.watch_seconds, self._check_for_changes)
        self.set_timer(0.5, self._load_names)  # only the palette needs the names
        today = self.get_screen_stack("today")[0]
        assert isinstance(today, TodayScreen)
        # Through the screen's own queue: Ready can arrive before the frame it announces has been written.
        today.call_after_refresh(today.after_first_frame)

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _check_for_changes(self) -> None:
        try:
            changed = self.watcher.changed()
        except MedlogError:  # damaged, or unreadable: the screens read again (once) and say what is wrong
            changed, self._watch_failed = not self._watch_failed, True
        else:
            self._watch_failed = False
        if changed:
            self.call_from_thread(self.refresh_journal)

    def refresh_journal(self) -> None:
        """Another process wrote: the screens on show load again; those of other modes, when next shown."""
        showing = set(map(id, self.screen_stack))
        for mode in ("today", *self.MODES):
            try:
                stack = self.get_screen_stack(mode)
            except KeyError:
                continue  # a mode not visited yet: its screen reads fresh when it is first made
            for screen in stack:
                if isinstance(screen, JournalScreen):
                    screen.journal_changed(on_show=id(screen) in showing)
        self._load_names()

    @work(thread=True, exclusive=True, group="names", exit_on_error=False)
    def _load_names(self) -> None:
        from medlog.services.day import active_substances

        self.call_from_thread(setattr, self, "substance_names", active_substances(self.journal))

    def action_help(self) -> None:
        from medlog.tui.screens.help import HelpScreen

        sections = {"Everywhere": [b for b in self.BINDINGS if isinstance(b, Binding)]}
        screen_bindings = [b for b in getattr(self.screen, "BINDINGS", []) if isinstance(b, Binding)]
        if screen_bindings:
            sections[f"On this screen ({self.current_mode})"] = screen_bindings
        self.push_screen(HelpScreen(sections))

    def action_go_to_day(self) -> None:
        self.switch_mode("today")
        self.call_after_refresh(self.screen.action_go_to)  # type: ignore[attr-defined]

    def action_export_report(self) -> None:
        """The palette's 'export report': the Report screen, its Export button focused."""
        self.switch_mode("report")
        self.call_after_refresh(lambda: self.screen.focus_export())  # type: ignore[attr-defined]

    def action_log_substance(self, name: str) -> None:
        self.switch_mode("today")
        self.call_after_refresh(self.screen.take_dialog, name)  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        if self.watching:
            self.watcher.close()


def make_app(journal: Journal, *, watch: bool = True, watch_seconds: float = WATCH_SECONDS,
             first_read: FirstRead | None = None) -> MedlogApp:
    """The app, for the CLI and for tests alike (tests pass a journal with a fixed clock). `first_read`: today's
    read, begun before Textual was imported (cli/tui.py); else it begins here."""
    return MedlogApp(journal, watch=watch, watch_seconds=watch_seconds,
                     first_read=first_read if first_read is not None else FirstRead(journal))
