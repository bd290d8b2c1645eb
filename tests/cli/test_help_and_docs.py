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


def documented_commands():
    """Every `medlog …` line in the README's and the guide's code blocks."""
    import shlex

    found = []
    for name in ("README.md", os.path.join("docs", "guide.md")):
        text = open(os.path.join(ROOT, name), encoding="utf-8").read()
        for block in re.findall(r"```\n(.*?)```", text, re.S):
            for line in block.replace("\\\n", " ").splitlines():
                line = line.removeprefix("$ ").split("  #")[0].strip()
                if line.startswith("medlog "):
                    found.append((name, shlex.split(line)[1:]))
    return found


@pytest.mark.parametrize("where, args", documented_commands(), ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_documented_commands_parse(where, args):
    from medlog.cli.parser import command_in

    args = [a.replace("…", "x") for a in args]
    build_parser(only=command_in(args)).parse_args(args)  # raises UsageError on anything the CLI would refuse


def test_the_readme_gives_the_two_setup_commands_ci_uses():
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    ci = open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8").read()
    assert "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/medlog demo" in readme
    assert 'python3 -m venv .venv && .venv/bin/pip install -q ".[test]" && .venv/bin/python -m pytest -q' in readme
    assert 'pip install --quiet ".[test]"' in ci and "python -m pytest -q" in ci


def test_medlog_alone_outside_a_terminal_prints_the_whole_help(medlog_process):
    ran = medlog_process()
    assert ran.code == 0
    for name in COMMANDS:
        assert name in ran.out
