"""report: the visit summary as PDF, HTML or Markdown."""

from __future__ import annotations

import argparse
import sys

from medlog.cli.common import journal
from medlog.reports.sections import span
from medlog.services import report as reports
from medlog.services.files import target as target_file
from medlog.services.files import write_private
from medlog.services.report_file import default_name


def report(args: argparse.Namespace) -> int:
    j = journal(args)
    since, until = reports.period(j, last=args.last, since=args.since, until=args.until)
    built = reports.build(j, since, until, args.metric or ())
    data = reports.render(built, args.format)
    target = args.output
    if target is None and args.format == "pdf" and sys.stdout.isatty():
        target = default_name(until, "pdf")  # a PDF on a terminal would be noise: a file instead
    if target is None or target == "-":
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return 0
    write_private(target_file(j, target), data.encode("utf-8") if isinstance(data, str) else data)
    print(f"Wrote the visit report ({span(since, until)}) to {target}", file=sys.stderr)
    return 0

