"""Metrics: the built-ins and the user's own."""

from __future__ import annotations

from medlog.domain.errors import InputError
from medlog.domain.metrics import BUILTIN_METRICS, make_metric
from medlog.domain.text import clean_name
from medlog.services.context import Journal, Logged, logged
from medlog.store import lookup, writes
from medlog.store.connection import NoJournal
from medlog.store.records import MetricRef


def add(journal: Journal, key: str, *, min_text: str, max_text: str, higher_is_better: bool,
        integer: bool = False, unit: str = "", label: str | None = None) -> Logged:
    spec = make_metric(key, min_text=min_text, max_text=max_text, higher_is_better=higher_is_better,
                       integer=integer, unit=clean_name(unit, what="unit") if unit else "",
                       label=clean_name(label, what="label") if label else None)
    if any(builtin.key == spec.key for builtin in BUILTIN_METRICS):  # in every journal: refused before one is made
        raise InputError(f"there is already a metric called {spec.key}")
    with journal.writing() as batch:
        if any(ref.spec.key == spec.key for ref in lookup.metrics(batch.conn)):
            raise InputError(f"there is already a metric called {spec.key}")
        batch.summary = f"added metric {spec.key} ({spec.scale})"
        batch.insert(writes.metric_row(key=spec.key, label=spec.label, min_value=float(spec.min_value),
                             max_value=float(spec.max_value), higher_is_better=spec.higher_is_better,
                             whole_numbers=spec.integer, unit=spec.unit))
    stamp = journal.stamp(batch.now)
    return logged(batch.summary, stamp)


def list_metrics(journal: Journal) -> list[MetricRef]:
    """The built-in metrics and the user's own (built-ins even before the journal exists)."""
    try:
        with journal.reading() as conn:
            return lookup.metrics(conn)
    except NoJournal:
        return [MetricRef(0, spec, True) for spec in BUILTIN_METRICS]
