"""Self-experiments (N-of-1): plan one (its periods become planned start/stop events of the substance), follow it,
analyse it, stop it, list them. docs/analysis.md, "Self-experiments", says how and why."""

from __future__ import annotations

import os
import random
import sqlite3
from datetime import date, timedelta

from medlog.analysis import experiment as ex
from medlog.analysis.experiment_power import Forecast, forecast, noise_from_history, suggest
from medlog.domain.errors import InputError
from medlog.domain.names import Candidate, match_name, name_key
from medlog.domain.record import record, replace
from medlog.domain.regimen import experiment_note, regimen_at
from medlog.domain.text import clean_name, clean_note
from medlog.services.compare import metric_named
from medlog.services.context import Journal, Logged, logged
from medlog.store import experiments as store
from medlog.store import lookup, writes
from medlog.store.changes import inserted_id
from medlog.store.connection import NoJournal
from medlog.store.records import ExperimentRecord, MetricRef, SubstanceRef
from medlog.store.rows import db_time

HISTORY_DAYS = 365  # the ratings the planner reads for the person's own day-to-day variation
MAX_BLOCK, MAX_WASHOUT, MAX_PAIRS = 90, 88, 30


@record
class Request:
    substance: str
    metrics: tuple[str, ...]
    design: str = "abab"
    block: int = 14
    washout: int = 3
    pairs: int = 2
    start: date | None = None  # a coming journal day (default: tomorrow)
    seed: int | None = None
    with_clinician: bool = False
    note: str | None = None


@record
class Experiment:
    """An experiment's record with its calendar and its status today (planned, running, done, stopped)."""

    record: ExperimentRecord
    plan: ex.Plan
    status: str


@record
class PlannedEvent:
    day: date
    kind: str  # start | stop
    note: str


@record
class Planned:
    experiment: Experiment
    forecasts: tuple[tuple[str, Forecast, Forecast | None], ...]  # (metric label, forecast, suggestion)
    events: tuple[PlannedEvent, ...]
    logged: Logged | None  # None for a dry run: nothing was written


@record
class Adherence:
    on_taken: int  # on-period days (before today) with the substance taken
    on_days: int
    off_free: int  # off-period days (before today) without it
    off_days: int


@record
class Status:
    experiment: Experiment
    period: int | None  # today's period (0-based), None outside the experiment
    on: bool | None  # today's phase
    washout: bool  # today is among its period's left-out days
    days_left_in_period: int | None
    days_left: int  # days of the experiment after today
    adherence: Adherence


@record
class Finding:
    key: str
    label: str
    result: ex.Result | None  # None: the metric is no longer in the journal


@record
class Analysis:
    status: Status
    findings: tuple[Finding, ...]


