"""The visit report: one Report (reports/model.py) for a range of journal days, gathered from the store and the
analysis; the renderers (reports/pdf.py, html.py, markdown.py; registered in services/formats.py) only lay it
out.

Reads are stdlib (no SQLModel): `medlog report` is one short process whose budget is set against a plain
reportlab script. The before/after of each change comes from services.compare, so the report, `medlog compare`
and the Trends screen give the same numbers.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from medlog.analysis.before_after import Comparison as BeforeAfter
from medlog.analysis.before_after import Confounder
from medlog.analysis.completeness import GAP_DAYS, gaps
from medlog.analysis.timing import after_dose
from medlog.analysis.wording import report_caveats, verdict_reason, window_caveat
from medlog.domain import periods
from medlog.domain.adherence import SlotResult, tally
from medlog.domain.errors import InputError
from medlog.domain.humanize import before, day_text
from medlog.domain.metrics import MetricSpec
from medlog.domain.record import replace
from medlog.domain.regimen import RegimenEvent, RegimenState, regimen_at
from medlog.domain.zones import zone_mark, zone_named
from medlog.reports.model import (
    DEFAULT_METRICS,
    AdherenceLine,
    AsNeededLine,
    ChangeLine,
    Comparison,
    ComparisonRow,
    Completeness,
    ExperimentLine,
    ExperimentRow,
    Header,
    MetricSeries,
    NoteLine,
    RegimenLine,
    Report,
    SymptomLine,
    WarningLine,
    Week,
    cut_note,
)
from medlog.services import adherence, compare, experiments, stock
from medlog.services.context import Journal
from medlog.store import lookup
from medlog.store import report as reads
from medlog.store import rules as rule_store
from medlog.store import trends as trend_reads
from medlog.store.connection import NoJournal

DEFAULT_DAYS = 90
MIN_DAYS = 7
MAX_DAYS = 366
MAX_METRICS = 6
TOP_REASONS = 3


def last_start(last: periods.Period, end: date) -> date:
    """The first journal day of `--last` PERIOD to journal day `end`: days, weeks, or calendar months and years
    (domain/periods.py); 7 to MAX_DAYS days."""
    start = periods.first_day(last, end)
    days = (end - start).days + 1
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InputError(f"--last {str(last)!r} is {days} days: a visit report covers {MIN_DAYS} to {MAX_DAYS} days, "
                         f"e.g. 90d, 12w, 3m or 1y")
    return start


def period(journal: Journal, *, last: periods.Period | None = None, since: date | None = None,
           until: date | None = None) -> tuple[date, date]:
    """The range asked for: --last a period to today (90d, 12w, 3m, 1y), or --from/--to (default: the 90 days to
    --to or today)."""
    if last is not None and (since is not None or until is not None):
        raise InputError("give either --last or --from/--to, not both")
    end = journal.today() if until is None else until
    if end > journal.today():  # as parse_day refuses it at the edge; held here for any caller
        raise InputError(f"{end.isoformat()} is in the future; the journal's today is {journal.today().isoformat()}")
    if since is not None:
        start = since
    elif last is not None:
        start = last_start(last, end)
    else:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise InputError(f"--from {start.isoformat()} comes after --to {end.isoformat()}")
    if (end - start).days + 1 > MAX_DAYS:
        raise InputError(f"{start.isoformat()} to {end.isoformat()} is over {MAX_DAYS} days; a visit report "
                         "covers up to a year")
    return start, end


def build(journal: Journal, since: date, until: date, metrics: Sequence[str] = ()) -> Report:
    """The report for journal days `since` to `until`, charting `metrics` (keys, labels or unique prefixes;
    default: sleep quality, mood, anxiety, pain)."""
    now = journal.now()
    zone = journal.settings.zone
    end = min(now, _day_end(until, zone, journal.settings.rollover))
    try:
        with journal.reading() as conn:
            # a journal younger than the range: from its first entry, not weeks of empty charts and dashes
            first = trend_reads.first_day(conn)
            asked = since if first is not None and since < first <= until else None
            since = first if asked is not None and first is not None else since
            specs = _chosen_metrics([ref.spec for ref in lookup.metrics(conn)], metrics)
            histories = trend_reads.regimen_histories(conn)
            details = reads.substance_details(conn)
            values = trend_reads.daily_values(conn, since, until)
            kept = {date.fromisoformat(d) for d in trend_reads.logged_days(conn, since, until)}
            reasons = reads.skip_reasons(conn, since, until)
            unscheduled = reads.unscheduled_doses(conn, since, until)
            symptom_rows = reads.symptoms(conn, since, until)
            doses = reads.dose_instants(conn, since - timedelta(days=1), until)
            notes = reads.notes_for_visit(conn, since, until)
    except NoJournal:
        raise InputError(f"there is no journal at {journal.path} yet: nothing to report") from None
    # long notes cut here, so that every format shows the same cut (a 1 MB note made a 139-page PDF)
    notes = [(kind, cut_note(text, journal.day_of(at)), at, z) for kind, text, at, z in notes]
    changes = _changes(histories, since, until, now)
    names, slots = adherence.outcomes(journal, since, until)
    series = _series(specs, values)
    weeks = _weeks(since, until)
    locale = journal.settings.locale
    medications, supplements = _regimen(histories, details, end, now, locale)
    comparisons = _comparisons(journal, changes, specs)
    return Report(
        header=Header(since, until, now.astimezone(zone), journal.settings.name, journal.settings.page_size,
                      asked, locale),
        medications=medications,
        supplements=supplements,
        changes=changes,
        adherence=_adherence(names, slots, reasons),
        as_needed=tuple(AsNeededLine(name, n, days, most, before(last, end, locale))
                        for name, n, days, most, last in unscheduled),
        metrics=tuple(MetricSeries(spec, points, _weekly_means(points, weeks)) for spec, points in series),
        weeks=tuple(_week(first, last, kept, slots) for first, last in weeks),
        comparisons=comparisons,
        symptoms=_symptoms(symptom_rows, doses),
        flagged=tuple(NoteLine(at.astimezone(zone_named(z)), text, zone_mark(z, zone.key, at))
                      for kind, text, at, z in notes if kind == "note"),
        questions=tuple(NoteLine(at.astimezone(zone_named(z)), text, zone_mark(z, zone.key, at))
                        for kind, text, at, z in notes
                        if kind == "question"),
        completeness=Completeness((until - since).days + 1, len(kept),
                                  {spec.key: len(points) for spec, points in series},
                                  tuple(gaps(kept, since, until, GAP_DAYS))),
        caveats=report_caveats() if comparisons else (),
        experiments=_experiments(journal, since, until),
        warnings=_warnings(journal, since, until),
        refills=_refills(journal, until),
    )


def _warnings(journal: Journal, since: date, until: date) -> tuple[WarningLine, ...]:
    """The safety warnings that fired in the range, one line per rule (an interaction's two names, a timing
    rule's own words), oldest first."""
    with journal.reading() as conn:
        fired = reads.rule_warnings(conn, since, until)
        rules = {r.id: r for r in rule_store.rules(conn)} if fired else {}
    return tuple(WarningLine(r.kind, f"{r.substance} with {r.other}" if r.kind == "interaction" else r.describe(),
                             n, first, last)
                 for rule_id, first, last, n in fired if (r := rules.get(rule_id)) is not None)


def _refills(journal: Journal, until: date) -> tuple[tuple[str, str], ...]:
    """The refills needed now, when the report reaches today: stock is known as of now, not of a past day."""
    if until < journal.today():
        return ()
    return tuple((r.name, stock.refill_text(r)) for r in stock.refills_due(journal, journal.today()))


def _day_end(day: date, zone: ZoneInfo, rollover: time) -> datetime:
    """The last instant of a journal day: just before the next day's rollover."""
    nxt = datetime.combine(day + timedelta(days=1), rollover, tzinfo=zone).astimezone(UTC)
    return nxt - timedelta(microseconds=1)


def _chosen_metrics(specs: list[MetricSpec], asked: Sequence[str]) -> list[MetricSpec]:
    if not asked:
        by_key = {spec.key: spec for spec in specs}
        return [by_key[key] for key in DEFAULT_METRICS if key in by_key]
    if len(asked) > MAX_METRICS:
        raise InputError(f"--metric: at most {MAX_METRICS} charts fit the report")
    chosen: list[MetricSpec] = []
    for text in asked:
        spec = compare.metric_named(text, specs)
        if spec not in chosen:
            chosen.append(spec)
    return chosen


def _changes(histories: dict[str, list[tuple[date, RegimenEvent]]], since: date, until: date,
             now: datetime) -> tuple[ChangeLine, ...]:
    # a self-experiment's starts and stops are its periods: its own section shows them, not the change list
    happened = [c for c in compare.happened(histories, until, now) if c.day >= since and c.experiment is None]
    notes = {(name, event.at): event.note for name, history in histories.items() for _, event in history}
    letters = string.ascii_uppercase
    out = []
    for i, c in enumerate(happened):
        note = notes.get((c.substance, c.at))
        # the change's words without its note, which has a column of its own
        text = c.text.removesuffix(f" — {note}") if note else c.text
        out.append(ChangeLine(letters[i % 26] * (1 + i // 26), c.day, c.substance, text,
                              cut_note(note, c.day) if note else note, c.at))
    return tuple(out)


def _series(specs: list[MetricSpec],
            by_key: dict[str, dict[date, float]]) -> list[tuple[MetricSpec, dict[date, float]]]:
    return [(spec, dict(sorted(by_key.get(spec.key, {}).items()))) for spec in specs]


def _weeks(since: date, until: date) -> list[tuple[date, date]]:
    """Seven-day weeks ending on `until`, oldest first; the oldest is cut short at `since`."""
    out = []
    last = until
    while last >= since:
        out.append((max(since, last - timedelta(days=6)), last))
        last -= timedelta(days=7)
    return out[::-1]


def _weekly_means(points: dict[date, float], weeks: list[tuple[date, date]]) -> tuple[float | None, ...]:
    out = []
    for first, last in weeks:
        found = [v for d, v in points.items() if first <= d <= last]
        out.append(sum(found) / len(found) if found else None)
    return tuple(out)


def _week(first: date, last: date, kept: set[date], slots: list[SlotResult]) -> Week:
    return Week(first, last, sum(1 for d in kept if first <= d <= last),
                tally([s for s in slots if first <= s.day <= last]).percent)


def _regimen(histories: dict[str, list[tuple[date, RegimenEvent]]], details: dict[str, tuple[str, str | None,
             str | None]], end: datetime, now: datetime,
             locale: str = "en") -> tuple[tuple[RegimenLine, ...], tuple[RegimenLine, ...]]:
    """Each substance in force at `end`, medications apart from supplements, by name."""
    out: dict[str, list[RegimenLine]] = {"medication": [], "supplement": []}
    for name in sorted(histories, key=str.casefold):
        history = histories[name]
        state = regimen_at([event for _, event in history], end)
        if not state.active:
            continue
        kind, reason, prescriber = details.get(name, ("medication", None, None))
        day_of = {event.at: day for day, event in history}
        assert state.since is not None and state.changed_at is not None  # an active regimen has been started
        started = day_of.get(state.since, history[0][0])
        since = day_of.get(state.changed_at, started)
        # what is planned after today, when the range ends today (a report of past weeks shows them as they were)
        planned = tuple(_planned(day, event, locale) for day, event in history
                        if event.at > now) if end == now else ()
        out.setdefault(kind, []).append(RegimenLine(
            name, kind, str(state.dose) if state.dose else None, _schedule(state), started, since, reason,
            prescriber, planned))
    return tuple(out["medication"]), tuple(out["supplement"])


def _schedule(state: RegimenState) -> str:
    """As `substance list` says it, without the day an every-N-days schedule counts from (the Since column)."""
    schedule = state.schedule
    if schedule is None:
        return "no schedule"
    return str(replace(schedule, anchor=None))


def _planned(day: date, event: RegimenEvent, locale: str = "en") -> str:
    what = {"stop": "stop", "start": "start", "dose_change": f"dose {event.dose}",
            "schedule_change": f"schedule {event.schedule}"}[event.kind]
    return f"{what} on {day_text(day, locale)}"


def _adherence(names: dict[int, str], slots: list[SlotResult],
               reasons: list[tuple[str, str, int]]) -> tuple[AdherenceLine, ...]:
    by_substance: dict[int, list[SlotResult]] = {}
    for slot in slots:
        by_substance.setdefault(slot.substance_id, []).append(slot)
    why: dict[str, list[tuple[str, int]]] = {}
    for name, reason, count in reasons:
        why.setdefault(name, []).append((reason, count))
    return tuple(AdherenceLine(names[sid], tally(found), tuple(why.get(names[sid], [])[:TOP_REASONS]))
                 for sid, found in sorted(by_substance.items(), key=lambda item: names[item[0]].casefold()))


def _comparisons(journal: Journal, changes: tuple[ChangeLine, ...],
                 specs: list[MetricSpec]) -> tuple[Comparison, ...]:
    """Each change's before/after, with what applies to it alone (an after window not over yet)."""
    out = []
    keys = [spec.key for spec in specs]
    for line in changes:
        found = compare.compare(journal, line.substance, instant=line.at, keys=keys, associations=False)
        rows = tuple(ComparisonRow(m.spec.label, m.result.before.mean, m.result.after.mean, m.result.before.n,
                                   m.result.after.n, m.result.before.days, *_estimate(m.result), m.result.verdict,
                                   m.sentence, verdict_reason(m.result, m.spec.label), m.result.together is not None)
                     for m in found.metrics)
        locale = journal.settings.locale
        together = {_short(c, locale): None for m in found.metrics if m.result.together for c in m.result.blocking}
        others = tuple(f"{day_text(c.day, locale)} {c.description}" for c in found.confounders)
        window = window_caveat(found.after[0], found.after[1], found.today)
        out.append(Comparison(line, found.before, found.after, found.lag, rows, others, (window,) if window else (),
                              tuple(together)))
    return tuple(out)


def _experiments(journal: Journal, since: date, until: date) -> tuple[ExperimentLine, ...]:
    """The self-experiments that had begun and overlap the range, with their findings as analysed today."""
    out = []
    for found in experiments.overview(journal):
        e = found.status.experiment
        plan, rec = e.plan, e.record
        if e.status == "planned" or plan.end < since or plan.start > until:
            continue
        rows = tuple(ExperimentRow(f.label, f.result.effect, f.result.low, f.result.high, f.result.test.p,
                                   f.result.test.orders, f.result.on_days + f.result.off_days, f.result.analysable)
                     for f in found.findings if f.result is not None)
        order = " ".join("on" if on else "off" for on in plan.periods)
        a = found.status.adherence
        out.append(ExperimentLine(rec.substance, plan.design, plan.pairs, plan.block_days, plan.start, plan.end,
                                  e.status, order, rec.seed, plan.left_out, a.on_taken, a.on_days, a.off_free,
                                  a.off_days, rows))
    return tuple(out)


def _short(change: Confounder, locale: str = "en") -> str:
    """"Vitamin D3 started 10 Nov": a nearby change named in a few words (the full text is listed below it)."""
    done = {"start": "started", "stop": "stopped", "dose_change": "dose changed"}.get(change.kind, "changed")
    return f"{change.substance} {done} {day_text(change.day, locale, 'short')}"


def _estimate(result: BeforeAfter) -> tuple[float | None, float | None, float | None]:
    """The row's change and interval: this change's, or, where another change nearby cannot be separated from it,
    that of the changes together (the note under the table says so)."""
    return result.together or (result.difference, result.low, result.high)


def _symptoms(rows: list[tuple[str, int, datetime, str]],
              doses: dict[str, list[datetime]]) -> tuple[SymptomLine, ...]:
    grouped: dict[str, list[tuple[int, datetime, str]]] = {}
    for name, severity, at, day in rows:
        grouped.setdefault(name, []).append((severity, at, day))
    out = []
    for name, found in grouped.items():
        severities = [s for s, _, _ in found]
        instants = [at for _, at, _ in found]
        days = len({day for _, _, day in found})
        timing = after_dose(instants, doses)
        said = (f"{timing.within} of {timing.reports} within {timing.hours} h after {timing.substance}"
                if timing else None)
        out.append(SymptomLine(name, len(found), days, sum(severities) / len(severities), max(severities), said))
    return tuple(sorted(out, key=lambda s: (-s.reports, s.name.casefold())))
