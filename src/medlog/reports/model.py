"""The visit report as one structure: what the services gathered from the store and the analysis for a range of
journal days, already worded, for the renderers (pdf, html, md) to lay out and nothing else.

Plain values and domain types only: a renderer never reads the journal, never computes a statistic and never
words a finding, so the three formats cannot disagree. Everything is in the order a clinician reads it.
"""

from __future__ import annotations

from datetime import date, datetime

from medlog.domain.adherence import Tally
from medlog.domain.metrics import MetricSpec
from medlog.domain.record import record

DEFAULT_METRICS = ("sleep_quality", "mood", "anxiety", "pain")


@record
class Header:
    since: date  # the first and last journal day of the range, inclusive
    until: date
    generated: datetime  # local time, with its zone
    name: str | None  # the user's name from the config, if they set one
    page_size: str  # "A4" or "letter"
    asked: date | None = None  # the first day asked for, when that was before the journal's first entry (since)
    locale: str = "en"  # the locale its dates are written in (the `locale` setting)

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def first_entry(self) -> bool:
        """The range starts at the journal's first entry, later than asked (a journal younger than the range)."""
        return self.asked is not None

    @property
    def asked_range(self) -> tuple[date, date]:
        """The days asked for (a report built for them may start later: see `asked`)."""
        return (self.asked or self.since, self.until)


@record
class RegimenLine:
    """A substance in force on the last day of the range."""

    name: str
    kind: str  # medication | supplement
    dose: str | None  # "10 mg"; None for a substance taken without a set dose
    schedule: str  # "08:00", "as needed", "09:00 every 7 days"
    started: date  # the journal day it was first started
    since: date  # the journal day its current dose and schedule took effect
    reason: str | None
    prescriber: str | None
    planned: tuple[str, ...]  # changes planned after the range: "stop on Sat 26 Dec 2026"


@record
class ChangeLine:
    mark: str  # "A", "B", ...: the letter on the charts
    day: date
    substance: str
    text: str  # "Escitalopram dose 5 mg → 10 mg", "started Magnesium glycinate (200 mg, 21:30)"
    note: str | None  # the user's own words on the change
    at: datetime  # UTC: tells apart two changes on one day


@record
class AdherenceLine:
    """A scheduled substance's slots in the range. `tally.percent` is taken of those decided on logged days."""

    name: str
    tally: Tally
    skip_reasons: tuple[tuple[str, int], ...]  # the most frequent reasons given, with how often


@record
class AsNeededLine:
    name: str
    doses: int  # as-needed (unscheduled) doses taken in the range
    days: int  # days with at least one
    most_in_a_day: int
    last_taken: str | None = None  # how long before the report's end the last dose was: "3 days before"


@record
class MetricSeries:
    spec: MetricSpec
    values: dict[date, float]  # the days rated in the range
    weekly: tuple[float | None, ...]  # the mean of each of `Report.weeks`, None for a week with no rating


@record
class Week:
    first: date
    last: date
    logged: int  # days with any entry
    adherence: float | None  # percent of scheduled doses taken (decided slots), None when none were due


@record
class ComparisonRow:
    metric: str  # the label
    before: float | None  # window means
    after: float | None
    n_before: int  # days logged in each window
    n_after: int
    window: int  # days in each window
    difference: float | None  # the level change allowing for the trend, with its 95% interval
    low: float | None
    high: float | None
    verdict: str  # analysis.before_after.VERDICTS: higher | lower | no clear difference | already rising | …
    sentence: str  # the analysis's words for it
    reason: str | None = None  # the caveat that changes the verdict's reading, in a few words (None: the row says it)
    together: bool = False  # the figures are of this change and a nearby one together (marked † beside them)


@record
class Comparison:
    """Before and after one change in the range (analysis.before_after); the general caveats are the report's."""

    change: ChangeLine
    before: tuple[date, date]  # first and last day of each window
    after: tuple[date, date]
    lag: int  # days after the change left out
    rows: tuple[ComparisonRow, ...]
    others: tuple[str, ...]  # other regimen changes inside the windows: "Sat 31 Oct 2026 started Vitamin D3"
    notes: tuple[str, ...] = ()  # what applies to this comparison alone: an after window not yet over
    together_with: tuple[str, ...] = ()  # nearby changes it cannot be separated from: the figures are of all


