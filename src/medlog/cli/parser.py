"""The argument parser. Building it is cheap and imports no handler: dispatch imports only what runs."""

from __future__ import annotations

import argparse

from medlog import __version__


class UsageError(Exception):
    """Bad usage, reported in one line (argparse would print a usage block and exit itself)."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        stray = message.removeprefix("unrecognized arguments: ")
        if stray != message and stray[:1] == "-" and stray[1:2].isdigit():
            # argparse reads "-5mg" as an unknown option; say what the person meant to hear.
            message = f"{stray.split()[0]!r} is negative; amounts and values must be positive"
        raise UsageError(self.prog, message)


def _common() -> argparse.ArgumentParser:
    # SUPPRESS: so `--db` works before or after the command without one position erasing the other.
    common = Parser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="journal file (default: MEDLOG_DB, else the data dir's journal.sqlite)")
    return common


def _listing() -> argparse.ArgumentParser:
    listing = Parser(add_help=False)
    listing.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                         help="print JSON (documented in docs/cli.md) instead of text")
    return listing


def build_parser() -> Parser:
    common, listing = _common(), _listing()
    parser = Parser(prog="medlog", parents=[common],
                    description="A private medication and supplement journal for the terminal.")
    parser.add_argument("--version", action="version", version=f"medlog {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(name: str, handler: str, help_text: str, *, parents=(), **kwargs) -> Parser:  # type: ignore[no-untyped-def]
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[common, *parents],
                                  **kwargs)
        sub.set_defaults(handler=handler)
        return sub

    _substance_commands(command("substance", "", "add, list, show, change, stop or start a substance"),
                        common, listing)

    take = command("take", "entries:take", "log a dose taken (now, or --at a time)")
    take.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix ('mag')")
    take.add_argument("amount", metavar="AMOUNT", nargs="?",
                      help="e.g. 200mg, '1.5 tab', '2000 IU', '5 mL' (default: the regimen's dose)")
    _at(take)
    take.add_argument("--note", metavar="TEXT", help="a note on this dose")

    skip = command("skip", "entries:skip", "log a scheduled dose skipped on purpose")
    skip.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    _at(skip)
    skip.add_argument("--reason", metavar="TEXT", help="why it was skipped")

    rate = command("rate", "entries:rate", "rate the day: sleep_hours, sleep_quality, mood, anxiety, pain, energy…")
    rate.add_argument("ratings", metavar="METRIC=VALUE", nargs="+", help="e.g. sleep_hours=7.5 mood=6 anxiety=3")
    rate.add_argument("--day", metavar="DAY", help="journal day: today (default), yesterday or 2026-11-20")

    symptom = command("symptom", "entries:symptom", "log a symptom with its severity")
    symptom.add_argument("name", metavar="NAME", help="e.g. dizziness, 'upset stomach'")
    symptom.add_argument("severity", metavar="SEVERITY", help="0–10, or mild, moderate, severe")
    _at(symptom)
    symptom.add_argument("--note", metavar="TEXT", help="a note on this symptom")

    note = command("note", "entries:note", "write a note in the journal")
    note.add_argument("text", metavar="TEXT", help="the note (up to 2,000 characters)")
    _at(note)
    note.add_argument("--flag", action="store_true", help="flag it for your clinician (it goes in the visit report)")

    log = command("log", "history:log", "list journal entries (default: the last 7 days)", parents=[listing])
    log.add_argument("--since", metavar="WHEN", help="a day (2026-11-01, yesterday) or a moment ('2h ago')")
    log.add_argument("--until", metavar="WHEN", help="a day or a moment (inclusive)")
    log.add_argument("--kind", action="append", choices=("dose", "rating", "symptom", "note", "regimen"),
                     help="only entries of this kind (repeatable)")

    command("undo", "history:undo", "undo the last change (repeat to go further back)")

    metric = command("metric", "", "your own metrics besides the built-in ones")
    metric_commands = metric.add_subparsers(dest="metric_command", metavar="COMMAND", parser_class=Parser,
                                            required=True)
    add = metric_commands.add_parser("add", parents=[common], help="add a metric to rate days on",
                                     description="add a metric to rate days on")
    add.set_defaults(handler="metrics:add")
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
    listed = metric_commands.add_parser("list", parents=[common, listing], help="list metrics and their scales",
                                        description="list metrics and their scales")
    listed.set_defaults(handler="metrics:list_metrics")
    return parser


def _at(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--at", metavar="WHEN",
                     help="when: 21:30, 9pm, 'yesterday 22:00', '2h ago', 2026-11-20 08:00 (default: now)")


def _substance_commands(substance: Parser, common: Parser, listing: Parser) -> None:
    subs = substance.add_subparsers(dest="substance_command", metavar="COMMAND", parser_class=Parser,
                                    required=True)

    def sub(name: str, handler: str, help_text: str, *, parents=()) -> Parser:  # type: ignore[no-untyped-def]
        p = subs.add_parser(name, parents=[common, *parents], help=help_text, description=help_text)
        p.set_defaults(handler=f"substances:{handler}")
        return p

    add = sub("add", "add", "add a medication or supplement and start it")
    add.add_argument("name", metavar="NAME", help="e.g. Escitalopram or 'Magnesium glycinate'")
    add.add_argument("--kind", required=True, choices=("medication", "supplement"), help="medication or supplement")
    add.add_argument("--strength", metavar="AMOUNT", help="amount per unit of form, e.g. '10 mg' per tablet")
    add.add_argument("--form", help="tablet, capsule, softgel, powder, liquid…")
    add.add_argument("--elemental", metavar="AMOUNT", help="elemental amount per unit (minerals), e.g. '28 mg'")
    add.add_argument("--dose", metavar="AMOUNT", help="the regular dose, e.g. '10 mg' or '1 tablet'")
    _schedule(add)
    add.add_argument("--reason", metavar="TEXT", help="what it is for")
    add.add_argument("--prescriber", metavar="NAME", help="who prescribed it")
    add.add_argument("--alias", action="append", default=[], metavar="NAME",
                     help="another name for it, e.g. a brand (repeatable)")
    add.add_argument("--since", metavar="WHEN", help="when you started it (default: now)")

    sub("list", "list_substances", "list substances with their current dose and schedule", parents=[listing])

    show = sub("show", "show", "show a substance and its regimen history", parents=[listing])
    show.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")

    change = sub("change", "change", "change the dose and/or schedule (kept as dated history)")
    change.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    change.add_argument("--dose", metavar="AMOUNT", help="the new regular dose")
    _schedule(change)
    _at(change)
    change.add_argument("--note", metavar="TEXT", help="why it changed")

    stop = sub("stop", "stop", "stop a substance (its history is kept)")
    stop.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    _at(stop)
    stop.add_argument("--note", metavar="TEXT", help="why it stopped")

    start = sub("start", "start", "start a stopped substance again")
    start.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    start.add_argument("--dose", metavar="AMOUNT", help="a new regular dose")
    _schedule(start)
    _at(start)
    start.add_argument("--note", metavar="TEXT", help="why it started again")

    alias = sub("alias", "alias", "add another name (e.g. a brand) for a substance")
    alias.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    alias.add_argument("alias", metavar="ALIAS", help="the other name, e.g. Lexapro")


def _schedule(sub: argparse.ArgumentParser) -> None:
    group = sub.add_mutually_exclusive_group()
    group.add_argument("--schedule", metavar="TIMES", help="daily times, e.g. 08:00 or '08:00,21:00'")
    group.add_argument("--as-needed", dest="as_needed", action="store_true", help="taken as needed (no schedule)")
