"""Safety rules: add, list, change, enable and disable them; adopt the starter set when a substance is added."""

from __future__ import annotations

import os
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.names import match_name, name_key
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
        missing = {"id", "kind", "matches", "text", "source"} - set(entry)
        if missing or entry["kind"] not in ("daily_max", "spacing") or (
                entry["kind"] == "spacing" and "after" not in entry):
            raise InputError(f"starter rules file {path}: rule {entry.get('id', '?')} needs id, kind (daily_max or "
                             f"spacing), matches, text, source, and amount (daily_max) or after and hours (spacing)")
    return rules


def _mentions(words: list[str], names: list[str]) -> bool:
    keys = [f" {name_key(n)} " for n in names]
    return any(f" {name_key(w)} " in key for w in words for key in keys)


def adopt_starter_rules(batch: Batch, journal: Journal, substance_id: int) -> list[str]:
    """Copy the starter rules that mention the new substance into the journal; say which, as notes."""
    if not journal.settings.starter_rules:
        return []
    path = journal.settings.starter_rules_file or SHIPPED_STARTER_RULES
    names: dict[int, list[str]] = {}
    for candidate in lookup.substance_candidates(batch.conn):
        names.setdefault(candidate.target.id, []).append(candidate.key)  # the name and each alias
    notes = []
    for entry in starter_rules(path):
        source = f"{entry['text']} — {entry['source']}"
        if entry["kind"] == "daily_max" and _mentions(entry["matches"], names[substance_id]):
            amount = _mass_or_volume(parse_amount(entry["amount"]))  # the data file's text, parsed here
            rows = [writes.rule_row(kind="daily_max", substance_id=substance_id, amount=amount, source_text=source)]
        elif entry["kind"] == "spacing":
            hours = float(parse_hours(str(entry["hours"])))
            if _mentions(entry["matches"], names[substance_id]):
                pairs = [(substance_id, other) for other, n in names.items() if _mentions(entry["after"], n)]
            elif _mentions(entry["after"], names[substance_id]):
                pairs = [(first, substance_id) for first, n in names.items() if _mentions(entry["matches"], n)]
            else:
                pairs = []
            rows = [writes.rule_row(kind="spacing", substance_id=a, other_substance_id=b, hours=hours,
                                    source_text=source) for a, b in pairs if a != b]
        else:
            rows = []
        for row in rows:
            added = rule_store.rule(batch.conn, inserted_id(batch.insert(row)))
            if added:
                notes.append(f"starter rule {added.id} added: {added.describe()} ({entry['source']}); "
                             f"'medlog rule disable {added.id}' turns it off")
    return notes
