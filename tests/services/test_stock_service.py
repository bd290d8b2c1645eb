"""services/stock.py: packs and counts written through the journal, on hand and refills read back."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from medlog.clock import FixedClock
from medlog.domain.errors import InputError
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import Amount, parse_amount
from medlog.services import doses, history, stock
from medlog.services.substances import NewSubstance
from medlog.services.substances import add as add_substance
from tests.conftest import NOW

TODAY = date(2026, 11, 21)


def _escitalopram(journal, *, schedule="08:00", dose="10 mg", strength="5 mg", since=date(2026, 10, 1)):
    add_substance(journal, NewSubstance("Escitalopram", "medication", strength=parse_amount(strength),
                                        form="tablet", dose=parse_amount(dose), schedule=parse_schedule(schedule),
                                        since=since))


def _at(journal, text):
    return journal.moment(text)


def test_a_pack_counts_down_through_the_strength(journal):
    _escitalopram(journal)  # 10 mg a day of 5 mg tablets: 2 tablets a day
    stock.add(journal, "esc", Amount(Decimal(30), "tablet"), at=date(2026, 11, 18))
    for day in ("2026-11-18 08:00", "2026-11-19 08:00", "2026-11-20 08:00"):
        doses.take(journal, "esc", at=_at(journal, day))
    doses.skip(journal, "esc", at=_at(journal, "2026-11-21 08:05"))  # skipped: not counted
    [view] = stock.overview(journal)
    assert view.on_hand == Amount(Decimal(24), "tablet")
    assert view.per_day == 2 and view.days_left == 12 and view.run_out == TODAY + timedelta(days=12)
    assert not view.refill and view.warn_days == 7
    assert stock.refills_due(journal, TODAY) == []
    assert stock.refills_due(journal, TODAY + timedelta(days=6))[0].name == "Escitalopram"


def test_refills_due_within_the_warning_days(journal):
    _escitalopram(journal)
    stock.add(journal, "esc", Amount(Decimal(10), "tablet"))
    [due] = stock.refills_due(journal, TODAY)
    assert (due.name, due.on_hand, due.days_left, due.run_out, due.warn_days) == (
        "Escitalopram", Amount(Decimal(10), "tablet"), Decimal(5), TODAY + timedelta(days=5), 7)
    assert stock.refill_text(due) == "refill needed by Thu 26 Nov — Escitalopram, 10 tablets left, about 5 days"
    stock.details(journal, "esc", warn_days=3)
    assert stock.refills_due(journal, TODAY) == []


def test_a_set_resets_and_doses_before_it_do_not_count(journal):
    _escitalopram(journal)
    stock.add(journal, "esc", Amount(Decimal(30), "tablet"), at=date(2026, 11, 10))
    doses.take(journal, "esc", at=_at(journal, "2026-11-12 08:00"))
    stock.set_count(journal, "esc", Amount(Decimal(50), None), at=_at(journal, "2026-11-15 12:00"))
    doses.take(journal, "esc", at=_at(journal, "2026-11-16 08:00"))
    [view] = stock.overview(journal)
    assert view.on_hand == Amount(Decimal(48), "tablet")


def test_an_undone_dose_is_not_counted(journal):
    _escitalopram(journal)
    stock.add(journal, "esc", Amount(Decimal(30), "tablet"), at=date(2026, 11, 18))
    doses.take(journal, "esc", at=_at(journal, "2026-11-20 08:00"))
    history.undo(journal)
    assert stock.overview(journal)[0].on_hand.value == 30


def test_a_unit_that_cannot_convert_is_refused_and_nothing_written(journal):
    _escitalopram(journal)
    with pytest.raises(InputError, match="cannot be counted"):
        stock.add(journal, "esc", Amount(Decimal(30), "mL"))
    with pytest.raises(InputError, match="cannot be counted"):
        stock.add(journal, "esc", Amount(Decimal(30), "capsule"))
    assert stock.overview(journal) == []


def test_a_stock_already_used_up_is_a_run_out_before_today(journal):
    _escitalopram(journal)
    for day in range(10, 21):
        doses.take(journal, "esc", at=_at(journal, f"2026-11-{day} 08:00"))
    with pytest.raises(InputError, match="would have run out on 2026-11-15"):
        stock.add(journal, "esc", Amount(Decimal(10), "tablet"), at=date(2026, 11, 10))
    assert stock.overview(journal) == []
    stock.add(journal, "esc", Amount(Decimal(30), "tablet"), at=date(2026, 11, 10))  # enough: 22 used
    assert stock.overview(journal)[0].on_hand.value == 8


def test_future_and_negative_are_refused(journal):
    _escitalopram(journal)
    with pytest.raises(InputError, match="future"):
        stock.add(journal, "esc", Amount(Decimal(30), "tablet"), at=date(2026, 11, 22))
    with pytest.raises(InputError, match="negative"):
        stock.set_count(journal, "esc", Amount(Decimal(-1), "tablet"))


def test_as_needed_use_is_averaged(journal):
    add_substance(journal, NewSubstance("Ibuprofen", "medication", strength=parse_amount("200 mg"), form="tablet",
                                        dose=parse_amount("400 mg"), schedule=parse_schedule("as-needed"),
                                        since=date(2026, 10, 1)))
    stock.add(journal, "ibu", Amount(Decimal(24), "tablet"), at=date(2026, 10, 20))
    for day in (1, 8, 15):  # 3 doses of 2 tablets in the last 28 days
        doses.take(journal, "ibu", at=_at(journal, f"2026-11-{day:02} 12:00"))
    [view] = stock.overview(journal)
    assert view.on_hand.value == 18
    assert view.per_day == Decimal(6) / 28
    assert view.run_out == TODAY + timedelta(days=84)


def test_a_stopped_substance_with_no_use_has_no_run_out(journal):
    _escitalopram(journal)
    stock.add(journal, "esc", Amount(Decimal(30), "tablet"))
    from medlog.services.substances import stop
    stop(journal, "esc")
    journal.clock = FixedClock(NOW + timedelta(minutes=1))
    [view] = stock.overview(journal)
    assert view.days_left is None and view.run_out is None and not view.refill
