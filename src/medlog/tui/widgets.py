"""Widgets of the Today screen. They show what they are given and post messages; they never touch the database."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from medlog.domain.day import DayView, Slot
from medlog.domain.errors import InputError
from medlog.domain.metrics import MetricSpec, parse_metric_value
from medlog.domain.numbers import format_decimal
from medlog.domain.text import neutral


def _range(spec: MetricSpec) -> str:
    return f"{format_decimal(spec.min_value)}–{format_decimal(spec.max_value)}"


MARKS = {"open": "○", "taken": "✓", "skipped": "✗"}


def literal(text: str | Text) -> Text:
    """A table cell of the user's text as written: a DataTable reads a str as markup, where a note's '[/b]'
    would stop the screen with an error; and a stored control character shown as its escape ('\\x1b'), before
    layout so the column is as wide as what is drawn. (Marks, times and kinds of entry stay plain strings.)"""
    if isinstance(text, str):
        return Text(neutral(text))
    return text if (plain := neutral(text.plain)) is text.plain else Text(plain, style=text.style)


class DoseTable(DataTable):
    """The day's scheduled doses as a checklist, then the doses that answered no slot.

    On today, an open slot whose window has opened says "due now", and one whose window has passed "overdue".
    """

    COMPONENT_CLASSES = {"dose-table--due", "dose-table--overdue"}
    DEFAULT_CSS = """
    DoseTable > .dose-table--due { text-style: bold; }
    DoseTable > .dose-table--overdue { color: $warning; text-style: bold; }
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for label, width in ((" ", 1), ("due", 5), ("substance", 22), ("dose", 10), ("logged", 30)):
            self.add_column(label, width=width)

    def show(self, view: DayView, zone_of, due: dict[tuple[str, str], bool] | None = None,  # type: ignore[no-untyped-def]
             *, keep_cursor: bool = False) -> None:
        """`due` maps (substance, slot time) to overdue (True) or due now (False): today's open slots only.
        With `keep_cursor` (the same day read again) the cursor stays on its row instead of jumping to the top."""
        row = self.cursor_row
        self.clear()
        for i, slot in enumerate(view.slots):
            logged: str | Text = "" if slot.at is None else f"{zone_of(slot.at):%H:%M}"
            if slot.status == "skipped":
                logged = f"skipped {logged}" + (f": {slot.note}" if slot.note else "")
            elif slot.status == "taken" and slot.amount and slot.dose and slot.amount != str(slot.dose):
                logged = f"{logged} ({slot.amount})"
            elif slot.status == "open" and due and (slot.substance, slot.time) in due:
                overdue = due[slot.substance, slot.time]
                logged = Text("overdue" if overdue else "due now", self.get_component_rich_style(
                    "dose-table--overdue" if overdue else "dose-table--due", partial=True))
            self.add_row(MARKS[slot.status], slot.time, literal(slot.substance), str(slot.dose or ""), literal(logged),
                         key=f"slot-{i}")
        for i, extra in enumerate(view.extras):
            what = "skipped" if extra.status == "skipped" else extra.amount or ""
            self.add_row("+", f"{zone_of(extra.at):%H:%M}", literal(extra.substance), what, "as needed/extra",
                         key=f"extra-{i}")
        if keep_cursor and self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def slot_at_cursor(self, view: DayView) -> Slot | None:
        if not view.slots or self.cursor_row >= len(view.slots) or self.row_count == 0:
            return None
        return view.slots[self.cursor_row]


class RatingsPanel(Vertical):
    """One small input per metric (built-in and the user's own), each checked against its own scale.

    The focused metric's label is highlighted and its scale is spelled out below; Enter saves what changed.
    """

    DEFAULT_CSS = """
    RatingsPanel { height: auto; }
    RatingsPanel Grid { grid-size: 6; grid-gutter: 0 1; height: auto; grid-rows: 2; }
    RatingsPanel .cell { height: 2; }
    RatingsPanel Label { width: 100%; height: 1; color: $text-muted; }
    RatingsPanel Label.-current { color: $text; background: $accent; text-style: bold; }
    RatingsPanel Input { width: 100%; height: 1; border: none; padding: 0 1; background: $boost; }
    RatingsPanel Input:focus { border: none; background: $accent 40%; text-style: bold; }
    RatingsPanel #rating-hint { color: $text-muted; height: 1; }
    RatingsPanel #rating-error { color: $error; height: auto; }
    """

    BINDINGS = [Binding("escape", "revert", "Back", show=False)]

    @dataclass
    class Save(Message):
        assignments: list[str]

    @dataclass
    class Done(Message):
        """Leave the ratings (Esc): what was not saved is put back."""

    def __init__(self, metrics: list[MetricSpec], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.metrics = {m.key: m for m in metrics}
        self.saved: dict[str, str] = {}
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Grid():
            for key, spec in self.metrics.items():
                with Vertical(classes="cell"):
                    yield Label(spec.label, id=f"label-{key}", markup=False)  # the user names their own
                    yield Input(id=f"rate-{key}", placeholder=_range(spec))
        yield Static("", id="rating-hint", markup=False)
        yield Static("", id="rating-error", markup=False)  # errors quote what was typed

    async def show(self, ratings: dict[str, float], metrics: list[MetricSpec] | None = None, *,
                   keep_edits: bool = False) -> None:
        """Show a day's ratings; with `metrics`, first rebuild the inputs if the user's metrics changed.

        With `keep_edits` (the same day, reloaded after a write), a value the user is still typing stays.
        """
        edited = {key: value for key, value in self._values().items() if value != self.saved.get(key, "")}
        if metrics is not None and [m.key for m in metrics] != list(self.metrics):
            self.metrics = {m.key: m for m in metrics}
            await self.recompose()
        self.saved = {key: format_decimal(value) for key, value in ratings.items()}
        for key in self.metrics:
            value = edited[key] if keep_edits and key in edited else self.saved.get(key, "")
            self.query_one(f"#rate-{key}", Input).value = value
        if not keep_edits:
            self.errors = {}
            self.query_one("#rating-error", Static).update("")

    def _values(self) -> dict[str, str]:
        return {key: self.query_one(f"#rate-{key}", Input).value.strip() for key in self.metrics}

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # By class, not `.cell:focus-within Label`: Textual does not restyle a focused widget's cousins.
        key = (event.widget.id or "").removeprefix("rate-")
        for label in self.query(Label):
            label.set_class(label.id == f"label-{key}", "-current")
        if key in self.metrics:
            spec = self.metrics[key]
            self.query_one("#rating-hint", Static).update(
                f"{spec.label}: {spec.scale}  ·  Enter saves  ·  Tab next  ·  Esc back")

    def on_descendant_blur(self) -> None:
        for label in self.query(Label):
            label.remove_class("-current")
        self.query_one("#rating-hint", Static).update("")

    async def action_revert(self) -> None:
        await self.show({key: float(value) for key, value in self.saved.items()})
        self.post_message(self.Done())

    def changed(self) -> list[str]:
        return [f"{key}={value}" for key, value in self._values().items() if value and value != self.saved.get(key)]

    @on(Input.Changed)
    def _check(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("rate-")
        self.errors.pop(key, None)
        try:
            if event.value.strip():
                parse_metric_value(self.metrics[key], event.value)
        except InputError as exc:
            self.errors[key] = str(exc)
        self.query_one("#rating-error", Static).update("\n".join(self.errors.values()))

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.errors and self.changed():
            self.post_message(self.Save(self.changed()))
