from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medlog.domain.errors import InputError
from medlog.domain.numbers import format_decimal, parse_decimal


@pytest.mark.parametrize("text, value", [
    ("7", Decimal(7)), ("7.5", Decimal("7.5")), (" 0.125 ", Decimal("0.125")), ("0", Decimal(0)),
    ("٣", Decimal(3)),          # Arabic-Indic digit
    ("۷.۵", Decimal("7.5")),     # Extended Arabic-Indic (Persian) digits
    ("३", Decimal(3)),          # Devanagari
    ("１２", Decimal(12)),       # fullwidth
])
def test_accepts_plain_decimals_in_any_one_script(text, value):
    assert parse_decimal(text, what="x") == value


@pytest.mark.parametrize("text, reason", [
    ("-5", "negative"), ("+5", "without a sign"), ("1e309", "exponent"), ("1E3", "exponent"),
    ("nan", "not a number"), ("inf", "not a number"), ("1_000", "underscores"), ("7,5", "dot for decimals"),
    ("1,000", "thousands"), ("", "missing"), ("abc", "not a number"), ("1٣", "mixes digits"),
    ("½", "not a number"), ("²", "not a number"), ("1.2.3", "not a number"), (".5", "not a number"),
    ("5.", "not a number"), ("1.23456", "decimal places"),
])
def test_refuses_with_a_reason(text, reason):
    with pytest.raises(InputError, match=reason):
        parse_decimal(text, what="x")


@given(st.text(max_size=12))
def test_any_text_parses_or_is_refused_cleanly(text):
    try:
        value = parse_decimal(text, what="x")
    except InputError:
        return
    assert value >= 0 and value.is_finite()


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False))
def test_format_then_parse_round_trips(value):
    assert parse_decimal(format_decimal(value), what="x") == value
