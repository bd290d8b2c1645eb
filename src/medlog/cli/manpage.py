"""The man page, medlog(1), built by argparse-manpage from the tree `--help` prints (cli/parser.py build_parser).

The wheel's build hook (hatch_build.py) runs `python -m medlog.cli.manpage` and installs what it prints as
share/man/man1/medlog.1; tests/cli/test_help_command.py holds each of its sections to the command's --help.
argparse-manpage is a build (and test) requirement, not a dependency: no command imports this module.
"""

from __future__ import annotations

import argparse
import re
import sys

EXIT_STATUS = (".TP\n0\nsuccess\n.TP\n1\na runtime failure: the journal locked, corrupt or out of reach\n"
               ".TP\n2\nbad usage or bad input (one line on standard error says which)")
SEE_ALSO = ("\\fBmedlog help\\fR COMMAND prints one command's part of this page. The project's docs/cli.md has every "
            "command with examples, its JSON output and the environment variables; docs/guide.md the daily use.")
# No wrapping: roff fills the lines itself, and a line argparse wrapped could begin with a quote (a help's 'mag')
# that roff reads as a request, dropping the line. The page is also the same whatever terminal builds it.
WIDTH = 100_000
# The requests argparse-manpage (and this module) write; any other line beginning with . or ' is text
REQUESTS = re.compile(r"\.(TH|SH|SS|TP|B|RS|RE|UR|UE|nf|fi)( |$)")


def render() -> str:
    """The page, as roff text. Its date is SOURCE_DATE_EPOCH's (reproducible builds), else today's."""
    from argparse_manpage.manpage import Manpage

    from medlog import __version__
    from medlog.cli.parser import build_parser

    parser = build_parser()
    _for_the_page(parser)
    page = Manpage(parser)
    page.description = "a private medication and supplement journal for the terminal"
    page.source = f"medlog {__version__}"
    page.manual = "medlog manual"
    page.add_section("exit status", ">", EXIT_STATUS)
    page.add_section("see also", ">", SEE_ALSO)
    return "".join(_as_text(line) for line in str(page).splitlines(keepends=True))


def _as_text(line: str) -> str:
    """A line of text kept text: a leading . or ' would make roff read it as a request (and drop it); and a
    character outside ASCII written as roff's \\[uXXXX] (roff reads a page as Latin-1 unless told otherwise)."""
    line = "".join(ch if ch.isascii() else f"\\[u{ord(ch):04X}]" for ch in line)
    return "\\&" + line if line[:1] in ".'" and not REQUESTS.match(line) else line


def _for_the_page(parser: argparse.ArgumentParser) -> None:
    """This parser (built for the page alone) and its subcommands: a fixed width, and the list of commands headed
    COMMANDS (argparse files it under 'positional arguments', which --help shows as the usage's COMMAND)."""
    parser.formatter_class = _fixed_width
    for group in parser._action_groups:
        for action in group._group_actions:
            if isinstance(action, argparse._SubParsersAction):
                group.title = "commands"
                formatter = parser._get_formatter()
                for listed in action._choices_actions:  # as --help shows them: "95%%" is 95%
                    listed.help = formatter._expand_help(listed)
                for sub in action.choices.values():
                    _for_the_page(sub)


def _fixed_width(prog: str, width: int | None = None) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog, width=WIDTH)


if __name__ == "__main__":
    sys.stdout.write(render())
