"""When symptoms cluster after doses: of a symptom's reports, how many came within some hours after a dose of
the same substance. Counted, never explained: with a daily medicine some overlap is expected by chance."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from medlog.domain.record import record

AFTER_HOURS = 6  # a report within this many hours after a dose counts as "after" it
MIN_REPORTS = 3  # fewer reports than this say nothing about timing
MIN_SHARE = 0.5  # a substance is named only when at least this share of the reports followed one of its doses


@record
class AfterDose:
    substance: str
    within: int  # reports within `hours` after one of its doses
    reports: int  # all the symptom's reports
    hours: int


def after_dose(reports: Sequence[datetime], doses: Mapping[str, Sequence[datetime]], hours: int = AFTER_HOURS,
               min_reports: int = MIN_REPORTS, min_share: float = MIN_SHARE) -> AfterDose | None:
    """The substance whose doses most of a symptom's reports followed within `hours`, or None when there are too
    few reports or no substance reaches `min_share` of them. `doses` holds each substance's instants, sorted.
    Ties go to the substance named first in alphabetical order, so the answer does not depend on dict order."""
    if len(reports) < min_reports:
        return None
    span = timedelta(hours=hours)
    best: AfterDose | None = None
    for name in sorted(doses, key=str.casefold):
        within = sum(1 for at in reports if _follows(at, doses[name], span))
        if within >= min_share * len(reports) and (best is None or within > best.within):
            best = AfterDose(name, within, len(reports), hours)
    return best


def _follows(at: datetime, instants: Sequence[datetime], span: timedelta) -> bool:
    """Whether a dose lies in [at - span, at]: the latest one at or before `at` is the one to check."""
    i = bisect_left(instants, at + timedelta(microseconds=1))
    return i > 0 and at - instants[i - 1] <= span
