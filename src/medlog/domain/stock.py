"""Stock and refills: what is on hand, how long it lasts, when a refill is needed (pure; stdlib only).

On hand is computed when it is read, never stored: the last count (`set`) plus the packs added since (`add`), less
every dose taken since, each counted down in the stock's own unit — through the strength where the two differ (a
10 mg dose of a 5 mg tablet takes 2 tablets). Skipped and deleted doses are not doses; doses before the first
stock event (or the last count) are not counted against it. How long it lasts: the current schedule's doses per
day plus the average as-needed (unscheduled) use over the last AS_NEEDED_WINDOW days.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from medlog.domain.errors import InputError
from medlog.domain.numbers import ascii_digits, format_decimal, parse_decimal
from medlog.domain.record import record
from medlog.domain.regimen import RegimenState, due_schedule
from medlog.domain.schedule import Schedule
from medlog.domain.units import MAX_AMOUNT, Amount, convert, format_amount, parse_amount, unit_of

REFILL_WARN_DAYS = 7  # the default: a refill is asked for this many days before the run-out date
MAX_WARN_DAYS = 90  # the schema's CHECK on substance.refill_warn_days
MAX_REFILLS = 99  # the schema's CHECK on substance.refills_left
AS_NEEDED_WINDOW = 28  # days of as-needed use averaged
FAR = 36_500  # days left beyond a century: no run-out date


@record
class StockEvent:
    kind: str  # add | set
    at: datetime  # UTC
    amount: Amount  # with a unit


@record
class Taken:
    """A dose taken (never a skipped or deleted one)."""

    at: datetime  # UTC
    day: date  # its journal day
    amount: Amount | None
    slot: str | None  # None: as needed (or an extra dose)


@record
class Measure:
    """How a substance's amounts convert: its strength per unit of form and the mass of one IU."""

    strength: Amount | None = None
    iu_mass: Amount | None = None


@record
class OnHand:
    amount: Amount  # never below zero
    since: datetime  # the count or first pack it is reckoned from
    uncounted: int = 0  # doses taken in a unit the stock's cannot be converted to (left out)
    short: Decimal = Decimal(0)  # how much more was taken than the stock held (0 when it held enough)
    ran_out_at: datetime | None = None  # the dose that took it below zero, if any


@record
class Forecast:
    per_day: Decimal | None  # stock units a day: the schedule's and the as-needed average; None: unknown
    days_left: Decimal | None  # None when there is no use to divide by
    run_out: date | None


def in_unit(amount: Amount | None, unit: str, measure: Measure) -> Amount | None:
    """`amount` in `unit`, through the strength where a unit of form meets a mass or volume; None if it cannot be
    (a volume of a tablet with a strength in mg, a tablet of a substance with no strength, another unit of form)."""
    if amount is None or amount.unit is None:
        return None
    same = convert(amount, unit, measure.iu_mass)
    if same is not None:
        return same
    strength = measure.strength
    if strength is None or strength.unit is None or not strength.value:
        return None
    src, dst = unit_of(amount.unit), unit_of(unit)
    if dst.dimension == "count" and src.dimension != "count":  # 10 mg of a 5 mg tablet: 2 tablets
        per = convert(amount, strength.unit, measure.iu_mass)
        return None if per is None else Amount(per.value / strength.value, unit)
    if src.dimension == "count" and dst.dimension != "count":  # 2 tablets of 5 mg: 10 mg
        return convert(Amount(amount.value * strength.value, strength.unit), unit, measure.iu_mass)
    return None


def fits(unit: str, measure: Measure, *, form: str | None, dose: Amount | None, stock: str | None) -> str | None:
    """Why a stock in `unit` cannot be counted for this substance (None when it can): the stock already kept and
    its regular dose (without one, its unit of form) must convert to it. A dose in another unit is left out of the
    count, and `medlog stock` says how many were."""
    one = Decimal(1)
    if stock is not None and in_unit(Amount(one, stock), unit, measure) is None:
        return f"the stock is counted in {_plural(stock)}"
    other_form = unit_of(unit).dimension == "count" and unit != form
    if form is not None and is_count_form(form) and (other_form or dose is None and in_unit(
            Amount(one, form), unit, measure) is None):
        how = f" (its strength is {measure.strength} per {form})" if measure.strength else \
            " and it has no strength to convert through"
        return f"it is a {form}{how}"
    if dose is not None and dose.unit is not None and in_unit(Amount(one, dose.unit), unit, measure) is None:
        return f"its doses are in {dose.unit}" + ("" if measure.strength else " and it has no strength per unit")
    return None


def is_count_form(form: str) -> bool:
    try:
        return unit_of(form).dimension == "count"
    except InputError:
        return False


def _plural(unit: str) -> str:
    spec = unit_of(unit)
    return spec.plural or spec.symbol


