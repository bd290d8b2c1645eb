"""`medlog help [COMMAND [SUB]]`: the text `medlog COMMAND [SUB] --help` prints, found in the same parser tree."""

from __future__ import annotations

import argparse

from medlog.cli.parser import UsageError, build_parser


def show(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = build_parser()
    walked: list[str] = []
    for word in args.path:
        commands = _subcommands(parser)
        if word not in commands:
            if not walked:
                raise UsageError("medlog", f"there is no command {word!r}")
            raise UsageError("medlog", f"'{' '.join(walked)}' has no subcommand {word!r}"
                             + (f": {', '.join(commands)}" if commands else ""))
        parser = commands[word]
        walked.append(word)
    parser.print_help()
    return 0


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}
