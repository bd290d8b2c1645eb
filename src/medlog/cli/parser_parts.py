"""The pieces every command's parser is built from: its handler, --json, --key, --at. A module of its own, so that
cli/parser.py and the modules it builds commands from (parser_substances.py, parser_files.py…) share them without
importing each other."""

from __future__ import annotations

import argparse

JSON_HELP = "print JSON (documented in docs/cli.md) instead of text"
KEY_HELP = ("an idempotency key for scripts: run again with the same KEY (say, after a crash or a timeout) and "
            "nothing is written twice")
AT_HELP = "when: 21:30, 9pm, 'yesterday 22:00', '2h ago', 2026-11-20 08:00 (default: now)"
HIDDEN = "__names"  # the command a Tab's script asks for names (cli/parser_completion.py): listed nowhere
HELP = "show a command's help: the same text as 'medlog COMMAND --help' (the man page, 'man medlog', has them all)"


def handler(sub: argparse.ArgumentParser, name: str) -> None:
    """The function that runs the command, as 'module:function' under medlog.cli (imported only when it runs)."""
    sub.set_defaults(handler=name)


def add_json(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--json", action="store_true", help=JSON_HELP)


def key(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--key", metavar="KEY", help=KEY_HELP)


def at(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--at", metavar="WHEN", help=AT_HELP)
