"""One sentence for each analysis result, worded as what was seen, never as what made it happen.

Kept in one place so the CLI, the TUI and the report say the same thing the same way. The words are temporal
("after starting X") or associative ("on days with more X"); a test scans this package for causal phrasing.
"""

from __future__ import annotations

from datetime import date

from medlog.analysis.association import Association
from medlog.analysis.before_after import (
    ALREADY_FALLING,
    ALREADY_RISING,
    CANNOT_SEPARATE,
    CLAIMS,
    HIGHER,
    LOWER,
    NO_CLEAR,
    NOT_ENOUGH_DATA,
    RECOVERY,
    TREND_POSSIBLE,
    UNLOGGED,
    USUAL,
    Comparison,
    Confounder,
    Window,
)
from medlog.analysis.changes import Change


def span(first: date, last: date) -> str:
    """A window's days: "12 Sep–09 Oct", with both years when it spans two ("28 Dec 2026–24 Jan 2027")."""
    return f"{first:%d %b %Y}–{last:%d %b %Y}" if first.year != last.year else f"{first:%d %b}–{last:%d %b}"


def mean_text(window: Window) -> str:
    """A window's mean to one decimal, or a dash when nothing was logged in it."""
    return "—" if window.mean is None else f"{window.mean:.1f}"


def signed(value: float) -> str:
    """A difference or an interval end to one decimal, with its sign: "+1.9", "-0.4". Near 0 it keeps a second
    decimal, so an interval end just above 0 never reads "+0.0" (as if it touched 0), and 0 is "0.0"."""
    for text in (f"{value:+.1f}", f"{value:+.2f}"):
        if text.strip("+-0."):  # some digit other than 0
            return text
    return "0.0"


def _figures(result: Comparison) -> str:
    """ "5.1 → 7.0; allowing for the trend, +1.6 (95% interval +0.4 to +2.8)", said of all the changes together
    when another one nearby cannot be separated from this one."""
    level = round(result.level * 100)
    value, low, high = _estimate(result)
    return (f"{mean_text(result.before)} → {mean_text(result.after)}; allowing for the trend, "
            f"{signed(value)}{_together(result)} ({level}% interval {signed(low)} to {signed(high)})")


def _together(result: Comparison) -> str:
    return " for the changes together" if result.together is not None else ""


def figure_cells(result: Comparison) -> tuple[str, str]:
    """A comparison's change and interval as a table shows them: "+1.3†" (with † when the figures are of this
    change and a nearby one together) and "-1.2 to +3.8"; dashes without figures."""
    value, low, high = result.together or (result.difference, result.low, result.high)
    change = "—" if value is None else signed(value) + ("†" if result.together else "")
    interval = "—" if low is None or high is None else f"{signed(low)} to {signed(high)}"
    return change, interval


def _estimate(result: Comparison) -> tuple[float, float, float]:
    if result.together is not None:
        return result.together
    value, low, high = result.difference, result.low, result.high
    if value is None or low is None or high is None:  # only NOT_ENOUGH_DATA, never worded with figures, has none
        raise ValueError(f"a comparison read as {result.verdict!r} has no estimate")
    return value, low, high


def _raw(result: Comparison) -> str:
    """The windows' raw difference, signed; every verdict but NOT_ENOUGH_DATA has one (the fit was made)."""
    if result.raw is None:
        raise ValueError(f"a comparison read as {result.verdict!r} has no raw difference")
    return signed(result.raw)


def _days_logged(result: Comparison) -> str:
    return f"{result.before.n} and {result.after.n} of {result.before.days} days logged"


def _trend(result: Comparison) -> str:
    weeks = max(1, round(result.trend_days / 7))
    if result.slope_per_week is None:
        return f"over the {weeks} weeks before"
    return (f"{result.slope_per_week:+.2f} a week over the {weeks} weeks before, 95% interval "
            f"{result.slope_low:+.2f} to {result.slope_high:+.2f}")


def _since(change: Confounder, day: date) -> str:
    days = (change.day - day).days
    when = ("the same day" if days == 0 else f"{-days} day{'s' if days != -1 else ''} before" if days < 0
            else f"{days} day{'s' if days != 1 else ''} after")
    return f"{change.description} ({change.day:%d %b}, {when})"


