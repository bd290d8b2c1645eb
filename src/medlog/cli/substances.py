"""substance add | list | show | change | stop | start | alias."""

from __future__ import annotations

import argparse
import sys

from medlog.cli import args as parse
from medlog.cli.common import confirm, journal, local_iso, print_json, wants_json
from medlog.domain.regimen import RegimenEvent, RegimenState, apply, describe
from medlog.domain.schedule import json_fields
from medlog.domain.units import Amount
from medlog.services import substances
from medlog.services.substances import NewSubstance, SubstanceView


def add(args: argparse.Namespace) -> int:
    j = journal(args)
    new = NewSubstance(name=args.name, kind=args.kind, strength=parse.strength(args.strength), form=args.form,
                       elemental=parse.strength(args.elemental, what="elemental amount"),
                       dose=parse.amount(args.dose, what="dose"),
                       schedule=parse.schedule(args.schedule, as_needed=args.as_needed), reason=args.reason,
                       prescriber=args.prescriber, aliases=tuple(args.alias),
                       since=parse.start(j, args.since or _ask_since(args)), notes=args.notes,
                       until=parse.day(j, args.until, future=True), iu=parse.iu_mass(args.iu),
                       onset_lag=parse.onset_lag(args.onset_lag), as_typed=args.as_typed,
                       separate=args.separate, classes=_words(args.classes), ingredients=_words(args.ingredients))
    return confirm(substances.add(j, new))


def _words(given: list[str] | None) -> tuple[str, ...] | None:
    """Repeated options and comma-separated lists alike: --class ssri --class snri, --class ssri,snri."""
    if given is None:
        return None
    return tuple(part.strip() for item in given for part in item.split(",") if part.strip())


def _ask_since(args: argparse.Namespace) -> str | None:
    """At a terminal, with no --since: ask, since people add what they already take (and then log yesterday's
    dose, which the regimen must cover). Enter keeps today; a script (no terminal) is never asked."""
    if args.since is not None or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    try:
        answer = input(f"Taking {args.name} since when? (a day like 2026-11-01, or Enter for today): ").strip()
    except EOFError:
        return None
    return answer or None


def change(args: argparse.Namespace) -> int:
    j = journal(args)
    return confirm(substances.change(j, args.name, dose=parse.amount(args.dose, what="dose"),
                                     schedule=parse.schedule(args.schedule, as_needed=args.as_needed),
                                     at=parse.moment(j, args.at, future=True), note=args.note))


def stop(args: argparse.Namespace) -> int:
    j = journal(args)
    return confirm(substances.stop(j, args.name, at=parse.moment(j, args.at, future=True), note=args.note))


def start(args: argparse.Namespace) -> int:
    j = journal(args)
    return confirm(substances.start(j, args.name, dose=parse.amount(args.dose, what="dose"),
                                    schedule=parse.schedule(args.schedule, as_needed=args.as_needed),
                                    at=parse.moment(j, args.at, future=True), note=args.note))


def alias(args: argparse.Namespace) -> int:
    return confirm(substances.add_alias(journal(args), args.name, args.alias))


def classes(args: argparse.Namespace) -> int:
    """Show what a substance is (its classes and ingredients, and the dictionary's), or set them."""
    from medlog.services import make_up

    j = journal(args)
    if args.classes is None and args.ingredients is None:
        found = make_up.make_up(j, args.name)
        print(f"{found.name}")
        print(f"  {'classes':<12} {', '.join(found.classes) or 'none'}")
        print(f"  {'ingredients':<12} {', '.join(found.ingredients) or 'none'}")
        if found.suggested is not None:
            print(f"  dictionary   classes {', '.join(found.suggested[0]) or 'none'}; "
                  f"ingredients {', '.join(found.suggested[1]) or 'none'}")
        return 0
    return confirm(make_up.set_make_up(j, args.name, classes=_words(args.classes),
                                       ingredients=_words(args.ingredients)))


def onset_lag(args: argparse.Namespace) -> int:
    days = None if args.days.strip().casefold() == "default" else parse.onset_lag(args.days)
    return confirm(substances.set_onset_lag(journal(args), args.name, days))


def list_substances(args: argparse.Namespace) -> int:
    j = journal(args)
    views = substances.list_substances(j)
    if wants_json(args):
        return print_json({"substances": [_json(v, j.zone_name) for v in views]})
    if not views:
        print("No substances yet. Add one: medlog substance add NAME --kind medication|supplement")
        return 0
    width = max(len(v.info.name) for v in views)
    for view in views:
        print(f"{view.info.name:<{width}}  {view.info.kind:<10}  {_regimen_text(view, j.zone_name)}")
    return 0


