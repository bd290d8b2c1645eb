"""Strict decimal numbers as people type them.

Accepted: plain decimals ("7", "7.5", "0.125"). Refused with a reason: signs, exponents ("1e309"),
"nan"/"inf", digit separators ("1_000", "1,000"), decimal commas ("7,5").

Non-ASCII digits: any Unicode decimal digits (category Nd: "٣", "۳", "३", fullwidth "３") are read as the
digits they are, so a person whose keyboard types Arabic-Indic digits can log as easily as anyone; but one
number may not mix digits from two scripts ("1٣" is refused), because a mixed number is more likely a slip
than an intention. Superscripts, fractions ("½") and other numeric symbols that are not decimal digits are
refused.
"""

from __future__ import annotations

import re  # patterns are strings compiled on first use (re caches them): the quick path pays only for what it parses
from decimal import Decimal

from medlog.domain.errors import InputError

_PLAIN = r"[0-9]+(?:\.[0-9]+)?\Z"


def ascii_digits(text: str) -> str:
    """Map Unicode decimal digits to ASCII; refuse a number that mixes digit scripts."""
    if text.isascii():
        return text
    import unicodedata  # only for the rare non-ASCII input; keeps the quick path lean

    out = []
    zeros: set[int] = set()
    for ch in text:
        value = unicodedata.decimal(ch, None)
        if value is None:
            out.append(ch)
            continue
        zeros.add(ord(ch) - value)
        out.append(chr(0x30 + value))
    if len(zeros) > 1:
        raise InputError(f"{text!r} mixes digits from different scripts; use one kind of digit")
    return "".join(out)


def parse_decimal(text: str, *, what: str, max_places: int = 4) -> Decimal:
    """Parse a non-negative decimal with at most `max_places` decimals, or raise InputError naming `what`."""
    raw = text.strip()
    plain = ascii_digits(raw)
    if not re.match(_PLAIN, plain):
        raise InputError(f"{what}: {_why_not_a_number(raw, plain)}")
    if "." in plain and len(plain.split(".", 1)[1]) > max_places:
        raise InputError(f"{what}: {raw!r} has more than {max_places} decimal places")
    return Decimal(plain)


def _why_not_a_number(raw: str, plain: str) -> str:
    low = plain.lower()
    if not raw:
        return "a number is missing"
    if low.startswith("-"):
        return f"{raw!r} is negative"
    if low.startswith("+"):
        return f"{raw!r}: write the number without a sign"
    if low in {"nan", "inf", "infinity", "-inf"}:
        return f"{raw!r} is not a number"
    if "_" in low:
        return f"{raw!r}: write the number without underscores"
    if re.fullmatch(r"[0-9.]+e[+-]?[0-9]+", low):
        return f"{raw!r}: write the number plainly, without an exponent"
    if re.fullmatch(r"[0-9]+(,[0-9]+)+", low):
        return f"{raw!r}: use a dot for decimals (7.5) and no thousands separators (1000)"
    return f"{raw!r} is not a number"


def format_decimal(value: Decimal | float | int) -> str:
    """Shortest faithful text for a stored number: 10 → "10", 1.50 → "1.5"."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(d.normalize(), "f")
    return text
