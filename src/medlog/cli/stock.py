"""`medlog stock`: what is on hand and when it runs out; `stock add|set|details`."""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal

from medlog.cli.common import confirm, journal, local_iso, name_and_amount, print_json, wants_json
from medlog.domain import stock as rules
from medlog.domain.errors import InputError
from medlog.domain.timeparse import When, is_day_text
from medlog.domain.units import Amount
from medlog.services import stock as service
from medlog.services.context import Journal


def add(args: argparse.Namespace) -> int:
    return _write(args, service.add)


def set_count(args: argparse.Namespace) -> int:
    return _write(args, service.set_count)


def _write(args: argparse.Namespace, write: object) -> int:
    name, text = name_and_amount(args.words)
    if text is None:
        raise InputError(f"stock {args.stock_command}: give the amount after the name, like "
                         f"'medlog stock {args.stock_command} {name.split()[0] if name else 'NAME'} 30 tab'")
    amount = rules.parse_stock(text)
    j = journal(args)
    at = _at(j, args.at)
    assert callable(write)
    return confirm(write(j, name, amount, at=at, note=args.note))


def _at(j: Journal, text: str | None) -> When | date | None:
    """`--at`: a day (the pack from the start of that journal day) or a moment; never ahead of now."""
    if text is None:
        return None
    try:
        return j.parse_day(text)
    except InputError as as_day:
        if is_day_text(text):
            raise
        try:
            return j.moment(text)
        except InputError:
            raise as_day from None


def details(args: argparse.Namespace) -> int:
    j = journal(args)
    warn = None if args.warn_days is None else rules.parse_warn_days(args.warn_days)
    refills = None if args.refills is None else rules.parse_refills(args.refills)
    return confirm(service.details(j, " ".join(args.name), warn_days=warn,
                                   default_warn=args.warn_days is not None and warn is None,
                                   pharmacy=args.pharmacy, rx_number=args.rx_number, refills_left=refills))


def show(args: argparse.Namespace) -> int:
    j = journal(args)
    views = service.overview(j)
    if wants_json(args):
        return print_json({"format": 1, "stock": [_json(v, j.zone_name) for v in views]})
    if not views:
        print("No stock recorded yet: add a pack with 'medlog stock add NAME 30 tab'.")
        return 0
    print(f"{'substance':<22}{'on hand':>14}{'a day':>8}{'days left':>11}  {'runs out':<12}refill")
    for v in views:
        per_day = "?" if v.per_day is None else _short(v.per_day)
        days = "—" if v.days_left is None else str(rules.round_days(v.days_left))
        out = "—" if v.run_out is None else f"{v.run_out:%a %d %b}"
        flag = f"needed (warns {v.warn_days} d before)" if v.refill else f"warns {v.warn_days} d before"
        print(f"{v.name[:21]:<22}{rules.amount_text(v.on_hand):>14}{per_day:>8}{days:>11}  {out:<12}{flag}")
        for line in _notes(v):
            print(f"  {line}")
    return 0


def _notes(v: service.StockView) -> list[str]:
    out = []
    d = v.details
    rx = [f"pharmacy {d.pharmacy}" if d.pharmacy else "", f"Rx {d.rx_number}" if d.rx_number else "",
          f"{d.refills_left} refill{'s' if d.refills_left != 1 else ''} left" if d.refills_left is not None else ""]
    if any(rx):
        out.append(", ".join(x for x in rx if x))
    if v.refill:
        out.append(service.refill_text(v))
    if v.per_day is None:
        out.append("its regular dose does not convert to the stock's unit: days left unknown")
    if v.uncounted:
        out.append(f"{v.uncounted} dose{'s' if v.uncounted != 1 else ''} in a unit that does not convert to "
                   f"{v.on_hand.unit} not counted")
    if v.short:
        out.append(f"more was taken than the stock held ({rules.amount_text(Amount(v.short, v.on_hand.unit))}): "
                   "count what is on hand with 'medlog stock set'")
    return out


def _short(value: Decimal) -> str:
    return rules.amount_text(Amount(value, None))


def _json(v: service.StockView, zone: str) -> dict[str, object]:
    d = v.details
    return {"substance": v.name, "on_hand": float(v.on_hand.value), "unit": v.on_hand.unit,
            "since": local_iso(v.since, zone), "per_day": None if v.per_day is None else float(v.per_day),
            "days_left": None if v.days_left is None else float(v.days_left),
            "run_out": None if v.run_out is None else v.run_out.isoformat(), "refill_needed": v.refill,
            "warn_days": v.warn_days, "uncounted_doses": v.uncounted, "pharmacy": d.pharmacy,
            "rx_number": d.rx_number, "refills_left": d.refills_left}