def show(args: argparse.Namespace) -> int:
    j = journal(args)
    view = substances.show(j, args.name)
    if wants_json(args):
        return print_json(_json(view, j.zone_name, history=True))
    info = view.info
    aliases, events = _listed(view)
    print(f"{info.name} ({info.kind})")
    for label, value in (("aliases", ", ".join(aliases)), ("form", info.form),
                         ("strength", _per_unit(info.strength, info.form)),
                         ("elemental", _per_unit(info.elemental, info.form)),
                         ("IU", f"1 IU = {info.iu_mass}" if info.iu_mass else None),
                         ("onset lag", f"{info.onset_lag} days (for compare)" if info.onset_lag is not None else None),
                         ("reason", info.reason), ("prescriber", info.prescriber), ("notes", info.notes),
                         ("contains", ", ".join(info.ingredients)), ("classes", ", ".join(info.classes))):
        if value:
            print(f"  {label:<10} {value}")
    print(f"  {'regimen':<10} {_regimen_text(view, j.zone_name)}")
    print("  history")
    state = RegimenState()
    for event in events:
        planned = "  (planned)" if view.is_planned(event) else ""
        print(f"    {local_iso(event.at, j.zone_name)[:16].replace('T', ' ')}  {describe(info.name, event, state)}"
              f"{planned}")
        state = apply(state, event)
    return 0


def _listed(view: SubstanceView) -> tuple[tuple[str, ...], tuple[RegimenEvent, ...]]:
    """The substance's aliases and regimen events, which a view's record holds (store/listings reads them)."""
    aliases, events = view.info.aliases, view.info.events
    if aliases is None or events is None:  # a record from a name lookup, which reads neither
        raise ValueError(f"{view.info.name}: a substance view without its aliases and events")
    return aliases, events


def _per_unit(amount: Amount | None, form: str | None) -> str | None:
    return f"{amount} per {form or 'unit'}" if amount else None


def _regimen_text(view: SubstanceView, zone: str) -> str:
    state = view.state
    if not state.active:
        when = local_iso(state.stopped_at, zone)[:10] if state.stopped_at else "not started"
        return f"stopped ({when})"
    parts = [str(state.dose) if state.dose else "no regular dose", str(state.schedule or "no schedule")]
    if state.since:
        parts.append(f"started {local_iso(state.since, zone)[:10]}")
    if state.changed_at and state.changed_at != state.since:
        parts.append(f"changed {local_iso(state.changed_at, zone)[:10]}")
    if view.planned:
        what = {"dose_change": "dose change", "schedule_change": "schedule change"}.get(view.planned[0].kind,
                                                                                         view.planned[0].kind)
        more = f" (+{len(view.planned) - 1} more)" if len(view.planned) > 1 else ""
        parts.append(f"planned: {what} {local_iso(view.planned[0].at, zone)[:10]}{more}")
    return " · ".join(parts)


def _amount_json(amount: Amount | None) -> dict[str, object] | None:
    return None if amount is None else {"value": float(amount.value), "unit": amount.unit}


def _json(view: SubstanceView, zone: str, *, history: bool = False) -> dict[str, object]:
    info, state = view.info, view.state
    aliases, events = _listed(view)
    schedule = state.schedule
    data: dict[str, object] = {
        "id": info.uuid, "name": info.name, "kind": info.kind, "form": info.form,
        "strength": _amount_json(info.strength), "elemental": _amount_json(info.elemental),
        "iu_mass": _amount_json(info.iu_mass), "onset_lag_days": info.onset_lag,
        "reason": info.reason, "prescriber": info.prescriber, "notes": info.notes, "aliases": list(aliases),
        "classes": list(info.classes), "ingredients": list(info.ingredients),
        "active": state.active, "dose": _amount_json(state.dose),
        **json_fields(schedule),
        "since": local_iso(state.since, zone) if state.since else None,
        "stopped_at": local_iso(state.stopped_at, zone) if state.stopped_at else None,
    }
    if history:
        data["history"] = [{
            "event": e.kind, "at": local_iso(e.at, zone), "dose": _amount_json(e.dose),
            **json_fields(e.schedule),
            "note": e.note, "planned": view.is_planned(e),
        } for e in events]
    return data
