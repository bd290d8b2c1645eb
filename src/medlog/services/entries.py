"""Rating a day, symptoms and notes: the quick-log path (stdlib only). Doses are in doses.py."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.metrics import BUILTIN_METRICS, parse_metric_value, split_assignment
from medlog.domain.names import Candidate, match_name, name_key
from medlog.domain.numbers import format_decimal
from medlog.domain.text import clean_name, clean_note
from medlog.domain.timeparse import When
from medlog.services.context import Journal, Logged, logged
from medlog.store import lookup, writes
from medlog.store.records import MetricRef


def rate(journal: Journal, assignments: list[str], *, day: date | None = None, source: str = "cli") -> Logged:
    """Record ratings for a journal day (default: today's); rating a metric again that day replaces the earlier
    value. Each METRIC=VALUE stays text until here: its scale is the journal's (custom metrics have their own)."""
    if not assignments:
        raise InputError("give at least one rating, like mood=6")
    pairs = [split_assignment(a) for a in assignments]
    target_day = journal.today() if day is None else day
    now = journal.stamp(journal.now())
    if not os.path.exists(journal.path):
        # A new journal will hold only the built-in metrics: check against them before creating the file.
        _parse_ratings(pairs, [MetricRef(0, spec, True) for spec in BUILTIN_METRICS])
    with journal.writing() as batch:
        parsed = _parse_ratings(pairs, lookup.metrics(batch.conn))
        summary = ", ".join(f"{ref.spec.key} {format_decimal(value)}" for ref, value in parsed)
        batch.summary = f"rated {summary} for {target_day.isoformat()}"
        for ref, value in parsed:
            previous = lookup.live_observation(batch.conn, ref.id, target_day)
            if previous is not None:
                batch.delete("observation", previous[0])
            batch.insert(writes.observation_row(metric_id=ref.id, value=float(value), day=target_day,
                                      recorded=now, source=source))
    return Logged(batch.summary, now.at, target_day, now.zone)


def _parse_ratings(pairs: list[tuple[str, str]],
                   refs: list[MetricRef]) -> list[tuple[MetricRef, Decimal]]:
    """Every METRIC=VALUE checked against its scale; all or nothing."""
    candidates = [Candidate(ref.spec.key, ref.spec.key, ref) for ref in refs]
    parsed: dict[str, tuple[MetricRef, Decimal]] = {}
    for metric_name, value_text in pairs:
        ref = match_name(metric_name, candidates, what="metric")
        if ref.spec.key in parsed:
            raise InputError(f"{ref.spec.key} is rated twice in one command")
        parsed[ref.spec.key] = (ref, parse_metric_value(ref.spec, value_text))
    return list(parsed.values())


def symptom(journal: Journal, name: str, severity: int, *, at: When | None = None, note: str | None = None,
            source: str = "cli") -> Logged:
    clean = clean_name(name, what="symptom name")
    if not 0 <= severity <= 10:
        raise InputError(f"severity {severity}: give 0 to 10")  # the parser's range, held for any caller
    note = clean_note(note) if note is not None else None
    stamp, when_note = journal.at(at)
    key = name_key(clean)
    with journal.writing() as batch:
        display = lookup.symptom_names(batch.conn).get(key, clean)
        batch.summary = f"symptom {display} {severity}/10"
        batch.insert(writes.symptom_row(name=display, name_key=key, severity=severity, stamp=stamp, note=note,
                              source=source))
    return logged(batch.summary, stamp, when_note)


def add_note(journal: Journal, text: str, *, at: When | None = None, flagged: bool = False, question: bool = False,
             source: str = "cli") -> Logged:
    """A note for the day; `question`: one to ask at the next visit (the visit report lists those apart)."""
    clean = clean_note(text)
    stamp, when_note = journal.at(at)
    with journal.writing() as batch:
        flat = " / ".join(line.strip() for line in clean.splitlines() if line.strip())
        preview = flat if len(flat) <= 40 else flat[:39] + "…"
        batch.summary = f"{'flagged ' if flagged else ''}{'question' if question else 'note'} “{preview}”"
        batch.insert(writes.note_row(text=clean, flagged=flagged, stamp=stamp, source=source,
                                     kind="question" if question else "note"))
    return logged(batch.summary, stamp, when_note)
