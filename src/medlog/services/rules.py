"""Safety rules: add, list, change, enable and disable them; adopt the starter set when a substance is added."""

from __future__ import annotations

import os
import sqlite3
from decimal import Decimal

from medlog.domain.dictionary import dictionary_key
from medlog.domain.errors import InputError
from medlog.domain.names import match_name, name_key
from medlog.domain.record import record
from medlog.domain.rules import Rule, check_hours, parse_hours
from medlog.domain.text import clean_name, clean_note
from medlog.domain.units import Amount, parse_amount, unit_of
from medlog.services.context import Journal, Logged, logged
from medlog.store import lookup, writes
from medlog.store import rules as rule_store
from medlog.store.changes import Batch, inserted_id
from medlog.store.connection import NoJournal

SHIPPED_STARTER_RULES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "starter_rules.toml")


def add_daily_max(journal: Journal, name: str, amount: Amount, *, source: str | None = None) -> Logged:
    return _add(journal, "daily_max", name, source=source, amount=_mass_or_volume(amount))


def add_spacing(journal: Journal, name: str, other: str, hours: Decimal, *, source: str | None = None,
                both_ways: bool = False) -> Logged:
    return _add(journal, "spacing", name, other=other, source=source, hours=float(_hours(hours)),
                both_ways=both_ways)


def add_as_needed(journal: Journal, name: str, *, max_per_day: int | None, min_interval: Decimal | None,
                  source: str | None = None) -> Logged:
    if max_per_day is None and min_interval is None:
        raise InputError("say the limit: --max-per-day N and/or --min-interval HOURS")
    _check_per_day(max_per_day)
    return _add(journal, "as_needed", name, source=source, max_per_day=max_per_day,
                min_interval_hours=float(_hours(min_interval, "--min-interval")) if min_interval is not None
                else None)


def _hours(hours: Decimal, what: str = "hours") -> Decimal:
    return check_hours(hours, what=what)


def _check_per_day(max_per_day: int | None) -> None:
    if max_per_day is not None and not 1 <= max_per_day <= 100:
        raise InputError(f"--max-per-day {max_per_day}: give a whole number from 1 to 100")


def _mass_or_volume(amount: Amount) -> Amount:
    if amount.unit is None or unit_of(amount.unit).dimension == "count":
        raise InputError(f"amount {str(amount)!r}: give a daily maximum with a unit of mass, volume or IU, "
                         "like 350 mg")
    return amount


def _add(journal: Journal, kind: str, name: str, *, other: str | None = None, source: str | None = None,
         both_ways: bool = False, amount: Amount | None = None, hours: float | None = None,
         max_per_day: int | None = None, min_interval_hours: float | None = None) -> Logged:
    query = clean_name(name, what="substance name")
    other_query = clean_name(other, what="other substance") if other is not None else None
    source = clean_note(source, what="source") if source is not None else None
    try:
        with journal.writing(create=False) as batch:
            candidates = lookup.substance_candidates(batch.conn)
            substance = match_name(query, candidates, what="substance")
            pairs = [(substance, None)]
            if other_query is not None:
                partner = match_name(other_query, candidates, what="substance")
                if partner.id == substance.id:
                    raise InputError("a spacing rule needs two different substances")
                pairs = [(substance, partner), (partner, substance)] if both_ways else [(substance, partner)]
            batch.summary = f"added a {kind.replace('_', '-')} rule"  # made precise below, once the rows exist
            ids = []
            for first, second in pairs:
                row = batch.insert(writes.rule_row(kind=kind, substance_id=first.id,
                                                   other_substance_id=second.id if second else None,
                                                   source_text=source, amount=amount, hours=hours,
                                                   max_per_day=max_per_day, min_interval_hours=min_interval_hours))
                ids.append(inserted_id(row))
            added = [rule_store.rule(batch.conn, i) for i in ids]
            batch.summary = "; ".join(f"rule {r.id}: {r.describe()}" for r in added if r)
    except NoJournal:
        raise InputError(f"no substance called {name!r}; there are none yet") from None
    return logged(batch.summary, journal.stamp(batch.now))


def list_rules(journal: Journal) -> list[Rule]:
    try:
        with journal.reading() as conn:
            return rule_store.rules(conn)
    except NoJournal:
        return []


