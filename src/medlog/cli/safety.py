"""backup, restore, check and init: the journal's safety copies and health, in one plain line each."""

from __future__ import annotations

import argparse
import os
import sys

from medlog.cli.common import journal, passphrase
from medlog.domain.errors import StoreError
from medlog.services import backups


def backup(args: argparse.Namespace) -> int:
    made, entries = backups.backup(journal(args), args.output)
    print(f"Backed up the journal ({_entries(entries)}) to {made}")
    return 0


def restore(args: argparse.Namespace) -> int:
    j = journal(args)
    done = backups.restore(j, args.file)
    print(f"Restored {j.path} from {done.source} ({_entries(done.entries)})")
    if done.aside:
        print(f"medlog: note: the journal as it was is kept at {done.aside}", file=sys.stderr)
    return 0


def check(args: argparse.Namespace) -> int:
    health = backups.check(journal(args))
    for path in health.removed:
        print(f"medlog: note: removed {path}, a temporary copy left by a medlog that was stopped mid-write",
              file=sys.stderr)
    backup_line = (f"newest good backup {health.newest_backup}" if health.newest_backup
                   else "no backup yet (one is taken on each day's first entry; 'medlog backup' makes one now)")
    if health.problems:
        way_back = f"; restore it with: medlog restore {health.newest_backup}" if health.newest_backup else ""
        print(f"medlog: the journal {health.path} is damaged: {health.problems[0]}"
              f"{f' (and {len(health.problems) - 1} more)' if len(health.problems) > 1 else ''}{way_back}",
              file=sys.stderr)
        return 1
    print(f"The journal {health.path} is sound: {_entries(health.entries)}, schema {health.schema}, "
          f"{_size(health.size)}; {backup_line}")
    return 0


def init(args: argparse.Namespace) -> int:
    j = journal(args)
    existed = os.path.exists(j.path) and os.path.getsize(j.path) > 0
    if args.encrypt and not existed:
        backups.create(j, passphrase=passphrase("A passphrase for the new journal: ", confirm=True))
        print(f"Created the encrypted journal at {j.path}")
        print("medlog: note: without the passphrase nothing in it can be read, by medlog or anyone; keep it "
              "somewhere safe", file=sys.stderr)
        return 0
    if args.encrypt and not j.encrypted:
        raise StoreError(f"the journal {j.path} exists already and is not encrypted; to encrypt it: medlog export "
                         "--format json -o FILE, move the journal away, medlog init --encrypt, medlog import FILE")
    backups.create(j)
    print(f"The journal already exists at {j.path}" if existed else f"Created the journal at {j.path}")
    return 0


def _entries(count: int) -> str:
    return f"{count:,} entr{'y' if count == 1 else 'ies'}"


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, size // 1024)} KB"