@record
class ExperimentRow:
    """One rating of a self-experiment: on − off with its interval and the randomisation test's p."""

    metric: str  # the label
    effect: float | None  # mean on − mean off (None: a side has no rated day yet)
    low: float | None
    high: float | None
    p: float | None
    orders: int  # the design's admissible orders the p is taken over
    rated: int  # analysable days rated
    analysable: int


@record
class ExperimentLine:
    """A self-experiment in the range, said as CENT asks (Vohra et al. 2015): design, periods and how their
    order was drawn, washout, adherence, completeness, the effect with its interval and p, limitations."""

    substance: str
    design: str  # abab | abba | random-pairs
    pairs: int
    block_days: int
    first: date
    last: date
    status: str  # running | done | stopped
    order: str  # the periods in order: "on off off on …"
    seed: int
    left_out: int  # days at the start of each period not analysed (washout)
    on_taken: int  # adherence to the plan: on-period days with the substance taken, of on_days
    on_days: int
    off_free: int  # off-period days without it, of off_days
    off_days: int
    rows: tuple[ExperimentRow, ...]


@record
class SymptomLine:
    name: str
    reports: int
    days: int
    mean_severity: float
    worst: int
    after_dose: str | None  # "4 of 6 within 6 h after a dose of Escitalopram": timing only, never a cause


@record
class NoteLine:
    at: datetime  # local time
    text: str  # verbatim
    zone: str = ""  # the zone it was written in, when that is not the journal's zone now ('Asia/Tokyo'), else ""


@record
class Completeness:
    days: int  # days in the range
    logged: int  # days with any entry
    rated: dict[str, int]  # per metric key in the report: days rated
    gaps: tuple[tuple[date, date], ...]  # unlogged stretches of GAP_DAYS or more, oldest first


@record
class Report:
    header: Header
    medications: tuple[RegimenLine, ...]
    supplements: tuple[RegimenLine, ...]
    changes: tuple[ChangeLine, ...]  # in the range, oldest first
    adherence: tuple[AdherenceLine, ...]
    as_needed: tuple[AsNeededLine, ...]
    metrics: tuple[MetricSeries, ...]  # the chosen metrics, in the order asked
    weeks: tuple[Week, ...]  # oldest first; the first may be short (the range need not be whole weeks)
    comparisons: tuple[Comparison, ...]
    symptoms: tuple[SymptomLine, ...]  # most reported first
    flagged: tuple[NoteLine, ...]  # notes flagged for the clinician, verbatim, oldest first
    questions: tuple[NoteLine, ...]  # questions written for the visit
    completeness: Completeness
    caveats: tuple[str, ...]  # what the whole report can and cannot say
    experiments: tuple[ExperimentLine, ...] = ()  # self-experiments that ran in the range, oldest first
    # refills needed now, by substance: ("Escitalopram", "refill needed by Sat 12 Dec — Escitalopram, 5 tablets left…")
    refills: tuple[tuple[str, str], ...] = ()
    warnings: tuple[WarningLine, ...] = ()  # safety rule warnings that fired in the range, by rule


@record
class WarningLine:
    """A safety rule's warnings in the range: what the rule is, how often it fired, first and last day."""

    kind: str  # interaction | daily_max | spacing | as_needed
    text: str  # "Escitalopram with St John's wort", "Gabapentin at least 2 h after Maalox"
    count: int
    first: date
    last: date


NOTE_SHOWN = 600  # characters of a note the report shows: the report is one or two pages whatever the journal holds
NOTE_LINES = 8  # and lines


def cut_note(text: str, day: date) -> str:
    """A note as the report shows it: whole when short, else its start and where the whole of it is (the journal
    day's `medlog log`). Every format shows the same cut, and a 1 MB note costs the PDF a line, not 139 pages."""
    lines = text.split("\n")
    if len(text) <= NOTE_SHOWN and len(lines) <= NOTE_LINES:
        return text
    shown = "\n".join(lines[:NOTE_LINES])[:NOTE_SHOWN].rstrip()
    cut = shown.rfind(" ", NOTE_SHOWN * 3 // 4)  # at a word, when one ends near the limit
    if len(shown) >= NOTE_SHOWN and cut > 0:
        shown = shown[:cut].rstrip()
    return (f"{shown} … (cut; the whole note is in the journal: "
            f"medlog log --since {day.isoformat()} --until {day.isoformat()} --kind note)")
