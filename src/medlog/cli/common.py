"""What every handler shares: opening the journal from the arguments, confirming, printing JSON."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from datetime import datetime

from medlog.domain.errors import InputError, StoreError
from medlog.domain.text import clean_text
from medlog.domain.zones import zone_named
from medlog.services.context import Journal, Logged, open_journal


def journal(args: argparse.Namespace) -> Journal:
    j = open_journal(getattr(args, "db", None))
    if j.settings.zone_note:
        print(f"medlog: note: {j.settings.zone_note}", file=sys.stderr)
    for warning in j.settings.warnings:
        print(f"medlog: warning: {warning}", file=sys.stderr)
    key = getattr(args, "key", None)
    if key is not None:
        j.key = clean_text(key, what="--key", max_chars=200)
    if j.locked:
        j.unlock(passphrase(f"Passphrase for {j.path}: "))
    return j


def passphrase(prompt: str, *, confirm: bool = False) -> str:
    """MEDLOG_PASSPHRASE, else asked at the terminal (not echoed); a script without either is told how."""
    given = os.environ.get("MEDLOG_PASSPHRASE")
    if given:
        return given
    if not sys.stdin.isatty():
        raise StoreError("the journal looks encrypted (or is not a journal): set MEDLOG_PASSPHRASE, or run medlog "
                         "at a terminal to type the passphrase")
    import getpass

    typed = getpass.getpass(prompt)
    if confirm and getpass.getpass("The same passphrase again: ") != typed:
        raise InputError("the two passphrases differ; nothing was written")
    if not typed:
        raise InputError("the passphrase is empty")
    return typed


def name_and_amount(words: list[str]) -> tuple[str, str | None]:
    """`take magnesium glycinate 200 mg` → ("magnesium glycinate", "200 mg"): the amount starts at the first
    word that looks like a number (or is a quoted phrase), so neither a name with spaces nor an amount with a
    space needs quotes."""
    for i, word in enumerate(words[1:], start=1):
        if _starts_amount(word):
            return " ".join(words[:i]), " ".join(words[i:])
    return " ".join(words), None


def _starts_amount(word: str) -> bool:
    return (any(ch.isdigit() for ch in word) or " " in word.strip() or word[:1] in "+-."
            or word.lower().startswith(("nan", "inf")))


def wants_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def confirm(logged: Logged) -> int:
    """One line on stdout saying what was written; notes (choices made, cautions) on stderr."""
    local = logged.at.astimezone(zone_named(logged.zone))
    if not logged.timed:
        print(f"Logged: {logged.summary} — from {logged.day:%a %Y-%m-%d}")
    else:
        day = "" if local.date() == logged.day else f", journal day {logged.day:%a %Y-%m-%d}"
        print(f"Logged: {logged.summary} — {local:%a %Y-%m-%d %H:%M}{day}")
    for note in logged.notes:
        print(f"medlog: note: {note}", file=sys.stderr)
    for warning in logged.warnings:
        print(f"medlog: warning: {warning}", file=sys.stderr)
    return 0


def print_json(data: object) -> int:
    import json  # listings only: the quick-log commands never print JSON

    # One write: json.dump would make one per token (thousands for a long listing), each a Python-level call.
    # Indented for a person at a terminal; compact when piped to a program, because only the compact form uses
    # json's C encoder (indenting runs the pure-Python one: 27 of `trends --json`'s ~110 ms).
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent, default=_default) + "\n")
    return 0


def print_json_listing(head: dict[str, object], key: str, items: Iterable[object]) -> int:
    """`print_json({**head, key: list(items)})`, byte for byte, written while `items` is read: a listing of
    ten years is never held whole, neither as values nor as text."""
    import json
    from itertools import islice

    indent = 2 if sys.stdout.isatty() else None
    encode = json.JSONEncoder(ensure_ascii=False, indent=indent, default=_default).encode
    opening = encode({**head, key: []})
    cut = opening.rindex("[") + 1
    opening, closing = opening[:cut], opening[cut:]  # closing: "]}" (indented: "]\n}")
    write, rows, separator = sys.stdout.write, iter(items), ""
    write(opening)
    # A few hundred items per write, encoded as one list (one call into json's C encoder, not one per item).
    while batch := list(islice(rows, _ITEMS_PER_WRITE)):
        if indent:  # each item on its own lines, two levels in
            write(separator + ",".join("\n    " + encode(item).replace("\n", "\n    ") for item in batch))
            separator = ","
        else:
            write(separator + encode(batch)[1:-1])
            separator = ", "
    write(("\n  " if indent and separator else "") + closing + "\n")
    return 0


_ITEMS_PER_WRITE = 200


def _default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def local_iso(at: datetime, zone: str) -> str:
    return at.astimezone(zone_named(zone)).isoformat(timespec="seconds")
