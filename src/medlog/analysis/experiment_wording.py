"""The sentences of a self-experiment: what it found for a metric, and what its design can tell before it starts.

Worded as what was seen on days on and days off, never as what the substance did: "Sleep quality was 0.8 higher
on days on Magnesium than off (95% interval …; randomisation p = 0.06 over 16 possible orders)".
"""

from __future__ import annotations

from medlog.analysis.experiment import Result
from medlog.analysis.experiment_power import ALPHA, MIN_HISTORY, POWER, TOO_BIG, Forecast
from medlog.analysis.wording import signed

_SAME = 0.05  # a difference that rounds to 0.0 is said as "about the same"


def number(value: float, sign: bool = False) -> str:
    """One decimal ("0.8"); with `sign`, signed as compare signs its figures (wording.signed: "+0.8", "-0.4", a
    second decimal near 0 so that an end just off 0 never reads "+0.0")."""
    return signed(value) if sign else f"{value:.1f}"


def p_text(p: float) -> str:
    if p < 0.001:
        return "< 0.001"
    return f"= {p:.3f}" if p < 0.01 else f"= {p:.2f}"


def orders_text(result: Result) -> str:
    test = result.test
    if test.exact:
        return f"{test.orders:,} possible orders"
    return f"a sample of 10,000 of {test.orders:,} possible orders"


def describe_result(result: Result, metric: str, substance: str, *, periods: int) -> str:
    """One metric's finding, with its interval, p, and how much of the record it rests on. `periods`: how many
    periods the experiment has (a result so far says how many have begun)."""
    so_far = "" if result.periods_begun >= periods else f"So far ({result.periods_begun} of {periods} periods begun): "
    effect = result.effect
    if effect is None:
        yet = " yet" if so_far else ""
        return (f"{so_far}Not enough data on {metric}{yet}: it needs a rated day, after the washout, in both an on "
                f"and an off period ({result.on_days} on, {result.off_days} off).")
    clear = result.test.p is not None and result.test.p <= ALPHA and (
        result.low is None or result.high is None or result.low > 0 or result.high < 0)
    if abs(effect) < _SAME:
        head = f"{metric} was about the same on days on {substance} as off ({number(effect, True)}; "
    elif not clear:  # the same rule as compare: higher or lower only when the test and the interval say so
        head = (f"No clear difference in {metric} between days on and off {substance} "
                f"({number(effect, True)} on − off; ")
    else:
        word = "higher" if effect > 0 else "lower"
        head = f"{metric} was {number(abs(effect))} {word} on days on {substance} than off ("
    level = round(result.level * 100)
    if result.low is None or result.high is None:
        interval = f"no {level}% interval: fewer than two pairs rated on both sides"
    else:
        interval = f"{level}% interval {number(result.low, True)} to {number(result.high, True)}"
    test = result.test
    assert test.p is not None
    days = (f"{result.on_days + result.off_days} of {result.analysable} analysable days rated, "
            f"{result.left_out} washout days left out")
    return f"{so_far}{head}{interval}; randomisation p {p_text(test.p)} over {orders_text(result)}; {days})."


def describe_forecast(forecast: Forecast, metric: str) -> list[str]:
    """What the design can tell, in a few lines: its orders and smallest p, the difference it would find, and
    where the day-to-day variation came from."""
    f = forecast
    lines = [f"{f.pairs} pairs of {f.block_days}-day periods ({f.days} days), {f.design}: {f.orders:,} possible "
             f"orders, so the smallest possible p is 1/{f.orders:,} = {1 / f.orders:.3g} for a difference in a "
             f"direction named in advance, and {f.smallest_p:.3g} either way (medlog's test is two-sided: each "
             "order's mirror, on and off swapped, gives the same difference with the other sign)."]
    noise = f.noise
    source = (f"from your {noise.days} rated days of {metric}" if noise.from_history else
              f"stated defaults: fewer than {MIN_HISTORY} rated days of {metric}")
    spread = f"day-to-day SD {noise.sd:.2f}, lag-1 correlation φ {noise.phi:.2f} ({source})"
    if f.smallest_p > ALPHA:
        lines.append(f"It cannot reach p ≤ {ALPHA:g} whatever the difference; {spread}.")
    elif f.detectable is None:
        lines.append(f"It would not find even a large difference {POWER:.0%} of the time; {spread}.")
    else:
        lines.append(f"It would find a difference of {number(f.detectable)} ({f.in_sd:.1f} SD) in {metric} "
                     f"{POWER:.0%} of the time (two-sided p ≤ {ALPHA:g}, {f.sims:,} simulations; {spread}).")
        if f.in_sd is not None and f.in_sd > TOO_BIG:
            lines.append(f"That is more than {TOO_BIG:g} SD: smaller differences would likely go unseen.")
    return lines


def describe_suggestion(suggestion: Forecast) -> str:
    f = suggestion
    found = ("" if f.detectable is None else
             f", and it would find a difference of {number(f.detectable)} ({f.in_sd:.1f} SD) {POWER:.0%} of the time")
    verdict = "" if not f.problems else " (the best of those tried; still short of a clear answer)"
    return (f"Consider {f.pairs} pairs of {f.block_days}-day periods ({f.days} days){verdict}: smallest possible p "
            f"{f.smallest_p:.3g}{found}.")


CAVEAT = ("Randomised periods make a difference hard to put down to the calendar; it is still one person's record, "
          "not blinded and self-rated, and an association.")
