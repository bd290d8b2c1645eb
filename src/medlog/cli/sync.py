"""sync DIR [--status]: one journal across devices through a folder another tool syncs (services/sync.py)."""

from __future__ import annotations

import argparse
import sys

from medlog.cli.common import journal
from medlog.domain.text import counted, shown
from medlog.services import sync as service


def sync(args: argparse.Namespace) -> int:
    done = service.sync(journal(args), args.folder, status=args.status)
    for problem in done.left_alone:
        print(f"medlog: note: {problem}", file=sys.stderr)
    if args.status:
        print(f"This device writes {done.mine} in {shown(done.folder)}.")
        if not done.peers:
            print("No other device's file there yet.")
        for peer in done.peers:
            print(f"  {peer.device}: last wrote {peer.written.astimezone():%a %Y-%m-%d %H:%M}")
        return 0
    read = sum(p.merged for p in done.peers)
    if not done.peers:
        others = "no other device's file there yet"
    else:
        same = len(done.peers) - read - sum(p.problem is not None for p in done.peers)
        said = [f"{counted(read, 'device file')} merged"] if read else []
        said += [f"{counted(same, 'device file')} unchanged since the last sync"] if same else []
        others = ", ".join(said) or "no device file could be merged"
    added = f", {counted(done.added, 'entry')} added" if done.added else ""
    wrote = "this device's file written" if done.wrote else "nothing new to write"
    print(f"Synced with {shown(done.folder)}: {others}{added}; {wrote}")
    return 0
