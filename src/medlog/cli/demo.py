"""medlog demo."""

from __future__ import annotations

import argparse
import shlex

from medlog.services.context import open_demo
from medlog.services.demo.build import build_demo

ORDER = ("substances", "regimen events", "doses taken", "skipped doses", "ratings", "symptoms", "notes",
         "flagged notes")


def demo(args: argparse.Namespace) -> int:
    journal = open_demo(getattr(args, "db", None))
    summary = build_demo(journal, years=args.years, seed=args.seed)
    days = (summary.last_day - summary.first_day).days + 1
    counts = " · ".join(f"{summary.counts.get(k, 0):,} {k}" for k in ORDER if summary.counts.get(k))
    db = shlex.quote(summary.path)
    print(f"Demo journal written to {summary.path} (seed {summary.seed})")
    print(f"  {days:,} days, {summary.first_day:%a %Y-%m-%d} to {summary.last_day:%a %Y-%m-%d}; "
          f"{summary.days_logged:,} with entries")
    print(f"  {counts}")
    print("Look around:")
    print(f"  medlog --db {db} substance list")
    print(f"  medlog --db {db} log --since {summary.last_day.replace(day=1):%Y-%m-%d}")
    print(f"  medlog --db {db} substance show escitalopram" if args.years is None else
          f"  medlog --db {db} log --kind regimen --since {summary.first_day:%Y-%m-%d}")
    print(f"  export MEDLOG_DB={db}   # to use it with every command in this shell")
    print("Your own journal was not touched.")
    return 0
