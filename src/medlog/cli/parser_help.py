"""`medlog help [COMMAND [SUB]]`: its parser. A module of its own because cli/parser.py is near its size limit; the
text it prints is argparse's own (cli/help.py), and the man page is built from the same tree (cli/manpage.py)."""

from __future__ import annotations

import argparse

from medlog.cli import parser_parts as parts


def help_command(sub: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(sub, "help:show")
    sub.add_argument("path", metavar="COMMAND", nargs="*",
                     help="a command and, for one that has them, a subcommand: 'take', 'substance add', "
                          "'rule add spacing' (default: the overview of every command)")
