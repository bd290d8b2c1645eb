"""Free text from people: names and notes. Refuse what cannot be stored or shown faithfully."""

from __future__ import annotations

from medlog.domain.errors import InputError

NAME_MAX = 100  # characters in a substance, metric, symptom or alias name
NOTE_MAX = 2000  # characters in a note or reason: a paragraph, not a document


def clean_text(text: str, *, what: str, max_chars: int, multiline: bool = False) -> str:
    """Strip outer space; refuse empty text, text over the cap, control characters and invalid UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate: what Python makes of bytes that were not valid UTF-8 on the command line.
        raise InputError(f"{what} is not valid text (it holds bytes that are not UTF-8)") from None
    cleaned = text.strip()
    if not cleaned:
        raise InputError(f"{what} is empty")
    allowed = "\n\t" if multiline else ""
    for ch in cleaned:
        if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) and ch not in allowed:
            raise InputError(f"{what} holds a control character ({ord(ch):#04x}); type plain text")
    if len(cleaned) > max_chars:
        raise InputError(f"{what} is {len(cleaned)} characters long; the limit is {max_chars}")
    return cleaned


def clean_name(text: str, *, what: str = "name") -> str:
    return " ".join(clean_text(text, what=what, max_chars=NAME_MAX).split())


def clean_note(text: str, *, what: str = "note") -> str:
    return clean_text(text, what=what, max_chars=NOTE_MAX, multiline=True)


def shown(text: str) -> str:
    """Text from the user (a file name, a value from a file) as a message quotes it: as it is, or as a Python
    literal ('a\\nb') when it holds a control character or a line break, so the message stays one line and
    nothing in it can move the terminal's cursor."""
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029" for ch in text):
        return repr(text)
    return text