def plan(journal: Journal, request: Request, *, dry_run: bool = False, source: str = "cli") -> Planned:
    """Check the request, forecast what its design can tell, draw its order, and (unless a dry run) write the
    record and its planned regimen events in one batch. Every refusal comes before anything is written."""
    problem = ex.design_problem(request.design, request.pairs)
    if problem:
        raise InputError(problem)
    _within("--block", request.block, 2, MAX_BLOCK)
    _within("--washout", request.washout, 0, MAX_WASHOUT)
    _within("--pairs", request.pairs, 2, MAX_PAIRS)
    today = journal.today()
    start = request.start or today + timedelta(days=1)
    if start <= today:
        raise InputError(f"--start {start.isoformat()}: an experiment starts on a "
                         f"coming day (tomorrow, {today + timedelta(days=1)}, or later), so its first period is whole")
    note = clean_note(request.note) if request.note is not None else None
    seed = request.seed if request.seed is not None else int.from_bytes(os.urandom(4), "big") >> 1
    if not 0 <= seed < 2**63:
        raise InputError(f"--seed {seed}: give a whole number from 0 to 2**63 − 1")
    try:
        with journal.reading() as conn:
            if not dry_run:  # a replay: said before any check (its own plan now overlaps the dates it asks for)
                journal.check_replay(conn)
            substance, metrics, events, taken = _checked(conn, journal, request, start)
            history = {m.spec.key: store.ratings(conn, m.id, today - timedelta(days=HISTORY_DAYS), today)
                       for m in metrics}
    except NoJournal:
        raise InputError(f"no substance called {request.substance.strip()!r}; there are none yet") from None
    lag = substance.onset_lag
    left_out = max(request.washout, lag or 0)
    periods = ex.draw(request.design, request.pairs, random.Random(seed))
    calendar = ex.Plan(request.design, request.pairs, request.block, left_out, start, periods)
    forecasts = []
    for metric in metrics:
        predicted = forecast(request.design, request.pairs, request.block, left_out,
                             noise_from_history(history[metric.spec.key]))
        forecasts.append((metric.spec.label, predicted, suggest(predicted)))
    row = writes.experiment_row(substance_id=substance.id, design=request.design, block_days=request.block,
                                washout_days=request.washout, onset_lag_days=lag, pairs=request.pairs, seed=seed,
                                assignment=ex.to_text(periods), metrics=",".join(m.spec.key for m in metrics),
                                start_day=start, with_clinician=request.with_clinician, note=note)
    record_ = ExperimentRecord(0, "(dry run)", substance.id, substance.name, substance.kind, request.design,
                               request.block, request.washout, lag, request.pairs, seed, ex.to_text(periods),
                               tuple(m.spec.key for m in metrics), start, None, request.with_clinician, note,
                               journal.now())
    planned = planned_changes(calendar, record_.short, was_on=taken)
    if dry_run:
        return Planned(Experiment(record_, calendar, "planned"), tuple(forecasts), tuple(planned), None)
    with journal.writing(create=False) as batch:
        # the same checks again under the write lock: another process may have planned meanwhile
        substance, metrics, events, taken = _checked(batch.conn, journal, request, start)
        batch.summary = (f"planned an experiment on {substance.name}: {request.pairs} pairs of {request.block}-day "
                         f"periods ({request.design}), {start} to {calendar.end}")
        inserted = batch.insert(row)
        short = str(inserted["uuid"])[:8]
        planned = planned_changes(calendar, short, was_on=taken)
        state = regimen_at(events, journal.day_start(start))
        for event in planned:
            schedule = state.schedule
            if event.kind == "start" and schedule is not None and schedule.every > 1:
                schedule = replace(schedule, anchor=None).anchored(event.day)  # every N days counts from the restart
            else:
                schedule = None
            batch.insert(writes.regimen_event_row(
                substance_id=substance.id, kind=event.kind, stamp=journal.stamp(journal.day_start(event.day)),
                dose=None, schedule=schedule, note=event.note, source=source))
    record_ = replace(record_, id=inserted_id(inserted), uuid=str(inserted["uuid"]))
    done = logged(batch.summary, journal.stamp(batch.now))
    return Planned(Experiment(record_, calendar, "planned"), tuple(forecasts), tuple(planned), done)


