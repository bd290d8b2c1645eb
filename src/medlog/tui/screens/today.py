"""Today: the journal day's doses as a checklist, ratings, symptoms and notes; move between days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from medlog.domain.adherence import due_instant
from medlog.domain.day import DayView, Slot
from medlog.domain.errors import MedlogError
from medlog.domain.humanize import day_text
from medlog.domain.metrics import BUILTIN_METRICS, parse_severity
from medlog.domain.text import clean_name, clean_note
from medlog.domain.timeparse import When
from medlog.domain.units import parse_amount
from medlog.domain.zones import zone_named
from medlog.services import doses, entries
from medlog.tui import day_read
from medlog.tui.base import JournalScreen, if_answered
from medlog.tui.day_read import Due
from medlog.tui.modals import lazy_forms
from medlog.tui.widgets import DoseTable, RatingsPanel, as_needed_line

if TYPE_CHECKING:
    from medlog.services.marks import Words
    from medlog.tui.modals.forms import Field

forms = lazy_forms()
DUE_TICK_SECONDS = 60.0  # a slot turns due, then overdue, as the clock moves: today is read again this often
FIRST_READ_WAIT = 0.1  # at most this long the first frame waits for today's first read (normally long done)

FIRST_STEP = ("No substances yet. Press [b]2[/b] for Substances, then [b]a[/b] to add your first medicine or "
              "supplement — or press [b]r[/b] to rate the day below.")


class TodayScreen(JournalScreen):
    BINDINGS = [
        Binding("left,[", "day(-1)", "Prev day", show=False, id="today.prev"),
        Binding("right,]", "day(1)", "Next day", show=False, id="today.next"),
        Binding("t", "go_today", "Today", show=False, id="today.today"),
        Binding("g", "go_to", "Go to…", show=False, id="today.goto"),
        Binding("enter,space", "take", "Taken", id="today.take"),
        Binding("T", "take_at", "Taken at…", show=False, id="today.take_at"),
        Binding("s", "skip", "Skip", id="today.skip"),
        Binding("z", "snooze", "Snooze 30 min", show=False, id="today.snooze"),
        Binding("a", "as_needed", "As needed", id="today.as_needed"),
        Binding("r", "rate", "Rate", id="today.rate"),
        Binding("y", "symptom", "Symptom", id="today.symptom"),
        Binding("n", "note", "Note", id="today.note"),
    ]

    def __init__(self) -> None:
        super().__init__(id="today")
        self.day: date | None = None
        self.view: DayView | None = None
        self._settled = False  # after_first_frame has run: the screen has all its parts
        self.due: Due = {}
        self.words: Words | None = None  # today's doses in words (services/marks.py), after the first frame
        self._framed = False  # the first frame is on screen: pendulum may be imported now

    def compose(self) -> ComposeResult:
        yield Static("", id="day-title")
        with Vertical(id="doses-box"):
            yield DoseTable(id="doses")
            yield Static("", id="as-needed", markup=False)  # user text is shown as written, never as markup
            # A new journal: what to do first, in place of an empty checklist. Shown only once a read has found
            # no substance at all, never while the first read is under way.
            yield Static(FIRST_STEP, id="first-step")
        yield Static("", id="refills", markup=False)  # "refill needed by …": read after the first frame
        # below: ratings and the day's log, mounted just after the first frame (_rest_of_screen)

    def on_mount(self) -> None:
        """Today's doses go into the first frame: the app's first read (day_read.FirstRead) began before Textual
        was imported, and is normally done by now. If it is not, the screen says it is loading until it is."""
        self.day = self.journal.today()
        self.query_one("#day-title", Static).update(self._title())
        first, self.app.first_read = self.app.first_read, None  # type: ignore[attr-defined]
        if first is None or first.day != self.day:
            return  # read after the first frame (after_first_frame)
        if not first.ready(FIRST_READ_WAIT):
            self.load(first.result, self._show)  # the same read, shown when it ends
            return
        try:
            view, due = first.result()
        except MedlogError as exc:
            self._failed("load", exc)
            return
        self.view, self.due = view, due
        self._show_doses(view, due, same_day=False)

    async def after_first_frame(self) -> None:
        """After the first frame (the app calls this on Textual's Ready): the rest of the screen, then today's
        doses in words, whose pendulum import must not delay the first frame."""
        await self._rest_of_screen()
        self._framed = True
        self._ask_words()

    async def _rest_of_screen(self) -> None:
        """The checklist is on screen (the app calls this on Textual's Ready): now the rest, and read if the
        first frame did not.

        Not from on_mount with call_after_refresh: the app mounts inside a batch, where Textual runs those
        callbacks at once, so the first frame would wait for the ratings panel and the footer.
        """
        waiting = "" if self._failure else "Loading…"  # a failed first read says so above, and waits no more
        await self.mount(Vertical(RatingsPanel(list(BUILTIN_METRICS), id="ratings"),
                                  Static(waiting, id="day-log", markup=False), id="lower"))
        await self.add_footer()
        if self.view is not None:
            await self._show_lower(self.view, same_day=False)
        elif not self._reads_started and not self._failure:
            self.reload()
        self.set_interval(DUE_TICK_SECONDS, self._tick)
        self._settled = True

    # -- reading -------------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.query_one("#day-title", Static).update(self._title())
        day, journal = self.day, self.journal
        assert day is not None
        self.load(lambda: day_read.read_day(journal, day), self._show)

    def _tick(self) -> None:
        # Also while due marks are shown on a day that has just become yesterday (the rollover): they go.
        if self.is_current and self.view is not None and (self.day == self.journal.today() or self.due):
            self.reload()

    async def _show(self, read: tuple[DayView, Due]) -> None:
        view, due = read
        if view.day != self.day:
            return  # the user has moved on to another day meanwhile
        same_day = self.view is not None and self.view.day == view.day
        self.view, self.due = view, due
        self._show_doses(view, due, same_day=same_day)
        if self.query("#ratings"):  # the lower part is mounted (else after_first_frame fills it)
            await self._show_lower(view, same_day=same_day)

    def _show_doses(self, view: DayView, due: Due, *, same_day: bool) -> None:
        """The checklist (or, for a new journal, what to do first): what the first frame shows."""
        for failed in self.query("#read-failed"):
            failed.display = False
        zone = self.journal.settings.zone
        table = self.query_one(DoseTable)
        table.show(view, lambda at: at.astimezone(zone), due, keep_cursor=same_day)
        new_journal = view.substances == 0
        self.query_one("#first-step", Static).display = new_journal
        table.display = not new_journal  # its keys stay: they are the screen's, and say what to do with no dose
        if not new_journal and self.focused is None:  # the first substance has come (hidden, it lost the focus)
            table.focus()
        line = self.query_one("#as-needed", Static)
        line.update(as_needed_line(view.as_needed, self.words.as_needed if same_day and self.words else {}))
        self._ask_words()  # "due in 25 minutes", "last taken 3 days ago": in a worker, after the first frame
        line.display = not new_journal
        if view.day != self.journal.today():
            self.query_one("#refills", Static).display = False

    async def _show_lower(self, view: DayView, *, same_day: bool) -> None:
        await self.query_one(RatingsPanel).show(view.ratings, view.metrics, keep_edits=same_day)
        self.query_one("#day-log", Static).update(self._day_log(view))

    def read_failed(self, error: MedlogError, channel: str) -> None:
        """Not an empty day: the checklist's place says the journal could not be read, and why."""
        said = (f"The journal could not be read: {error}.\nWhat is shown below (if anything) was read before. "
                "Press t to try again.")
        if self.query("#read-failed"):  # mounted on the first failure, above what was read (not in the first frame)
            self.query_one("#read-failed", Static).update(said)
        else:
            self.query_one("#doses-box").mount(Static(said, id="read-failed", markup=False), before=0)
        self.query_one("#read-failed").display = True
        self.query_one("#first-step", Static).display = False
        if self.view is None:  # nothing was ever read: no empty checklist, no "Loading…" that never ends
            self.query_one(DoseTable).display = False
            for log in self.query("#day-log").results(Static):
                log.update("")

    def _ask_words(self) -> None:
        """Today's open doses and as-needed substances in words, read in a worker once the first frame is on
        screen: pendulum's import (~30–60 ms) is made there, never before the first frame."""
        view, due = self.view, self.due
        if not self._framed or view is None or view.day != self.journal.today():
            return
        journal = self.journal
        from medlog.services import marks  # after the first frame, like the reads' own imports

        self.load(lambda: marks.words(journal, view, due), lambda words: self._show_words(view, words),
                  channel="words")
        from medlog.services import stock

        self.load(lambda: stock.refill_lines(journal, view.day), self._show_refills, channel="refills")

    def _show_refills(self, lines: list[str]) -> None:
        refills = self.query_one("#refills", Static)
        refills.update("\n".join(lines))
        refills.display = bool(lines) and self.day == self.journal.today()

    def _show_words(self, view: DayView, words: Words) -> None:
        if view is not self.view:
            return  # a newer read is on show, and its own words are on their way
        self.words = words
        self.query_one(DoseTable).word(words.slots)
        self.query_one("#as-needed", Static).update(as_needed_line(view.as_needed, words.as_needed))
        self.query_one("#day-title", Static).update(self._title())

    def _title(self) -> str:
        assert self.day is not None
        today = self.journal.today()
        when = "today" if self.day == today else "yesterday" if self.day == today - timedelta(days=1) else ""
        locale = self.journal.settings.locale
        # in another locale than English, pendulum writes the day: not before the first frame (ISO until then)
        shown = day_text(self.day, locale) if self._framed or locale == "en" else self.day.isoformat()
        return f"◀ {shown} ▶  {when}  — journal day from {self.journal.settings.rollover:%H:%M}"

    def _day_log(self, view: DayView) -> str:
        lines = [f"{at.astimezone(zone_named(z)):%H:%M}  {name} {sev}/10" + (f" — {note}" if note else "")
                 for _, name, sev, at, z, note in view.symptoms]
        lines += [f"{at.astimezone(zone_named(z)):%H:%M}  " + ("⚑ " if flagged else "")
                  + ("? " if kind == "question" else "") + text  # a question for the visit: "? …"
                  for _, text, flagged, at, z, kind in view.notes]
        if view.is_empty:
            return "Nothing logged on this day yet."
        return "Symptoms & notes:\n  " + "\n  ".join(lines) if lines else "No symptoms or notes."

    # -- moving between days ---------------------------------------------------------------------------------
    def action_day(self, step: int) -> None:
        assert self.day is not None
        target = self.day + timedelta(days=step)
        if target > self.journal.today():
            self.notify("That day has not happened yet.", severity="warning")
            return
        self.day = target
        self.reload()

    def action_go_today(self) -> None:
        self.day = self.journal.today()
        self.reload()

    def action_go_to(self) -> None:
        field = forms.Field("Day (2026-11-20, yesterday)", check=self.journal.parse_day)

        def chosen(result: dict | None) -> None:
            if result and isinstance(result["day"], date):
                self.day = result["day"]
                self.reload()

        self.app.push_screen(forms.FormModal("Go to day", {"day": field}), chosen)

    # -- doses -----------------------------------------------------------------------------------------------
    def _slot(self) -> Slot | None:
        if self.view is None:
            return None
        slot = self.query_one(DoseTable).slot_at_cursor(self.view)
        if slot is None or slot.status != "open":
            self.notify("Choose an open dose (○) in the list.", severity="warning")
            return None
        return slot

    def _default_when(self) -> str:
        """'now' today; on a past day, its midday (entries go on the day being looked at). The form's text."""
        assert self.day is not None
        return "now" if self.day == self.journal.today() else f"{self.day.isoformat()} 12:00"

    def _when_field(self, label: str, value: str) -> Field:
        """A time field checked (and parsed, as it is saved) by the journal's own parser: the CLI's `--at`."""
        return forms.Field(label, value=value, check=self.journal.moment)

    def _slot_moment(self, slot: Slot) -> When | None:
        """When a dose on another day is marked taken: at its scheduled time (today: None, meaning now)."""
        assert self.day is not None
        if self.day == self.journal.today():
            return None
        # The domain's rule: a slot before the rollover falls on the next calendar date; one in a DST gap is due
        # when the clocks jump.
        return When(due_instant(self.day, slot.time, self.journal.settings.zone, self.journal.settings.rollover))

    def _moment_text(self, when: When | None) -> str:
        """A moment as the form's editable text, in the journal's zone."""
        return "now" if when is None else f"{when.instant.astimezone(self.journal.settings.zone):%Y-%m-%d %H:%M}"

    def action_take(self) -> None:
        slot = self._slot()
        if slot:
            self.write(doses.take, slot.substance, at=self._slot_moment(slot), slot=slot.time, source="tui")

    def action_take_at(self) -> None:
        slot = self._slot()
        if not slot:
            return
        fields = {
            "at": self._when_field("When (21:30, 2h ago, 2026-11-20 08:00)",
                                   self._moment_text(self._slot_moment(slot))),
            "amount": forms.Field(f"Amount (default {slot.dose or 'the regular dose'})", optional=True,
                            check=parse_amount),
        }

        def done(result: dict | None) -> None:
            if result:
                self.write(doses.take, slot.substance, result["amount"], at=result["at"], slot=slot.time,
                            source="tui")

        self.app.push_screen(forms.FormModal(f"{slot.substance} — {slot.time} dose taken", fields), done)

    def action_skip(self) -> None:
        slot = self._slot()
        if not slot:
            return
        fields = {"reason": forms.Field("Why (optional)", optional=True, check=lambda t: clean_note(t, what="reason"))}

        def done(result: dict | None) -> None:
            if result is not None:
                self.write(doses.skip, slot.substance, at=self._slot_moment(slot), reason=result["reason"],
                            slot=slot.time, source="tui")

        self.app.push_screen(forms.FormModal(f"Skip {slot.substance} ({slot.time})", fields), done)

    def action_snooze(self) -> None:
        """Hold back the selected dose's desktop reminder (`medlog remind`) for 30 minutes: the service writes this
        device's reminder state, in a worker like every write."""
        slot = self._slot()
        if slot and self.day is not None:
            from medlog.services import reminders  # only when asked: Today's first frame does not need it

            self.write(reminders.snooze, slot.substance, self.day.isoformat(), slot.time)

    def action_as_needed(self) -> None:
        if self.view is None:
            return
        names = self.view.as_needed + sorted({s.substance for s in self.view.slots} - set(self.view.as_needed))
        if not names:
            self.notify("No substances yet: add them on the Substances screen (2).", severity="warning")
            return

        self.app.push_screen(forms.PickModal("Log a dose of…", names), if_answered(self.take_dialog))

    def take_dialog(self, name: str) -> None:
        """Ask for the amount (prefilled when there is a regular dose) and the time, then log the dose."""
        regular = self.view.regular.get(name) if self.view else None
        label = f"Amount (empty: the regular {regular})" if regular else "Amount (e.g. 300 mg, 1 capsule)"
        fields = {
            "amount": forms.Field(label, optional=regular is not None, check=parse_amount),
            "at": self._when_field("When", self._default_when()),
        }
        self.app.push_screen(forms.FormModal(f"{name} taken", fields), if_answered(lambda r: self.write(
            doses.take, name, r["amount"], at=r["at"], source="tui")))

    # -- ratings, symptoms, notes ----------------------------------------------------------------------------
    def action_rate(self) -> None:
        self.query_one("#rate-sleep_hours").focus()

    @on(RatingsPanel.Done)
    def _ratings_left(self) -> None:
        self.query_one(DoseTable).focus()

    @on(RatingsPanel.Save)
    def _rate(self, event: RatingsPanel.Save) -> None:
        assert self.day is not None
        self.write(entries.rate, event.assignments, day=self.day, source="tui")
        self.query_one(DoseTable).focus()  # back to the checklist: the next key is a command, not a digit

    def action_symptom(self) -> None:
        fields = {
            "name": forms.Field("Symptom (dizziness, upset stomach…)",
                                check=lambda t: clean_name(t, what="symptom name")),
            "severity": forms.Field("Severity 0–10, or mild / moderate / severe", check=parse_severity),
            "at": self._when_field("When", self._default_when()),
        }
        self.app.push_screen(forms.FormModal("Add a symptom", fields), if_answered(lambda r: self.write(
            entries.symptom, r["name"], r["severity"], at=r["at"], source="tui")))

    def action_note(self) -> None:
        fields = {"text": forms.Field("Note", check=clean_note),
                  "at": self._when_field("When", self._default_when())}
        checks = {"flagged": "For my clinician", "question": "A question for my next visit"}
        self.app.push_screen(forms.FormModal("Add a note", fields, checks),
                             if_answered(lambda r: self.write(entries.add_note, r["text"], at=r["at"],
                                                              flagged=bool(r["flagged"]),
                                                              question=bool(r["question"]), source="tui")))

    def on_screen_resume(self) -> None:
        # Back from another screen, which may have changed the regimen; not the first showing (the first frame
        # has just been read, or its read is under way).
        if self.view is not None and self._settled:
            self._stale = False  # this reload covers a write from elsewhere too (JournalScreen.on_screen_resume)
            self.reload()

    def refresh_data(self) -> None:
        """Called when something else (the CLI) wrote to the journal."""
        self.reload()


