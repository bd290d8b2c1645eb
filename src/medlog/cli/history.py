"""log and undo."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from medlog.cli import args as parse
from medlog.cli.common import journal, local_iso, print_json_listing, wants_json
from medlog.domain.entries import Entry
from medlog.domain.zones import zone_mark, zone_named
from medlog.services import history
from medlog.store.connection import NoJournal

JSON_FORMAT = 1  # bump when the documented shape changes incompatibly
INDENT = " " * 9  # continuation lines of a multi-line note line up under its text


def log(args: argparse.Namespace) -> int:
    j = journal(args)
    try:
        with history.streamed(j, since=parse.bound(j, args.since), until=parse.bound(j, args.until),
                              kinds=tuple(args.kind or ()),
                              substance=args.substance) as found:
            return _print(args, found, j.zone_name)
    except NoJournal:
        print(f"medlog: note: no journal at {j.path} yet", file=sys.stderr)
        return _print(args, iter(()), j.zone_name) if wants_json(args) else 0


def _print(args: argparse.Namespace, found: Iterator[Entry], zone_name: str) -> int:
    """The entries as they are read: JSON, or lines under a heading per day (written a chunk at a time)."""
    if wants_json(args):
        return print_json_listing({"format": JSON_FORMAT}, "entries", (entry_json(e) for e in found))
    lines: list[str] = []
    day = None
    for entry in found:
        if entry.day != day:
            day = entry.day
            lines.append(f"{day:%a %Y-%m-%d}")
        when = _when(entry, zone_name)
        indent = " " * max(len(INDENT), len(when) + 4)
        lines.append(f"  {when}  {entry.text.replace(chr(10), chr(10) + indent)}")
        if len(lines) >= 500:
            sys.stdout.write("\n".join(lines) + "\n")
            lines = []
    if day is None:
        print("No entries in that range.")
    elif lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _when(entry: Entry, current_zone: str) -> str:
    """The local time in the entry's own zone; a day-level rating has none; after midnight names the day; an
    entry logged in another zone than the current one names that zone ('05:00 (Asia/Tokyo)')."""
    if entry.kind == "rating":
        return "  day"
    local = entry.at.astimezone(zone_named(entry.zone))
    marks = [f"{local:%a}"] if local.date() != entry.day else []
    if mark := zone_mark(entry.zone, current_zone, entry.at):
        marks.append(mark)
    return f"{local:%H:%M}" + (f" ({', '.join(marks)})" if marks else "")


def entry_json(entry: Entry) -> dict[str, object]:
    return {
        "kind": entry.kind, "id": entry.id, "journal_day": entry.day.isoformat(),
        "at": local_iso(entry.at, entry.zone), "zone": entry.zone, "source": entry.source, "text": entry.text,
        **entry.details,
    }


def undo(args: argparse.Namespace) -> int:
    j = journal(args)
    undone = history.undo(j)
    if undone is None:
        print("Nothing to undo.")
        return 0
    print(f"Undid: {undone.summary} (logged {undone.at.astimezone(j.settings.zone):%a %Y-%m-%d %H:%M})")
    return 0
