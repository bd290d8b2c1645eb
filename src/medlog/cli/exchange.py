"""export | import: the whole journal as one JSON document, and back."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from medlog.cli.common import journal
from medlog.domain.errors import InputError
from medlog.domain.text import shown
from medlog.services import exchange
from medlog.services.context import Journal
from medlog.services.files import target as target_file
from medlog.services.files import write_private


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
    if args.format == "csv":
        text, what = _csv(j), "entries"
        if to_file:
            text = "\ufeff" + text  # a byte-order mark: how a spreadsheet knows the file is UTF-8
    elif args.format == "fhir":
        found = exchange.fhir_bundle(j, all_notes=args.all_notes)
        text, what = json.dumps(found, ensure_ascii=False) + "\n", "FHIR bundle"
    else:
        with _progress_bar() as progress:
            data = exchange.export_journal(j, progress)
        text, what = json.dumps(data, ensure_ascii=False) + "\n", "journal"  # compact: json's C encoder
    if not to_file:
        sys.stdout.write(text)
        return 0
    write_private(target_file(j, target), text.encode("utf-8"))
    if not args.quiet:
        print(f"Exported the {what} to {target}", file=sys.stderr)
    return 0


def _csv(j: Journal) -> str:
    import io

    from medlog.reports.csv_export import write_csv
    from medlog.services.history import everything
    from medlog.store.connection import NoJournal

    try:
        found = everything(j)
    except NoJournal:
        raise InputError(f"there is no journal at {j.path} yet: nothing to export") from None
    out = io.StringIO()
    write_csv(found, out)
    return out.getvalue()


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
    data = _read(args.file)
    with _progress_bar() as progress:
        result = exchange.import_journal(journal(args), data, progress)
    print(f"Logged: {result.summary}")
    return 0


def _read(path: str) -> object:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
    except FileNotFoundError:
        raise InputError(f"{shown(path)}: no such file") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise InputError(f"{shown(path)}: cannot read it as text ({exc.__class__.__name__})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{shown(path)}: not JSON ({exc.msg} at line {exc.lineno}); nothing was imported") from None
    except RecursionError:
        raise InputError(f"{shown(path)}: JSON nested too deeply to be a medlog export; nothing was imported") from None
    except ValueError:  # int parsing's digit limit (sys.get_int_max_str_digits), the one other ValueError here
        raise InputError(f"{shown(path)}: holds a number too long to be a medlog value; nothing was imported") from None
