"""compare: each rating before and after one regimen change, with its interval, a verdict and the caveats."""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap

from medlog.analysis.association import Association
from medlog.analysis.before_after import NOT_ENOUGH_DATA, Comparison, Window
from medlog.analysis.wording import figure_cells, mean_text, span
from medlog.cli import args as parse
from medlog.cli.common import journal, local_iso, print_json, wants_json
from medlog.services import compare as service
from medlog.services.compare import CompareReport


def compare(args: argparse.Namespace) -> int:
    j = journal(args)
    found = service.compare(j, " ".join(args.name), metric=args.metric, change_at=parse.day(j, args.change_at),
                            lag=parse.onset_lag(args.lag), window=args.window)
    if wants_json(args):
        return print_json(_json(found, j.zone_name))
    change = found.change
    print(f"{found.substance}, around {change.day:%a %d %b %Y}: {change.text}")
    (b0, b1), (a0, a1) = found.before, found.after
    print(f"Before: {span(b0, b1)}  ·  after: {span(a0, a1)}  ({found.lag} day{'s' if found.lag != 1 else ''} "
          f"between left out)")
    if not found.metrics:
        print("\nNo ratings in these weeks, so there is nothing to compare.")
    else:
        print()
        width = max(12, *(len(m.spec.label) for m in found.metrics))
        print(f"{'':<{width}} {'before':>6} {'after':>5} {'change*':>7}  {'95% interval':<14} verdict")
        for m in found.metrics:
            print(f"{m.spec.label:<{width}} {_row(m.result)}")
        first = found.metrics[0].result
        print(f"\n* allowing for the trend each rating already had; a verdict needs {first.min_days} of "
              f"{first.before.days}\n  days rated in each window (each sentence below says how many were).")
        if any(m.result.together for m in found.metrics):
            print("† of this change and another one nearby together: they cannot be separated.")
        print("\nIn words (each with what it cannot tell):")
        for m in found.metrics:
            _item(m.sentence, "  ")
    if found.confounders:
        print("\nOther changes in these weeks (any of them may matter as much):")
        for c in found.confounders:
            print(f"  {c.day:%a %d %b %Y}  {c.description}")
    _associations(found)
    print("\nWhat this can and cannot say:")
    for caveat in found.caveats:
        _item(caveat, "  - ")
    earlier = [c for c in found.history if c != change]
    if earlier:
        listed = ", ".join(f"{c.day.isoformat()} ({c.kind.replace('_', ' ')})" for c in earlier[-4:])
        print(f"\nOther changes of {found.substance}: {listed}; compare one with --change-at DAY.")
    return 0


def _item(text: str, bullet: str) -> None:
    """One sentence of a list: wrapped with a hanging indent at a terminal, one line when piped (for grep)."""
    if not sys.stdout.isatty():
        print(bullet + text)
        return
    width = max(40, min(100, shutil.get_terminal_size().columns))
    print(textwrap.fill(text, width, initial_indent=bullet, subsequent_indent=" " * len(bullet),
                        break_on_hyphens=False, break_long_words=False))


def _row(r: Comparison) -> str:
    """One metric's figures, to fit 80 columns. With too few days the means are not shown: they would read as a
    result."""
    if r.verdict == NOT_ENOUGH_DATA:
        return f"{'—':>6} {'—':>5} {'—':>7}  {'too few days':<14} {r.verdict}"
    change, interval = figure_cells(r)
    return f"{mean_text(r.before):>6} {mean_text(r.after):>5} {change:>7}  {interval:<14} {r.verdict}"


def _associations(found: CompareReport) -> None:
    """The same-day association of the amount taken with each rating, where there is enough data: in full for
    one metric, or where clear; the rest named in one line."""
    checked = [m for m in found.metrics if any(a.enough for a in m.associations)]
    if not checked:
        return
    unit = f", in {found.amount_unit}" if found.amount_unit else ""
    how = "as needed" if found.as_needed else "on the days it was taken on schedule"
    print(f"\nDay by day since {found.association_since:%d %b} (the amount of {found.substance} each day{unit}, "
          f"{how}):")
    unclear = []
    for m in checked:
        clear = [s for a, s in zip(m.associations, m.association_sentences, strict=True)
                 if s and (a.clear or len(found.metrics) == 1)]
        for sentence in clear:
            _item(sentence, "  ")
        if not clear:
            unclear.append(m.spec.label)
    if unclear:
        print(f"  No clear pattern with: {', '.join(unclear)}.")


