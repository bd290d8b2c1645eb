"""rule add / list / change / enable / disable."""

from __future__ import annotations

import argparse
from decimal import Decimal

from medlog.cli import args as parse
from medlog.cli.common import confirm, journal, name_and_amount, print_json, wants_json
from medlog.domain.errors import InputError
from medlog.domain.numbers import format_decimal
from medlog.domain.rules import parse_hours
from medlog.domain.units import parse_amount
from medlog.services import rules


def add_daily_max(args: argparse.Namespace) -> int:
    name, amount = name_and_amount(args.words)
    if amount is None:
        raise InputError("give the daily maximum after the name, like 'medlog rule add daily-max magnesium 350 mg'")
    return confirm(rules.add_daily_max(journal(args), name, parse_amount(amount), source=args.source))


def add_spacing(args: argparse.Namespace) -> int:
    return confirm(rules.add_spacing(journal(args), args.name, args.other, parse_hours(args.hours),
                                     source=args.source, both_ways=args.both_ways))


def add_as_needed(args: argparse.Namespace) -> int:
    return confirm(rules.add_as_needed(journal(args), " ".join(args.name), max_per_day=args.max_per_day,
                                       min_interval=parse.hours(args.min_interval, what="--min-interval"),
                                       source=args.source))


def list_rules(args: argparse.Namespace) -> int:
    found = rules.list_rules(journal(args))
    if wants_json(args):
        return print_json({"rules": [{
            "id": r.id, "kind": r.kind, "substance": r.substance, "other": r.other,
            "amount": float(r.amount.value) if r.amount else None, "unit": r.amount.unit if r.amount else None,
            "hours": _number(r.hours), "max_per_day": r.max_per_day, "min_interval_hours": _number(r.min_interval),
            "source": r.source, "enabled": r.enabled, "text": r.describe(), "starter": r.starter,
        } for r in found], "notice": NOT_A_CHECKER})
    if not found:
        print("No rules yet. 'medlog rule add --help' shows the kinds; 'medlog rule starters' the shipped ones.")
        return 0
    for r in found:
        state = "" if r.enabled else "  (disabled)"
        print(f"{r.id:>3}  {r.describe()}{state}")
        if r.source:
            print(f"     source: {r.source}")
    print(f"\n{NOT_A_CHECKER}")
    return 0


NOT_A_CHECKER = ("These rules only warn. medlog is not an interaction checker: its starter rules are a short list of "
                 "well-known cautions with public sources, and a pharmacist or clinician is the one to ask.")


def starters(args: argparse.Namespace) -> int:
    """The starter rules medlog adopts when a substance they are about is added: each with its source."""
    found = rules.starter_list(journal(args))
    if wants_json(args):
        return print_json({"starter_rules": found, "notice": NOT_A_CHECKER})
    for entry in found:
        sides = [", ".join(entry.get(c) or entry.get(w) or []) for c, w in (("classes", "matches"),
                                                                             ("other_classes", "other"))]
        about = " → ".join(side for side in sides if side)
        print(f"{entry['id']}  ({entry['kind'].replace('_', '-')}: {about})")
        print(f"     {entry['text']}")
        print(f"     source: {entry['source']}")
    print(f"\n{NOT_A_CHECKER}")
    return 0


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(format_decimal(value))


def disable(args: argparse.Namespace) -> int:
    return confirm(rules.set_enabled(journal(args), args.id, False))


def enable(args: argparse.Namespace) -> int:
    return confirm(rules.set_enabled(journal(args), args.id, True))


def change(args: argparse.Namespace) -> int:
    return confirm(rules.change(journal(args), args.id, amount=parse.amount(args.amount), hours=parse.hours(args.hours),
                                max_per_day=args.max_per_day,
                                min_interval=parse.hours(args.min_interval, what="--min-interval"),
                                source=args.source))
