"""Every command has help text and is documented in docs/cli.md."""

import os
import re

import pytest

from medlog.cli.parser import COMMANDS, build_parser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI_DOC = open(os.path.join(ROOT, "docs", "cli.md"), encoding="utf-8").read()


def commands():
    """(path, parser) for every command and subcommand, found by walking the real parser."""
    out = []

    def walk(parser, path):
        for action in parser._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                helps = {a.dest: a.help for a in action._choices_actions}
                for name, sub in action.choices.items():
                    out.append((path + [name], sub, helps.get(name)))
                    walk(sub, path + [name])

    walk(build_parser(), [])
    return out


ALL = commands()


def test_the_walk_finds_every_command():
    paths = {" ".join(p) for p, _, _ in ALL}
    assert set(COMMANDS) <= paths
    assert {"substance add", "substance change", "metric add", "metric list"} <= paths


@pytest.mark.parametrize("path, parser, help_text", ALL, ids=[" ".join(p) for p, _, _ in ALL])
def test_every_command_has_help_and_is_documented(path, parser, help_text):
    assert help_text and parser.description, path
    for action in parser._actions:
        if action.dest != "help" and action.__class__.__name__ != "_SubParsersAction":
            assert action.help, (path, action.dest)
    heading = re.compile(r"^### `medlog " + re.escape(" ".join(path)) + r"[ `]", re.M)
    has_subcommands = any(a.__class__.__name__ == "_SubParsersAction" for a in parser._actions)
    assert has_subcommands or heading.search(CLI_DOC), f"docs/cli.md has no '### `medlog {' '.join(path)}' section"


def test_top_level_help_lists_every_command(medlog):
    out = medlog("--help").out
    for name in COMMANDS:
        assert re.search(rf"^\s+{name}\b", out, re.M), name
