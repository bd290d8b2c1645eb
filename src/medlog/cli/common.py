"""What every handler shares: opening the journal from the arguments, confirming, printing JSON."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from medlog.services.context import Journal, open_journal
from medlog.services.entries import Logged


def journal(args: argparse.Namespace) -> Journal:
    return open_journal(getattr(args, "db", None))


def wants_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def confirm(logged: Logged) -> int:
    """One line on stdout saying what was written; notes (choices made, cautions) on stderr."""
    local = logged.at.astimezone(ZoneInfo(logged.zone))
    day = "" if local.date() == logged.day else f", journal day {logged.day:%a %d %b}"
    print(f"Logged: {logged.summary} — {local:%a %d %b %H:%M}{day}")
    for note in logged.notes:
        print(f"medlog: note: {note}", file=sys.stderr)
    return 0


def print_json(data: object) -> int:
    import json  # listings only: the quick-log commands never print JSON

    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")
    return 0


def _default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def local_iso(at: datetime, zone: str) -> str:
    return at.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")
