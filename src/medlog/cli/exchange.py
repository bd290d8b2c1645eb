"""export | import: the journal out in a registered export format, and a file's rows back in (services/formats.py:
EXPORT_FORMATS, IMPORTERS)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from medlog.cli.common import journal
from medlog.domain.errors import InputError
from medlog.domain.numbers import format_decimal
from medlog.domain.text import neutral, shown
from medlog.services import exchange, files, formats

TYPE_CHECKING = False
if TYPE_CHECKING:
    from medlog.services.importers.resolve import Plan


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
    mapping = exchange.read_mapping(args.mapping) if args.mapping else None
    zone = exchange.zone_for_import(args.zone, "--zone") if args.zone else None
    j = journal(args)
    with _progress_bar() as progress:
        done = exchange.import_file(j, args.file, args.source, dry_run=args.dry_run, mapping=mapping, zone=zone,
                                    skip_bad=args.skip_bad, progress=progress)
    plan = done.plan
    if plan is not None:
        _print_plan(plan)
    if done.dry_run:
        _say(f"Would import from {done.fmt}: {done.imported.summary.removeprefix('imported ')}")
        _say("Nothing was written (--dry-run).")
    else:
        _say(f"Logged: {done.imported.summary} (read as {done.fmt})")
    return 0


def _say(line: str) -> None:
    """A line of the import's output, neutralised (domain.text.neutral): the plan quotes the file's own labels and
    tags, and this module's standard output is not (main.RAW_OUTPUT: an export writes its document there)."""
    print(neutral(line))


def _print_plan(plan: Plan) -> None:
    """What another app's file becomes: on stdout for --dry-run and the import alike (it is the import's record)."""
    said = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in plan.counts.items() if n) \
        or "nothing to import"
    _say(f"Read {plan.lines} line{'s' if plan.lines != 1 else ''} of {plan.fmt}: {said}")
    if plan.new_substances:
        _say(f"  new substances: {', '.join(plan.new_substances)}")
    for name, journal_name in sorted(plan.matched.items()):
        if name != journal_name:
            _say(f"  {name} is {journal_name}")
    for metric, (low, high) in plan.scales.items():
        _say(f"  {metric}: the file's {format_decimal(low)}–{format_decimal(high)} put on medlog's scale by the "
             "linear rule")
    for metric, labels in plan.labels.items():
        _say(f"  {metric}: " + ", ".join(f"{label} → {format_decimal(value)}" for label, value in labels.items()))
    kinds: dict[str, list[str]] = {}
    for tag, rule in plan.tags.items():
        kinds.setdefault(rule, []).append(tag)
    for rule, tags in kinds.items():
        _say(f"  {'left out' if rule == 'skip' else 'as ' + rule}: {', '.join(sorted(tags))}")
    if plan.averaged_days:
        _say(f"  {plan.averaged_days} day{'s' if plan.averaged_days != 1 else ''} rated more than once: their mean "
             "is kept (medlog keeps one rating a day)")
    if plan.skipped:
        _say(f"  skipped {len(plan.skipped)}:")
        for where, why in plan.skipped:
            _say(f"    {where}: {why}")
