"""Services take parsed values (issue 18 item 3): an instant, a day, an Amount, a Schedule — never the CLI's text.

Held by reading every public service function's annotations: a parameter that names a moment, a day, an amount, a
schedule or a period may not be `str`. Text is parsed once, at the edge (cli/args.py, the TUI's form fields)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import typing

import medlog.services

# Parameter names that carry a value with a domain type, wherever a service takes one.
TYPED = {"at", "day", "since", "until", "amount", "dose", "schedule", "change_at", "lag", "start", "last",
         "strength", "elemental", "hours", "min_interval", "severity", "days", "iu", "onset_lag"}


def _service_callables():
    for info in pkgutil.walk_packages(medlog.services.__path__, "medlog.services."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"{info.name}.{name}", obj
            elif inspect.isclass(obj) and hasattr(obj, "__annotations__"):
                yield f"{info.name}.{name}", obj


def _text_params(obj) -> list[str]:
    try:
        hints = typing.get_type_hints(obj)
    except NameError:  # an annotation naming what only a checker imports: read the annotation's text instead
        raw = inspect.get_annotations(obj)
        return [p for p, hint in raw.items() if p in TYPED and re.search(r"\bstr\b", str(hint))]
    return [p for p, hint in hints.items() if p in TYPED and str in (typing.get_args(hint) or (hint,))]


def test_no_service_takes_cli_text_for_a_typed_value():
    offenders = {name: params for name, obj in _service_callables() if (params := _text_params(obj))}
    assert offenders == {}, f"parse these at the edge (cli/args.py) and pass the value: {offenders}"


def test_the_check_sees_a_text_parameter():
    def take(journal, name: str, amount: str | None = None, *, at: str | None = None) -> None: ...

    assert sorted(_text_params(take)) == ["amount", "at"]

    def skip(journal, at: Unknown | str) -> None: ...  # noqa: F821 - a name only a checker would import

    assert _text_params(skip) == ["at"]
