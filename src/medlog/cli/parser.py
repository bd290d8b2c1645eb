"""The argument parser. Building it is cheap and imports no handler: dispatch imports only what runs."""

from __future__ import annotations

import argparse
import os
import sys

from medlog import __version__
from medlog.cli import parser_parts as parts

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms on the quick-log path)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

    Define = Callable[["Parser", "Parser"], None] | str  # a builder here, or "module:function" under medlog.cli


class UsageError(Exception):
    """Bad usage, reported in one line (argparse would print a usage block and exit itself)."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog


class Parser(argparse.ArgumentParser):
    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse builds a formatter for every add_argument, and without a width it imports shutil (with
        # lzma, bz2, zlib: ~2 ms on the quick-log path) just to ask for the terminal size. Same rule, no shutil.
        # typeshed types formatter_class as taking `prog` alone; argparse's formatters all take `width` too
        return self.formatter_class(prog=self.prog, width=_terminal_width() - 2)  # type: ignore[call-arg]

    def error(self, message: str) -> NoReturn:
        stray = message.removeprefix("unrecognized arguments: ")
        if stray != message and stray[:1] == "-" and stray[1:2].isdigit():
            # argparse reads "-5mg" as an unknown option; say what the person meant to hear.
            message = f"{stray.split()[0]!r} is negative"
        # argparse quotes the typed tokens as they are: a line break or control character in one would split the
        # message or move the cursor, so they are shown escaped (one line, always)
        raise UsageError(self.prog, "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in message))


def _terminal_width() -> int:
    """What shutil.get_terminal_size() answers: $COLUMNS, else the terminal's width, else 80."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    stdout = sys.__stdout__  # None without a console (pythonw)
    if stdout is None:
        return 80
    try:
        return os.get_terminal_size(stdout.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


def _common() -> Parser:
    # SUPPRESS: so `--db` works before or after the command without one position erasing the other.
    common = Parser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="journal file (default: MEDLOG_DB, else the data dir's journal.sqlite)")
    return common


HIDDEN, HELP = parts.HIDDEN, parts.HELP


def _definer(define: Define) -> Callable[[Parser, Parser], None]:
    """A command's parser builder: a function here, or 'module:function' of a module of medlog.cli imported only
    when that command's parser is built (the quick-log path builds one command's, and imports no other module)."""
    if not isinstance(define, str):
        return define
    import importlib

    module, function = define.split(":")
    built: Callable[[Parser, Parser], None] = getattr(importlib.import_module(f"medlog.cli.{module}"), function)
    return built


