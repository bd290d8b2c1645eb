"""medlog demo."""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from medlog.services.context import open_demo
from medlog.services.demo.build import DemoSummary, build_demo

ORDER = ("substances", "regimen events", "safety rules", "doses taken", "skipped doses", "ratings", "symptoms",
         "notes")


def demo(args: argparse.Namespace) -> int:
    journal = open_demo(getattr(args, "db", None))
    seed = {} if args.seed is None else {"seed": args.seed}
    summary = build_demo(journal, years=args.years, **seed)
    print(f"Demo journal written to {summary.path} (seed {summary.seed})")
    print(f"  {_span(summary)}")
    print(f"  {_counts(summary)}")
    if not args.no_tui:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from medlog.cli.tui import open_tui

            code = open_tui(journal)
            # after the TUI closes, the line the README promises: how to keep using this journal from the shell
            print(f"The demo journal is {summary.path}; to use it with every command in this shell:")
            print(f"  {_export_line(summary)}")
            return code
        _guide(summary, many_years=args.years is not None)
    print("Your own journal was not touched.")
    return 0


def _span(summary: DemoSummary) -> str:
    days = (summary.last_day - summary.first_day).days + 1
    return (f"{days:,} days, {summary.first_day:%a %Y-%m-%d} to {summary.last_day:%a %Y-%m-%d}; "
            f"{summary.days_logged:,} with entries")


def _counts(summary: DemoSummary) -> str:
    counts = dict(summary.counts)
    flagged, questions = counts.pop("flagged notes", 0), counts.pop("questions", 0)
    counts["notes"] = counts.get("notes", 0) + flagged + questions
    text = " · ".join(f"{counts[k]:,} {k}" for k in ORDER if counts.get(k))
    among = ([f"{flagged:,} flagged for the clinician"] if flagged else []) + (
        [f"{questions:,} question{'s' if questions != 1 else ''} for the next visit"] if questions else [])
    return text + (f" ({', '.join(among)})" if among else "")


def _guide(summary: DemoSummary, *, many_years: bool) -> None:
    me = _how_i_was_run()
    db = shlex.quote(summary.path)
    print("Look around:")
    print(f"  {me} --db {db} substance list")
    print(f"  {me} --db {db} log --since {summary.last_day.replace(day=1):%Y-%m-%d}")
    print(f"  {me} --db {db} substance show escitalopram" if not many_years else
          f"  {me} --db {db} log --kind regimen --since {summary.first_day:%Y-%m-%d}")
    print(f"  {me} --db {db} compare magnesium")
    if many_years:  # the long demo holds a finished self-experiment
        print(f"  {me} --db {db} experiment analyze")
    print(f"  {me} --db {db} check")
    print(f"  {_export_line(summary)}   # to use it with every command in this shell")


def _export_line(summary: DemoSummary) -> str:
    return f"export MEDLOG_DB={shlex.quote(summary.path)}"


def _how_i_was_run() -> str:
    """The hints should work when pasted: `.venv/bin/medlog` if that is how medlog was run."""
    program = sys.argv[0]
    if os.path.basename(program) == "__main__.py":
        return "python -m medlog"
    return shlex.quote(program) if os.sep in program and os.path.exists(program) else "medlog"