def _within(option: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise InputError(f"{option} {value}: choose {low} to {high}")


def _checked(conn: sqlite3.Connection, journal: Journal, request: Request,
             start: date) -> tuple[SubstanceRef, list[MetricRef], list, bool]:
    """The substance and metrics a request names, once it may run: (substance, metrics, its regimen events,
    whether it is in the regimen as the experiment starts)."""
    substance: SubstanceRef = match_name(clean_name(request.substance, what="substance name"),
                                         lookup.substance_candidates(conn), what="substance")
    if substance.kind == "medication" and not request.with_clinician:
        raise InputError(f"{substance.name} is a medication: stopping and starting it changes a prescription, which "
                         "medlog never plans on its own; with your prescriber's agreement, add --with-clinician")
    known = {m.spec.key: m for m in lookup.metrics(conn)}
    if not request.metrics:
        raise InputError("name at least one --metric to rate, e.g. --metric sleep_quality")
    metrics = []
    specs = [m.spec for m in known.values()]
    for text in request.metrics:  # by key, label or unique prefix, as compare takes them
        metric = known[metric_named(text, specs).key]
        if metric not in metrics:
            metrics.append(metric)
    left_out = max(request.washout, substance.onset_lag or 0)
    # a period must outlast the onset lag and the washout together (the rule: a switch's effect
    # arrives within the lag and the last period's fades within the washout), and keep 2 days to rate
    needed = max(left_out + 2, (substance.onset_lag or 0) + request.washout)
    if request.block < needed:
        why = f"{left_out} days left out (the washout" + (", or the onset lag when longer)" if substance.onset_lag
                                                           else ")")
        if substance.onset_lag:
            why += f", and to outlast the onset lag ({substance.onset_lag}) and the washout ({request.washout})"
        raise InputError(f"--block {request.block}: each period needs its {why} and at least 2 days to rate; "
                         f"use --block {needed} or more")
    calendar = ex.Plan(request.design, request.pairs, request.block, left_out, start, (True,) * 2 * request.pairs)
    end = calendar.end
    if end > journal.today() + timedelta(days=5 * 365):
        raise InputError(f"the experiment would end on {end}, more than 5 years ahead")
    for other in store.experiments(conn, substance.id):
        if other.stopped_at is None and other.start_day <= end and start <= other.end_day:
            raise InputError(f"{substance.name} already has experiment {other.short} from {other.start_day} to "
                             f"{other.end_day}; stop it first ('medlog experiment stop') or start after it")
    first, last = journal.day_start(start), journal.day_start(end + timedelta(days=1))
    # an event as the first period begins (the end of an experiment just before) is part of the state it begins in
    inside = [at for at in store.events_within(conn, substance.id, first, last) if at > first]
    if inside:
        local = inside[0].astimezone(journal.settings.zone)
        raise InputError(f"{substance.name} has a regimen change on {local:%Y-%m-%d} inside the experiment's dates "
                         f"({start} to {end}); an experiment needs them to itself")
    events = lookup.regimen_events(conn, substance.id)
    state = regimen_at(events, first)
    if state.schedule is None or state.schedule.as_needed:
        raise InputError(f"{substance.name} has no regular schedule to follow in its on periods; give it one first "
                         f"('medlog substance change {substance.name} --schedule 21:00', or start it with one)")
    return substance, metrics, events, state.active


def planned_changes(calendar: ex.Plan, short: str, *, was_on: bool) -> list[PlannedEvent]:
    """The starts and stops that make the calendar's periods, and the return to how things were at its end."""
    out, active, numbers = [], was_on, {True: 0, False: 0}
    for k, on in enumerate(calendar.periods):
        numbers[on] += 1
        if on != active:
            word = "on" if on else "off"
            out.append(PlannedEvent(calendar.span(k)[0], "start" if on else "stop",
                                    experiment_note(short, f"{word} period {numbers[on]} of {calendar.pairs}")))
            active = on
    if active != was_on:
        out.append(PlannedEvent(calendar.end + timedelta(days=1), "start" if was_on else "stop",
                                experiment_note(short, "ended; back to the regimen before it")))
    return out


def _experiment(record_: ExperimentRecord, today: date) -> Experiment:
    """The record as a calendar, once its order is one its design admits (an imported record might not be)."""
    try:
        periods = ex.from_text(record_.assignment)
    except ValueError:
        periods = ()
    if not ex.admissible(record_.design, record_.pairs, periods):
        raise InputError(f"experiment {record_.short} holds the order {record_.assignment!r}, which its design "
                         f"({record_.design}, {record_.pairs} pairs) does not admit; it cannot be read")
    left_out = max(record_.washout_days, record_.onset_lag_days or 0)
    calendar = ex.Plan(record_.design, record_.pairs, record_.block_days, left_out, record_.start_day, periods)
    if record_.stopped_at is not None:
        status = "stopped"
    elif today < calendar.start:
        status = "planned"
    else:
        status = "running" if today <= calendar.end else "done"
    return Experiment(record_, calendar, status)


def list_experiments(journal: Journal) -> list[Experiment]:
    try:
        with journal.reading() as conn:
            records = store.experiments(conn)
    except NoJournal:
        return []
    today = journal.today()
    return [_experiment(r, today) for r in records]


def _pick(found: list[Experiment], name: str | None, *, verb: str) -> list[Experiment]:
    """The experiments NAME names (a substance name, or the start of an experiment's id), else all."""
    if name is None:
        return found
    text = name.strip().lower()
    by_id = [e for e in found if len(text) >= 4 and e.record.uuid.startswith(text)]
    if by_id:
        return by_id
    candidates = [Candidate(name_key(e.record.substance), e.record.substance, e.record.substance) for e in found]
    if not candidates:
        raise InputError(f"there are no experiments to {verb}; plan one with 'medlog experiment plan'")
    substance = match_name(clean_name(name, what="experiment"), candidates, what="experiment's substance")
    return [e for e in found if e.record.substance == substance]


def _status(conn: sqlite3.Connection, journal: Journal, experiment: Experiment, today: date) -> Status:
    calendar = experiment.plan
    before = min(today - timedelta(days=1), calendar.end)
    if experiment.record.stopped_at is not None:
        before = min(before, journal.day_of(experiment.record.stopped_at))
    taken = store.taken_days(conn, experiment.record.substance_id, calendar.start, before) \
        if before >= calendar.start else set()
    counts = [0, 0, 0, 0]  # on taken, on days, off free, off days
    for n in range((before - calendar.start).days + 1):
        day = calendar.start + timedelta(days=n)
        k = calendar.period_of(day)
        assert k is not None
        on = calendar.periods[k]
        counts[1 if on else 3] += 1
        counts[0 if on else 2] += (day in taken) == on
    k = calendar.period_of(today) if experiment.status == "running" else None
    on_now = calendar.periods[k] if k is not None else None
    left = (calendar.span(k)[1] - today).days if k is not None else None
    washout = k is not None and not calendar.analysable(today)
    days_left = max(0, (calendar.end - max(today, calendar.start - timedelta(days=1))).days) \
        if experiment.status in ("planned", "running") else 0
    return Status(experiment, k, on_now, washout, left, days_left, Adherence(*counts))


def status(journal: Journal, name: str | None = None) -> list[Status]:
    """The experiments named (default: those planned or running, else the latest), with today's phase and the
    adherence to the plan so far."""
    found = _pick(list_experiments(journal), name, verb="follow")
    if name is None:
        found = [e for e in found if e.status in ("planned", "running")] or found[-1:]
    if not found:
        return []
    today = journal.today()
    with journal.reading() as conn:
        return [_status(conn, journal, e, today) for e in found]


def analyze(journal: Journal, name: str | None = None) -> Analysis:
    """Per metric: on − off, its interval, the randomisation test; for the experiment NAME names (default: the
    latest that has begun)."""
    found = [e for e in _pick(list_experiments(journal), name, verb="analyse") if e.status != "planned"]
    if not found:
        raise InputError("no experiment has begun yet" + (f" for {name.strip()!r}" if name else "")
                         + "; 'medlog experiment status' shows when one starts")
    experiment = found[-1]
    with journal.reading() as conn:
        known = {m.spec.key: m for m in lookup.metrics(conn)}
        findings = _findings(conn, journal, experiment, known)
        return Analysis(_status(conn, journal, experiment, journal.today()), findings)


def stop(journal: Journal, name: str | None = None) -> Logged:
    """Cancel an experiment's changes still ahead (tombstones, so undo brings them back) and keep its record,
    marked stopped."""
    try:
        with journal.reading() as conn:
            journal.check_replay(conn)  # before the checks: the first run has stopped it already
    except NoJournal:
        pass  # no journal: the check below says there is nothing to stop
    active = [e for e in _pick(list_experiments(journal), name, verb="stop") if e.status in ("planned", "running")]
    if not active:
        raise InputError("no experiment is planned or running" + (f" for {name.strip()!r}" if name else ""))
    if len(active) > 1:
        raise InputError("more than one experiment is planned or running; name one: "
                         + ", ".join(f"{e.record.short} ({e.record.substance})" for e in active))
    target = active[0].record
    with journal.writing(create=False) as batch:
        batch.summary = f"stopped experiment {target.short} on {target.substance}"
        cancelled = store.planned_events(batch.conn, target.substance_id, batch.now, target.short)
        for uuid in cancelled:
            batch.delete("regimen_event", uuid)
        batch.update("experiment", target.uuid, {"stopped_at": db_time(batch.now)})
        state = regimen_at(lookup.regimen_events(batch.conn, target.substance_id), batch.now)
    where = "in your regimen" if state.active else "stopped"
    return logged(batch.summary, journal.stamp(batch.now),
                  f"cancelled {len(cancelled)} planned change{'s' if len(cancelled) != 1 else ''}; {target.substance}"
                  f" stays {where}, as it is now")


def overview(journal: Journal) -> list[Analysis]:
    """Every experiment with its status today, and its findings once it has begun (the TUI's Experiments view)."""
    found = list_experiments(journal)
    if not found:
        return []
    today = journal.today()
    out = []
    with journal.reading() as conn:
        known = {m.spec.key: m for m in lookup.metrics(conn)}
        for experiment in found:
            findings = _findings(conn, journal, experiment, known) if experiment.status != "planned" else ()
            out.append(Analysis(_status(conn, journal, experiment, today), findings))
    return out


def _findings(conn: sqlite3.Connection, journal: Journal, experiment: Experiment,
              known: dict[str, MetricRef]) -> tuple[Finding, ...]:
    """Per metric of the experiment, its result up to today (or the day it was stopped)."""
    last = min(journal.today(), experiment.plan.end)
    if experiment.record.stopped_at is not None:
        last = min(last, journal.day_of(experiment.record.stopped_at))
    findings = []
    for key in experiment.record.metrics:
        metric = known.get(key)
        if metric is None:
            findings.append(Finding(key, key, None))
            continue
        values = store.ratings(conn, metric.id, experiment.plan.start, last)
        findings.append(Finding(key, metric.spec.label, ex.analyse(experiment.plan, values, last,
                                                                   seed=experiment.record.seed)))
    return tuple(findings)
