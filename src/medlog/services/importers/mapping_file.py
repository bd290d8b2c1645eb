"""The mapping file's values (TOML), each checked for its type before any line of the file is read: a list where
text is wanted, or a word where a number is, is refused in one line naming the entry, never read as its Python text."""

from __future__ import annotations

from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.metrics import parse_severity
from medlog.domain.numbers import parse_decimal


def table(mapping: dict[str, object], key: str, within: str = "") -> dict[str, object]:
    value = mapping.get(key, {})
    if not isinstance(value, dict):
        raise InputError(f"the mapping file's {within}{key} must be a table ([{within}{key}])")
    return value


def number(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError(f"the mapping file's {what}: give a number")
    return parse_decimal(str(value), what=f"the mapping file's {what}")


def text(value: object, what: str, wanted: str) -> str:
    """A text value of the mapping file (TOML): any other type would be read as its Python text ("['headache']")."""
    if not isinstance(value, str):
        raise InputError(f"the mapping file's {what}: give {wanted} as text in quotes")
    return value


def severity_rule(value: object, what: str) -> object:
    """A severity in the mapping file: a whole number 0–10 or one of medlog's words, checked before any line."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InputError(f"the mapping file's {what}: give a severity 0–10 (or mild, moderate, severe)")
    try:
        parse_severity(str(value))
    except InputError as exc:
        raise InputError(f"the mapping file's {what}: {exc}") from None
    return value


def tag_rule(value: object, tag: object) -> object:
    """A [tags] rule: "note", "skip" or { symptom = "NAME", severity = N }, its types checked before any line."""
    what = f"[tags] {str(tag)!r}"
    if value in ("note", "skip"):
        return value
    if isinstance(value, dict) and set(value) == {"symptom", "severity"}:
        text(value["symptom"], what, "the symptom's name")
        severity_rule(value["severity"], what)
        return value
    raise InputError(f"the mapping file's {what}: say \"note\", \"skip\" or {{ symptom = \"NAME\", severity = N }}")
