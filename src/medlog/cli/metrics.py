"""metric add / metric list."""

from __future__ import annotations

import argparse

from medlog.cli.common import confirm, journal, print_json, wants_json
from medlog.services import metrics


def add(args: argparse.Namespace) -> int:
    return confirm(metrics.add(journal(args), args.name, min_text=args.min, max_text=args.max,
                               higher_is_better=args.higher_is_better, integer=args.integer, unit=args.unit,
                               label=args.label))


def list_metrics(args: argparse.Namespace) -> int:
    refs = metrics.list_metrics(journal(args))
    if wants_json(args):
        return print_json({"metrics": [{
            "name": r.spec.key, "label": r.spec.label, "min": float(r.spec.min_value),
            "max": float(r.spec.max_value), "higher_is_better": r.spec.higher_is_better,
            "whole_numbers": r.spec.integer, "unit": r.spec.unit, "builtin": r.builtin,
        } for r in refs]})
    width = max(len(r.spec.key) for r in refs)
    for r in refs:
        origin = "" if r.builtin else "  (yours)"
        print(f"{r.spec.key:<{width}}  {r.spec.scale}{origin}")
    return 0


