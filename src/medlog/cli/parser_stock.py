"""The parser's `stock` commands: a new pack, a count, the refill details, and what is on hand (issue 20)."""

from __future__ import annotations

import argparse

from medlog.cli import parser_parts as parts

AT = ("when: a day (2026-11-20, yesterday: from the start of that journal day) or a moment ('yesterday 18:00'); "
      "not ahead of now (default: now)")


def stock(stock: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(stock, "stock:show")
    parts.add_json(stock)
    commands = stock.add_subparsers(dest="stock_command", metavar="COMMAND", parser_class=type(stock))

    def sub(name: str, handler: str, help_text: str) -> argparse.ArgumentParser:
        p = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        parts.handler(p, f"stock:{handler}")
        return p

    for name, handler, help_text in (
            ("add", "add", "a new pack: its amount is added to what is on hand"),
            ("set", "set_count", "what is on hand, counted: the reckoning starts again from it")):
        p = sub(name, handler, help_text)
        p.add_argument("words", metavar="NAME AMOUNT", nargs="+",
                       help="substance name, alias or unique prefix, then the amount: '30 tab', '250 g', '0' (set); "
                            "a bare number is in the stock's unit, else the unit of form or the dose's")
        p.add_argument("--at", metavar="DAY", help=AT)
        p.add_argument("--note", metavar="TEXT", help="a note kept with it (the pharmacy, a batch number…)")
        parts.key(p)

    details = sub("details", "details", "the refill warning and the optional prescription details of a substance")
    details.add_argument("name", metavar="NAME", nargs="+", help="substance name, alias or unique prefix")
    details.add_argument("--warn-days", metavar="DAYS",
                         help="ask for a refill this many days before the run-out date: 0 to 90, or 'default' (7)")
    details.add_argument("--pharmacy", metavar="NAME", help="the pharmacy ('' clears it)")
    details.add_argument("--rx-number", metavar="TEXT", help="the prescription's number ('' clears it)")
    details.add_argument("--refills", metavar="N", help="refills left on the prescription (0 to 99)")
