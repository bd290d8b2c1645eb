"""One sentence for each analysis result, worded as what was seen, never as what made it happen.

Kept in one place so the CLI, the TUI and the report say the same thing the same way. The words are temporal
("after starting X") or associative ("on days with more X"); a test scans this package for causal phrasing.
"""

from __future__ import annotations

from datetime import date

from medlog.analysis.association import Association
from medlog.analysis.before_after import IMPROVED, NOT_ENOUGH_DATA, WORSENED, Comparison, Window
from medlog.analysis.changes import Change


def _num(value: float, sign: bool = False) -> str:
    return signed(value) if sign else f"{value:.1f}"


def span(first: date, last: date) -> str:
    """A window's days: "12 Sep–09 Oct", with the years when it spans two ("28 Dec–24 Jan 2027")."""
    return f"{first:%d %b}–{last:%d %b %Y}" if first.year != last.year else f"{first:%d %b}–{last:%d %b}"


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


def describe_comparison(result: Comparison, metric: str, change: str, *, confounders: bool = True) -> str:
    """E.g. "Sleep quality improved after starting Magnesium: mean 5.1 → 7.0 (+1.9; 95% interval +1.2 to +2.6;
    27 and 26 of 28 days logged). Other changes in these weeks: 2026-03-04 Ibuprofen stopped."

    `metric` is the metric's label, `change` the change said as an action ("starting Magnesium").
    `confounders`: end with the other changes (callers that list them once for several metrics say False).
    """
    before, after = result.before, result.after
    if result.verdict == NOT_ENOUGH_DATA:
        text = (f"Not enough data on {metric} around {change}: {before.n} of {before.days} days logged before, "
                f"{after.n} of {after.days} after; {result.min_days} needed in each.")
    else:
        if result.verdict in (IMPROVED, WORSENED):
            head = f"{metric} {result.verdict} after {change}"
        else:
            head = f"No clear change in {metric} after {change}"
        level = round(result.level * 100)
        text = (f"{head}: mean {_num(before.mean)} → {_num(after.mean)} ({_num(result.difference, True)}; "
                f"{level}% interval {_num(result.low, True)} to {_num(result.high, True)}; "
                f"{before.n} and {after.n} of {before.days} days logged).")
    if confounders and result.confounders:
        listed = "; ".join(f"{c.day.isoformat()} {c.description}" for c in result.confounders)
        text += f" Other changes in these weeks: {listed}."
    return text


def describe_association(result: Association, substance: str, metric: str) -> str | None:
    """E.g. "Sleep quality was higher on days with more Magnesium (Spearman ρ 0.45, 95% interval 0.21 to 0.63;
    90 days); an association only." None when there is not `enough` data: callers then show nothing."""
    if not result.enough:
        return None
    when = "on days with more" if result.lag == 0 else "on days after more"
    figures = (f"Spearman ρ {result.rho:.2f}, {round(result.level * 100)}% interval {result.low:.2f} to "
               f"{result.high:.2f}; {result.n} days")
    if not result.clear:
        which = "the same day" if result.lag == 0 else "the next day"
        return f"No clear association between {substance} and {metric} {which} ({figures})."
    direction = "higher" if result.low > 0 else "lower"
    return f"{metric} was {direction} {when} {substance} ({figures}); an association only."


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
BOOTSTRAP_CAVEAT = ("Intervals are 95% intervals from a block bootstrap (days are not independent); it is seeded, "
                    "so the same journal gives the same numbers.")


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
            BOOTSTRAP_CAVEAT)


def report_caveats() -> tuple[str, ...]:
    """The same, said once for the several comparisons of a visit report (each states its own lag and window)."""
    return (ASSOCIATION_CAVEAT,
            "The days just after each change (its onset lag) are left out of its after window, as its line says; "
            "'medlog substance onset-lag NAME DAYS' sets a substance's own.",
            BOOTSTRAP_CAVEAT)