def describe_comparison(result: Comparison, metric: str, change: str, *, confounders: bool = True) -> str:
    """One sentence (or two) per metric, with every caveat that changes the reading beside the verdict, e.g.
    "Sleep quality was higher after starting Magnesium: 5.1 → 7.0; allowing for the trend, +1.6 (95% interval
    +0.4 to +2.8); 27 and 26 of 28 days logged."

    `metric` is the metric's label, `change` the change said as an action ("starting Magnesium").
    `confounders`: end with the other changes (callers that list them once for several metrics say False).
    A "not enough data" verdict shows no means: too few days make them read as a result.
    """
    before, after, verdict = result.before, result.after, result.verdict
    if verdict == NOT_ENOUGH_DATA:
        text = (f"Not enough data on {metric} around {change}: {before.n} of {before.days} days logged before, "
                f"{after.n} of {after.days} after; {result.min_days} needed in each.")
    elif verdict in (ALREADY_RISING, ALREADY_FALLING):
        way = "rising" if verdict == ALREADY_RISING else "falling"
        value, low, high = _estimate(result)
        text = (f"{metric} was already {way} before {change} ({_trend(result)}): continuing that trend explains "
                f"the difference ({mean_text(before)} → {mean_text(after)}); allowing for it, "
                f"{signed(value)}{_together(result)} ({round(result.level * 100)}% interval {signed(low)} to "
                f"{signed(high)}); {_days_logged(result)}.")
    elif verdict == TREND_POSSIBLE:
        value, low, high = _estimate(result)
        text = (f"{metric} differed after {change} ({mean_text(before)} → {mean_text(after)}, "
                f"{_raw(result)}), but a trend as steep as these weeks allow could explain it (allowing for "
                f"it, {signed(value)}{_together(result)}, {round(result.level * 100)}% interval {signed(low)} to "
                f"{signed(high)}; {_days_logged(result)}); more weeks rated before a change, or a planned "
                "self-experiment, can tell.")
    elif verdict == NO_CLEAR:
        text = f"No clear difference in {metric} after {change}: {_figures(result)}; {_days_logged(result)}."
        if result.mdd is not None:
            text += (f" These weeks could only show a change of about {result.mdd:.1f} or more, so a smaller one "
                     "may have been missed.")
    else:
        value = _estimate(result)[0]
        way = HIGHER if value > 0 else LOWER
        if verdict == RECOVERY and result.with_bad_spell in CLAIMS:  # how it read with the bad weeks
            way = str(result.with_bad_spell)
        # a verdict that stepped down only "looked" that way; a level against the raw means is "than its trend"
        seen = "was" if verdict in CLAIMS else "looked"
        trend = " than its earlier trend pointed to" if result.raw is not None and result.raw * value < 0 else ""
        text = f"{metric} {seen} {way}{trend} after {change}: {_figures(result)}; {_days_logged(result)}"
        text += _step_down(result, way) + "."
    text += _side_notes(result)
    if confounders and result.confounders:
        listed = "; ".join(f"{c.day.isoformat()} {c.description}" for c in result.confounders)
        text += f" Other changes in these weeks: {listed}."
    return text


def _step_down(result: Comparison, way: str) -> str:
    """Why a difference that looks clear is not a verdict about the change, said in the same sentence."""
    verdict = result.verdict
    if verdict == CANNOT_SEPARATE:
        named = " and ".join(_since(c, result.change_day) for c in result.blocking)
        return f"; but this cannot be separated from {named}"
    if verdict == RECOVERY:
        weeks = "week" if result.bad_spell and result.bad_spell.leave_out == 7 else "two weeks"
        return (f"; but only with the {weeks} before the change, among your worst tenth for this rating, which are "
                f"left out here: with them it would read {result.with_bad_spell}. This may be recovery after a bad "
                "spell, which usually comes anyway (a longer baseline: --window 56)")
    if verdict == USUAL and result.placebo is not None:
        p = result.placebo
        return (f"; but a difference this large happened at {p.as_large} of {p.dates} dates with no change in your "
                "journal: within your usual variation")
    if verdict == UNLOGGED and result.missing is not None:
        m = result.missing
        return (f"; but {result.before.n} of {result.before.days} days were logged before and {result.after.n} after, "
                f"and with unlogged days up to a standard deviation better or worse than logged ones the "
                f"interval widens from {signed(m.plain_low)} to {signed(m.plain_high)} to reach 0: it depends on the "
                "unlogged days")
    return ""


def _side_notes(result: Comparison) -> str:
    """Checks that did not step the verdict down but bear on it: said after it, briefly."""
    notes = []
    p, m, spell = result.placebo, result.missing, result.bad_spell
    if result.verdict in CLAIMS and p is not None and p.enough:
        notes.append(f"A difference this large happened at {p.as_large} of {p.dates} dates with no change in your "
                     "journal.")
    if result.verdict != NOT_ENOUGH_DATA and m is not None and m.fired and result.verdict != UNLOGGED:
        notes.append(f"Days logged differ ({round(result.before.completeness * 100)}% before, "
                     f"{round(result.after.completeness * 100)}% after): the interval allows for unlogged days up to "
                     f"a standard deviation better or worse than logged ones (±{m.shift:.1f}).")
    if spell is not None and spell.leave_out and result.verdict != RECOVERY:
        which = "week" if spell.leave_out == 7 else "two weeks"
        notes.append(f"The {which} before the change, among your worst tenth for this rating, "
                     f"{'is' if which == 'week' else 'are'} left out, since a bad spell passes anyway.")
    return "".join(" " + n for n in notes)


