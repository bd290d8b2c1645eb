"""Widgets of the Today screen. They show what they are given and post messages; they never touch the database."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from medlog.domain.day import DayView, Slot
from medlog.domain.errors import InputError
from medlog.domain.metrics import MetricSpec, parse_metric_value
from medlog.domain.numbers import format_decimal
from medlog.domain.text import neutral

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

    On today, an open slot whose window has opened says "due now", and one whose window has passed "overdue"; once
    the screen has them in words (`word`, after the first frame), "due in 25 minutes", "due 10 minutes ago",
    "overdue by 2 hours" — and a slot still ahead, "due in 3 hours".
    """

    COMPONENT_CLASSES = {"dose-table--due", "dose-table--overdue"}
    # what is on show (replaced, never changed in place): the day, its due marks, and its open slots in words,
    # (substance, time) → (the state they were written for, the words), from `word`
    _view: DayView | None = None
    _due: dict[tuple[str, str], bool] = {}
    _words: dict[tuple[str, str], tuple[str, str]] = {}
    DEFAULT_CSS = """
    DoseTable > .dose-table--due { text-style: bold; }
    DoseTable > .dose-table--overdue { color: $warning; text-style: bold; }
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for label, width in ((" ", 1), ("due", 5), ("substance", 22), ("dose", 10), ("logged", 30)):
            self.add_column(label, width=width, key=label)

    def show(self, view: DayView, zone_of, due: dict[tuple[str, str], bool] | None = None,
             *, keep_cursor: bool = False) -> None:
        """`due` maps (substance, slot time) to overdue (True) or due now (False): today's open slots only.
        With `keep_cursor` (the same day read again) the cursor stays on its row instead of jumping to the top.
        The words of the day's last `word` stay on the slots still in the state they were written for."""
        row = self.cursor_row
        if self._view is None or self._view.day != view.day:
            self._words = {}
        self._view, self._due = view, due or {}
        self.clear()
        for i, slot in enumerate(view.slots):
            logged: str | Text = "" if slot.at is None else f"{zone_of(slot.at):%H:%M}"
            if slot.status == "skipped":
                logged = f"skipped {logged}" + (f": {slot.note}" if slot.note else "")
            elif slot.status == "taken" and slot.amount and slot.dose and slot.amount != str(slot.dose):
                logged = f"{logged} ({slot.amount})"
            elif slot.status == "open":
                logged = self._open(slot)
            self.add_row(MARKS[slot.status], slot.time, literal(slot.substance), str(slot.dose or ""), literal(logged),
                         key=f"slot-{i}")
        for i, extra in enumerate(view.extras):
            what = "skipped" if extra.status == "skipped" else extra.amount or ""
            self.add_row("+", f"{zone_of(extra.at):%H:%M}", literal(extra.substance), what, "as needed/extra",
                         key=f"extra-{i}")
        if keep_cursor and self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def word(self, words: dict[tuple[str, str], tuple[str, str]]) -> None:
        """Today's open slots in words (services/marks.py, read in a worker): (state, words) by (substance, time)."""
        self._words = words
        for i, slot in enumerate(self._view.slots if self._view is not None else ()):
            if slot.status == "open":
                self.update_cell(f"slot-{i}", "logged", literal(self._open(slot)))

    def _open(self, slot: Slot) -> str | Text:
        """What an open slot says: its words, while it is in the state they were written for; else "due now" or
        "overdue" (or nothing, for a slot not yet due and a past day's)."""
        key = (slot.substance, slot.time)
        overdue = self._due.get(key)
        state = "ahead" if overdue is None else "overdue" if overdue else "due"
        said, text = self._words.get(key, ("", ""))
        if said != state or not text:
            text = "" if state == "ahead" else "overdue" if overdue else "due now"
        if state == "ahead":
            return text
        return Text(text, self.get_component_rich_style("dose-table--overdue" if overdue else "dose-table--due",
                                                         partial=True))

    def slot_at_cursor(self, view: DayView) -> Slot | None:
        if not view.slots or self.cursor_row >= len(view.slots) or self.row_count == 0:
            return None
        return view.slots[self.cursor_row]


def as_needed_line(names: list[str], last: dict[str, str]) -> str:
    """"As needed: Gabapentin (last taken 3 days ago), Maalox  (a to log one)"; nothing without any."""
    if not names:
        return ""
    listed = ", ".join(f"{name} ({last[name]})" if name in last else name for name in names)
    return f"As needed: {listed}  (a to log one)"


UNRATED = "—"  # an unrated metric's empty input shows this: never its scale, which would read as a value
IDLE_HINT = "— not rated yet  ·  r to rate"
INPUT_WIDTH = 8  # "7.25", "120.5": the value, a space either side
CELL_MIN = 13 + 1 + INPUT_WIDTH  # "Sleep quality" whole beside its input
GUTTER = 2


