"""The regimen changes in a range, each said as "from → to", for trend markers, confounders and the report."""

from __future__ import annotations

from datetime import date, datetime

from medlog.domain.record import record
from medlog.domain.regimen import RegimenEvent, RegimenState, apply, describe, experiment_of


@record
class Change:
    at: datetime  # UTC
    day: date  # the journal day it was filed under
    substance: str
    kind: str  # start | dose_change | schedule_change | stop
    text: str  # "Escitalopram dose 5 mg → 10 mg"
    experiment: str | None = None  # the short id of the self-experiment whose period it starts or ends


def changes(histories: dict[str, list[tuple[date, RegimenEvent]]], since: date, until: date) -> list[Change]:
    """Every regimen event whose journal day lies in [since, until], oldest first. `histories` holds each
    substance's whole history (journal day, event), so each change can say what it changed from."""
    out = []
    for name, history in histories.items():
        state = RegimenState()
        for day, event in sorted(history, key=lambda pair: pair[1].at):
            if since <= day <= until:
                out.append(Change(event.at, day, name, event.kind, describe(name, event, state),
                                  experiment_of(event.note)))
            state = apply(state, event)
    return sorted(out, key=lambda c: (c.at, c.substance.casefold()))
