"""The parsers of `substance` and `rule`: what a substance is, its regimen, and the safety rules about it."""

from __future__ import annotations

import argparse

from medlog.cli import parser_parts as parts

Parser = argparse.ArgumentParser  # subcommands take the class of the parser they hang from (cli/parser.py's)


def _make_up(sub: argparse.ArgumentParser, default: str) -> None:
    """--class and --ingredient, for substance add (default: the dictionary's) and substance classes."""
    sub.add_argument("--class", dest="classes", action="append", metavar="CLASS",
                     help=f"its class for the safety rules, e.g. ssri or antacid (repeatable or comma-separated; "
                          f"{default})")
    sub.add_argument("--ingredient", dest="ingredients", action="append", metavar="NAME",
                     help=f"an ingredient, e.g. 'magnesium hydroxide' (repeatable or comma-separated; {default})")


def substance(substance: Parser, common: Parser) -> None:
    subs = substance.add_subparsers(dest="substance_command", metavar="COMMAND", parser_class=type(substance),
                                    required=True)

    def sub(name: str, handler: str, help_text: str, *, listing: bool = False) -> Parser:
        p = subs.add_parser(name, parents=[common], help=help_text, description=help_text)
        parts.handler(p, f"substances:{handler}")
        if listing:
            parts.add_json(p)
        else:
            parts.key(p)
        return p

    add = sub("add", "add", "add a medication or supplement and start it")
    add.add_argument("name", metavar="NAME", help="e.g. Escitalopram or 'Magnesium glycinate'")
    add.add_argument("--kind", required=True, choices=("medication", "supplement"), help="medication or supplement")
    add.add_argument("--strength", metavar="AMOUNT", help="amount per unit of form, e.g. '10 mg' per tablet")
    add.add_argument("--form", help="tablet, capsule, softgel, powder, liquid…")
    add.add_argument("--elemental", metavar="AMOUNT", help="elemental amount per unit (minerals), e.g. '28 mg'")
    add.add_argument("--iu", metavar="FACTOR", help="how IU and mass convert, as the label says: '1000 IU = 25 mcg'")
    add.add_argument("--dose", metavar="AMOUNT", help="the regular dose, e.g. '10 mg' or '1 tablet'")
    _schedule(add)
    add.add_argument("--reason", metavar="TEXT", help="what it is for")
    add.add_argument("--prescriber", metavar="NAME", help="who prescribed it")
    add.add_argument("--notes", metavar="TEXT", help="anything else worth keeping with it (e.g. 'take with food')")
    add.add_argument("--alias", action="append", default=[], metavar="NAME",
                     help="another name for it, e.g. a brand (repeatable)")
    add.add_argument("--since", metavar="WHEN", help="when you started it: a day (2026-11-01) or a moment "
                     "(default: the start of today's journal day; asked at a terminal)")
    add.add_argument("--until", metavar="DAY", help="the last day of a course, e.g. 2026-12-31 (a planned stop)")
    add.add_argument("--as-typed", action="store_true",
                     help="keep a brand or another spelling as the name (default: the name dictionary's generic, "
                          "with what you typed as an alias)")
    add.add_argument("--separate", action="store_true",
                     help="add it even though the journal has the same medicine under another name")
    _make_up(add, "default: the dictionary's")
    add.add_argument("--onset-lag", metavar="DAYS",
                     help="days after a change before it can show, left out by 'medlog compare' (default 7)")

    sub("list", "list_substances", "list substances with their current dose and schedule", listing=True)

    show = sub("show", "show", "show a substance and its regimen history", listing=True)
    show.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")

    change = sub("change", "change", "change the dose and/or schedule (kept as dated history)")
    change.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    change.add_argument("--dose", metavar="AMOUNT", help="the new regular dose")
    _schedule(change)
    parts.at(change)
    change.add_argument("--note", metavar="TEXT", help="why it changed")

    stop = sub("stop", "stop", "stop a substance (its history is kept)")
    stop.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    parts.at(stop)
    stop.add_argument("--note", metavar="TEXT", help="why it stopped")

    start = sub("start", "start", "start a stopped substance again")
    start.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    start.add_argument("--dose", metavar="AMOUNT", help="a new regular dose")
    _schedule(start)
    parts.at(start)
    start.add_argument("--note", metavar="TEXT", help="why it started again")

    alias = sub("alias", "alias", "add another name (e.g. a brand) for a substance")
    alias.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    alias.add_argument("alias", metavar="ALIAS", help="the other name, e.g. Lexapro")

    made = sub("classes", "classes", "show or set what a substance is (its classes and ingredients), which the "
                                     "safety rules match")
    made.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    _make_up(made, "'' for none")

    lag = sub("onset-lag", "onset_lag", "set the days after a change that 'medlog compare' leaves out")
    lag.add_argument("name", metavar="NAME", help="substance name, alias or unique prefix")
    lag.add_argument("days", metavar="DAYS", help="whole days, 0 to 90, or 'default' (7)")