def _cut(text: str, width: int) -> str:
    """`text` within `width` cells, with an ellipsis where it was cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)).rstrip() + "…"


def short_labels(labels: list[str], width: int) -> list[str]:
    """Each label within `width` cells, no two shown alike (at 80 columns "Sleep quality" must not become a
    second "Sleep" beside "Sleep hours"; a user's "Knee pain morning" and "Knee pain evening" neither).

    A label that fits is shown whole; a longer one is cut at the end. Where two cut labels would read alike,
    each keeps its start and shows, after an ellipsis, where it differs from the others ("Knee…evening").
    If even that leaves two alike (the same label twice), they are numbered by their place in the panel.
    """
    def numbered(i: int) -> str:  # "#3" ends one label alone: no other can read the same
        return _cut(labels[i], width - len(f" #{i + 1}")) + f" #{i + 1}"

    width = max(width, 4)
    shown = [_cut(label, width) for label in labels]
    for group in _alike(shown):
        for i in group:
            others = [labels[j] for j in group if j != i]
            differs = max(_common(labels[i], other) for other in others)  # where it differs from every other
            start = labels[i].rfind(" ", 0, differs) + 1  # from the start of that word
            tail = labels[i][start:]
            head = max(3, width - 1 - cell_len(tail))
            shown[i] = _cut(labels[i][:start], head).removesuffix("…").rstrip() + "…" + tail
            shown[i] = _cut(shown[i], width)
    for group in _alike(shown):  # still alike: numbered
        for i in group:
            shown[i] = numbered(i)
    if _alike(shown):  # a number met a label written so: every one numbered
        shown = [numbered(i) for i in range(len(labels))]
    return shown


def _alike(shown: list[str]) -> list[list[int]]:
    where: dict[str, list[int]] = {}
    for i, text in enumerate(shown):
        where.setdefault(text, []).append(i)
    return [group for group in where.values() if len(group) > 1]


def _common(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


class RatingsPanel(Vertical):
    """One small input per metric (built-in and the user's own), each checked against its own scale.

    Each label sits beside its input, as many to a row as fit (three at 80 columns); a label too long for its
    place is shortened, never into another's. An unrated metric's input shows a dash, not its scale. The focused
    metric's label is highlighted and its scale is spelled out below; Enter saves what changed.
    """

    DEFAULT_CSS = """
    RatingsPanel { height: auto; }
    RatingsPanel Grid { grid-size: 3; grid-gutter: 0 2; height: auto; grid-rows: 1; }
    RatingsPanel .cell { height: 1; }
    RatingsPanel Label { height: 1; color: $text-muted; }
    RatingsPanel Label.-current { color: $text; background: $accent; text-style: bold; }
    RatingsPanel Input { width: 8; height: 1; border: none; padding: 0 1; margin-left: 1; background: $boost; }
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

    def __init__(self, metrics: list[MetricSpec], **kwargs) -> None:
        super().__init__(**kwargs)
        self.metrics = {m.key: m for m in metrics}
        self.saved: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        self.columns = 3
        self.label_width = CELL_MIN - INPUT_WIDTH - 1
        self.loaded = False  # no dash for "not rated" until a day's ratings have been read

    def compose(self) -> ComposeResult:
        labels = short_labels([spec.label for spec in self.metrics.values()], self.label_width)
        with Grid() as grid:
            grid.styles.grid_size_columns = self.columns
            for key, label in zip(self.metrics, labels, strict=True):
                with Horizontal(classes="cell"):
                    shown = Label(label, id=f"label-{key}", markup=False)  # the user names their own
                    shown.styles.width = self.label_width
                    yield shown
                    yield Input(id=f"rate-{key}", placeholder=UNRATED if self.loaded else "")
        yield Static("", id="rating-hint", markup=False)
        yield Static("", id="rating-error", markup=False)  # errors quote what was typed

    def on_resize(self) -> None:
        """As many metrics to a row as fit (rows evened out), and the labels shortened to their place."""
        width = self.content_size.width
        if width <= 0:
            return  # not laid out yet
        most = max(1, (width + GUTTER) // (CELL_MIN + GUTTER))
        rows = -(-len(self.metrics) // most)
        columns = max(1, -(-len(self.metrics) // max(1, rows)))
        room = (width - GUTTER * (columns - 1)) // columns - INPUT_WIDTH - 1
        # the labels as wide as the longest needs (each input close to its label), within the room there is
        label_width = max(1, min(room, max((cell_len(spec.label) for spec in self.metrics.values()), default=1)))
        if (columns, label_width) == (self.columns, self.label_width):
            return
        self.columns, self.label_width = columns, label_width
        self.query_one(Grid).styles.grid_size_columns = columns
        labels = short_labels([spec.label for spec in self.metrics.values()], label_width)
        for key, text in zip(self.metrics, labels, strict=True):
            label = self.query_one(f"#label-{key}", Label)
            label.update(text)
            label.styles.width = label_width

    async def show(self, ratings: dict[str, float], metrics: list[MetricSpec] | None = None, *,
                   keep_edits: bool = False) -> None:
        """Show a day's ratings; with `metrics`, first rebuild the inputs if the user's metrics changed.

        With `keep_edits` (the same day, reloaded after a write), a value the user is still typing stays.
        """
        edited = {key: value for key, value in self._values().items() if value != self.saved.get(key, "")}
        self.loaded = True
        if metrics is not None and ([(m.key, m.label) for m in metrics]
                                    != [(key, spec.label) for key, spec in self.metrics.items()]):
            self.metrics = {m.key: m for m in metrics}
            await self.recompose()
            self.columns = self.label_width = 0  # laid out again for these metrics
            self.on_resize()
        self.saved = {key: format_decimal(value) for key, value in ratings.items()}
        for key in self.metrics:
            value = edited[key] if keep_edits and key in edited else self.saved.get(key, "")
            field = self.query_one(f"#rate-{key}", Input)
            field.value, field.placeholder = value, UNRATED
        if not self.has_focus_within:
            self.query_one("#rating-hint", Static).update(self._idle_hint())
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
                f"{spec.label}: {spec.scale} · Enter saves · Tab next · Esc back")

    def on_descendant_blur(self) -> None:
        for label in self.query(Label):
            label.remove_class("-current")
        self.query_one("#rating-hint", Static).update(self._idle_hint())

    def _idle_hint(self) -> str:
        """What the dash means, while a metric shows it."""
        return IDLE_HINT if self.loaded and any(key not in self.saved for key in self.metrics) else ""

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
