"""The safety rules as pure functions: what crosses them, with which figures, and what never does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from medlog.domain.errors import InputError
from medlog.domain.rules import Content, Rule, Taken, parse_hours, warnings
from medlog.domain.units import Amount

MG, GABA, ANTACID = 1, 2, 3
T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
DAY = date(2026, 11, 21)


def dose(substance: int, hours: float, mg: str | None = "200", unit: str = "mg", day: date = DAY) -> Taken:
    return Taken(substance, T0 + timedelta(hours=hours), day, Amount(Decimal(mg), unit) if mg else None)


DAILY = Rule(1, "daily_max", MG, "Magnesium glycinate", amount=Amount(Decimal(350), "mg"), source="NIH ODS")
SPACING = Rule(2, "spacing", GABA, "Gabapentin", ANTACID, "Maalox", hours=Decimal(2))
AS_NEEDED = Rule(3, "as_needed", GABA, "Gabapentin", max_per_day=3, min_interval=Decimal(6))


def test_a_second_200_mg_magnesium_dose_crosses_350_mg_and_says_the_figures_and_source():
    first = dose(MG, 0)
    assert warnings([DAILY], first, [], {}) == []
    [said] = warnings([DAILY], dose(MG, 9), [first], {})
    assert "rule 1 (Magnesium glycinate: at most 350 mg a day)" in said
    assert "400 mg over 2 dose(s), above 350 mg" in said and "Source: NIH ODS." in said
    assert "Recorded anyway" in said


def test_the_daily_total_counts_one_journal_day_and_converts_units_exactly():
    yesterday = dose(MG, -20, day=date(2026, 11, 20))
    assert warnings([DAILY], dose(MG, 0), [yesterday], {}) == []
    grams = dose(MG, 1, "0.15", "g")  # 150 mg
    assert warnings([DAILY], dose(MG, 0), [grams], {}) == []  # 350 is not above 350
    assert warnings([DAILY], dose(MG, 0, "151000", "mcg"), [dose(MG, 1)], {})  # 351 mg


def test_doses_in_units_that_do_not_convert_are_not_guessed_and_are_said_to_be_uncounted():
    [said] = warnings([DAILY], dose(MG, 0, "300"), [dose(MG, 1, "100"), dose(MG, 2, "2", "scoop")], {})
    assert "400 mg over 2 dose(s) (1 dose(s) in other units not counted)" in said


def test_an_elemental_amount_per_unit_makes_the_total_elemental():
    capsule = Content(strength=Amount(Decimal(500), "mg"), elemental=Amount(Decimal(100), "mg"))
    # two 500 mg capsules of the compound are 200 mg elemental: under the limit
    assert warnings([DAILY], dose(MG, 0, "500"), [dose(MG, 1, "500")], {MG: capsule}) == []
    [said] = warnings([DAILY], dose(MG, 0, "1000"), [dose(MG, 1, "1000")], {MG: capsule})
    assert "the elemental total for Sat 21 Nov is 400 mg" in said


@pytest.mark.parametrize(("gap_hours", "warns"), [(1, True), (1.99, True), (2, False), (3, False), (-1, False)])
def test_spacing_is_name_at_least_hours_after_other(gap_hours, warns):
    antacid = dose(ANTACID, 0, None)
    gabapentin = dose(GABA, gap_hours, "300")
    assert bool(warnings([SPACING], gabapentin, [antacid], {})) is warns
    # logged in the other order (the antacid entered late), the same pair is judged the same way
    assert bool(warnings([SPACING], antacid, [gabapentin], {})) is warns


def test_spacing_says_the_gap():
    [said] = warnings([SPACING], dose(GABA, 1.5, "300"), [dose(ANTACID, 0, None)], {})
    assert "Gabapentin was taken 1 h 30 min after Maalox, less than 2 h" in said


def test_as_needed_counts_any_24_hours_and_the_interval_both_ways():
    earlier = [dose(GABA, h, "300") for h in (-20, -10, -4)]
    [said] = warnings([AS_NEEDED], dose(GABA, 0, "300"), earlier, {})
    assert "4 doses within 24 h, more than 3" in said
    assert "4 h 00 min from the nearest other dose, less than 6 h" in said
    assert warnings([AS_NEEDED], dose(GABA, 0, "300"), [dose(GABA, -25, "300"), dose(GABA, -7, "300")], {}) == []
    # a dose entered late, between two others, is checked against the later one too
    assert "less than 6 h" in warnings([AS_NEEDED], dose(GABA, 0, "300"), [dose(GABA, 2, "300")], {})[0]


def test_disabled_rules_and_other_substances_say_nothing():
    off = DAILY._replace(enabled=False)
    assert warnings([off], dose(MG, 0, "999"), [], {}) == []
    assert warnings([DAILY, AS_NEEDED], dose(ANTACID, 0, "999"), [], {}) == []


@pytest.mark.parametrize("text", ["0", "-1", "49", "two", "1e309", "٣"])
def test_hours_outside_0_to_48_or_not_a_number_are_refused(text):
    if text == "٣":
        assert parse_hours(text) == 3  # one script's digits are numbers like any other
        return
    with pytest.raises(InputError):
        parse_hours(text)
