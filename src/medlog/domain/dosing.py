"""Rules for one dose: its amount, the scheduled slot it answers, and what is worth pointing out."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.regimen import RegimenState
from medlog.domain.units import Amount, convert, format_amount, to_dose_units, unit_of

# A dose this many times the regular one is far more often a typo (1 g for 10 mg) than intended; it is still
# recorded, with a note. This is a typing check, not a medical limit: safety rules live in the rules data file.
TYPO_FACTOR = 10


def dose_amount(name: str, form: str | None, strength: Amount | None, regimen: RegimenState,
                typed: Amount | None) -> Amount:
    """The amount to record: as typed (a bare number in the regular dose's unit; units of form through the
    strength), or the regular dose when nothing was typed."""
    if typed is None:
        if regimen.dose is None:
            first = name.split()[0].lower()
            if not regimen.active:  # most often: a medicine taken long before it was added, without --since
                raise InputError(f"{name} was not in your regimen at that time; if you were taking it then, record "
                                 f"since when: 'medlog undo' the add and add it again with --since DAY (or give the "
                                 f"amount, 'medlog take {first} {example_amount(form, strength)}', to log this "
                                 "dose outside the regimen)")
            raise InputError(f"{name} has no regular dose; give the amount, like "
                             f"'medlog take {first} {example_amount(form, strength)}'")
        return regimen.dose
    unit = typed.unit
    if unit is None:
        unit = (regimen.dose or strength or Amount(Decimal(0), None)).unit
        if unit is None:
            raise InputError(f"{typed.value}: give a unit, like '{typed.value} mg'")
        typed = Amount(typed.value, unit)
    if form and unit_of(unit).dimension == "count" and _is_count_form(form) and unit != form:
        raise InputError(f"{name} is a {form}; say '{format_amount(typed.value, form)}' or give the amount in "
                         f"{(strength or regimen.dose or Amount(Decimal(0), 'mg')).unit}")
    amount = to_dose_units(typed, strength)
    _same_kind(name, amount, regimen.dose or strength)
    return amount


def _same_kind(name: str, amount: Amount, regular: Amount | None) -> None:
    """A volume for a substance dosed by mass (or the reverse) is refused, as a wrong unit of form is: nothing
    relates the two without a concentration, and such a dose would answer a slot while counting for nothing."""
    if regular is None or regular.unit is None or amount.unit is None:
        return
    kinds = {unit_of(amount.unit).dimension, unit_of(regular.unit).dimension}
    if kinds == {"mass", "volume"}:
        said = "a volume" if unit_of(amount.unit).dimension == "volume" else "a mass"
        raise InputError(f"{format_amount(amount.value, amount.unit)} is {said}, and {name} is dosed in "
                         f"{regular.unit} ({regular}); medlog cannot convert one to the other: give the amount in "
                         f"{regular.unit}")


def example_amount(form: str | None, strength: Amount | None) -> str:
    if form and _is_count_form(form):
        return f"1 {form}"
    return str(strength) if strength else "200 mg"


def _is_count_form(form: str) -> bool:
    try:
        return unit_of(form).dimension == "count"
    except InputError:
        return False  # powder, liquid…: no unit of form to check against


def dose_notes(name: str, amount: Amount, regimen: RegimenState, iu_mass: Amount | None = None) -> list[str]:
    """What a careful diary would point out about a recorded dose (never a refusal)."""
    regular = regimen.dose
    if regular is None or regular.unit is None or amount.unit is None:
        return []
    same = convert(amount, regular.unit, iu_mass)
    if same is None:
        if unit_of(amount.unit).dimension != unit_of(regular.unit).dimension:
            how = "an IU factor" if "activity" in {unit_of(amount.unit).dimension,
                                                   unit_of(regular.unit).dimension} else "a strength"
            return [f"recorded as {amount}; your regular {name} dose is in {regular.unit}, so totals will "
                    f"count them apart (set {how} to convert)"]
        return []
    if regular.value and same.value >= TYPO_FACTOR * regular.value:
        times = (same.value / regular.value).quantize(Decimal(1))
        return [f"{amount} is {times}× your regular {name} dose of {regular}; recorded — "
                "'medlog undo' if that was a typo"]
    return []


def choose_slot(times: tuple[str, ...], answered: set[str], clock: time, rollover: time) -> str | None:
    """The open slot of the journal day nearest in time to `clock`, or None when every slot is answered."""
    open_slots = [t for t in times if t not in answered]
    if not open_slots:
        return None
    minutes = _minutes_into_day(clock, rollover)
    return min(open_slots, key=lambda t: abs(_minutes_into_day(time.fromisoformat(t), rollover) - minutes))


def _minutes_into_day(clock: time, rollover: time) -> int:
    """Minutes into the journal day, so 01:30 sits after 23:00 when the day rolls over at 04:00."""
    return (clock.hour * 60 + clock.minute - rollover.hour * 60 - rollover.minute) % (24 * 60)
