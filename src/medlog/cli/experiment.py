"""`medlog experiment plan|status|analyze|stop|list`: print what the experiments service found."""

from __future__ import annotations

import argparse
import sys

from medlog.analysis.experiment_wording import CAVEAT, describe_forecast, describe_result, describe_suggestion
from medlog.cli import args as parse
from medlog.cli.common import confirm, journal, print_json, wants_json
from medlog.domain.text import shown
from medlog.services import experiments as service
from medlog.services.experiments import Analysis, Experiment, Planned, Status


def plan(args: argparse.Namespace) -> int:
    j = journal(args)
    request = service.Request(" ".join(args.substance), tuple(args.metric), design=args.design, block=args.block,
                              washout=args.washout, pairs=args.pairs, start=parse.day(j, args.start, future=True),
                              seed=args.seed, with_clinician=args.with_clinician, note=args.note)
    planned = service.plan(j, request, dry_run=args.dry_run)
    if wants_json(args):
        return print_json({"format": 1, **_planned_json(planned)})
    _print_plan(planned)
    return 0


def _print_plan(planned: Planned) -> None:
    experiment = planned.experiment
    rec, cal = experiment.record, experiment.plan
    if planned.logged is None:
        print("Dry run: nothing was written.")
        head = "Would plan"
    else:
        head = f"Planned: experiment {rec.short}"
    print(f"{head} on {shown(rec.substance)} — {rec.design}, {rec.pairs} pairs of {rec.block_days}-day periods, "
          f"{cal.start:%a %Y-%m-%d} to {cal.end:%a %Y-%m-%d} (order {rec.assignment}, seed {rec.seed})")
    for line in _periods(experiment):
        print(f"  {line}")
    first = "The first day" if cal.left_out == 1 else f"The first {cal.left_out} days"
    washout = f"{first} of every period {'is' if cal.left_out == 1 else 'are'} left out of the analysis (washout"
    print(washout + (f"; {rec.substance}'s onset lag is {rec.onset_lag_days} days)." if rec.onset_lag_days
                     and rec.onset_lag_days > rec.washout_days else ")."))
    for label, forecast, suggestion in planned.forecasts:
        print(f"What this design can tell about {label}:")
        for line in describe_forecast(forecast, label):
            print(f"  {line}")
        if suggestion is not None:
            print(f"  {describe_suggestion(suggestion)}")
    changes = len(planned.events)
    verb = "would be" if planned.logged is None else "are"
    print(f"{changes} start/stop change{'s' if changes != 1 else ''} of {shown(rec.substance)} {verb} planned in your "
          "regimen, so Today, due and adherence follow the periods.")
    if planned.logged is not None:
        for note in planned.logged.notes:
            print(f"medlog: note: {note}", file=sys.stderr)


def _periods(experiment: Experiment) -> list[str]:
    cal = experiment.plan
    out = []
    for k, on in enumerate(cal.periods):
        first, last = cal.span(k)
        out.append(f"period {k + 1:>2}  {'on ' if on else 'off'}  {first:%a %d %b %Y} – {last:%a %d %b %Y}")
    return out


def status(args: argparse.Namespace) -> int:
    found = service.status(journal(args), " ".join(args.name) or None)
    if wants_json(args):
        return print_json({"format": 1, "experiments": [_status_json(s) for s in found]})
    if not found:
        print("No experiments yet; plan one with 'medlog experiment plan SUBSTANCE --metric M'.")
    for one in found:
        _print_status(one)
    return 0


def _print_status(one: Status) -> None:
    rec, cal = one.experiment.record, one.experiment.plan
    print(f"Experiment {rec.short} on {shown(rec.substance)} ({rec.design}, {rec.pairs} pairs of {rec.block_days} "
          f"days, {cal.start} to {cal.end}; rating {', '.join(rec.metrics)}): {one.experiment.status}")
    if one.experiment.status == "planned":
        print(f"  Starts {cal.start:%a %Y-%m-%d}, {'on' if cal.periods[0] else 'off'} first; {one.days_left} days "
              "in all.")
    elif one.period is not None:
        phase = "on" if one.on else "off"
        washout = " (washout: not analysed)" if one.washout else ""
        print(f"  Today: period {one.period + 1} of {len(cal.periods)}, {phase}{washout}; "
              f"{one.days_left_in_period} more day{'s' if one.days_left_in_period != 1 else ''} in this period, "
              f"{one.days_left} in the experiment.")
    elif one.experiment.status == "stopped" and rec.stopped_at is not None:
        print(f"  Stopped {rec.stopped_at:%Y-%m-%d}.")
    a = one.adherence
    if a.on_days or a.off_days:
        print(f"  Adherence to the plan so far: taken on {a.on_taken} of {a.on_days} on days; "
              f"not taken on {a.off_free} of {a.off_days} off days.")