def set_enabled(journal: Journal, rule_id: int, enabled: bool) -> Logged:
    with journal.writing(create=False, absent=_no_rule(rule_id)) as batch:
        rule = _rule(batch, rule_id)
        batch.summary = f"{'enabled' if enabled else 'disabled'} rule {rule.id}: {rule.describe()}"
        if rule.enabled != enabled:
            batch.update("rule", _uuid(batch, rule_id), {"enabled": enabled})
    return logged(batch.summary, journal.stamp(batch.now))


def change(journal: Journal, rule_id: int, *, amount: Amount | None = None, hours: Decimal | None = None,
           max_per_day: int | None = None, min_interval: Decimal | None = None,
           source: str | None = None) -> Logged:
    """Change a rule's figures or source in place (the change log keeps what it was; undo reverts it)."""
    changes: dict[str, object] = {}
    if amount is not None:
        amount = _mass_or_volume(amount)
        changes.update(amount_value=float(amount.value), amount_unit=amount.unit)
    if hours is not None:
        changes["hours"] = float(_hours(hours))
    if max_per_day is not None:
        _check_per_day(max_per_day)
        changes["max_per_day"] = max_per_day
    if min_interval is not None:
        changes["min_interval_hours"] = float(_hours(min_interval, "--min-interval"))
    if source is not None:
        changes["source_text"] = clean_note(source, what="source")
    if not changes:
        raise InputError("say what changes: --amount, --hours, --max-per-day, --min-interval or --source")
    with journal.writing(create=False, absent=_no_rule(rule_id)) as batch:
        rule = _rule(batch, rule_id)
        allowed = {"daily_max": {"amount_value", "amount_unit"}, "spacing": {"hours"},
                   "as_needed": {"max_per_day", "min_interval_hours"}}[rule.kind] | {"source_text"}
        wrong = set(changes) - allowed
        if wrong:
            raise InputError(f"rule {rule_id} is a {rule.kind.replace('_', '-')} rule; it has no "
                             f"{', '.join(sorted({_option(c) for c in wrong}))}")
        batch.summary = f"changed rule {rule_id}"
        batch.update("rule", _uuid(batch, rule_id), changes)
        new = rule_store.rule(batch.conn, rule_id)
        batch.summary = f"changed rule {rule_id}: {new.describe() if new else ''}"
    return logged(batch.summary, journal.stamp(batch.now))


def _option(column: str) -> str:
    return {"amount_value": "--amount", "amount_unit": "--amount", "hours": "--hours",
            "max_per_day": "--max-per-day", "min_interval_hours": "--min-interval"}[column]


def _no_rule(rule_id: int) -> str:
    return f"there is no rule {rule_id}; there are none yet"


def _rule(batch: Batch, rule_id: int) -> Rule:
    # an id SQLite cannot hold (above 2**63 - 1) names no rule either: said so, not an OverflowError
    rule = rule_store.rule(batch.conn, rule_id) if 0 < rule_id < 2**63 else None
    if rule is None:
        raise InputError(f"there is no rule {rule_id}; 'medlog rule list' shows them")
    return rule


def _uuid(batch: Batch, rule_id: int) -> str:
    return batch.conn.execute("SELECT uuid FROM rule WHERE id = ?", (rule_id,)).fetchone()[0]


# -- the starter set -----------------------------------------------------------------------------------------
def starter_rules(path: str) -> list[dict]:
    """The starter rules file: a list of tables, each checked here so a bad edit gets a clear message."""
    import tomllib  # only at `substance add`, never on the quick-log path

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"starter rules file {path}: {exc}") from None
    rules = data.get("rule", [])
    for entry in rules:
        _check_starter(path, entry)
    return rules


_SIDE = ("matches", "classes", "ingredients")
_OTHER = ("other", "after", "other_classes", "other_ingredients")
_NEEDS = {"daily_max": ("amount",), "spacing": ("hours",), "interaction": ()}


def starter_list(journal: Journal) -> list[dict]:
    """The starter rules in force (the user's own file, else the shipped one); [] when they are turned off."""
    if not journal.settings.starter_rules:
        return []
    return starter_rules(journal.settings.starter_rules_file or SHIPPED_STARTER_RULES)


