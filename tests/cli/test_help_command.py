"""`medlog help [COMMAND [SUB]]` prints what `--help` does, and the man page (cli/manpage.py, built into the wheel)
holds every command and subcommand of the same parser tree, each with its usage, description and options."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys

import pytest

from medlog.cli.parser import build_parser


def tree() -> list[tuple[list[str], argparse.ArgumentParser]]:
    """(path, parser) for the top level and every command and subcommand, walking the real parser."""
    out: list[tuple[list[str], argparse.ArgumentParser]] = []

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> None:
        out.append((path, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*path, name])

    walk(build_parser(), [])
    return out


TREE = tree()
IDS = [" ".join(path) or "(top)" for path, _ in TREE]


@pytest.mark.parametrize("path", [p for p, _ in TREE], ids=IDS)
def test_help_prints_what_dash_dash_help_prints(medlog, monkeypatch, path):
    monkeypatch.setenv("COLUMNS", "100")
    asked = medlog("help", *path)
    flag = medlog(*path, "--help")
    assert asked.code == flag.code == 0
    assert asked.out == flag.out and asked.err == flag.err == ""
    assert asked.out.startswith(f"usage: medlog {' '.join(path)}".rstrip())


@pytest.mark.parametrize("args, said", [
    (("frob",), "medlog: there is no command 'frob' (see 'medlog --help')"),
    (("substance", "frob"), "medlog: 'substance' has no subcommand 'frob': add, list, show"),
    (("take", "magnesium"), "medlog: 'take' has no subcommand 'magnesium' (see 'medlog --help')"),
    (("rule", "add", "daily-max", "x"), "medlog: 'rule add daily-max' has no subcommand 'x'"),
    (("\x1b[31mred",), "medlog: there is no command '\\x1b[31mred'"),
])
def test_an_unknown_command_is_one_line_and_exit_2(medlog, args, said):
    ran = medlog("help", *args)
    assert ran.code == 2 and ran.out == ""
    assert ran.err.count("\n") == 1 and ran.err.startswith(said), ran.err


def test_help_never_imports_the_man_page_generator(cli_env):
    probe = ("import sys\nfrom medlog.cli.main import main\ncode = main(['help', 'substance', 'add'])\n"
             "print(code, sorted(m for m in sys.modules if 'manpage' in m), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", probe], env=cli_env, capture_output=True, text=True)
    assert proc.stderr.strip().splitlines()[-1] == "0 []", proc.stderr
    assert "usage: medlog substance add" in proc.stdout


# -- the man page ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page() -> str:
    from medlog.cli.manpage import render

    return render()


@pytest.fixture(scope="module")
def shown(page) -> str:
    """The page as a reader sees it: groff's rendering (unwrapped, no hyphenation), else the roff with its markup
    taken out."""
    groff = shutil.which("groff")
    if groff:
        proc = subprocess.run([groff, "-man", "-Tutf8", "-rLL=20000n", "-P-cbou"], input=page.encode(),
                              capture_output=True, check=True)
        return proc.stdout.decode("utf-8")
    text = re.sub(r"\\\[u([0-9A-F]{4})\]", lambda m: chr(int(m.group(1), 16)), page)
    text = re.sub(r"\\f[BIR]|\\[,/&]", "", text).replace("\\-", "-").replace("\\\\", "\\")
    return "\n".join(line for line in text.splitlines() if not line.startswith("."))


def flat(text: str) -> str:
    return " ".join(text.replace("\u2010", "-").replace("\u2212", "-").split())


def section(shown: str, path: list[str]) -> str:
    """A command's part of the page: the sections headed COMMAND, COMMANDS or OPTIONS 'medlog …' for it (a command
    with subcommands has its options after theirs); the top level's is the whole page."""
    if not path:
        return shown
    name = " ".join(["medlog", *path])
    blocks = re.split(r"\n(?=\S)", shown)  # a heading is a line at the margin
    part = "\n".join(block for block in blocks if block.split("\n", 1)[0].endswith(f" '{name}'"))
    assert part.startswith(f"COMMAND '{name}'\n"), name
    return part


@pytest.mark.parametrize("path, parser", TREE, ids=IDS)
def test_the_man_page_holds_each_command_as_its_help_does(shown, path, parser):
    part = flat(section(shown, path))
    formatter = parser._get_formatter()
    assert flat(parser.description or "") in part
    assert flat(parser.format_usage().removeprefix("usage: ")) in flat(part.replace("usage: ", "", 1)) or path == []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: formatter._expand_help(a) for a in action._choices_actions}
            for name in action.choices:
                assert flat(f"{' '.join(['medlog', *path, name])} {helps[name]}") in part, (path, name)
            continue
        for invocation in action.option_strings or [formatter._format_args(action, action.dest)]:
            assert re.search(rf"(^| ){re.escape(invocation)}( |,|$)", part), (path, invocation)
        assert flat(formatter._expand_help(action)) in part, (path, action.dest)


def test_the_man_page_lists_every_command(shown):
    headings = set(re.findall(r"^COMMAND '(medlog[^']*)'$", shown, re.M))
    assert headings == {" ".join(["medlog", *path]) for path, _ in TREE if path}


def test_the_man_page_is_well_formed_roff(page):
    assert page.startswith('.TH MEDLOG "1" ') and page.endswith("\n")
    assert "medlog 0.1.0" in page.splitlines()[0] or "medlog " in page.splitlines()[0]
    assert page.isascii()  # everything else as \[uXXXX]: roff reads a page as Latin-1 unless told otherwise
    for line in page.splitlines():
        # a text line beginning with ' or . would be read as a request and vanish
        assert not line.startswith("'"), line
        if line.startswith("."):
            assert re.match(r"\.(TH|SH|SS|TP|B|RS|RE|UR|UE|nf|fi)( |$)", line), line
    for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "EXIT STATUS", "SEE ALSO"):
        assert re.search(rf"^\.SH( |\n){heading}$", page, re.M), heading


def test_the_page_does_not_depend_on_the_terminal(monkeypatch):
    from medlog.cli.manpage import render

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("COLUMNS", "40")
    narrow = render()
    monkeypatch.setenv("COLUMNS", "300")
    assert render() == narrow
    assert '"2023-11-14"' in narrow.splitlines()[0].replace("\\-", "-")
