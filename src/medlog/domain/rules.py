"""Safety rules: a daily maximum, spacing after another substance, as-needed limits. Checked, never enforced.

A rule only ever produces a warning that names itself, the figures and its source; the dose is recorded anyway
(the user may have been told otherwise by their clinician). Pure functions: the service reads the doses.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.numbers import format_decimal, parse_decimal
from medlog.domain.record import record
from medlog.domain.units import Amount, convert, format_amount

KINDS = ("daily_max", "spacing", "as_needed", "interaction")
MAX_HOURS = Decimal(48)  # spacing and intervals longer than two days are not what these rules are for
LOOKAROUND = timedelta(hours=48)  # how far around a new dose the doses a rule looks at can lie


@record
class Rule:
    id: int
    kind: str  # one of KINDS
    substance_id: int
    substance: str
    other_id: int | None = None  # spacing: the substance NAME must follow by at least `hours`
    other: str | None = None
    amount: Amount | None = None  # daily_max
    hours: Decimal | None = None  # spacing
    max_per_day: int | None = None  # as_needed: taken doses in any 24 h
    min_interval: Decimal | None = None  # as_needed: hours between taken doses
    source: str | None = None  # where the rule comes from: a label, a fact sheet, "my doctor"
    enabled: bool = True
    starter: str | None = None  # the starter rule it was copied from; None: the user's own

    def describe(self) -> str:
        if self.kind == "interaction":
            return f"{self.substance} with {self.other}: told once, when both are in use"
        if self.kind == "daily_max":
            return f"{self.substance}: at most {self.amount} a day"
        if self.kind == "spacing":
            return f"{self.substance} at least {format_decimal(self.hours or 0)} h after {self.other}"
        limits = []
        if self.max_per_day is not None:
            limits.append(f"at most {self.max_per_day} dose{'s' if self.max_per_day != 1 else ''} in 24 h")
        if self.min_interval is not None:
            limits.append(f"at least {format_decimal(self.min_interval)} h apart")
        return f"{self.substance} as needed: " + ", ".join(limits)


@record
class Taken:
    """A dose taken, as the rules see it: the substance, when, how much, and its journal day."""

    substance_id: int
    at: datetime
    day: date
    amount: Amount | None


@record
class Content:
    """How a substance's doses count toward a daily maximum: through its strength, elemental amount and the
    mass of one IU."""

    strength: Amount | None = None
    elemental: Amount | None = None
    iu_mass: Amount | None = None


def parse_hours(text: str, *, what: str = "hours") -> Decimal:
    return check_hours(parse_decimal(text.removesuffix("h").strip(), what=what, max_places=2), what=what)


def check_hours(hours: Decimal, *, what: str = "hours") -> Decimal:
    """A rule's hours: above 0, at most MAX_HOURS (held for every caller, parsed or not)."""
    if not 0 < hours <= MAX_HOURS:
        raise InputError(f"{what} {hours}: give a number of hours above 0 and at most {MAX_HOURS}")
    return hours


def warnings(rules: list[Rule], new: Taken, doses: list[Taken], contents: dict[int, Content]) -> list[str]:
    """One line per rule the new dose crosses. `doses` are the other taken doses around it (LOOKAROUND)."""
    return [line for _, line in crossed(rules, new, doses, contents)]


def crossed(rules: list[Rule], new: Taken, doses: list[Taken],
            contents: dict[int, Content]) -> list[tuple[Rule, str]]:
    """Each rule the new dose crosses, with its warning line (kept in the journal: the report lists them)."""
    out = []
    for rule in rules:
        if not rule.enabled:
            continue
        figures = _crossed(rule, new, doses, contents)
        if figures:
            source = f" Source: {rule.source}." if rule.source else ""
            out.append((rule, f"rule {rule.id} ({rule.describe()}): {figures}.{source} Recorded anyway; "
                              f"'medlog rule disable {rule.id}' turns this rule off."))
    return out