def verdict_reason(result: Comparison, metric: str) -> str | None:
    """The caveat that changes a verdict's reading, in a few words, for a table that shows the figures (the
    visit report); None for verdicts the row says in full (higher, lower, no clear difference, too few days)."""
    verdict = result.verdict
    if verdict in (ALREADY_RISING, ALREADY_FALLING):
        return (f"{metric}: {verdict} before the change ({result.slope_per_week:+.2f} a week); continuing that "
                "trend explains the difference." if result.slope_per_week is not None else
                f"{metric}: {verdict} before the change; continuing that trend explains the difference.")
    if verdict == TREND_POSSIBLE:
        return (f"{metric}: the windows differ by {_raw(result)}, but a trend as steep as these weeks allow "
                "could explain it.")
    if verdict == CANNOT_SEPARATE:
        named = " and ".join(_since(c, result.change_day) for c in result.blocking)
        return f"{metric}: cannot be separated from {named}."
    if verdict == USUAL and result.placebo is not None:
        return (f"{metric}: a difference this large happened at {result.placebo.as_large} of "
                f"{result.placebo.dates} dates with no change.")
    if verdict == RECOVERY:
        return (f"{metric}: only with the bad week(s) just before the change (among your worst tenth): may be "
                "recovery after a bad spell.")
    if verdict == UNLOGGED:
        return (f"{metric}: depends on unlogged days ({result.before.n} and {result.after.n} of "
                f"{result.before.days} logged).")
    return None


def describe_association(result: Association, substance: str, metric: str, *,
                         higher_is_better: bool = True) -> str | None:
    """The same-day pattern of an as-needed substance's doses with a rating, or None without `enough` data.

    As needed, the dose follows the day: more is taken on worse days, so the pattern is said as what it is and
    never as a dose-response ("Pain was higher on days with more Gabapentin" would read as one). Callers ask
    only for as-needed substances: a scheduled one's amounts move with its on/off weeks and dose changes, a
    before/after, not a dose-response."""
    if not result.enough:
        return None
    figures = (f"Spearman ρ {result.rho:.2f}, {round(result.level * 100)}% interval {result.low:.2f} to "
               f"{result.high:.2f}; {result.n} days")
    if not result.clear:
        return (f"No clear pattern between the days you take {substance} and {metric} ({figures}); as-needed "
                "doses follow the symptom, so this pattern says nothing about what it does.")
    assert result.low is not None  # result.clear: an interval, which excludes 0
    worse = (result.low > 0) != higher_is_better
    return (f"You take {substance} more on days when {metric} is {'worse' if worse else 'better'} ({figures}); "
            "as-needed doses follow the symptom, so this pattern says nothing about what it does.")


def change_action(change: Change) -> str:
    """A change said as an action, to follow "after": "starting Magnesium", "stopping Ibuprofen", "the change
    'Escitalopram dose 5 mg → 10 mg'"."""
    if change.kind == "start":
        return f"starting {change.substance}"
    if change.kind == "stop":
        return f"stopping {change.substance}"
    return f"the change '{change.text}'"


ASSOCIATION_CAVEAT = (
    "A difference before and after a change is an association in time; it does not show that the change was "
    "responsible: ratings also move with season, stress, illness and other treatments, and a change tried after a "
    "bad spell is often followed by some recovery anyway.")
METHOD_CAVEAT = ("Each change is the level change allowing for the trend the ratings already had (a straight line "
                 "through both windows and up to 8 weeks before); its 95% interval allows for days being like the "
                 "day before. A verdict of higher or lower is given only when no trend, bad spell just before, "
                 "other change nearby, unlogged days or usual ups and downs in your journal accounts for it.")


def lag_caveat(substance: str, lag: int, lag_from: str) -> str:
    where = {"substance": f"{substance}'s own onset lag",
             "option": "the lag asked for"}.get(lag_from, "the default onset lag")
    return (f"The {lag} day{'s' if lag != 1 else ''} after the change {'are' if lag != 1 else 'is'} left out "
            f"({where}; 'medlog substance onset-lag {substance} DAYS' sets it).")


def window_caveat(after_start: date, after_end: date, today: date) -> str | None:
    """Said when the after window runs past today: its figures will still move."""
    if after_end <= today:
        return None
    if after_start > today:
        return f"The after window has not begun: it runs {after_start.isoformat()} to {after_end.isoformat()}."
    return (f"The after window is not over: it runs to {after_end.isoformat()}, {(after_end - today).days} days "
            "from today.")


def comparison_caveats(substance: str, lag: int, lag_from: str, after_start: date, after_end: date,
                       today: date) -> tuple[str, ...]:
    """What a before/after can and cannot say, shown with every comparison (CLI and TUI alike)."""
    window = window_caveat(after_start, after_end, today)
    return (ASSOCIATION_CAVEAT, lag_caveat(substance, lag, lag_from), *([window] if window else []),
            METHOD_CAVEAT)


def report_caveats() -> tuple[str, ...]:
    """The same, said once for the several comparisons of a visit report (each states its own lag and window;
    the table's footnote says how the change is estimated)."""
    return (ASSOCIATION_CAVEAT,
            "The days just after each change (its onset lag) are left out of its after window, as its line says; "
            "'medlog substance onset-lag NAME DAYS' sets a substance's own.")