def _schedule(sub: argparse.ArgumentParser) -> None:
    group = sub.add_mutually_exclusive_group()
    group.add_argument("--schedule", metavar="TIMES",
                       help="times of day, e.g. 08:00 or '08:00,21:00', optionally on some days: "
                            "'08:00 mon,wed,fri', '20:00 weekdays', '08:00 every 2 days'")
    group.add_argument("--as-needed", dest="as_needed", action="store_true", help="taken as needed (no schedule)")


def rule(rule: Parser, common: Parser) -> None:
    commands = rule.add_subparsers(dest="rule_command", metavar="COMMAND", parser_class=type(rule), required=True)
    add = commands.add_parser("add", parents=[common], help="add a safety rule (it warns; it never refuses a dose)",
                              description="add a safety rule: it warns when a dose crosses it, and never refuses one")
    kinds = add.add_subparsers(dest="rule_kind", metavar="KIND", parser_class=type(add), required=True)
    daily = kinds.add_parser("daily-max", parents=[common], help="at most AMOUNT of NAME in a journal day",
                             description="warn when a journal day's total of NAME goes above AMOUNT (elemental "
                                         "amount when the substance has one)")
    parts.handler(daily, "rules:add_daily_max")
    daily.add_argument("words", metavar="NAME AMOUNT", nargs="+", help="e.g. magnesium 350 mg (no quotes needed)")
    spacing = kinds.add_parser("spacing", parents=[common], help="NAME at least HOURS after OTHER",
                               description="warn when NAME is taken less than HOURS after OTHER")
    parts.handler(spacing, "rules:add_spacing")
    spacing.add_argument("name", metavar="NAME", help="the substance to space out (quote a name with spaces)")
    spacing.add_argument("other", metavar="OTHER", help="the substance it must follow")
    spacing.add_argument("hours", metavar="HOURS", help="hours, e.g. 2 or 1.5")
    spacing.add_argument("--both-ways", action="store_true", help="also OTHER at least HOURS after NAME")
    needed = kinds.add_parser("as-needed", parents=[common], help="limits for an as-needed substance",
                              description="warn when an as-needed substance is taken too often")
    parts.handler(needed, "rules:add_as_needed")
    needed.add_argument("name", metavar="NAME", nargs="+", help="substance name, alias or unique prefix")
    needed.add_argument("--max-per-day", type=int, metavar="N", help="at most N doses in any 24 hours")
    needed.add_argument("--min-interval", metavar="HOURS", help="at least HOURS between doses")
    for sub in (daily, spacing, needed):
        parts.key(sub)
        sub.add_argument("--source", metavar="TEXT", help="where the rule comes from, e.g. 'Dr Lee, 2026-11'")
    listed = commands.add_parser("list", parents=[common], help="list the rules, with their sources",
                                 description="list the rules, with their sources")
    parts.handler(listed, "rules:list_rules")
    parts.add_json(listed)
    starters = commands.add_parser("starters", parents=[common],
                                   help="the starter rules adopted when a substance they are about is added",
                                   description="the starter rules (shipped, or your own starter_rules.toml) "
                                               "adopted when a substance they are about is added, with sources")
    parts.handler(starters, "rules:starters")
    parts.add_json(starters)
    for verb in ("disable", "enable"):
        toggle = commands.add_parser(verb, parents=[common], help=f"{verb} a rule by its number",
                                     description=f"{verb} a rule by its number (see 'medlog rule list')")
        parts.handler(toggle, f"rules:{verb}")
        parts.key(toggle)
        toggle.add_argument("id", metavar="ID", type=int, help="the rule's number")
    change = commands.add_parser("change", parents=[common], help="change a rule's figures or source",
                                 description="change a rule's figures or source (undo reverts it)")
    parts.handler(change, "rules:change")
    parts.key(change)
    change.add_argument("id", metavar="ID", type=int, help="the rule's number")
    change.add_argument("--amount", metavar="AMOUNT", help="a daily maximum's amount")
    change.add_argument("--hours", metavar="HOURS", help="a spacing rule's hours")
    change.add_argument("--max-per-day", type=int, metavar="N", help="an as-needed rule's doses in 24 h")
    change.add_argument("--min-interval", metavar="HOURS", help="an as-needed rule's hours between doses")
    change.add_argument("--source", metavar="TEXT", help="where the rule comes from")