def build_parser(only: str | None = None) -> Parser:
    """The whole parser, or (for speed on the quick-log path) the top level plus the one command `only`."""
    common = _common()
    parser = Parser(prog="medlog", parents=[common],
                    description="A private medication and supplement journal for the terminal.")
    parser.add_argument("--version", action="version", version=f"medlog {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, (help_text, define) in COMMANDS.items():
        if only is None or name == only:
            # the demo names its own file with --db, so it gets its own option rather than the journal's
            sub = commands.add_parser(name, help=help_text, description=help_text,
                                      parents=[] if name == "demo" else [common])
            _definer(define)(sub, common)
    if only == HIDDEN:  # the names a Tab asks for: built only when called, so listed nowhere
        from medlog.cli import parser_completion

        parser_completion.names(commands, common)
    return parser


def parser_for(argv: list[str]) -> Parser:
    """The parser argv needs: one command's, none for a bare `medlog` (the TUI), all for help or a typo."""
    command = command_in(argv)
    if command is None and not _words(argv) and not {"-h", "--help", "--version"} & set(argv):
        return build_parser(only="")
    return build_parser(only=command)


def _words(argv: list[str]) -> list[str]:
    words, skip = [], False
    for token in argv:
        if skip:
            skip = False
        elif token == "--db":
            skip = True
        elif not token.startswith("-"):
            words.append(token)
    return words


def command_in(argv: list[str]) -> str | None:
    """The command word in argv, if it names a known command (skipping global options)."""
    words = _words(argv)
    return words[0] if words and (words[0] in COMMANDS or words[0] == HIDDEN) else None


def _take(take: Parser, common: Parser) -> None:
    parts.handler(take, "entries:take")
    parts.key(take)
    take.add_argument("words", metavar="NAME [AMOUNT]", nargs="+",
                      help="substance name, alias or unique prefix ('mag'), then optionally the amount: 200mg, "
                           "1.5 tab, 2000 IU, 5 mL (default: the regimen's dose); no quotes needed")
    parts.at(take)
    take.add_argument("--note", metavar="TEXT", help="a note on this dose")


def _skip(skip: Parser, common: Parser) -> None:
    parts.handler(skip, "entries:skip")
    parts.key(skip)
    skip.add_argument("name", metavar="NAME", nargs="+", help="substance name, alias or unique prefix")
    parts.at(skip)
    skip.add_argument("--reason", metavar="TEXT", help="why it was skipped")


def _rate(rate: Parser, common: Parser) -> None:
    parts.handler(rate, "entries:rate")
    parts.key(rate)
    rate.add_argument("ratings", metavar="METRIC=VALUE", nargs="+", help="e.g. sleep_hours=7.5 mood=6 anxiety=3")
    rate.add_argument("--day", metavar="DAY", help="journal day: today (default), yesterday or 2026-11-20")


def _symptom(symptom: Parser, common: Parser) -> None:
    parts.handler(symptom, "entries:symptom")
    parts.key(symptom)
    symptom.add_argument("name", metavar="NAME", help="e.g. dizziness, 'upset stomach'")
    symptom.add_argument("severity", metavar="SEVERITY", help="0–10, or mild, moderate, severe")
    parts.at(symptom)
    symptom.add_argument("--note", metavar="TEXT", help="a note on this symptom")


def _note(note: Parser, common: Parser) -> None:
    parts.handler(note, "entries:note")
    parts.key(note)
    note.add_argument("text", metavar="TEXT", help="the note (up to 2,000 characters)")
    parts.at(note)
    note.add_argument("--flag", action="store_true", help="flag it for your clinician")
    note.add_argument("--question", action="store_true",
                      help="a question to ask at your next visit; the visit report lists it")


def _log(log: Parser, common: Parser) -> None:
    parts.handler(log, "history:log")
    parts.add_json(log)
    log.add_argument("--since", metavar="WHEN", help="a day (2026-11-01, yesterday) or a moment ('2h ago')")
    log.add_argument("--until", metavar="WHEN", help="a day or a moment (inclusive)")
    log.add_argument("--kind", action="append", choices=("dose", "rating", "symptom", "note", "regimen"),
                     help="only entries of this kind (repeatable)")
    log.add_argument("--substance", metavar="NAME", help="only this substance's doses and regimen changes")


def _demo(demo: Parser, common: Parser) -> None:
    parts.handler(demo, "demo:demo")
    demo.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                      help="where to write the demo (default: demo.sqlite in the data dir; MEDLOG_DB is ignored)")
    demo.add_argument("--years", type=int, metavar="N",
                      help="ten years is --years 10: the same kind of life at scale (default: the last 120 days)")
    demo.add_argument("--seed", type=int, metavar="S",
                      help="another seed, another life (default: the story as the docs tell it)")
    demo.add_argument("--no-tui", action="store_true",
                      help="only write the journal and print where and what (no guide to exploring it)")


def _undo(undo: Parser, common: Parser) -> None:
    parts.handler(undo, "history:undo")
    parts.key(undo)


def _metric(metric: Parser, common: Parser) -> None:
    metric_commands = metric.add_subparsers(dest="metric_command", metavar="COMMAND", parser_class=Parser,
                                            required=True)
    add = metric_commands.add_parser("add", parents=[common], help="add a metric to rate days on",
                                     description="add a metric to rate days on")
    parts.handler(add, "metrics:add")
    parts.key(add)
    add.add_argument("name", metavar="NAME", help="lower-case, e.g. headache or focus")
    add.add_argument("--min", required=True, metavar="N", help="lowest value of its scale")
    add.add_argument("--max", required=True, metavar="N", help="highest value of its scale")
    direction = add.add_mutually_exclusive_group(required=True)
    direction.add_argument("--higher-is-better", dest="higher_is_better", action="store_true",
                           help="higher values are better (like mood)")
    direction.add_argument("--lower-is-better", dest="lower_is_better", action="store_true",
                           help="lower values are better (like pain)")
    add.add_argument("--integer", action="store_true", help="whole numbers only")
    add.add_argument("--unit", default="", help="unit shown with values, e.g. h or cups")
    add.add_argument("--label", help="display name (default: from NAME)")
    listed = metric_commands.add_parser("list", parents=[common], help="list metrics and their scales",
                                        description="list metrics and their scales")
    parts.handler(listed, "metrics:list_metrics")
    parts.add_json(listed)


def _due(due: Parser, common: Parser) -> None:
    parts.handler(due, "adherence:due")
    parts.add_json(due)


