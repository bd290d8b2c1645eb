"""Form dialogs. Each field is checked as it is typed with the domain's own parser (the CLI's rules and words)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static

from medlog.domain.errors import InputError

# The domain parser of a field: returns the value the service takes (a When, an Amount, a cleaned note…) or
# raises InputError with the message to show. The form hands back what it returned, never the text to parse again.
Check = Callable[[str], object]


class Field(Vertical):
    """A labelled input with its error shown right under it."""

    DEFAULT_CSS = "Field { height: auto; } Field .error { color: $error; height: auto; }"

    def __init__(self, label: str, *, value: str = "", placeholder: str = "", check: Check | None = None,
                 optional: bool = False, id: str | None = None) -> None:  # noqa: A002 (Textual's own name)
        super().__init__(id=id)
        self.label, self.value, self.placeholder = label, value, placeholder
        self.check, self.optional = check, optional

    def compose(self) -> ComposeResult:
        # markup=False: labels name substances and doses, errors quote what was typed — never markup
        yield Label(self.label, markup=False)
        yield Input(value=self.value, placeholder=self.placeholder)
        yield Static("", classes="error", markup=False)

    @property
    def text(self) -> str:
        return self.query_one(Input).value.strip()

    def parsed(self) -> object:
        """What was typed, through the field's parser: None when an optional field is left empty."""
        if not self.text and self.optional:
            return None
        if self.check is not None:
            return self.check(self.text)
        if not self.text:
            raise InputError("this is needed")
        return self.text

    def validate(self) -> bool:
        error = self.query_one(".error", Static)
        try:
            self.parsed()
        except InputError as exc:
            error.update(str(exc))
            return False
        error.update("")
        return True

    @on(Input.Changed)
    def _changed(self) -> None:
        self.validate()


class Tick(Checkbox, inherit_bindings=False):
    """A checkbox that toggles with Space only, so Enter can save the form it is in."""

    BINDINGS = [Binding("space", "toggle_button", "Toggle", show=False)]


class Dialog(ModalScreen[ScreenResultType]):
    """A modal that clears the last action's toasts as it opens: at 80×24 they would cover its fields."""

    def on_screen_resume(self) -> None:
        self.app.clear_notifications()


class FormModal(Dialog[dict[str, object] | None]):
    """A titled form of Fields (and optional checkboxes); Enter saves when every field is valid, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form.cancel"),
                Binding("enter,ctrl+s", "save", "Save", id="form.save")]
    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal > Vertical { width: 64; max-width: 100%; height: auto; border: round $accent; padding: 0 1;
                           background: $surface; }
    FormModal .title { text-style: bold; margin-bottom: 1; }
    FormModal VerticalScroll { height: auto; max-height: 16; }
    FormModal Horizontal { height: auto; align-horizontal: right; }
    """

    def __init__(self, title: str, fields: dict[str, Field], checks: dict[str, str] | None = None,
                 checked: dict[str, bool] | None = None) -> None:
        super().__init__()
        self.title_text, self.fields, self.checks = title, fields, checks or {}
        self.checked = checked or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title", markup=False)
            with VerticalScroll():  # a long form scrolls; Save and Cancel stay in view at 80×24
                yield from self.fields.values()
                for key, label in self.checks.items():
                    yield Tick(label, value=self.checked.get(key, False), id=f"check-{key}")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", variant="primary", id="save")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).can_focus = False  # Tab goes field to field, not to the scroller
        inputs = self.query(Input)
        (inputs.first() if inputs else self.query_one("#save", Button)).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if all(field.validate() for field in self.fields.values()):
            # parsed again at the moment of saving: "now" and "21:30" mean the time Save was pressed
            result: dict[str, object] = {key: field.parsed() for key, field in self.fields.items()}
            result.update({key: self.query_one(f"#check-{key}", Tick).value for key in self.checks})
            self.dismiss(result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmModal(Dialog[bool]):
    """Yes or no: y/Enter confirms, n/Esc declines."""

    BINDINGS = [Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
                Binding("n,escape", "answer(False)", "No", id="confirm.no")]
    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Static { width: 64; max-width: 100%; height: auto; border: round $warning; padding: 0 1;
                            background: $surface; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(Content(self.question) + Content.from_markup("\n\n[b]y[/b] yes   [b]n[/b] no"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class PickModal(Dialog[str | None]):
    """Pick one of many by typing part of it (letters in order: 'mgg' finds Magnesium glycinate)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]
    DEFAULT_CSS = """
    PickModal { align: center middle; }
    PickModal > Vertical { width: 50; height: auto; max-height: 20; border: round $accent; background: $surface; }
    PickModal OptionList { height: auto; max-height: 12; }
    """

    def __init__(self, title: str, choices: list[str]) -> None:
        super().__init__()
        self.title_text, self.choices = title, choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, markup=False)
            yield Input(placeholder="type to filter")
            yield OptionList(*self.choices, markup=False)

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([c for c in self.choices if fuzzy(event.value, c)])
        if options.option_count:
            options.highlighted = 0

    @on(Input.Submitted)
    def _take_first(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(str(options.get_option_at_index(options.highlighted).prompt))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.prompt))

    def action_cancel(self) -> None:
        self.dismiss(None)


def fuzzy(query: str, text: str) -> bool:
    """Every typed letter appears in order: 'mgg' matches 'Magnesium glycinate'."""
    letters = iter(text.casefold())
    return all(ch in letters for ch in query.casefold().replace(" ", ""))
