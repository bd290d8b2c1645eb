"""due and adherence."""

from __future__ import annotations

import argparse

from medlog.cli.common import journal, local_iso, print_json, wants_json
from medlog.domain.adherence import Tally
from medlog.domain.record import as_dict
from medlog.services import adherence as service


def due(args: argparse.Namespace) -> int:
    j = journal(args)
    found = service.due(j)
    refills = service.refills_due(j)
    if wants_json(args):
        return print_json({"format": 1, "due": [
            {"substance": d.name, "slot": d.slot, "due_at": local_iso(d.due, j.zone_name),
             "overdue": d.overdue} for d in found], "refills": [
            {"substance": r.name, "on_hand": float(r.on_hand.value), "unit": r.on_hand.unit,
             "days_left": None if r.days_left is None else float(r.days_left),
             "run_out": None if r.run_out is None else r.run_out.isoformat(), "warn_days": r.warn_days}
            for r in refills]})
    for d in found:
        local = d.due.astimezone(j.settings.zone)
        print(f"{'overdue' if d.overdue else 'due':<8}{local:%H:%M}  {d.name}")
    for r in refills:
        from medlog.services import stock  # only with a refill to say

        print(f"{'refill':<8}{stock.refill_text(r).removeprefix('refill ')}")
    return 0


def adherence(args: argparse.Namespace) -> int:
    j = journal(args)
    report = service.weekly(j, args.weeks)
    window = j.settings.adherence_window.total_seconds() / 3600
    if wants_json(args):
        weeks = [{"from": w.since.isoformat(), "to": w.until.isoformat(),
                  "substances": [_json(n, t) for n, t in w.substances]} for w in report.weeks]
        return print_json({"format": 1, "window_hours": window, "weeks": weeks,
                           "totals": [_json(n, t) for n, t in report.totals]})
    if not report.totals:
        print("No scheduled doses in that time.")
        return 0
    print(f"On time: within {window:g} h of the scheduled time. Unlogged: a day with no entries at all.")
    print(f"{'week':<16}{'substance':<22}{'sched':>6}{'on time':>8}{'late':>6}{'skipped':>8}{'missed':>7}"
          f"{'unlogged':>9}{'taken':>7}")
    for w in report.weeks:
        _rows(f"{w.since:%d %b}–{w.until:%d %b}", w.substances)
    _rows(f"{args.weeks} week{'s' if args.weeks > 1 else ''}", report.totals)
    return 0


def _json(name: str, t: Tally) -> dict[str, object]:
    return {"substance": name, **as_dict(t), "percent_taken": t.percent}


def _rows(label: str, rows: list[tuple[str, Tally]]) -> None:
    for name, t in rows:
        taken = "—" if t.percent is None else f"{t.percent:.0f}%"
        print(f"{label:<16}{name[:21]:<22}{t.scheduled - t.pending:>6}{t.on_time:>8}{t.late:>6}{t.skipped:>8}"
              f"{t.missed:>7}{t.unlogged:>9}{taken:>7}")
        label = ""
