"""take, skip, rate, symptom, note: the quick-log commands (stdlib only on this path)."""

from __future__ import annotations

import argparse

from medlog.cli import args as parse
from medlog.cli.common import confirm, journal, name_and_amount
from medlog.services import doses, entries


def take(args: argparse.Namespace) -> int:
    name, amount = name_and_amount(args.words)
    j = journal(args)
    return confirm(doses.take(j, name, parse.amount(amount), at=parse.moment(j, args.at), note=args.note))


def skip(args: argparse.Namespace) -> int:
    j = journal(args)
    return confirm(doses.skip(j, " ".join(args.name), at=parse.moment(j, args.at), reason=args.reason))


def rate(args: argparse.Namespace) -> int:
    j = journal(args)
    return confirm(entries.rate(j, args.ratings, day=parse.day(j, args.day)))


def symptom(args: argparse.Namespace) -> int:
    j = journal(args)
    return confirm(entries.symptom(j, args.name, parse.severity(args.severity), at=parse.moment(j, args.at),
                                   note=args.note))


def note(args: argparse.Namespace) -> int:
    j = journal(args)
    return confirm(entries.add_note(j, args.text, at=parse.moment(j, args.at), flagged=args.flag,
                                    question=args.question))
