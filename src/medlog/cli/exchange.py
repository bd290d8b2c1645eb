"""export | import: the journal out in a registered export format, and a file's rows back in (services/formats.py:
EXPORT_FORMATS, IMPORTERS)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from medlog.cli.common import journal
from medlog.domain.errors import InputError
from medlog.domain.text import shown
from medlog.services import exchange, files, formats


def export(args: argparse.Namespace) -> int:
    form = formats.export_format(args.format)
    if args.all_notes and not form.all_notes:
        takers = " or ".join(f.name for f in formats.EXPORT_FORMATS.values() if f.all_notes)
        raise InputError(f"--all-notes is for --format {takers} (the {form.name} export leaves no note out)")
    j = journal(args)
    target = args.output
    to_file = bool(target) and target != "-"
    if j.encrypted and not args.quiet:
        print(f"medlog: note: the journal is encrypted, but this export is not encrypted: keep "
              f"{shown(target) if to_file else 'its output'} as safe as the passphrase (--quiet: no note)",
              file=sys.stderr)
    bar = _progress_bar() if form.progress else nullcontext(exchange.quiet)
    # Written while it is read: the document is never held whole (docs/performance.md, "Streaming").
    with bar as progress:
        if not to_file:
            with exchange.exported(j, form.name, all_notes=args.all_notes, progress=progress) as pieces:
                for piece in pieces:
                    sys.stdout.write(piece)
            return 0
        try:
            exchange.export(j, form.name, target, overwrite=args.force, all_notes=args.all_notes, progress=progress)
        except files.Exists:
            raise InputError(f"{shown(target)} already exists; --force replaces it") from None
    if not args.quiet:
        print(f"Exported the {form.what} to {target}", file=sys.stderr)
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
        rows = exchange.read_import(args.file, args.source, progress)  # checked whole; its rows read as written
        result = exchange.import_rows(journal(args), rows, progress)
    print(f"Logged: {result.summary}")
    return 0
