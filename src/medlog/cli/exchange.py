"""export | import: the whole journal as one JSON document, and back."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from itertools import chain

from medlog.cli.common import journal
from medlog.domain.errors import InputError
from medlog.domain.text import shown
from medlog.services import exchange
from medlog.services.files import target as target_file
from medlog.services.files import write_private_pieces


def export(args: argparse.Namespace) -> int:
    if args.all_notes and args.format != "fhir":
        raise InputError("--all-notes is for --format fhir (the json and csv exports hold every note already)")
    j = journal(args)
    target = args.output
    to_file = bool(target) and target != "-"
    if j.encrypted and not args.quiet:
        print(f"medlog: note: the journal is encrypted, but this export is not encrypted: keep "
              f"{shown(target) if to_file else 'its output'} as safe as the passphrase (--quiet: no note)",
              file=sys.stderr)
    what = {"csv": "entries", "fhir": "FHIR bundle"}.get(args.format, "journal")
    bar = _progress_bar() if args.format == "json" else nullcontext(exchange.quiet)
    # Written while it is read: the document is never held whole (docs/performance.md, "Streaming").
    with bar as progress, exchange.exported(j, args.format, all_notes=args.all_notes, progress=progress) as pieces:
        if not to_file:
            for piece in pieces:
                sys.stdout.write(piece)
            return 0
        path = target_file(j, target)
        if args.format == "csv":
            pieces = chain(("\ufeff",), pieces)  # a byte-order mark: how a spreadsheet knows the file is UTF-8
        write_private_pieces(path, pieces)
    if not args.quiet:
        print(f"Exported the {what} to {target}", file=sys.stderr)
    return 0


@contextmanager
def _progress_bar() -> Iterator[exchange.Progress]:
    """A progress bar on stderr when it is a terminal (rich, imported only then); silent otherwise."""
    if not sys.stderr.isatty():
        yield lambda what, done, total: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("", total=None)

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        yield update


def import_file(args: argparse.Namespace) -> int:
    with _progress_bar() as progress:
        data = exchange.read_export(args.file, progress)  # a file's outline: its rows are read again as written
        result = exchange.import_journal(journal(args), data, progress)
    print(f"Logged: {result.summary}")
    return 0