def analyze(args: argparse.Namespace) -> int:
    found = service.analyze(journal(args), " ".join(args.name) or None)
    if wants_json(args):
        return print_json({"format": 1, **_analysis_json(found)})
    _print_status(found.status)
    periods = len(found.status.experiment.plan.periods)
    for finding in found.findings:
        if finding.result is None:
            print(f"  {finding.key}: no longer a metric in this journal.")
        else:
            text = describe_result(finding.result, finding.label, found.status.experiment.record.substance,
                                   periods=periods)
            print(f"  {text}")
    print(f"  {CAVEAT}")
    return 0


def stop(args: argparse.Namespace) -> int:
    return confirm(service.stop(journal(args), " ".join(args.name) or None))


def list_experiments(args: argparse.Namespace) -> int:
    found = service.list_experiments(journal(args))
    if wants_json(args):
        return print_json({"format": 1, "experiments": [_experiment_json(e) for e in found]})
    if not found:
        print("No experiments yet; plan one with 'medlog experiment plan SUBSTANCE --metric M'.")
        return 0
    print(f"{'id':<9} {'substance':<22} {'design':<13} {'periods':<9} {'dates':<24} {'status':<8} metrics")
    for e in found:
        rec = e.record
        print(f"{rec.short:<9} {shown(rec.substance)[:22]:<22} {rec.design:<13} "
              f"{f'{2 * rec.pairs}×{rec.block_days}d':<9} {f'{e.plan.start} – {e.plan.end}':<24} {e.status:<8} "
              f"{','.join(rec.metrics)}")
    return 0


# -- JSON ---------------------------------------------------------------------------------------------------------

def _experiment_json(e: Experiment) -> dict[str, object]:
    rec, cal = e.record, e.plan
    return {"id": rec.uuid, "substance": rec.substance, "design": rec.design, "pairs": rec.pairs,
            "block_days": rec.block_days, "washout_days": rec.washout_days, "onset_lag_days": rec.onset_lag_days,
            "left_out_days": cal.left_out, "seed": rec.seed, "assignment": rec.assignment, "metrics": list(rec.metrics),
            "start": cal.start.isoformat(), "end": cal.end.isoformat(), "status": e.status,
            "stopped_at": rec.stopped_at.isoformat() if rec.stopped_at else None,
            "with_clinician": rec.with_clinician, "note": rec.note,
            "periods": [{"first": cal.span(k)[0].isoformat(), "last": cal.span(k)[1].isoformat(),
                         "on": on} for k, on in enumerate(cal.periods)]}


def _planned_json(planned: Planned) -> dict[str, object]:
    forecasts = []
    for label, f, suggestion in planned.forecasts:
        forecasts.append({"metric": label, "orders": f.orders, "admissible_assignments": f.orders,
                          "smallest_p": f.smallest_p, "smallest_p_one_sided": 1 / f.orders,
                          "detectable_difference": f.detectable, "detectable_in_sd": f.in_sd,
                          "sd": f.noise.sd, "phi": f.noise.phi, "from_history_days": f.noise.days,
                          "simulations": f.sims, "problems": list(f.problems),
                          "suggestion": None if suggestion is None else {
                              "pairs": suggestion.pairs, "block_days": suggestion.block_days,
                              "smallest_p": suggestion.smallest_p, "detectable_difference": suggestion.detectable}})
    return {"written": planned.logged is not None, "experiment": _experiment_json(planned.experiment),
            "forecast": forecasts,
            "events": [{"day": e.day.isoformat(), "kind": e.kind, "note": e.note} for e in planned.events]}


def _status_json(one: Status) -> dict[str, object]:
    a = one.adherence
    return {"experiment": _experiment_json(one.experiment),
            "today": {"period": None if one.period is None else one.period + 1, "on": one.on, "washout": one.washout,
                      "days_left_in_period": one.days_left_in_period, "days_left": one.days_left},
            "adherence": {"on_days": a.on_days, "on_taken": a.on_taken, "off_days": a.off_days,
                          "off_not_taken": a.off_free}}


def _analysis_json(found: Analysis) -> dict[str, object]:
    metrics = []
    periods = len(found.status.experiment.plan.periods)
    for finding in found.findings:
        r = finding.result
        entry: dict[str, object] = {"metric": finding.key, "label": finding.label}
        if r is not None:
            entry.update({"difference": r.effect, "low": r.low, "high": r.high, "level": r.level, "p": r.test.p,
                          "orders": r.test.orders, "exact": r.test.exact, "smallest_p": r.test.smallest_p,
                          "on_days": r.on_days, "off_days": r.off_days, "analysable_days": r.analysable,
                          "left_out_days": r.left_out, "completeness": r.completeness, "pairs_used": r.pairs_used,
                          "periods_begun": r.periods_begun,
                          "text": describe_result(r, finding.label, found.status.experiment.record.substance,
                                                  periods=periods)})
        metrics.append(entry)
    return {**_status_json(found.status), "metrics": metrics}
