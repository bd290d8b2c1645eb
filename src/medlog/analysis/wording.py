"""One sentence for each analysis result, worded as what was seen, never as what made it happen.

Kept in one place so the CLI, the TUI and the report say the same thing the same way. The words are temporal
("after starting X") or associative ("on days with more X"); a test scans this package for causal phrasing.
"""

from __future__ import annotations

from medlog.analysis.association import Association
from medlog.analysis.before_after import IMPROVED, NOT_ENOUGH_DATA, WORSENED, Comparison


def _num(value: float, sign: bool = False) -> str:
    return f"{value:+.1f}" if sign else f"{value:.1f}"


def describe_comparison(result: Comparison, metric: str, change: str) -> str:
    """E.g. "Sleep quality improved after starting Magnesium: mean 5.1 → 7.0 (+1.9; 95% interval +1.2 to +2.6;
    27 and 26 of 28 days logged). Other changes in these weeks: 2026-03-04 Ibuprofen stopped."

    `metric` is the metric's label, `change` the change said as an action ("starting Magnesium").
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
    if result.confounders:
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
