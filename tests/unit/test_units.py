from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medlog.domain.errors import InputError
from medlog.domain.units import Amount, convert, format_amount, parse_amount, to_dose_units


@pytest.mark.parametrize("text, amount", [
    ("200mg", Amount(Decimal(200), "mg")), ("200 mg", Amount(Decimal(200), "mg")),
    ("1.5 tab", Amount(Decimal("1.5"), "tablet")), ("2000 IU", Amount(Decimal(2000), "IU")),
    ("5 mL", Amount(Decimal(5), "mL")), ("5ml", Amount(Decimal(5), "mL")),
    ("1 capsule", Amount(Decimal(1), "capsule")), ("2 caps", Amount(Decimal(2), "capsule")),
    ("500 µg", Amount(Decimal(500), "mcg")), ("1 g", Amount(Decimal(1), "g")),
    ("200", Amount(Decimal(200), None)), ("٢٠٠ mg", Amount(Decimal(200), "mg")), ("10 MG", Amount(Decimal(10), "mg")),
])
def test_parses_what_people_type(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text, reason", [
    ("-5mg", "negative"), ("0 mg", "more than zero"), ("1e309mg", "exponent"), ("nan mg", "not a number"),
    ("1_000mg", "underscores"), ("200 mg mg", "one number and one unit"), ("200 furlongs", "unknown unit"),
    ("abc", "not an amount"), ("", "not an amount"), ("mg", "not an amount"), ("2000000 mg", "typo"),
    ("inf mg", "not a number"), ("1,5 mg", "dot for decimals"),
])
def test_refuses_bad_amounts(text, reason):
    with pytest.raises(InputError, match=reason):
        parse_amount(text)


def test_units_of_form_become_mass_through_the_strength():
    ten_mg = Amount(Decimal(10), "mg")
    assert to_dose_units(parse_amount("1 tablet"), ten_mg) == Amount(Decimal(10), "mg")
    assert to_dose_units(parse_amount("1.5 tab"), ten_mg) == Amount(Decimal(15), "mg")
    assert to_dose_units(parse_amount("2 capsules"), None) == Amount(Decimal(2), "capsule")
    assert to_dose_units(parse_amount("200 mg"), ten_mg) == Amount(Decimal(200), "mg")


def test_mass_converts_exactly_and_iu_never_becomes_mass():
    assert convert(Amount(Decimal("0.1"), "mg"), "mcg") == Amount(Decimal(100), "mcg")
    assert convert(Amount(Decimal(250), "mcg"), "mg") == Amount(Decimal("0.25"), "mg")
    assert convert(Amount(Decimal(2), "g"), "mg") == Amount(Decimal(2000), "mg")
    assert convert(Amount(Decimal(1000), "IU"), "mg") is None
    assert convert(Amount(Decimal(1), "tablet"), "mg") is None


def test_format_says_plurals_and_drops_trailing_zeros():
    assert format_amount(Decimal("10.0"), "mg") == "10 mg"
    assert format_amount(2.0, "tablet") == "2 tablets"
    assert format_amount(1, "tablet") == "1 tablet"
    assert format_amount(Decimal("0.5"), "capsule") == "0.5 capsules"


_units = st.sampled_from(["mg", "mcg", "g", "IU", "mL", "tablet", "capsule", "drop"])


@given(st.decimals(min_value=Decimal("0.0001"), max_value=10**6, places=4), _units)
def test_format_then_parse_round_trips(value, unit):
    assert parse_amount(format_amount(value, unit)) == Amount(value.normalize(), unit)


@given(st.text(max_size=16))
def test_any_text_parses_or_is_refused_cleanly(text):
    try:
        amount = parse_amount(text)
    except InputError:
        return
    assert amount.value > 0
