"""Before and after one regimen change, metric by metric, and the day-by-day association with the amount taken.

The store reads plain rows (daily ratings, doses per day and unit); analysis/ computes; this module picks the
change, the lag and the windows, converts amounts to one unit, and gathers the wording. It never says "caused".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from medlog.analysis.association import Association, associate
from medlog.analysis.before_after import (
    MIN_DAYS,
    NOT_ENOUGH_DATA,
    WINDOW_DAYS,
    Comparison,
    Confounder,
    windows,
    within,
)
from medlog.analysis.before_after import compare as compare_values
from medlog.analysis.changes import Change, changes
from medlog.analysis.wording import change_action, comparison_caveats, describe_association, describe_comparison
from medlog.domain.errors import InputError
from medlog.domain.metrics import MetricSpec
from medlog.domain.names import match_name
from medlog.domain.record import record, replace
from medlog.domain.regimen import MAX_ONSET_LAG, ONSET_LAG_DAYS, RegimenEvent, Timeline, is_scheduled, regimen_at
from medlog.domain.text import clean_name
from medlog.domain.units import convert, to_dose_units
from medlog.services.context import Journal
from medlog.store import lookup
from medlog.store import trends as reads
from medlog.store.connection import NoJournal
from medlog.store.records import SubstanceRef, amount_of

ASSOCIATION_DAYS = 90  # the span of the day-by-day association: the last three months, like a visit report
MAX_WINDOW = 182


@record
class MetricComparison:
    spec: MetricSpec
    result: Comparison
    sentence: str  # describe_comparison's words, without the other changes (the report lists them once)
    associations: tuple[Association, ...]  # the same day's (shown only when `enough`); none without doses
    association_sentences: tuple[str | None, ...]  # one per association; None where there is not enough data


@record
class CompareReport:
    substance: str
    change: Change  # the change compared around
    history: tuple[Change, ...]  # every change of this substance so far, oldest first (to pick another)
    lag: int
    lag_from: str  # "default", "substance" (its own onset lag) or "option" (--lag)
    window: int
    today: date
    amount_unit: str | None  # the unit daily amounts were summed in ("doses" when only counts were possible)
    as_needed: bool  # taken as needed in the association's span: the dose follows the day, said so
    association_since: date
    before: tuple[date, date]  # the windows' first and last days
    after: tuple[date, date]
    confounders: tuple[Confounder, ...]  # the other changes from the first day of one window to the last of the other
    metrics: tuple[MetricComparison, ...]
    caveats: tuple[str, ...]


def past_changes(journal: Journal) -> list[Change]:
    """Every regimen change of every substance that has happened, the newest first, each on the journal day it
    was filed under (what `compare` is asked about; planned changes cannot be compared yet, and a self-experiment's
    periods are analysed as an experiment)."""
    try:
        with journal.reading() as conn:
            histories = reads.regimen_histories(conn)
    except NoJournal:
        return []
    return [c for c in reversed(happened(histories, journal.today(), journal.now())) if c.experiment is None]


def happened(histories: dict[str, list[tuple[date, RegimenEvent]]], today: date, now: datetime) -> list[Change]:
    """Every change so far, oldest first: planned ones (after `now`) cannot be compared yet."""
    return [c for c in changes(histories, date.min, today) if c.at <= now]


def compare(journal: Journal, name: str, *, metric: str | None = None, change_at: date | None = None,
            lag: int | None = None, window: int = WINDOW_DAYS, instant: datetime | None = None,
            keys: Sequence[str] | None = None, associations: bool = True) -> CompareReport:
    """The before/after of every rated metric (or just `metric`, or the metrics with these `keys`, in their
    order) around the latest change of `name` that has happened (or the one filed on journal day `change_at`,
    or the one at `instant` — a change picked from a list, when a day holds two). `associations`: False leaves
    out the day-by-day association (the visit report shows the before/after only)."""
    if not 7 <= window <= MAX_WINDOW:
        raise InputError(f"--window {window}: give whole days from 7 to {MAX_WINDOW}")
    if lag is not None and not 0 <= lag <= MAX_ONSET_LAG:
        raise InputError(f"--lag {lag}: give whole days from 0 to {MAX_ONSET_LAG}")
    lag_days = lag
    today, now = journal.today(), journal.now()
    try:
        with journal.reading() as conn:
            substance = match_name(clean_name(name, what="substance name"), lookup.substance_candidates(conn),
                                   what="substance")
            specs = [ref.spec for ref in lookup.metrics(conn)]
            histories = reads.regimen_histories(conn)
            if metric is not None:
                specs = [metric_named(metric, specs)]
            elif keys is not None:
                by_key = {spec.key: spec for spec in specs}
                specs = [by_key[key] for key in keys if key in by_key]
            past = happened(histories, today, now)
            # a self-experiment's starts and stops are its periods, analysed by `experiment analyze`, not changes
            # to compare one by one (each one's after window holds the next switches)
            mine = tuple(c for c in past if c.substance == substance.name and c.experiment is None)
            chosen = _chosen(substance.name, mine, change_at, instant)
            if lag_days is None:
                lag_days, lag_from = ((substance.onset_lag, "substance") if substance.onset_lag is not None
                                      else (ONSET_LAG_DAYS, "default"))
            else:
                lag_from = "option"
            before_start, before_end, after_start, after_end = windows(chosen.day, window, lag_days)
            # the whole history up to the after window's end: the placebo dates and the worst weeks come from it
            around = reads.daily_values(conn, date.min, max(after_end, today))
            since = today - timedelta(days=ASSOCIATION_DAYS - 1)
            unit: str | None = None
            amounts: dict[date, float] = {}
            as_needed = False
            # Only as-needed doses vary day by day for a reason of the day's own, and that reason is the symptom:
            # said as such. A scheduled substance's amounts vary by its on/off weeks and dose changes, which are
            # a before/after (compared above), not a dose-response, and by skipped doses, which follow the day
            # too: nothing is said of them day by day.
            if associations and _as_needed(histories[substance.name], since, today):
                as_needed = True
                unit, amounts = _amounts(reads.daily_doses(conn, substance.id, since, today),
                                         reads.logged_days(conn, since, today), substance,
                                         _dose_unit(histories[substance.name], chosen))
    except NoJournal:
        raise InputError("there is no journal yet: nothing to compare") from None
    others = [c for c in past if c != chosen]
    action = change_action(chosen)
    results = []
    for spec in specs:
        values = around.get(spec.key, {})
        result = _compare_values(values, chosen.day, spec.higher_is_better, window, lag_days, others,
                                 substance.name, today)
        if metric is None and keys is None and result.before.n == 0 and result.after.n == 0:
            continue  # never rated around this change: nothing to say
        found = (associate(amounts, {d: v for d, v in values.items() if d >= since}),) if amounts else ()
        said = tuple(describe_association(a, substance.name, spec.label,
                                          higher_is_better=spec.higher_is_better) for a in found)
        sentence = describe_comparison(result, spec.label, action, confounders=False)
        results.append(MetricComparison(spec, result, sentence, found, said))
    caveats = comparison_caveats(chosen.substance, lag_days, lag_from, after_start, after_end, today)
    return CompareReport(substance.name, chosen, mine, lag_days, lag_from, window, today, unit, as_needed, since,
                         (before_start, before_end), (after_start, after_end),
                         within(others, before_start, after_end), tuple(results), caveats)


def _as_needed(history: list[tuple[date, RegimenEvent]], since: date, today: date) -> bool:
    """Whether the substance was taken as needed on most of the days it was active in [since, today]."""
    timeline = Timeline([event for _, event in history])
    as_needed = scheduled = 0
    for offset in range((today - since).days + 1):
        state = timeline.at(datetime.combine(since + timedelta(days=offset), time(12), UTC))
        if state.active and state.schedule is not None and state.schedule.as_needed:
            as_needed += 1
        elif is_scheduled(state):
            scheduled += 1
    return as_needed > scheduled


def _compare_values(values: dict[date, float], day: date, higher_is_better: bool, window: int, lag_days: int,
                    others: list[Change], substance: str, today: date) -> Comparison:
    if window >= MIN_DAYS:
        return compare_values(values, day, higher_is_better=higher_is_better, window_days=window, lag_days=lag_days,
                              other_changes=others, substance=substance, until=today)
    # A window shorter than the logged days a verdict needs (MIN_DAYS, "not enough data below 14 logged days in
    # either window", docs/cli.md) can never hold enough: said so, with the windows' own figures. (The analysis
    # refuses a minimum above the window, which made `--window 7` an internal error.)
    short = compare_values(values, day, higher_is_better=higher_is_better, window_days=window, lag_days=lag_days,
                           min_days=window, other_changes=others, substance=substance, history=False, until=today)
    return replace(short, difference=None, low=None, high=None, better_by=None, better_low=None, better_high=None,
                   raw=None, raw_low=None, raw_high=None, verdict=NOT_ENOUGH_DATA, min_days=MIN_DAYS)


def metric_named(text: str, specs: list[MetricSpec]) -> MetricSpec:
    """A metric by key or label ('sleep_quality', 'sleep quality'), or a unique prefix ('sleep_q')."""
    key = text.strip().casefold().replace(" ", "_").replace("-", "_")
    exact = [s for s in specs if key in (s.key, s.label.casefold().replace(" ", "_"))]
    found = exact or [s for s in specs if s.key.startswith(key)]
    if len(found) == 1:
        return found[0]
    known = ", ".join(s.key for s in (found or specs))
    lead = "could be" if found else "is not a metric; known:"
    raise InputError(f"--metric {text.strip()!r} {lead} {known}")


def _chosen(name: str, mine: tuple[Change, ...], day: date | None, instant: datetime | None) -> Change:
    if not mine:
        raise InputError(f"{name} has no regimen change that has happened yet (only planned ones)")
    if instant is not None:
        exact = [c for c in mine if c.at == instant]
        if exact:
            return exact[0]
        raise InputError(f"{name} has no regimen change at {instant.isoformat()} (changed since?)")
    if day is None:
        return mine[-1]
    on_day = [c for c in mine if c.day == day]
    if on_day:
        return on_day[-1]  # two on one day (started, then the dose changed): the later one shapes the weeks after
    listed = ", ".join(f"{c.day.isoformat()} {c.kind.replace('_', ' ')}" for c in mine[-6:])
    raise InputError(f"{name} has no regimen change on {day.isoformat()}; its changes: {listed}")


def _dose_unit(history: list[tuple[date, RegimenEvent]], change: Change) -> str | None:
    """The unit of the regimen dose around the change (after it, or before a stop), to sum amounts in."""
    events = [event for _, event in history]
    state = regimen_at(events, change.at)
    if state.dose is None or state.dose.unit is None:
        state = regimen_at(events, change.at - timedelta(microseconds=1))
    return state.dose.unit if state.dose is not None else None


def _amounts(rows: list[tuple], kept: set[str], substance: SubstanceRef,
             unit: str | None) -> tuple[str | None, dict[date, float]]:
    """Journal day → the amount taken that day, in one unit; 0 on logged days without a dose, absent on days
    with no entries at all (not knowing is not taking none). When some dose has no amount, or one in a unit
    that does not convert (tablets of a substance with no strength), every day counts doses instead, so that
    no day is compared on a different footing."""
    if not rows:
        return None, {}
    unit = unit or _most_common_unit(rows)
    totals: dict[date, float] = {date.fromisoformat(day): 0.0 for day in kept}
    counts = dict(totals)
    exact = unit is not None
    for day, row_unit, total, doses, without in rows:
        when = date.fromisoformat(day)
        counts[when] = counts.get(when, 0.0) + doses
        if not exact or without or total is None or row_unit is None:
            exact = False
            continue
        stored = amount_of(total, row_unit)
        assert stored is not None  # total is not None (above)
        amount = to_dose_units(stored, substance.strength)
        converted = convert(amount, unit, substance.iu_mass) if unit else None
        if converted is None:
            exact = False
            continue
        totals[when] = totals.get(when, 0.0) + float(converted.value)
    return (unit, totals) if exact else ("doses", counts)


def _most_common_unit(rows: list[tuple]) -> str | None:
    seen: dict[str, int] = {}
    for _, unit, _, doses, _ in rows:
        if unit:
            seen[unit] = seen.get(unit, 0) + doses
    return max(seen, key=seen.__getitem__) if seen else None

