"""Amounts and units: "200mg", "200 mg", "1.5 tab", "2000 IU", "5 mL".

Mass converts exactly (Decimal) between mcg, mg and g. IU is activity, never converted to mass here.
Units of form (tablet, capsule, scoop…) become mass or volume through the substance's strength per unit
("1 tablet" of a 10 mg tablet is 10 mg); without a strength they are kept as a count of that form.
"""

from __future__ import annotations

import re  # patterns are strings compiled on first use (re caches them): the quick path pays only for what it parses
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.numbers import ascii_digits, format_decimal, parse_decimal
from medlog.domain.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms on the quick-log path)
if TYPE_CHECKING:
    from typing import NoReturn

# Largest amount accepted in any unit; anything above is far more likely a typo than a dose
# (the largest common label doses, e.g. 50,000 IU of vitamin D, sit well below it).
MAX_AMOUNT = Decimal(1_000_000)


@record
class Unit:
    symbol: str
    dimension: str  # mass | volume | activity | count
    factor: Decimal  # to the dimension's base: mg, mL, IU, 1 of the form
    plural: str = ""


_UNITS: dict[str, Unit] = {}


def _add(unit: Unit, *aliases: str) -> None:
    for alias in (unit.symbol, *aliases):
        _UNITS[alias.casefold()] = unit


_add(Unit("mg", "mass", Decimal(1)), "milligram", "milligrams")
_add(Unit("mcg", "mass", Decimal("0.001")), "µg", "μg", "ug", "microgram", "micrograms")
_add(Unit("g", "mass", Decimal(1000)), "gram", "grams")
_add(Unit("IU", "activity", Decimal(1)), "iu")
_add(Unit("mL", "volume", Decimal(1)), "ml", "millilitre", "milliliter")
_add(Unit("L", "volume", Decimal(1000)), "l", "litre", "liter")
for _symbol, _plural, *_aliases in (
    ("tablet", "tablets", "tab", "tabs"),
    ("capsule", "capsules", "cap", "caps"),
    ("softgel", "softgels"),
    ("gummy", "gummies"),
    ("scoop", "scoops"),
    ("sachet", "sachets"),
    ("drop", "drops", "gtt"),
    ("puff", "puffs"),
    ("spray", "sprays"),
    ("patch", "patches"),
    ("lozenge", "lozenges"),
):
    _add(Unit(_symbol, "count", Decimal(1), _plural), _plural, *_aliases)

FORMS = tuple(sorted({u.symbol for u in _UNITS.values() if u.dimension == "count"}))

_AMOUNT = r"([0-9][0-9.]*)\s*([^\W\d_]+)?\Z"


@record
class Amount:
    value: Decimal
    unit: str | None  # canonical symbol; None when the user typed a bare number

    def __str__(self) -> str:
        return format_amount(self.value, self.unit)


def unit_of(text: str) -> Unit:
    try:
        return _UNITS[text.casefold()]
    except KeyError:
        known = ", ".join(sorted({u.symbol for u in _UNITS.values()}))
        raise InputError(f"unknown unit {text!r}; known units: {known}") from None


def parse_amount(text: str, *, what: str = "amount") -> Amount:
    """Parse "200 mg" and friends; refuse anything that is not exactly one positive number and one unit."""
    raw = " ".join(text.split())
    match = re.match(_AMOUNT, ascii_digits(raw))
    if not match:
        _refuse(raw, what)
    number, unit_text = match.groups()
    value = parse_decimal(number, what=what)
    if value <= 0:
        raise InputError(f"{what}: {raw!r} must be more than zero")
    if value > MAX_AMOUNT:
        raise InputError(f"{what}: {raw!r} is larger than {format_decimal(MAX_AMOUNT)}; is it a typo?")
    return Amount(value, unit_of(unit_text).symbol if unit_text else None)


def parse_strength(text: str, *, what: str = "strength") -> Amount:
    """An amount per unit with a unit of measure ("10 mg", "5 ml"): a strength, or an elemental content."""
    amount = parse_amount(text, what=what)
    if amount.unit is None or unit_of(amount.unit).dimension == "count":
        raise InputError(f"{what}: give an amount per unit with a unit of measure, like '10 mg'")
    return amount


def _refuse(raw: str, what: str) -> NoReturn:
    words = raw.split()
    head = words[0] if words else ""
    number = re.match(r"[-+]?(?:[0-9][0-9._,eE+-]*|nan|inf)", head, re.IGNORECASE)
    if number:
        # Let the number parser explain what is wrong with the number part ("-5", "1e309", "nan", "1_000").
        parse_decimal(number.group(0), what=what)
    if len(words) > 2:
        raise InputError(f"{what}: {raw!r} should be one number and one unit, like '200 mg'")
    raise InputError(f"{what}: {raw!r} is not an amount; write a number and a unit, like '200 mg' or '1.5 tab'")


def format_amount(value: Decimal | float, unit: str | None) -> str:
    number = format_decimal(value)
    if unit is None:
        return number
    spec = _UNITS.get(unit.casefold())
    if spec and spec.plural and Decimal(number) != 1:
        return f"{number} {spec.plural}"
    return f"{number} {unit}"


def to_dose_units(amount: Amount, strength: Amount | None) -> Amount:
    """Turn "1.5 tablet" into "15 mg" through the strength per unit; other amounts pass unchanged."""
    if amount.unit is None:
        return amount
    if unit_of(amount.unit).dimension == "count" and strength is not None and strength.unit is not None:
        return Amount(amount.value * strength.value, strength.unit)
    return amount


def convert(amount: Amount, unit: str, iu_mass: Amount | None = None) -> Amount | None:
    """Exact conversion within one dimension (mg ↔ mcg ↔ g, mL ↔ L); None when the dimensions differ.

    IU and mass convert only through `iu_mass`, the mass of one IU of this substance (vitamin D3: 0.025 mcg),
    which the substance must define: the factor differs from one substance to the next."""
    if amount.unit is None:
        return None
    src, dst = unit_of(amount.unit), unit_of(unit)
    if {src.dimension, dst.dimension} == {"activity", "mass"} and iu_mass is not None and iu_mass.unit:
        mg_per_iu = iu_mass.value * unit_of(iu_mass.unit).factor
        in_base = amount.value * src.factor  # IU or mg
        value = in_base * mg_per_iu if src.dimension == "activity" else in_base / mg_per_iu
        return Amount(value / dst.factor, dst.symbol)
    if src.dimension != dst.dimension or src.dimension == "count" and src.symbol != dst.symbol:
        return None
    return Amount(amount.value * src.factor / dst.factor, dst.symbol)


def parse_iu_mass(text: str) -> Amount:
    """'1000 IU = 25 mcg' (either way round, as labels print it) → the mass of one IU: 0.025 mcg."""
    sides = text.split("=")
    if len(sides) != 2:
        raise InputError(f"IU factor {text.strip()!r}: write it as on the label, like '1000 IU = 25 mcg'")
    first, second = (parse_amount(side, what="IU factor") for side in sides)
    iu, mass = (first, second) if first.unit == "IU" else (second, first)
    if iu.unit != "IU" or mass.unit is None or unit_of(mass.unit).dimension != "mass":
        raise InputError(f"IU factor {text.strip()!r}: give an amount in IU and its mass, like '1000 IU = 25 mcg'")
    return Amount(mass.value / iu.value, mass.unit)