def _check_starter(path: str, entry: dict) -> None:
    kind = entry.get("kind")
    missing = {"id", "kind", "text", "source"} - set(entry)
    missing |= {n for n in _NEEDS.get(str(kind), ()) if n not in entry}
    pair = kind in ("spacing", "interaction")
    lists = [k for k in (*_SIDE, *_OTHER) if k in entry]
    if (missing or kind not in _NEEDS or not any(k in entry for k in _SIDE)
            or (pair and not any(k in entry for k in _OTHER))
            or any(not isinstance(entry[k], list) or not all(isinstance(w, str) for w in entry[k]) for k in lists)):
        raise InputError(f"starter rules file {path}: rule {entry.get('id', '?')} needs id, kind (daily_max, spacing "
                         "or interaction), text, source, the substances it is about (matches, classes or ingredients: "
                         "lists of words), and amount (daily_max), or the other side (other, other_classes or "
                         "other_ingredients) and hours (spacing)")


@record
class Profile:
    """What the starter rules know of a substance: the keys of its names, its classes and its ingredients."""

    names: tuple[str, ...]
    classes: frozenset[str]
    ingredients: frozenset[str]


def _on_side(entry: dict, profile: Profile, *, other: bool) -> bool:
    words = entry.get("other", entry.get("after", [])) if other else entry.get("matches", [])
    classes = entry.get("other_classes" if other else "classes", [])
    ingredients = entry.get("other_ingredients" if other else "ingredients", [])
    return (_mentions(words, list(profile.names)) or bool(profile.classes & set(classes))
            or bool(profile.ingredients & {name_key(i) for i in ingredients}))


def _mentions(words: list[str], names: list[str]) -> bool:
    """A word of the rule is a whole word of a name ("tryptophan" in "L-tryptophan"; hyphens and apostrophes
    read as the dictionary reads them)."""
    keys = [f" {dictionary_key(n)} " for n in names]
    return any(f" {dictionary_key(w)} " in key for w in words for key in keys)


def profiles(conn: sqlite3.Connection) -> dict[int, Profile]:
    """Every live substance's profile: its stored classes and ingredients, else the name dictionary's (a
    substance added before the dictionary, or under a name it does not know, has none stored)."""
    out = {}
    for sid, (substance, keys) in lookup.by_substance(lookup.substance_candidates(conn)).items():
        if not substance.classes and not substance.ingredients:
            from medlog.services import dictionary

            generic = dictionary.dictionary().generic_of(keys)
            found_classes, found_ingredients = (generic.classes, generic.ingredients) if generic else ((), ())
        else:
            found_classes, found_ingredients = substance.classes, substance.ingredients
        out[sid] = Profile(tuple(keys), frozenset(found_classes), frozenset(name_key(i) for i in found_ingredients))
    return out


def adopt_starter_rules(batch: Batch, journal: Journal, substance_id: int) -> list[str]:
    """Copy the starter rules about the new substance (alone, or with another of the journal's) into the journal,
    once per starter rule and pair; say which, as notes."""
    if not journal.settings.starter_rules:
        return []
    path = journal.settings.starter_rules_file or SHIPPED_STARTER_RULES
    known = profiles(batch.conn)
    new = known[substance_id]
    had = {(r.starter, r.substance_id, r.other_id) for r in rule_store.rules(batch.conn) if r.starter}
    notes = []
    for entry in starter_rules(path):
        source = f"{entry['text']} — {entry['source']}"
        kind = entry["kind"]
        pairs: list[tuple[int, int | None]]
        if kind == "daily_max":
            pairs = [(substance_id, None)] if _on_side(entry, new, other=False) else []
        else:
            pairs = [(substance_id, o) for o, p in known.items() if o != substance_id
                     and _on_side(entry, new, other=False) and _on_side(entry, p, other=True)]
            pairs += [(o, substance_id) for o, p in known.items() if o != substance_id
                      and _on_side(entry, p, other=False) and _on_side(entry, new, other=True)]
            if entry.get("both_ways") and kind == "spacing":
                pairs += [(b, a) for a, b in pairs if b is not None]
        for first, second in dict.fromkeys(pairs):
            if (entry["id"], first, second) in had:
                continue
            had.add((entry["id"], first, second))
            row = writes.rule_row(kind=kind, substance_id=first, other_substance_id=second, source_text=source,
                                  starter=entry["id"],
                                  amount=_mass_or_volume(parse_amount(entry["amount"])) if kind == "daily_max"
                                  else None,
                                  hours=float(parse_hours(str(entry["hours"]))) if kind == "spacing" else None)
            added = rule_store.rule(batch.conn, inserted_id(batch.insert(row)))
            if added:  # an interaction's source comes with its warning, told right after
                source_said = "" if kind == "interaction" else f" ({entry['source']})"
                notes.append(f"starter rule {added.id} added: {added.describe()}{source_said}; "
                             f"'medlog rule disable {added.id}' turns it off")
    return notes
