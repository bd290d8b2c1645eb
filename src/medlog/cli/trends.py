"""trends: a compact weekly table, one sparkline per metric, the regimen changes and the symptoms."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from medlog.analysis.weekly import week_change, week_of
from medlog.cli.common import journal, local_iso, print_json, wants_json
from medlog.domain.adherence import Tally
from medlog.domain.periods import parse_period
from medlog.domain.record import as_dict, fields
from medlog.services import trends as service
from medlog.services.adherence import Week
from medlog.services.trends import Trends

BARS = "▁▂▃▄▅▆▇█"
_NONE = service.DoseWeek(0, 0, 0)
SHORT = {"sleep_hours": "sleep h", "sleep_quality": "sleep q"}


def trends(args: argparse.Namespace) -> int:
    j = journal(args)
    if args.last is not None:
        weeks = service.weeks_for(j, parse_period(args.last))
    else:
        weeks = service.DEFAULT_WEEKS if args.weeks is None else args.weeks
    found = service.weekly(j, weeks)
    if wants_json(args):
        return print_json(_json(found, j.zone_name))
    rated = [m for m in found.metrics if m.weeks]
    if not rated and not found.logged:
        print("Nothing logged in that time.")
        if not os.path.exists(j.path):
            print(f"medlog: note: no journal at {j.path} yet", file=sys.stderr)
        return 0
    print(f"Weekly means of your ratings, {found.weeks} week{'s' if found.weeks > 1 else ''} to "
          f"{found.end:%a %d %b %Y}; * a regimen change that week (listed below).")
    heads = [SHORT.get(m.spec.key, m.spec.key)[:8] for m in rated]
    print(f"{'week':<15}{'logged':>7}" + "".join(f"{h:>9}" for h in heads) + f"{'taken':>7}")
    changed = {week_of(found.end, c.day) for c in found.changes}
    taken = _taken_by_week(found)
    for week in range(found.weeks - 1, -1, -1):
        since, until = found.bounds(week)
        cells = "".join(f"{m.weeks[week].mean:>9.1f}" if week in m.weeks else f"{'—':>9}" for m in rated)
        label = f"{since:%d %b}–{until:%d %b}" + ("*" if week in changed else "")
        print(f"{label:<15}{found.logged.get(week, 0):>5}/7" + cells + f"{taken.get(week, '—'):>7}")
    if rated:
        print()
        width = max(len(m.spec.label) for m in rated)
        for m in rated:
            print(f"{m.spec.label:<{width}}  {_spark(m, found.weeks)}  ({m.spec.scale})")
    if found.changes:
        print("\nRegimen changes")
        for c in found.changes:
            print(f"  {c.day:%a %d %b}  {c.text}")
    _as_needed(found)
    _symptoms(found)
    return 0


def _as_needed(found: Trends) -> None:
    counted = {name: weeks for name, weeks in sorted(found.doses.items()) if any(w.as_needed for w in weeks.values())}
    if counted:
        print("\nAs-needed and extra doses (per week, oldest first)")
    for name, weeks in counted.items():
        counts = " ".join(f"{weeks.get(w, _NONE).as_needed:>2}" for w in range(found.weeks - 1, -1, -1))
        print(f"  {name[:24]:<24} {counts}")


def _symptoms(found: Trends) -> None:
    if found.symptoms:
        print("\nSymptoms (reports in the span; mean and worst severity, 0–10)")
        for name, weeks in sorted(found.symptoms.items(), key=lambda kv: -sum(w.reports for w in kv[1].values())):
            reports = sum(w.reports for w in weeks.values())
            mean = sum(w.mean_severity * w.reports for w in weeks.values()) / reports
            worst = max(w.worst for w in weeks.values())
            print(f"  {name[:24]:<24} {reports:>4}×  mean {mean:.1f}  worst {worst}")


def _spark(metric: service.MetricTrend, weeks: int) -> str:
    """One bar per week, oldest first, scaled to the metric's own scale (not to the data: a flat line stays
    flat); a space for a week without ratings."""
    low, high = float(metric.spec.min_value), float(metric.spec.max_value)
    out = []
    for week in range(weeks - 1, -1, -1):
        stats = metric.weeks.get(week)
        if stats is None:
            out.append(" ")
            continue
        share = (stats.mean - low) / (high - low)
        out.append(BARS[min(len(BARS) - 1, max(0, int(share * len(BARS))))])
    return "".join(out)


def _taken_by_week(found: Trends) -> dict[int, str]:
    """Scheduled doses taken that week, over every scheduled substance."""
    out = {}
    for week, w in enumerate(found.adherence.weeks):
        total = Tally(*(sum(getattr(t, f) for _, t in w.substances) for f in fields(Tally)))
        if total.percent is not None:
            out[week] = f"{total.percent:.0f}%"
    return out


def _json(found: Trends, zone: str) -> dict[str, object]:
    weeks = []
    adherence_weeks: Sequence[Week | None] = found.adherence.weeks or [None] * found.weeks
    for week, adherence_week in zip(range(found.weeks), adherence_weeks, strict=True):
        since, until = found.bounds(week)
        weeks.append({
            "from": since.isoformat(), "to": until.isoformat(), "days_logged": found.logged.get(week, 0),
            "metrics": {m.spec.key: _metric_json(m, week) for m in found.metrics if week in m.weeks},
            "symptoms": {name: {"reports": s[week].reports, "days": s[week].days,
                                "mean_severity": round(s[week].mean_severity, 2), "worst": s[week].worst}
                         for name, s in found.symptoms.items() if week in s},
            "adherence": [{"substance": name, **as_dict(t), "percent_taken": t.percent}
                          for name, t in (adherence_week.substances if adherence_week else [])],
            "doses": {name: as_dict(d[week]) for name, d in sorted(found.doses.items()) if week in d},
        })
    return {"format": 1, "to": found.end.isoformat(), "weeks": weeks,
            "changes": [{"at": local_iso(c.at, zone), "day": c.day.isoformat(), "substance": c.substance,
                         "event": c.kind, "text": c.text} for c in found.changes]}


def _metric_json(m: service.MetricTrend, week: int) -> dict[str, object]:
    s = m.weeks[week]
    change = week_change(m.weeks, week)
    return {"days": s.days, "mean": round(s.mean, 2), "median": s.median, "min": s.low, "max": s.high,
            "change": None if change is None else round(change, 2)}