def on_hand(events: list[StockEvent], taken: list[Taken], measure: Measure) -> OnHand | None:
    """What is on hand after the events and the doses taken (None without any event). Counted in the unit of the
    latest event; an event in a unit that does not convert to it is left out (the service refuses such events)."""
    if not events:
        return None
    ordered = sorted(events, key=lambda e: e.at)
    unit = ordered[-1].amount.unit
    assert unit is not None
    sets = [i for i, e in enumerate(ordered) if e.kind == "set"]
    ordered = ordered[sets[-1]:] if sets else ordered
    since = ordered[0].at
    value = Decimal(0)
    if ordered[0].kind == "set":  # the count the reckoning starts from
        counted = in_unit(ordered[0].amount, unit, measure)
        value = counted.value if counted is not None else Decimal(0)
        ordered = ordered[1:]
    changes: list[tuple[datetime, int, Decimal]] = []
    for e in ordered:
        got = in_unit(e.amount, unit, measure)
        if got is not None:
            changes.append((e.at, 0, got.value))
    uncounted = 0
    for dose in taken:
        if dose.at < since:
            continue
        used = in_unit(dose.amount, unit, measure)
        if used is None:
            uncounted += 1
            continue
        changes.append((dose.at, 1, -used.value))  # at the same instant, stock first, then the dose
    short, ran_out = Decimal(0), None
    for at, _, change in sorted(changes, key=lambda c: (c[0], c[1])):
        value += change
        if value < 0:
            short, ran_out = short - value, ran_out or at
            value = Decimal(0)
    return OnHand(Amount(value, unit), since, uncounted, short, ran_out)


def scheduled_per_day(state: RegimenState, unit: str, measure: Measure) -> Decimal | None:
    """The current schedule's use a day, in `unit` (0 with no schedule; None when its dose cannot be counted)."""
    schedule = due_schedule(state)
    if schedule is None or not schedule.times:
        return Decimal(0)
    dose = in_unit(state.dose, unit, measure)
    if dose is None:
        return None
    days, out_of = days_share(schedule)
    return dose.value * len(schedule.times) * days / out_of


def days_share(schedule: Schedule) -> tuple[int, int]:
    """The days a schedule falls on, out of how many: 1 of 1 every day, 3 of 7 on Mon, Wed, Fri, 1 of 2 every
    other day."""
    if schedule.weekdays:
        return len(schedule.weekdays), 7
    return 1, schedule.every


def as_needed_per_day(taken: list[Taken], unit: str, measure: Measure, today: date, first_day: date | None,
                      window: int = AS_NEEDED_WINDOW) -> Decimal:
    """The average as-needed (unscheduled) use a day over the last `window` whole journal days before today — or
    fewer, since `first_day` (when the substance was first started); 0 with no days to average over."""
    since = today - timedelta(days=window)
    if first_day is not None and first_day > since:
        since = first_day
    days = (today - since).days
    if days <= 0:
        return Decimal(0)
    total = Decimal(0)
    for dose in taken:
        if dose.slot is None and since <= dose.day < today:
            used = in_unit(dose.amount, unit, measure)
            total += used.value if used is not None else 0
    return total / days


def forecast(stock: Amount, per_day: Decimal | None, today: date) -> Forecast:
    """Days left and the run-out date: the first day the stock no longer covers (today when there is none)."""
    if stock.value <= 0:
        return Forecast(per_day, Decimal(0), today)
    if not per_day:
        return Forecast(per_day, None, None)
    days = stock.value / per_day
    if days > FAR:  # a tiny use: further off than the calendar goes
        return Forecast(per_day, days, None)
    days = days.quantize(Decimal("0.000001"))  # 18 / (6/28) is 84, not 83.99999…
    return Forecast(per_day, days, today + timedelta(days=round_days(days)))


def needs_refill(stock: Amount, ahead: Forecast, today: date, warn_days: int, *, in_use: bool) -> bool:
    """Refill needed: the run-out date is within `warn_days` (or past), or nothing is left of a substance in use."""
    if ahead.run_out is not None:
        return (ahead.run_out - today).days <= warn_days
    return in_use and stock.value <= 0


def round_days(days: Decimal) -> int:
    """Whole days left, as a person counts them (4.5 days: 4)."""
    return int(days.to_integral_value(ROUND_FLOOR))


def amount_text(amount: Amount) -> str:
    """An amount on hand: at most two decimals ('12.5 tablets', '0 tablets', '1.33 g')."""
    value = amount.value.quantize(Decimal("0.01")) if amount.value != amount.value.to_integral_value() else \
        amount.value
    return format_amount(value, amount.unit)


def parse_stock(text: str, *, what: str = "stock") -> Amount:
    """An amount on hand as typed: like a dose's ("30 tab", "250 g", "30"), but zero is a count too ("0 tab")."""
    raw = " ".join(text.split())
    zero = re.match(r"(0+(?:\.0+)?)\s*([^\W\d_]+)?\Z", ascii_digits(raw))
    if zero:
        parse_decimal(zero.group(1), what=what)
        return Amount(Decimal(0), unit_of(zero.group(2)).symbol if zero.group(2) else None)
    amount = parse_amount(text, what=what)
    if amount.value > MAX_AMOUNT:  # parse_amount refuses it too; stated here as the stock's own limit
        raise InputError(f"{what}: {raw!r} is larger than {format_decimal(MAX_AMOUNT)}")
    return amount


def parse_warn_days(text: str) -> int | None:
    """`--warn-days 10`, or 'default' (None: REFILL_WARN_DAYS)."""
    if text.strip().lower() == "default":
        return None
    days = parse_decimal(text, what="--warn-days", max_places=0)
    if days > MAX_WARN_DAYS:
        raise InputError(f"--warn-days {text.strip()!r}: give whole days from 0 to {MAX_WARN_DAYS}, or 'default'")
    return int(days)


def parse_refills(text: str) -> int:
    """`--refills 2`: refills left on the prescription."""
    count = parse_decimal(text, what="--refills", max_places=0)
    if count > MAX_REFILLS:
        raise InputError(f"--refills {text.strip()!r}: give a whole number from 0 to {MAX_REFILLS}")
    return int(count)
