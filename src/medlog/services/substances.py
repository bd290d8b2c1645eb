"""Substances and their regimen: add, change dose or schedule, stop, start again, aliases."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from medlog.domain.dictionary import region_of
from medlog.domain.errors import InputError
from medlog.domain.names import Candidate, match_name, name_key
from medlog.domain.record import record, replace
from medlog.domain.regimen import MAX_ONSET_LAG, ONSET_LAG_DAYS, RegimenEvent, RegimenState, regimen_at
from medlog.domain.schedule import Schedule
from medlog.domain.text import clean_name, clean_note
from medlog.domain.timeparse import When
from medlog.domain.units import Amount, to_dose_units, unit_of
from medlog.services import interactions
from medlog.services.context import Journal, Logged, logged
from medlog.services.naming import check_not_twice, class_keys, find_substance, ingredient_names, name_new
from medlog.services.rules import adopt_starter_rules
from medlog.store import experiments, listings, lookup, writes
from medlog.store.changes import Batch
from medlog.store.connection import NoJournal
from medlog.store.records import SubstanceRef
from medlog.store.writes import Stamp

KINDS = ("medication", "supplement")


@record
class NewSubstance:
    """A substance to add, its values parsed at the edge (cli/args.py, the TUI's form fields)."""

    name: str
    kind: str
    strength: Amount | None = None  # per unit, with a unit of measure
    form: str | None = None
    elemental: Amount | None = None  # a mass per unit
    dose: Amount | None = None
    schedule: Schedule | None = None
    reason: str | None = None
    prescriber: str | None = None
    aliases: tuple[str, ...] = ()
    since: When | date | None = None  # a moment, or a journal day (the regimen starts as it begins)
    notes: str | None = None
    until: date | None = None  # the last day of a course: a planned stop when the next day begins
    iu: Amount | None = None  # the mass one IU of this substance is ("1000 IU = 25 mcg")
    onset_lag: int | None = None  # days after a change before compare's after window starts
    as_typed: bool = False  # keep a brand or variant as the name (the dictionary's generic is not taken)
    separate: bool = False  # add it even when the journal has the same generic under another name
    classes: tuple[str, ...] | None = None  # class keys (data/names/README.md); None: the dictionary's
    ingredients: tuple[str, ...] | None = None  # ingredient names; None: the dictionary's


def add(journal: Journal, new: NewSubstance, *, source: str = "cli") -> Logged:
    name = clean_name(new.name, what="substance name")
    if new.kind not in KINDS:
        raise InputError(f"kind {new.kind!r}: choose medication or supplement")
    strength = _measure(new.strength, "strength")
    elemental = _measure(new.elemental, "elemental amount")
    if elemental and unit_of(elemental.unit or "").dimension != "mass":
        raise InputError("elemental amount: give a mass per unit, like '28 mg'")
    form = _form(new.form)
    dose = _dose_of(new.dose, strength) if new.dose is not None else None
    reason = clean_note(new.reason, what="reason") if new.reason is not None else None
    prescriber = clean_name(new.prescriber, what="prescriber") if new.prescriber is not None else None
    notes = clean_note(new.notes, what="notes") if new.notes is not None else None
    typed = name
    classes = class_keys(new.classes) if new.classes is not None else None
    ingredients = ingredient_names(new.ingredients) if new.ingredients is not None else None
    naming = name_new(typed, as_typed=new.as_typed, aliases=tuple(clean_name(a, what="alias") for a in new.aliases),
                      classes=classes, ingredients=ingredients, iu_mass=new.iu,
                      region=_region())
    name, aliases = naming.name, list(naming.aliases)
    # Without --since, the regimen starts with today's journal day, so this morning's dose can be logged
    # against it tonight.
    timed = isinstance(new.since, When)
    if isinstance(new.since, When):
        stamp, when_note = journal.at(new.since)
    else:
        stamp, when_note = journal.stamp(journal.day_start(new.since or journal.today())), None
    until = _until(journal, new.until, stamp) if new.until is not None else None
    schedule = new.schedule.anchored(stamp.day) if new.schedule is not None else None
    _check_distinct([name, *aliases])  # before writing: a refusal on a fresh install must not make the journal
    with journal.writing() as batch:
        _check_free(batch, [typed])  # the name as typed, first: "already a name of …" says it best
        check_not_twice(batch.conn, typed, naming, separate=new.separate)
        _check_free(batch, [name, *aliases])
        batch.summary = f"added {name}"
        row = batch.insert(writes.substance_row(name=name, name_key=name_key(name), kind=new.kind, form=form,
                                      strength=strength, elemental=elemental, reason=reason,
                                      prescriber=prescriber, notes=notes, iu_mass=naming.iu_mass,
                                      onset_lag_days=new.onset_lag,
                                      ingredients=",".join(naming.ingredients) or None,
                                      classes=",".join(naming.classes) or None))
        substance_id = int(row["id"])  # type: ignore[call-overload]
        for alias in aliases:
            batch.insert(writes.alias_row(substance_id=substance_id, alias=alias, alias_key=name_key(alias)))
        batch.insert(writes.regimen_event_row(substance_id=substance_id, kind="start", stamp=stamp, dose=dose,
                                    schedule=schedule, note=None, source=source))
        if until is not None:
            batch.insert(writes.regimen_event_row(substance_id=substance_id, kind="stop", stamp=until, dose=None,
                                        schedule=None, note="end date given when added", source=source))
        starter_notes = adopt_starter_rules(batch, journal, substance_id)
        told = interactions.tell(batch, substance_id, _not_before_now(journal, batch, stamp))
    ends = f"planned: its last day is {until.day - timedelta(days=1):%a %Y-%m-%d}" if until else None
    return logged(batch.summary, stamp, when_note, *naming.notes, *starter_notes, ends, timed=timed, warnings=told)


def _region() -> str | None:
    """The user's country from the locale variables (en_GB: UK), which settles a brand sold as different
    products in different countries; None when they do not say."""
    import os

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(variable):
            return region_of(os.environ[variable].partition(".")[0])
    return None


def _not_before_now(journal: Journal, batch: Batch, stamp: Stamp) -> Stamp:
    """When an interaction is told: now, or the start when it lies ahead (a start dated back is told now, since
    the partner's being in use is asked of now)."""
    return stamp if stamp.at > batch.now else journal.stamp(batch.now)


def _until(journal: Journal, last: date, start: Stamp) -> Stamp:
    """`--until DAY`: the last journal day of a course; the stop takes effect as the next day begins."""
    if last < start.day:
        raise InputError(f"--until {last.isoformat()}: the last day comes before the start "
                         f"({start.day.isoformat()})")
    return journal.stamp(journal.day_start(last + timedelta(days=1)))


def change(journal: Journal, name: str, *, dose: Amount | None = None, schedule: Schedule | None = None,
           at: When | None = None, note: str | None = None, source: str = "cli") -> Logged:
    """A dose change and/or a schedule change, as dated regimen events (`at` may lie ahead: a plan)."""
    if dose is None and schedule is None:
        raise InputError("say what changes: --dose, --schedule or --as-needed")
    note = clean_note(note) if note is not None else None
    stamp, when_note = journal.at(at)
    with journal.writing(create=False, absent=_none_yet(name)) as batch:
        substance = _find(batch, name)
        _outside_experiments(batch, substance, stamp.day)
        state = _state_for_change(batch, substance, stamp.at)
        new_dose = _dose_of(dose, substance.strength) if dose else None
        new_schedule = schedule.anchored(stamp.day) if schedule is not None else None
        parts = []
        if new_dose is not None:
            if new_dose == state.dose:
                raise InputError(f"{substance.name} is already at {new_dose}")
            parts.append(f"dose {state.dose or 'none'} → {new_dose}")
        if new_schedule is not None:
            if new_schedule == state.schedule:
                raise InputError(f"{substance.name} is already on that schedule ({new_schedule})")
            parts.append(f"schedule {state.schedule or 'none'} → {new_schedule}")
        batch.summary = f"changed {substance.name}: " + "; ".join(parts)
        if new_dose is not None:
            batch.insert(writes.regimen_event_row(substance_id=substance.id, kind="dose_change", stamp=stamp,
                                        dose=new_dose, schedule=None, note=note, source=source))
        if new_schedule is not None:
            batch.insert(writes.regimen_event_row(substance_id=substance.id, kind="schedule_change", stamp=stamp,
                                        dose=None, schedule=new_schedule, note=note, source=source))
    return logged(batch.summary, stamp, when_note, _planned(journal, stamp.at))


def _outside_experiments(batch: Batch, substance: SubstanceRef, day: date) -> None:
    """Refuse a regimen change of a substance inside one of its self-experiments: the plan's periods are its
    starts and stops, and another change there would break the design the analysis counts on."""
    for e in experiments.experiments(batch.conn, substance.id):
        if e.start_day <= day <= e.end_day and (e.stopped_at is None or e.stopped_at.date() > day):
            raise InputError(f"{substance.name} is in experiment {e.short} from {e.start_day} to {e.end_day}: a "
                             "change of its regimen then would break the plan's periods; stop it first (medlog "
                             f"experiment stop {e.short})")


def _planned(journal: Journal, at: datetime) -> str | None:
    """A regimen event dated ahead is a plan (a titration step, an end date): say so."""
    if at <= journal.now():
        return None
    local = at.astimezone(journal.settings.zone)
    return f"planned: this takes effect {local:%a %Y-%m-%d %H:%M}; until then the current regimen stands"


def stop(journal: Journal, name: str, *, at: When | None = None, note: str | None = None,
         source: str = "cli") -> Logged:
    return _start_or_stop(journal, name, "stop", at=at, note=note, source=source)


def start(journal: Journal, name: str, *, dose: Amount | None = None, schedule: Schedule | None = None,
          at: When | None = None, note: str | None = None, source: str = "cli") -> Logged:
    """Start a stopped substance again, optionally with a new dose or schedule."""
    return _start_or_stop(journal, name, "start", at=at, note=note, source=source, dose=dose, schedule=schedule)


def _start_or_stop(journal: Journal, name: str, kind: str, *, at: When | None, note: str | None, source: str,
                   dose: Amount | None = None, schedule: Schedule | None = None) -> Logged:
    new_schedule = schedule
    note = clean_note(note) if note is not None else None
    stamp, when_note = journal.at(at)
    with journal.writing(create=False, absent=_none_yet(name)) as batch:
        substance = _find(batch, name)
        _outside_experiments(batch, substance, stamp.day)
        events = lookup.regimen_events(batch.conn, substance.id)
        state = regimen_at(events, stamp.at)
        if kind == "stop" and not state.active:
            raise InputError(_not_active(substance.name, events, stamp.at))
        if kind == "start" and state.active:
            raise InputError(f"{substance.name} is already in your regimen; use 'substance change' to change it")
        if kind == "start" and new_schedule is None and state.schedule is not None and state.schedule.every > 1:
            new_schedule = replace(state.schedule, anchor=None)  # every N days counts again from the restart
        new_schedule = new_schedule.anchored(stamp.day) if new_schedule is not None else None
        batch.summary = f"{'stopped' if kind == 'stop' else 'started'} {substance.name}"
        batch.insert(writes.regimen_event_row(substance_id=substance.id, kind=kind, stamp=stamp,
                                    dose=_dose_of(dose, substance.strength) if dose else None,
                                    schedule=new_schedule, note=note, source=source))
        # started again while a partner of one of its interactions is in use: told, if it never was
        told = interactions.tell(batch, substance.id, _not_before_now(journal, batch, stamp)) if kind == "start" else []
    return logged(batch.summary, stamp, when_note, _planned(journal, stamp.at), warnings=told)


def add_alias(journal: Journal, name: str, alias: str) -> Logged:
    clean = clean_name(alias, what="alias")
    with journal.writing(create=False, absent=_none_yet(name)) as batch:
        substance = _find(batch, name)
        _check_free(batch, [clean])
        batch.summary = f"added alias {clean} for {substance.name}"
        batch.insert(writes.alias_row(substance_id=substance.id, alias=clean, alias_key=name_key(clean)))
    stamp = journal.stamp(batch.now)
    return logged(batch.summary, stamp)


def set_onset_lag(journal: Journal, name: str, days: int | None) -> Logged:
    """How many days after a regimen change of this substance compare's after window starts; None clears it
    (back to the analysis default). Undo restores the previous value."""
    if days is not None and not 0 <= days <= MAX_ONSET_LAG:
        raise InputError(f"onset lag {days}: give whole days from 0 to {MAX_ONSET_LAG}")
    with journal.writing(create=False, absent=_none_yet(name)) as batch:
        substance = _find(batch, name)
        said = f"{days} day{'s' if days != 1 else ''}" if days is not None else f"the default ({ONSET_LAG_DAYS} days)"
        batch.summary = f"set the onset lag of {substance.name} to {said}"
        batch.update("substance", substance.uuid, {"onset_lag_days": days})
    return logged(batch.summary, journal.stamp(batch.now))


def _state_for_change(batch: Batch, substance: SubstanceRef, at: datetime) -> RegimenState:
    events = lookup.regimen_events(batch.conn, substance.id)
    state = regimen_at(events, at)
    if not state.active:
        raise InputError(_not_active(substance.name, events, at))
    return state


def _not_active(name: str, events: list[RegimenEvent], at: datetime) -> str:
    """Why a substance is not in the regimen at `at`: not started yet then, or stopped."""
    if not any(e.kind == "start" and e.at <= at for e in events):
        first = min((e.at for e in events if e.kind == "start"), default=None)
        started = f" (it started {first:%Y-%m-%d %H:%M} UTC)" if first else ""
        return f"{name} had not started by then{started}; date the change after its start"
    return f"{name} is stopped at that time; start it again with 'medlog substance start'"


def _none_yet(name: str) -> str:
    """What a change to a substance says while there is no journal: NAME names nothing yet (as `take` says)."""
    return (f"no substance called {name.strip()!r}; there are none yet — add one with "
            "'medlog substance add NAME --kind medication|supplement'")


def _find(batch: Batch, name: str) -> SubstanceRef:
    return find_substance(batch.conn, clean_name(name, what="substance name"))


def _check_free(batch: Batch, names: list[str]) -> None:
    taken = {c.key: c.label for c in lookup.substance_candidates(batch.conn)}
    for name in names:
        key = name_key(name)
        if key in taken:
            raise InputError(f"{name!r} is already a name of {taken[key]}")
    _check_distinct(names)


def _check_distinct(names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        key = name_key(name)
        if key in seen:
            raise InputError(f"{name!r} is given twice")
        seen.add(key)


def _measure(amount: Amount | None, what: str) -> Amount | None:
    """A strength or elemental content, as parse_strength holds it, for a caller that did not use it."""
    if amount is not None and (amount.unit is None or unit_of(amount.unit).dimension == "count"):
        raise InputError(f"{what}: give an amount per unit with a unit of measure, like '10 mg'")
    return amount


def _form(text: str | None) -> str | None:
    if text is None:
        return None
    clean = clean_name(text, what="form").lower()
    try:
        unit = unit_of(clean)
    except InputError:
        return clean  # powder, liquid, cream…: kept as written
    return unit.symbol if unit.dimension == "count" else clean


def _dose_of(typed: Amount, strength: Amount | None) -> Amount:
    if typed.unit is None:
        if strength is None:
            raise InputError(f"dose {typed.value}: give a unit, like '{typed.value} mg'")
        typed = Amount(typed.value, strength.unit)
    return to_dose_units(typed, strength)




@record
class SubstanceView:
    """A substance with its regimen history and the regimen in force now."""

    info: SubstanceRef  # with its aliases and events (store/listings.substances)
    state: RegimenState
    now: datetime | None = None  # when the view was read: events after it are planned

    def is_planned(self, event: RegimenEvent) -> bool:
        return self.now is not None and event.at > self.now

    @property
    def planned(self) -> list[RegimenEvent]:
        return [e for e in self.info.events if self.is_planned(e)]


def list_substances(journal: Journal) -> list[SubstanceView]:
    try:
        with journal.reading() as conn:
            infos = listings.substances(conn)
    except NoJournal:
        return []
    now = journal.now()
    return [SubstanceView(info, regimen_at(list(info.events), now), now) for info in infos]


def show(journal: Journal, name: str) -> SubstanceView:
    views = list_substances(journal)
    candidates = [Candidate(name_key(label), view.info.name, view)
                  for view in views for label in (view.info.name, *view.info.aliases)]
    return match_name(clean_name(name, what="substance name"), candidates, what="substance")