def _adherence(adherence: Parser, common: Parser) -> None:
    parts.handler(adherence, "adherence:adherence")
    parts.add_json(adherence)
    adherence.add_argument("--weeks", type=int, default=4, metavar="N", help="how many weeks back (default 4)")


def _compare(compare: Parser, common: Parser) -> None:
    parts.handler(compare, "compare:compare")
    parts.add_json(compare)
    compare.add_argument("name", metavar="NAME", nargs="+", help="substance name, alias or unique prefix")
    compare.add_argument("--metric", metavar="M", help="only this metric (default: every metric rated then)")
    compare.add_argument("--change-at", metavar="DAY",
                         help="the change filed on this journal day (default: the latest that has happened)")
    compare.add_argument("--lag", metavar="DAYS",
                         help="days after the change left out (default: the substance's onset lag, else 7)")
    compare.add_argument("--window", type=int, default=28, metavar="DAYS",
                         help="days in each window (default 28)")


def _remind(remind: Parser, common: Parser) -> None:
    parts.handler(remind, "remind:remind")
    which = remind.add_mutually_exclusive_group()
    which.add_argument("--install", action="store_true",
                       help="run it every 5 minutes: a systemd user timer (or, without systemd, the crontab line "
                            "to add)")
    which.add_argument("--uninstall", action="store_true", help="stop and remove that timer")


COMMANDS: dict[str, tuple[str, Define]] = {
    "demo": ("build a demo journal in its own file (never your journal) and show how to explore it", _demo),
    "substance": ("add, list, show, change, stop or start a substance", "parser_substances:substance"),
    "take": ("log a dose taken (now, or --at a time)", _take),
    "skip": ("log a scheduled dose skipped on purpose", _skip),
    "rate": ("rate the day: sleep_hours, sleep_quality, mood, anxiety, pain, energy…", _rate),
    "symptom": ("log a symptom with its severity", _symptom),
    "note": ("write a note in the journal", _note),
    "due": ("scheduled doses due or overdue now", _due),
    "remind": ("a desktop notification for each dose due and not yet logged (a printed line and a bell without a "
               "desktop); --install runs it every 5 minutes", _remind),
    "stock": ("what is on hand and when it runs out; add a pack, set a count, the refill details",
              "parser_stock:stock"),
    "adherence": ("per substance and week: on time, late, skipped, missed, unlogged", _adherence),
    "trends": ("weekly means of your ratings, symptoms, doses taken and regimen changes", "parser_files:trends"),
    "compare": ("before and after a regimen change: each rating's change, its interval and a verdict", _compare),
    "report": ("the visit summary: one or two printable pages of regimen, adherence, trends and notes",
               "parser_files:report"),
    "export": ("the whole journal as JSON (a backup you can read without medlog), every entry as CSV, or FHIR R4",
               "parser_files:export"),
    "import": ("add a JSON export's entries to the journal (what it already has is skipped)",
               "parser_files:import_file"),
    "merge": ("join another journal (its file, or a JSON export) into this one: by UUID and by name, both ways alike",
              "parser_files:merge"),
    "sync": ("keep one journal across devices through a folder your sync tool shares: merge the others' files, "
             "write this device's", "parser_files:sync"),
    "serve": ("the TUI in a browser, for this machine (or, with --allow-remote, a network), behind a random token",
              "parser_serve:serve"),
    "log": ("list journal entries (default: the last 7 days)", _log),
    "undo": ("undo the last change (repeat to go further back)", _undo),
    "backup": ("copy the journal safely (while medlog runs): to the backups folder, or -o FILE",
               "parser_files:backup"),
    "restore": ("put a backup back as the journal (the journal as it was is kept aside)", "parser_files:restore"),
    "check": ("check the journal file is sound, and name its newest good backup", "parser_files:check"),
    "init": ("create the journal file (it is also created by the first entry)", "parser_files:init"),
    "metric": ("your own metrics besides the built-in ones", _metric),
    "rule": ("safety rules: daily maximum, spacing, as-needed limits, interactions (warnings only)",
             "parser_substances:rule"),
    "experiment": ("self-experiments: a randomised on/off plan, its status and its analysis",
                   "parser_experiment:experiment"),
    "config": ("the settings in force and where each came from; the config file's path; set or edit a setting",
               "parser_config:config"),
    "completion": ("print the Tab-completion script for bash, zsh or fish: commands, options and the journal's "
                   "names", "parser_completion:completion"),
    "help": (HELP, "parser_help:help_command"),
}