def _rounded(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def _window_json(window: Window) -> dict[str, object]:
    return {"from": window.start.isoformat(), "to": window.end.isoformat(), "days": window.days,
            "days_logged": window.n, "completeness": _rounded(window.completeness, 3), "mean": _rounded(window.mean),
            "median": window.median}


def _association_json(a: Association, sentence: str | None) -> dict[str, object]:
    return {"lag_days": a.lag, "pairs": a.n, "days_amount_varied": a.varied, "enough": a.enough,
            "reason": a.reason or None, "rho": _rounded(a.rho, 3), "low": _rounded(a.low, 3),
            "high": _rounded(a.high, 3), "sentence": sentence}


def _checks(r: Comparison) -> dict[str, object]:
    """What each check found, for scripts: the figures behind the verdict."""
    p, spell, missing = r.placebo, r.bad_spell, r.missing
    return {
        "raw_difference": _rounded(r.raw), "raw_low": _rounded(r.raw_low), "raw_high": _rounded(r.raw_high),
        "trend": {"slope_per_week": _rounded(r.slope_per_week, 3), "low": _rounded(r.slope_low, 3),
                  "high": _rounded(r.slope_high, 3), "days": r.trend_days},
        "minimal_detectable_difference": _rounded(r.mdd),
        "placebo": None if p is None else {"dates": p.dates, "as_large": p.as_large, "share": _rounded(p.share, 3),
                                           "enough": p.enough},
        "bad_spell": None if spell is None else {
            "enough": spell.enough, "threshold": _rounded(spell.threshold), "last_week": _rounded(spell.last_week),
            "week_before": _rounded(spell.week_before), "left_out_days": spell.leave_out,
            "verdict_with_them": r.with_bad_spell},
        "missing": None if missing is None else {"fired": missing.fired, "widened_by": _rounded(missing.shift),
                                                 "low_as_if_logged": _rounded(missing.plain_low),
                                                 "high_as_if_logged": _rounded(missing.plain_high)},
        "together": None if r.together is None else dict(zip(("difference", "low", "high"),
                                                              map(_rounded, r.together), strict=True)),
        "nearby_changes": [{"day": c.day.isoformat(), "text": c.description, "substance": c.substance}
                                 for c in r.blocking],
    }


def _json(found: CompareReport, zone: str) -> dict[str, object]:
    c = found.change
    return {
        "format": 1, "substance": found.substance, "today": found.today.isoformat(),
        "change": {"at": local_iso(c.at, zone), "day": c.day.isoformat(), "event": c.kind, "text": c.text},
        "lag_days": found.lag, "lag_from": found.lag_from, "window_days": found.window,
        "before": {"from": found.before[0].isoformat(), "to": found.before[1].isoformat()},
        "after": {"from": found.after[0].isoformat(), "to": found.after[1].isoformat()},
        "confounders": [{"day": x.day.isoformat(), "text": x.description} for x in found.confounders],
        "metrics": [{
            "metric": m.spec.key, "label": m.spec.label, "higher_is_better": m.spec.higher_is_better,
            "verdict": m.result.verdict, "before": _window_json(m.result.before),
            "after": _window_json(m.result.after), "difference": _rounded(m.result.difference),
            "low": _rounded(m.result.low), "high": _rounded(m.result.high), "better_by": _rounded(m.result.better_by),
            "level": m.result.level, "min_days": m.result.min_days, "sentence": m.sentence,
            "claims": m.result.claims, "better": m.result.better, "checks": _checks(m.result),
            "associations": [_association_json(a, sentence)
                             for a, sentence in zip(m.associations, m.association_sentences, strict=True)],
        } for m in found.metrics],
        "association": {"from": found.association_since.isoformat(), "to": found.today.isoformat(),
                        "amount_unit": found.amount_unit, "as_needed": found.as_needed},
        "caveats": list(found.caveats),
        "history": [{"day": h.day.isoformat(), "event": h.kind, "text": h.text} for h in found.history],
    }
