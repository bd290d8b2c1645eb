"""The parser's commands for the journal over a period and for its files: trends, report, export, import, merge,
backup, restore, check, init."""

from __future__ import annotations

import argparse

from medlog.cli import parser_parts as parts

FORCE = "replace FILE if it exists (without: an existing file is refused, and left as it is)"


def export(export: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    from medlog.services.formats import EXPORT_FORMATS, choices_help

    parts.handler(export, "exchange:export")
    export.add_argument("--format", required=True, choices=tuple(EXPORT_FORMATS), help=choices_help(EXPORT_FORMATS))
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    export.add_argument("--force", action="store_true", help=FORCE)
    notes = "/".join(name for name, form in EXPORT_FORMATS.items() if form.all_notes)
    export.add_argument("--all-notes", action="store_true",
                        help=f"{notes}: every note, not only those flagged for the clinician and the questions")
    export.add_argument("-q", "--quiet", action="store_true",
                        help="say nothing on stderr (not that an encrypted journal's export is not encrypted)")


def trends(trends: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(trends, "trends:trends")
    trends.add_argument("--json", action="store_true", help="print JSON (documented in docs/cli.md) instead of text")
    span = trends.add_mutually_exclusive_group()
    span.add_argument("--weeks", type=int, metavar="N", help="how many weeks back (default 12)")
    span.add_argument("--last", metavar="PERIOD",
                      help="the weeks that cover a period to today: 3m, 1y (calendar months and years), 10w, 90d")


def report(report: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    from medlog.services.formats import REPORT_FORMATS, choices_help

    parts.handler(report, "report:report")
    report.add_argument("--format", default=next(iter(REPORT_FORMATS)), choices=tuple(REPORT_FORMATS),
                        help=choices_help(REPORT_FORMATS))
    report.add_argument("--last", metavar="PERIOD",
                        help="the period to today: 90d (default), 12w, 3m or 1y (calendar months and years), or a "
                             "number of days; 7 days to a year")
    report.add_argument("--from", dest="since", metavar="DAY", help="the first journal day (default: 90 days back)")
    report.add_argument("--to", dest="until", metavar="DAY", help="the last journal day (default: today)")
    report.add_argument("--metric", action="append", metavar="M",
                        help="chart this rating (repeat for more; default: sleep_quality, mood, anxiety, pain)")
    report.add_argument("-o", "--output", metavar="FILE",
                        help="write to FILE (default: standard output; a PDF at a terminal goes to "
                             "medlog-report-DAY.pdf)")
    report.add_argument("--force", action="store_true", help=FORCE)


def import_file(imported: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    from medlog.services.formats import IMPORTERS, choices_help

    parts.handler(imported, "exchange:import_file")
    imported.add_argument("file", metavar="FILE", help="the file to import (- for standard input)")
    imported.add_argument("--from", dest="source", choices=tuple(IMPORTERS),
                          help=f"what wrote FILE (default: told from its first bytes) — {choices_help(IMPORTERS)}")
    imported.add_argument("--dry-run", action="store_true",
                          help="show what would be imported — new substances, each label's value, what is skipped, "
                               "with counts — and write nothing")
    imported.add_argument("--map", dest="mapping", metavar="FILE",
                          help="a mapping file (TOML): labels to values, names to your substances, tags to notes or "
                               "symptoms, the file's zone (docs/import.md)")
    imported.add_argument("--zone", metavar="ZONE",
                          help="the time zone the file's times were written in (default: the mapping file's, else "
                               "the current one)")
    imported.add_argument("--skip-bad", action="store_true",
                          help="import the rest when a line cannot be read, and list the lines left out (default: "
                               "import nothing)")


def merge(merged: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(merged, "merge:merge_file")
    merged.add_argument("other", metavar="OTHER",
                        help="another medlog journal file (an encrypted one asks for its passphrase) or a JSON export "
                             "of one (- for standard input); it is only read")
    merged.add_argument("--dry-run", action="store_true", help="say what the merge would change, and write nothing")


def sync(synced: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(synced, "sync:sync")
    synced.add_argument("folder", metavar="DIR",
                        help="a folder your sync tool keeps on every device (Syncthing, Nextcloud, Dropbox, iCloud "
                             "Drive, git); it must exist")
    synced.add_argument("--status", action="store_true",
                        help="say which file is this device's and when each other device last synced; read and "
                             "write nothing else")


def backup(backup: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(backup, "safety:backup")
    backup.add_argument("-o", "--output", metavar="FILE",
                        help="write the copy to FILE (default: a new file in the backups folder beside the journal)")


def restore(restore: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(restore, "safety:restore")
    restore.add_argument("file", metavar="FILE", help="a backup (from the backups folder or 'medlog backup -o')")


def check(check: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(check, "safety:check")


def init(init: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(init, "safety:init")
    init.add_argument("--encrypt", action="store_true",
                      help="encrypt the new journal with a passphrase (MEDLOG_PASSPHRASE, else asked); needs "
                           "pip install 'medlog[encrypt]'")
