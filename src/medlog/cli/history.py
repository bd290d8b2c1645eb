"""log and undo."""

from __future__ import annotations

import argparse
from zoneinfo import ZoneInfo

from medlog.cli.common import journal, local_iso, print_json, wants_json
from medlog.domain.entries import Entry
from medlog.services import history

JSON_FORMAT = 1  # bump when the documented shape changes incompatibly


def log(args: argparse.Namespace) -> int:
    found = history.log(journal(args), since=args.since, until=args.until, kinds=tuple(args.kind or ()))
    if wants_json(args):
        return print_json({"format": JSON_FORMAT, "entries": [entry_json(e) for e in found]})
    if not found:
        print("No entries in that range.")
        return 0
    day = None
    for entry in found:
        if entry.day != day:
            day = entry.day
            print(f"{day:%a %Y-%m-%d}")
        local = entry.at.astimezone(ZoneInfo(entry.zone))
        time = "  --:--" if entry.kind == "rating" else f"  {local:%H:%M}"
        print(f"{time}  {entry.text}")
    return 0


def entry_json(entry: Entry) -> dict[str, object]:
    return {
        "kind": entry.kind, "id": entry.id, "journal_day": entry.day.isoformat(),
        "at": local_iso(entry.at, entry.zone), "zone": entry.zone, "source": entry.source, "text": entry.text,
        **entry.details,
    }


def undo(args: argparse.Namespace) -> int:
    undone = history.undo(journal(args))
    print(f"Undid: {undone}" if undone else "Nothing to undo.")
    return 0
