"""The hidden `medlog __names KIND`: the journal's names for the completion scripts' Tab (issue 22).

On the quick path (stdlib sqlite3, read-only, no settings, no passphrase): a Tab must feel instant and must never
fail, block or write. Whatever goes wrong (no journal, a locked, damaged or encrypted one, a bad --db) prints
nothing and exits 0; a shell shows nothing rather than an error in the middle of a command line.
"""

from __future__ import annotations

import argparse
import os
import sys

from medlog.paths import journal_path
from medlog.services import tab_names

# The hidden command's kinds (cli/parser_completion.py KINDS) → what the journal holds.
READ = {"substances": "substances", "ratings": "metrics", "metrics": "metrics", "symptoms": "symptoms",
        "rules": "rules", "experiments": "experiments"}
BASH_PLAIN = frozenset("_-.,/+=@%^")  # characters bash reads as themselves in a word (the rest are escaped)


def names(args: argparse.Namespace) -> int:
    try:
        db = _db(args.typed) or getattr(args, "db", None)  # on the line being completed, else `medlog --db X __names`
        found = tab_names.names(READ[args.kind], journal_path(db, os.environ))
    except Exception:  # noqa: BLE001 — a Tab says nothing rather than an error (module docstring)
        return 0
    if args.kind == "ratings":
        found = [(key + "=", what) for key, what in found]
    found = [(name, what) for name, what in found if name.isprintable() and "\t" not in what]
    if args.shell == "bash":
        quoted = args.word[:1] in ("'", '"')
        typed = _unescaped(args.word).casefold()
        lines = [name if quoted else _escaped(name) for name, _ in found if name.casefold().startswith(typed)]
    else:  # fish and zsh show the description beside each name; they match what was typed themselves
        lines = [f"{name}\t{what}" for name, what in found]
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _db(typed: list[str]) -> str | None:
    """The journal the command line names with --db PATH or --db=PATH (bash splits the latter at its '=')."""
    db = None
    for i, word in enumerate(typed):
        if word.startswith("--db="):
            db = word.removeprefix("--db=")
        elif word == "--db" and i + 1 < len(typed):
            rest = typed[i + 1:]
            db = rest[1] if rest[0] == "=" and len(rest) > 1 else rest[0]
    return None if db is None else _unescaped(db)


def _unescaped(word: str) -> str:
    """A word as the shell will pass it: without an opening quote or backslash escapes."""
    if word[:1] in ("'", '"'):
        return word[1:].removesuffix(word[0])
    out, escaped = [], False
    for ch in word:
        if ch == "\\" and not escaped:
            escaped = True
            continue
        out.append(ch)
        escaped = False
    return "".join(out)


def _escaped(name: str) -> str:
    """A name as one bash word: a backslash before each space or other character the shell would read."""
    return "".join(ch if ch.isalnum() or ch in BASH_PLAIN else "\\" + ch for ch in name)
