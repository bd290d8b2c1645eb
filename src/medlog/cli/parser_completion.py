"""The parsers of `completion` (the script for a shell) and of the hidden command its scripts call for the
journal's names (issue 22). The scripts themselves are generated from the whole parser (cli/completion.py)."""

from __future__ import annotations

import argparse

from medlog.cli import parser_parts as parts
from medlog.cli.parser_parts import HIDDEN  # reachable by its name only: in no help, no docs list, no script

SHELLS = ("bash", "zsh", "fish")

# What the scripts ask for: the journal's own names (ratings: the metric keys with '=' appended).
KINDS = ("substances", "ratings", "metrics", "symptoms", "rules", "experiments")


def completion(completion: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(completion, "completion:script")
    completion.add_argument("shell", choices=SHELLS,
                            help="the shell to print the script for (docs/guide.md, 'Tab completion', says where "
                                 "to put it)")


def names(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """`medlog __names SHELL KIND -- WORD [TYPED…]`: one name a line ("name<TAB>what it is"; for bash
    only the names that start with WORD, escaped for its command line). TYPED, the words on the command line so
    far, may name a --db. Always exit 0, and nothing at all when there is no journal or it cannot be read."""
    hidden = commands.add_parser(HIDDEN, add_help=False)  # no help=: listed nowhere
    parts.handler(hidden, "names:names")
    hidden.add_argument("shell", choices=SHELLS)  # positional: argparse reads positionals split by an option apart
    hidden.add_argument("kind", choices=KINDS)
    hidden.add_argument("word", nargs="?", default="")
    hidden.add_argument("typed", nargs="*")
