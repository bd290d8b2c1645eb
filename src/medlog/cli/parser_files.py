"""The parser's commands for the journal over a period and for its files: trends, report, export, import, backup,
restore, check, init."""

from __future__ import annotations

import argparse


def _handler(sub: argparse.ArgumentParser, handler: str) -> None:
    sub.set_defaults(handler=handler)


def export(export: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    _handler(export, "exchange:export")
    export.add_argument("--format", required=True, choices=("json", "csv", "fhir"),
                        help="json: the whole journal, every table and the change log (import restores it); "
                             "csv: every entry, a row each, for a spreadsheet; fhir: a FHIR R4 Bundle")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    export.add_argument("--all-notes", action="store_true",
                        help="fhir: every note, not only those flagged for the clinician and the questions")
    export.add_argument("-q", "--quiet", action="store_true",
                        help="say nothing on stderr (not that an encrypted journal's export is not encrypted)")


def trends(trends: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    _handler(trends, "trends:trends")
    trends.add_argument("--json", action="store_true", help="print JSON (documented in docs/cli.md) instead of text")
    span = trends.add_mutually_exclusive_group()
    span.add_argument("--weeks", type=int, metavar="N", help="how many weeks back (default 12)")
    span.add_argument("--last", metavar="PERIOD",
                      help="the weeks that cover a period to today: 3m, 1y (calendar months and years), 10w, 90d")


def report(report: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    _handler(report, "report:report")
    report.add_argument("--format", default="pdf", choices=("pdf", "html", "md"),
                        help="pdf (default), html (one file, charts inline) or md (Markdown, to paste into a "
                             "patient portal)")
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


def import_file(imported: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    _handler(imported, "exchange:import_file")
    imported.add_argument("file", metavar="FILE", help="a file from 'medlog export --format json' (- for stdin)")


def backup(backup: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    _handler(backup, "safety:backup")
    backup.add_argument("-o", "--output", metavar="FILE",
                        help="write the copy to FILE (default: a new file in the backups folder beside the journal)")


def restore(restore: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    _handler(restore, "safety:restore")
    restore.add_argument("file", metavar="FILE", help="a backup (from the backups folder or 'medlog backup -o')")


def check(check: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    _handler(check, "safety:check")


def init(init: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    _handler(init, "safety:init")
    init.add_argument("--encrypt", action="store_true",
                      help="encrypt the new journal with a passphrase (MEDLOG_PASSPHRASE, else asked); needs "
                           "pip install 'medlog[encrypt]'")
