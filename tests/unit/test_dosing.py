from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from medlog.domain.dosing import choose_slot, dose_amount, dose_notes, example_amount
from medlog.domain.errors import InputError
from medlog.domain.regimen import RegimenState
from medlog.domain.schedule import Schedule
from medlog.domain.units import Amount

T = datetime(2026, 11, 1, tzinfo=UTC)
MG10 = Amount(Decimal(10), "mg")
ON = RegimenState(True, MG10, Schedule(("08:00",)), since=T)


def amt(value, unit):
    return Amount(Decimal(value), unit)


@pytest.mark.parametrize("typed, expected", [
    (None, MG10), (amt(1, "tablet"), MG10), (amt("1.5", "tablet"), amt(15, "mg")), (amt(20, None), amt(20, "mg")),
    (amt(500, "mcg"), amt(500, "mcg")),
])
def test_dose_amount(typed, expected):
    assert dose_amount("Escitalopram", "tablet", MG10, ON, typed) == expected


def test_dose_amount_refusals():
    with pytest.raises(InputError, match="Escitalopram is a tablet; say '1 tablet'"):
        dose_amount("Escitalopram", "tablet", MG10, ON, amt(1, "capsule"))
    with pytest.raises(InputError, match="no regular dose; give the amount, like 'medlog take gabapentin 1 capsule'"):
        dose_amount("Gabapentin", "capsule", amt(300, "mg"), RegimenState(True), None)
    with pytest.raises(InputError, match="10 mL is a volume, and Escitalopram is dosed in mg"):
        dose_amount("Escitalopram", "tablet", MG10, ON, amt(10, "mL"))
    syrup = RegimenState(True, amt(5, "mL"), Schedule(("08:00",)), since=T)
    with pytest.raises(InputError, match="200 mg is a mass, and Syrup is dosed in mL"):
        dose_amount("Syrup", "liquid", None, syrup, amt(200, "mg"))
    with pytest.raises(InputError, match="give a unit"):
        dose_amount("Thing", None, None, RegimenState(True), amt(2, None))


def test_example_amounts():
    assert example_amount("capsule", amt(300, "mg")) == "1 capsule"
    assert example_amount("powder", amt(5, "g")) == "5 g"
    assert example_amount(None, None) == "200 mg"


def test_notes_for_typos_and_unconvertible_units():
    assert dose_notes("Esc", amt(1, "g"), ON) == [
        "1 g is 100× your regular Esc dose of 10 mg; recorded — 'medlog undo' if that was a typo"]
    assert dose_notes("Esc", amt(90, "mg"), ON) == []
    assert "count them apart" in dose_notes("Esc", amt(1, "tablet"), ON)[0]
    assert dose_notes("Esc", amt(1000, "IU"), RegimenState(True, amt(1000, "IU"))) == []


@pytest.mark.parametrize("times, answered, clock, slot", [
    (("08:00", "20:00"), set(), time(7, 40), "08:00"),
    (("08:00", "20:00"), {"08:00"}, time(8, 30), "20:00"),
    (("08:00", "20:00"), {"08:00", "20:00"}, time(8, 30), None),
    (("08:00", "23:00"), set(), time(1, 30), "23:00"),  # 01:30 is late in the journal day, near 23:00
    (("21:30",), set(), time(3, 0), "21:30"),
])
def test_choose_slot(times, answered, clock, slot):
    assert choose_slot(times, answered, clock, time(4, 0)) == slot


# --- IU and mass: converted only through the substance's own factor ------------------------------------------

def test_iu_converts_to_mass_only_through_the_substances_factor():
    from medlog.domain.units import convert, parse_amount, parse_iu_mass

    d3 = parse_iu_mass("1000 IU = 25 mcg")
    assert d3 == Amount(Decimal("0.025"), "mcg") == parse_iu_mass("25 mcg = 1000 IU")
    assert convert(parse_amount("4000 IU"), "mcg", d3) == Amount(Decimal(100), "mcg")
    assert convert(parse_amount("0.1 mg"), "IU", d3) == Amount(Decimal(4000), "IU")
    assert convert(parse_amount("4000 IU"), "mcg") is None  # no factor: never converted
    assert convert(parse_amount("5 mL"), "mcg", d3) is None  # the factor is for IU only


@pytest.mark.parametrize("text", ["1000 IU", "1000 IU = 25 mL", "25 mcg = 1 mg", "1000 IU = 25 mcg = 1 mg",
                                  "-1000 IU = 25 mcg", "1000 IU = 0 mcg"])
def test_bad_iu_factors_are_refused(text):
    from medlog.domain.units import parse_iu_mass

    with pytest.raises(InputError):
        parse_iu_mass(text)


def test_a_dose_in_iu_against_a_regular_dose_by_mass_is_pointed_out_only_without_a_factor():
    from medlog.domain.units import parse_amount, parse_iu_mass

    regimen = RegimenState(True, Amount(Decimal(50), "mcg"))
    [note] = dose_notes("Vitamin D3", parse_amount("2000 IU"), regimen)
    assert "set an IU factor to convert" in note
    assert dose_notes("Vitamin D3", parse_amount("2000 IU"), regimen, parse_iu_mass("1000 IU = 25 mcg")) == []
