"""merge: another journal (a journal file or a JSON export) joined into this one (services/merge.py)."""

from __future__ import annotations

import argparse

from medlog.cli.common import journal, passphrase
from medlog.domain.text import shown
from medlog.services import merge


def merge_file(args: argparse.Namespace) -> int:
    j = journal(args)
    key = passphrase(f"Passphrase for {shown(args.other)}: ") if merge.needs_passphrase(args.other) else None
    done = merge.merge_file(j, args.other, passphrase=key, dry_run=args.dry_run)
    if done.dry_run:
        print(f"Would merge {shown(args.other)}: {done.counts}")
        print("Nothing was written (--dry-run).")
    else:
        print(f"Logged: {done.summary}")
    return 0