def _crossed(rule: Rule, new: Taken, doses: list[Taken], contents: dict[int, Content]) -> str | None:
    if rule.kind == "daily_max":
        return _daily_max(rule, new, doses, contents.get(rule.substance_id, Content()))
    if rule.kind == "spacing":
        return _spacing(rule, new, doses)
    if rule.kind == "interaction":
        return None  # no figures to cross: told once when both are in use (services/interactions.py)
    return _as_needed(rule, new, doses)


def counted(amount: Amount | None, content: Content, unit: str) -> tuple[Amount | None, bool]:
    """The amount in `unit` as a daily maximum counts it, and whether that is the elemental amount.

    With an elemental amount per unit (magnesium glycinate: 100 mg elemental magnesium per 500 mg capsule),
    a dose counts by its share of the strength; otherwise by its own amount. None when it cannot be converted
    exactly (IU against mg for a substance that defines no IU factor, a count of a form without a strength).
    """
    if amount is None:
        return None, False
    strength, elemental = content.strength, content.elemental
    if elemental is not None and strength is not None and strength.unit and strength.value:
        in_strength_units = convert(amount, strength.unit, content.iu_mass)
        if in_strength_units is not None:
            share = in_strength_units.value / strength.value  # how many units of form the dose was
            return convert(Amount(share * elemental.value, elemental.unit), unit), True
    return convert(amount, unit, content.iu_mass), False


def _daily_max(rule: Rule, new: Taken, doses: list[Taken], content: Content) -> str | None:
    if new.substance_id != rule.substance_id or rule.amount is None or rule.amount.unit is None:
        return None
    same_day = [d for d in doses if d.substance_id == rule.substance_id and d.day == new.day] + [new]
    total, uncounted, elemental = Decimal(0), 0, False
    for dose in same_day:
        amount, is_elemental = counted(dose.amount, content, rule.amount.unit)
        if amount is None:
            uncounted += 1
        else:
            total += amount.value
            elemental = elemental or is_elemental
    if total <= rule.amount.value:
        return None
    what = "elemental " if elemental else ""
    apart = f" ({uncounted} dose(s) in other units not counted)" if uncounted else ""
    return (f"the {what}total for {new.day:%a %d %b} is {format_amount(total, rule.amount.unit)} over "
            f"{len(same_day) - uncounted} dose(s){apart}, above {rule.amount}")


def _spacing(rule: Rule, new: Taken, doses: list[Taken]) -> str | None:
    """NAME taken less than `hours` after OTHER: checked whichever of the two is being logged."""
    if rule.hours is None or rule.other_id is None:
        return None
    window = timedelta(hours=float(rule.hours))
    if new.substance_id == rule.substance_id:
        pairs = [(new, d) for d in doses if d.substance_id == rule.other_id]
    elif new.substance_id == rule.other_id:
        pairs = [(d, new) for d in doses if d.substance_id == rule.substance_id]
    else:
        return None
    close = [(after.at - before.at) for after, before in pairs if timedelta(0) <= after.at - before.at < window]
    if not close:
        return None
    gap = min(close)
    return (f"{rule.substance} was taken {_hours(gap)} after {rule.other}, less than "
            f"{format_decimal(rule.hours)} h")


def _as_needed(rule: Rule, new: Taken, doses: list[Taken]) -> str | None:
    if new.substance_id != rule.substance_id:
        return None
    own = sorted([d for d in doses if d.substance_id == rule.substance_id] + [new], key=lambda d: d.at)
    found = []
    if rule.max_per_day is not None:
        in_24h = [d for d in own if abs(d.at - new.at) < timedelta(hours=24)]
        # the busiest 24 h window that contains the new dose
        busiest = max(sum(1 for d in in_24h if start.at <= d.at < start.at + timedelta(hours=24))
                      for start in in_24h if start.at <= new.at)
        if busiest > rule.max_per_day:
            found.append(f"{busiest} doses within 24 h, more than {rule.max_per_day}")
    if rule.min_interval is not None:
        others = [abs(d.at - new.at) for d in own if d is not new]
        interval = timedelta(hours=float(rule.min_interval))
        if others and min(others) < interval:
            found.append(f"{_hours(min(others))} from the nearest other dose, less than "
                         f"{format_decimal(rule.min_interval)} h")
    return "; ".join(found) or None


def _hours(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"
