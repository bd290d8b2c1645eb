"""Before/after one regimen change on the Trends screen: every change to choose from, and the comparison in words.

Imported when the Before/after tab is first opened (the switch to Trends is budgeted). Reads go through the
services; the text is the same as `medlog compare`'s, fitted to 76 columns, and never speaks of cause.
"""

from __future__ import annotations

from textwrap import fill

from rich.style import Style
from rich.text import Text

from medlog.analysis.before_after import CLAIMS, NO_CLEAR, NOT_ENOUGH_DATA
from medlog.analysis.changes import Change
from medlog.analysis.wording import figure_cells, mean_text, span
from medlog.domain.errors import InputError
from medlog.services.compare import CompareReport, compare
from medlog.services.context import Journal


def compare_around(journal: Journal, change: Change) -> CompareReport | InputError:
    """The comparison around `change`, or why there is none (shown, never raised: the screen stays up)."""
    try:
        return compare(journal, change.substance, instant=change.at)
    except InputError as exc:
        return exc




def _item(text: str, width: int, bullet: str = "  ") -> str:
    """One item of a list, wrapped to the width with a hanging indent (a name's hyphen is not a place to break)."""
    return "\n" + fill(text, max(20, width), initial_indent=bullet, subsequent_indent=" " * len(bullet),
                       break_on_hyphens=False, break_long_words=False)


def describe_report(found: CompareReport, width: int = 76) -> Text:
    """The comparison as `medlog compare` gives it, fitted to `width` columns: the table of every metric, then
    (before the words, so they are read first) the other changes in these weeks and every caveat. Never worded as
    a cause."""
    out = Text(end="")
    change = found.change
    out.append(f"{change.day:%a %d %b %Y}: ", Style(bold=True))
    out.append(change.text, Style(bold=True))  # as written
    (b0, b1), (a0, a1) = found.before, found.after
    days = "s" if found.lag != 1 else ""
    out.append(f"\nBefore {span(b0, b1)} · after {span(a0, a1)} (the {found.lag} day{days} between left out)\n")
    if not found.metrics:
        out.append("\nNo ratings in these weeks, so there is nothing to compare.")
    else:
        label = max(13, *(len(m.spec.label) for m in found.metrics))
        out.append(f"\n{'':<{label}} {'before':>6} {'after':>5} {'change*':>7}  {'95% interval':<13} "
                   "verdict", Style(dim=True))
        for m in found.metrics:
            r = m.result
            if r.verdict == NOT_ENOUGH_DATA:  # no means: with too few days they would read as a result
                out.append(f"\n{m.spec.label[:label]:<{label}} {'—':>6} {'—':>5} {'—':>7}  {'too few days':<13} ")
            else:
                difference, interval = figure_cells(r)
                out.append(f"\n{m.spec.label[:label]:<{label}} {mean_text(r.before):>6} {mean_text(r.after):>5} "
                           f"{difference:>7}  {interval:<13} ")
            out.append(r.verdict, Style(bold=r.verdict in CLAIMS, italic=r.verdict not in (*CLAIMS, NO_CLEAR)))
        window = found.metrics[0].result
        out.append(f"\n* allowing for the trend each rating already had; a verdict needs {window.min_days} of the "
                   f"{window.before.days} days rated in each window.", Style(dim=True))
        if any(m.result.together for m in found.metrics):
            out.append("\n† of this change and another one nearby together: they cannot be separated.",
                       Style(dim=True))
        # the words sit right under the table: each verdict's caveats are read with it, not in small print below
        out.append("\n\nIn words:", Style(bold=True))
        for m in found.metrics:
            out.append(_item(m.sentence, width))
    out.append("\n\nOther changes in these weeks (any of them may matter as much):", Style(bold=True))
    for c in found.confounders:
        out.append(_item(f"{c.day:%a %d %b %Y}  {c.description}", width))
    if not found.confounders:
        out.append("\n  none")
    out.append("\n\nWhat this can and cannot say:", Style(bold=True))
    for caveat in found.caveats:
        out.append(_item(caveat, width, "  • "))
    clear = [s for m in found.metrics for a, s in zip(m.associations, m.association_sentences, strict=True)
             if a.clear and s]
    if clear:
        how = "as needed" if found.as_needed else "on the days it was taken on schedule"
        out.append(f"\n\nDay by day since {found.association_since:%d %b} ({found.substance} {how}):",
                   Style(bold=True))
        for sentence in clear:
            out.append(_item(sentence, width))
    return out
