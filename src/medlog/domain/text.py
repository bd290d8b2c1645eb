"""Free text from people: names and notes. Refuse what cannot be stored or shown faithfully."""

from __future__ import annotations

import unicodedata

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
        if _invisible(ch, multiline):
            raise InputError(f"{what} holds an invisible formatting character (U+{ord(ch):04X}); type plain text")
    if len(cleaned) > max_chars:
        raise InputError(f"{what} is {len(cleaned)} characters long; the limit is {max_chars}")
    return cleaned


def _invisible(ch: str, multiline: bool) -> bool:
    """A format character (Unicode Cf: right-to-left overrides, zero-width spaces, …) or a line or paragraph
    separator: invisible, it makes two names that look alike differ ('Zero\u200bWidth') or turns text around
    on screen. A note keeps the zero-width joiner that emoji sequences are built with."""
    if ch in "\u2028\u2029":
        return True
    return unicodedata.category(ch) == "Cf" and not (multiline and ch == "\u200d")


def neutral(text: str) -> str:
    """Text for a terminal, whatever is stored: control and invisible formatting characters shown as escapes
    ('\\x1b', '\\u202e'), so no stored name or note can move the cursor, clear the screen, set the title or the
    clipboard, or turn a line around. Line breaks and tabs stay."""
    # str.isprintable is False for every character escaped here (Cc, Cf, Zl, Zp), and runs in C: the common case,
    # a whole listing or JSON document, costs a scan instead of a Python call per character (46,000 in trends).
    if text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable():
        return text
    if not any(_unsafe(ch) for ch in text):
        return text
    return "".join(_escaped(ch) if _unsafe(ch) else ch for ch in text)


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    # The zero-width joiner stays: notes may hold it (emoji sequences), names refuse it, and it moves nothing.
    return (code < 32 and ch not in "\n\t") or 0x7F <= code < 0xA0 or _invisible(ch, multiline=True)


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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


def plural(word: str) -> str:
    """English's regular plural, enough for medlog's own words: activity → activities, day → days, file → files."""
    return word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u") else word + "s"


def counted(count: int, word: str, many: str | None = None) -> str:
    """'1 entry', '3 entries': the count and its word, in the plural (`many`, else the regular one) unless one."""
    return f"{count} {word if count == 1 else many or plural(word)}"
