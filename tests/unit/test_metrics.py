from decimal import Decimal

import pytest

from medlog.domain.errors import InputError
from medlog.domain.metrics import BUILTIN_METRICS, make_metric, parse_metric_value, parse_severity, split_assignment

SPECS = {spec.key: spec for spec in BUILTIN_METRICS}


def test_builtins_know_their_direction_and_scale():
    assert [s.key for s in BUILTIN_METRICS] == ["sleep_hours", "sleep_quality", "mood", "anxiety", "pain", "energy"]
    assert SPECS["sleep_hours"].max_value == 24 and not SPECS["sleep_hours"].integer
    assert SPECS["mood"].higher_is_better and not SPECS["anxiety"].higher_is_better
    assert not SPECS["pain"].higher_is_better and SPECS["energy"].higher_is_better
    assert SPECS["mood"].scale == "0–10, higher is better"


@pytest.mark.parametrize("key, text, value", [
    ("mood", "6", Decimal(6)), ("mood", "0", Decimal(0)), ("mood", "10", Decimal(10)), ("mood", "6.0", Decimal(6)),
    ("sleep_hours", "7.5", Decimal("7.5")), ("sleep_hours", "0", Decimal(0)), ("sleep_hours", "24", Decimal(24)),
    ("anxiety", "٣", Decimal(3)),
])
def test_values_on_the_scale(key, text, value):
    assert parse_metric_value(SPECS[key], text) == value


@pytest.mark.parametrize("key, text, reason", [
    ("mood", "11", "outside its scale"), ("mood", "abc", "not a number"), ("mood", "true", "not a number"),
    ("mood", "-1", "negative"), ("mood", "6.5", "whole number"), ("sleep_hours", "25", "outside its scale"),
    ("sleep_hours", "7.255", "decimal places"), ("mood", "", "missing"), ("mood", "nan", "not a number"),
])
def test_values_off_the_scale(key, text, reason):
    with pytest.raises(InputError, match=reason):
        parse_metric_value(SPECS[key], text)


@pytest.mark.parametrize("text, severity", [("0", 0), ("3", 3), ("10", 10), ("mild", 2), ("Moderate", 5),
                                            ("SEVERE", 8), ("none", 0)])
def test_severity(text, severity):
    assert parse_severity(text) == severity


@pytest.mark.parametrize("text", ["42", "11", "-1", "3.5", "bad", "", "very"])
def test_severity_refused(text):
    with pytest.raises(InputError):
        parse_severity(text)


def test_assignments():
    assert split_assignment("mood=6") == ("mood", "6")
    assert split_assignment(" sleep_hours = 7.5 ") == ("sleep_hours", "7.5")
    for bad in ("mood", "=6", "mood=", "mood 6"):
        with pytest.raises(InputError, match="METRIC=VALUE"):
            split_assignment(bad)


def test_user_metrics():
    spec = make_metric("headache", min_text="0", max_text="10", higher_is_better=False, integer=True)
    assert spec.label == "Headache" and not spec.higher_is_better
    with pytest.raises(InputError, match="below the maximum"):
        make_metric("x", min_text="5", max_text="5", higher_is_better=True, integer=False)
    for bad in ("Head Ache", "1st", "a-b", "", "x" * 41, "drop table"):
        with pytest.raises(InputError, match="metric name"):
            make_metric(bad, min_text="0", max_text="1", higher_is_better=True, integer=False)
