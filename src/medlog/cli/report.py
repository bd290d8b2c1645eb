"""report: the visit summary in one of the registered formats (services/formats.py: REPORT_FORMATS)."""

from __future__ import annotations

import argparse
import sys

from medlog.cli import args as parse
from medlog.cli.common import journal
from medlog.domain.errors import InputError
from medlog.domain.text import shown
from medlog.reports.sections import span
from medlog.services import files, formats, report_file
from medlog.services import report as reports
from medlog.services.context import Journal


def report(args: argparse.Namespace) -> int:
    j = journal(args)
    form = formats.report_format(args.format)
    since, until = reports.period(j, last=parse.period(args.last), since=parse.day(j, args.since),
                                  until=parse.day(j, args.until))
    target = args.output
    if target is None and not form.terminal and sys.stdout.isatty():
        target = report_file.default_name(until, form.name)  # a PDF on a terminal would be noise: a file instead
    to_file = target is not None and target != "-"
    if to_file:
        _refused_early(j, target, args.force)
    built = reports.build(j, since, until, args.metric or ())
    if not to_file:
        data = report_file.render(built, form.name)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return 0
    try:
        report_file.save(j, built, form.name, target, overwrite=args.force)
    except files.Exists:
        raise _exists(target) from None
    print(f"Wrote the visit report ({span(since, until)}) to {target}", file=sys.stderr)
    return 0


def _refused_early(j: Journal, target: str, force: bool) -> None:
    """The file's refusals before the report is built (a second or so of work for nothing)."""
    try:
        files.checked(j, target, overwrite=force)
    except files.Exists:
        raise _exists(target) from None


def _exists(target: str) -> InputError:
    return InputError(f"{shown(target)} already exists; --force replaces it")
