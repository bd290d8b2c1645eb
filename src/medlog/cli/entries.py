"""take, skip, rate, symptom, note: the quick-log commands (stdlib only on this path)."""

from __future__ import annotations

import argparse

from medlog.cli.common import confirm, journal, name_and_amount
from medlog.services import doses, entries


def take(args: argparse.Namespace) -> int:
    name, amount = name_and_amount(args.words)
    return confirm(doses.take(journal(args), name, amount, at=args.at, note=args.note))


def skip(args: argparse.Namespace) -> int:
    return confirm(doses.skip(journal(args), " ".join(args.name), at=args.at, reason=args.reason))


def rate(args: argparse.Namespace) -> int:
    return confirm(entries.rate(journal(args), args.ratings, day=args.day))


def symptom(args: argparse.Namespace) -> int:
    return confirm(entries.symptom(journal(args), args.name, args.severity, at=args.at, note=args.note))


def note(args: argparse.Namespace) -> int:
    return confirm(entries.add_note(journal(args), args.text, at=args.at, flagged=args.flag,
                                    question=args.question))
