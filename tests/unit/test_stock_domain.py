"""domain/stock.py: on hand, counting doses down through the strength, days left, run-out, refill warnings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medlog.domain import stock as s
from medlog.domain.errors import InputError
from medlog.domain.regimen import RegimenState
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import Amount

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 21)
FIVE_MG = s.Measure(Amount(Decimal(5), "mg"))


def A(value, unit):
    return Amount(Decimal(str(value)), unit)


def taken(hours, value, unit, slot="08:00"):
    at = T0 + timedelta(hours=hours)
    return s.Taken(at, at.date(), A(value, unit), slot)


@pytest.mark.parametrize(("dose", "unit", "measure", "expected"), [
    (A(10, "mg"), "tablet", FIVE_MG, A(2, "tablet")),  # a 10 mg dose of a 5 mg tablet takes 2
    (A(2.5, "mg"), "tablet", FIVE_MG, A("0.5", "tablet")),
    (A(1, "tablet"), "tablet", s.Measure(), A(1, "tablet")),  # no strength, doses in tablets
    (A(2, "tablet"), "mg", FIVE_MG, A(10, "mg")),
    (A(500, "mcg"), "mg", s.Measure(), A("0.5", "mg")),
    (A(10, "mg"), "tablet", s.Measure(), None),  # mg of a tablet with no strength: cannot tell
    (A(5, "mL"), "tablet", FIVE_MG, None),  # a volume of a tablet dosed by mass
    (A(1, "capsule"), "tablet", FIVE_MG, None),  # another unit of form
    (A(1000, "IU"), "mcg", s.Measure(iu_mass=A("0.025", "mcg")), A(25, "mcg")),
    (None, "tablet", FIVE_MG, None),
])
def test_in_unit(dose, unit, measure, expected):
    assert s.in_unit(dose, unit, measure) == expected


def test_fits_says_why_a_unit_cannot_count():
    assert s.fits("tablet", FIVE_MG, form="tablet", dose=A(10, "mg"), stock=None) is None
    assert s.fits("mg", FIVE_MG, form="tablet", dose=A(10, "mg"), stock=None) is None
    assert "doses are in mg" in s.fits("mL", FIVE_MG, form="tablet", dose=A(10, "mg"), stock=None)
    assert "is a tablet" in s.fits("capsule", FIVE_MG, form="tablet", dose=A(10, "mg"), stock=None)
    assert "doses are in mg" in s.fits("tablet", s.Measure(), form=None, dose=A(10, "mg"), stock=None)
    assert "counted in tablets" in s.fits("g", s.Measure(), form=None, dose=None, stock="tablet")
    assert s.fits("g", s.Measure(), form="powder", dose=A(5, "g"), stock=None) is None
    assert s.fits("mg", s.Measure(), form="tablet", dose=A(10, "mg"), stock=None) is None  # no strength: by mass
    assert "is a tablet" in s.fits("mg", s.Measure(), form="tablet", dose=None, stock=None)


def test_on_hand_counts_adds_and_resets_on_a_set():
    events = [s.StockEvent("add", T0, A(30, "tablet")), s.StockEvent("add", T0 + timedelta(days=5), A(30, "tablet"))]
    doses = [taken(-24, 10, "mg"), taken(1, 10, "mg"), taken(25, 5, "mg")]  # the first is before the pack
    held = s.on_hand(events, doses, FIVE_MG)
    assert held.amount == A(57, "tablet") and held.since == T0 and held.short == 0
    reset = [*events, s.StockEvent("set", T0 + timedelta(days=2), A(12, "tablet"))]
    assert s.on_hand(reset, doses, FIVE_MG).amount == A(42, "tablet")  # 12 counted, then a pack of 30
    assert s.on_hand([], doses, FIVE_MG) is None


def test_on_hand_never_goes_below_zero_and_says_when_it_ran_out():
    held = s.on_hand([s.StockEvent("add", T0, A(3, "tablet"))], [taken(h, 10, "mg") for h in (1, 25, 49)], FIVE_MG)
    assert held.amount.value == 0 and held.short == 3 and held.ran_out_at == T0 + timedelta(hours=25)


def test_uncounted_doses_are_named_not_guessed():
    held = s.on_hand([s.StockEvent("add", T0, A(30, "tablet"))], [taken(1, 10, "mg")], s.Measure())
    assert held.amount.value == 30 and held.uncounted == 1


@pytest.mark.parametrize(("schedule", "per_day"), [
    ("08:00,20:00", Decimal(4)), ("08:00 mon,wed,fri", Decimal(6) / 7), ("08:00 every 2 days", Decimal(1)),
    ("as-needed", Decimal(0)),
])
def test_scheduled_per_day(schedule, per_day):
    state = RegimenState(True, A(10, "mg"), parse_schedule(schedule))
    assert s.scheduled_per_day(state, "tablet", FIVE_MG) == per_day


def test_a_stopped_substance_uses_nothing_on_schedule():
    assert s.scheduled_per_day(RegimenState(False, A(10, "mg"), parse_schedule("08:00")), "tablet", FIVE_MG) == 0


def test_as_needed_average_over_the_window_or_since_the_start():
    doses = [s.Taken(T0, TODAY - timedelta(days=d), A(400, "mg"), None) for d in (1, 2, 30)]
    measure = s.Measure(A(200, "mg"))
    assert s.as_needed_per_day(doses, "tablet", measure, TODAY, None) == Decimal(4) / 28
    assert s.as_needed_per_day(doses, "tablet", measure, TODAY, TODAY - timedelta(days=4)) == 1
    assert s.as_needed_per_day(doses, "tablet", measure, TODAY, TODAY) == 0


def test_forecast_and_refill():
    ahead = s.forecast(A(10, "tablet"), Decimal(2), TODAY)
    assert ahead.days_left == 5 and ahead.run_out == date(2026, 11, 26)
    assert s.needs_refill(A(10, "tablet"), ahead, TODAY, 7, in_use=True)
    assert not s.needs_refill(A(10, "tablet"), ahead, TODAY, 4, in_use=True)
    empty = s.forecast(A(0, "tablet"), None, TODAY)
    assert empty.days_left == 0 and empty.run_out == TODAY
    unknown = s.forecast(A(10, "tablet"), None, TODAY)
    assert unknown.run_out is None and not s.needs_refill(A(10, "tablet"), unknown, TODAY, 7, in_use=True)
    assert s.forecast(A(10, "tablet"), Decimal("1e-30"), TODAY).run_out is None  # beyond the calendar


@given(st.integers(0, 10_000), st.integers(1, 400), st.integers(0, 90))
def test_the_run_out_is_when_the_stock_stops_covering(stock, per_day_hundredths, warn):
    per_day = Decimal(per_day_hundredths) / 100
    ahead = s.forecast(A(stock, "tablet"), per_day, TODAY)
    if ahead.run_out is None:  # more than a century ahead
        assert stock / per_day > s.FAR and not s.needs_refill(A(stock, "tablet"), ahead, TODAY, warn, in_use=True)
        return
    days = (ahead.run_out - TODAY).days
    slack = Decimal("0.00001") * per_day  # days left are reckoned to a millionth
    assert days * per_day <= stock + slack and (stock < (days + 1) * per_day + slack or stock == 0)
    assert s.needs_refill(A(stock, "tablet"), ahead, TODAY, warn, in_use=True) == (days <= warn)


@pytest.mark.parametrize("text", ["-5 tab", "1e309", "nan", "1,000 tab", "thirty tab", "30 furlongs", "", "1٣"])
def test_parse_stock_refuses(text):
    with pytest.raises(InputError):
        s.parse_stock(text)


def test_parse_stock_reads_zero_and_other_scripts():
    assert s.parse_stock("0 tab") == A(0, "tablet")
    assert s.parse_stock("٣٠ tab") == A(30, "tablet")
    assert s.parse_stock("30") == Amount(Decimal(30), None)
    assert s.parse_stock("250 g") == A(250, "g")


def test_warn_days_and_refills():
    assert s.parse_warn_days("10") == 10 and s.parse_warn_days("default") is None
    for bad in ("91", "-1", "2.5", "x"):
        with pytest.raises(InputError):
            s.parse_warn_days(bad)
    assert s.parse_refills("3") == 3
    with pytest.raises(InputError):
        s.parse_refills("100")


def test_amount_text():
    assert s.amount_text(A("12.5", "tablet")) == "12.5 tablets"
    assert s.amount_text(A(Decimal(4) / 3, "g")) == "1.33 g"
    assert s.amount_text(A(1, "tablet")) == "1 tablet"
