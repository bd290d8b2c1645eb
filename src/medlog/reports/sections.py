"""The report laid out once as sections of text and tables: every renderer (pdf, html, md) draws these, so the
words, the columns and the order are the same in each, and only the charts are drawn per format.

A section is a title and blocks: a Text (a paragraph: body, small print, or a note quoted verbatim), a Table
(headers, rows of strings, which columns are numbers) or the Charts (the renderer draws the chosen metrics).
"""

from __future__ import annotations

from datetime import date

from medlog.domain.humanize import day_text, days_text, span_text
from medlog.domain.record import record
from medlog.reports.model import Comparison, ExperimentLine, RegimenLine, Report

TITLE = "Medication and symptom journal: visit summary"
SOURCE = ("Patient-reported data, recorded by the patient in medlog. Figures describe what was logged; "
          "differences over time are associations, not evidence of cause.")


@record
class Text:
    text: str
    style: str = "body"  # body | small (caveats, footnotes) | quote (the user's words, verbatim)


@record
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # per column: right-aligned figures
    caption: str | None = None


@record
class Charts:
    """Where the metric charts go: one per `Report.metrics`, with `Report.changes` marked by their letters."""


Block = Text | Table | Charts


@record
class Section:
    key: str  # regimen | changes | adherence | trends | before_after | symptoms | notes | completeness
    title: str
    blocks: tuple[Block, ...]


# Dates are written in the report's locale (Header.locale; the `locale` setting): English as below, another
# locale its own way through pendulum ("Sa., 10. Oktober 2026"). The words around them stay English.
def day(d: date, locale: str = "en") -> str:
    """"Sat 10 Oct 2026": the weekday helps a reader place a day."""
    return day_text(d, locale, "day")


def short_day(d: date, locale: str = "en") -> str:
    return day_text(d, locale, "short")


def span(first: date, last: date, locale: str = "en") -> str:
    """"24 Aug–21 Nov 2026", or with both years when they differ."""
    return span_text(first, last, locale)


def week_span(first: date, last: date, locale: str = "en") -> str:
    """"24–30 Aug", "30 Aug–05 Sep": a week in a table whose years the header gives."""
    if locale != "en":
        return f"{short_day(first, locale)}–{short_day(last, locale)}"
    return f"{first:%d}–{last:%d %b}" if first.month == last.month else f"{first:%d %b}–{last:%d %b}"


def num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def signed(value: float) -> str:
    """"+1.9", "−0.4" (a true minus sign, which prints better than a hyphen), "0.0"."""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text.replace("-", "\u2212")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def header_lines(report: Report) -> tuple[str, ...]:
    """Under the title: who, which days, how complete, when made, and last, what kind of data this is (SOURCE,
    which renderers may set apart)."""
    h, c = report.header, report.completeness
    lines = [f"Patient: {h.name}"] if h.name else []
    first = f", from the first entry, {short_day(h.since, h.locale)}" if h.first_entry else ""
    lines.append(f"Period: {span(h.since, h.until, h.locale)} ({h.days} days{first}) · entries on {c.logged} of "
                 f"{c.days} days")
    made = day_text(h.generated.date(), h.locale, "date")
    lines.append(f"Generated {made} {h.generated:%H:%M} {h.generated.tzname() or ''}".rstrip())
    lines.append(SOURCE)
    return tuple(lines)


def sections(report: Report) -> list[Section]:
    return [
        _regimen(report), _changes(report), _adherence(report), _trends(report), _before_after(report),
        *([_experiments(report)] if report.experiments else []), _symptoms(report), _notes(report),
        _completeness(report),
    ]


def _regimen_table(lines: tuple[RegimenLine, ...], caption: str, locale: str) -> Table:
    rows = []
    for line in lines:
        since = day_text(line.since, locale, "date")
        if line.started != line.since:
            since += f" (started {day_text(line.started, locale, 'date')})"
        rows.append((line.name, line.dose or "—", line.schedule, since, line.reason or ""))
    return Table(("Substance", "Dose", "Schedule", "Since", "Reason"), tuple(rows), (False,) * 5, caption)


def _regimen(report: Report) -> Section:
    blocks: list[Block] = []
    locale = report.header.locale
    for lines, caption in ((report.medications, "Medications"), (report.supplements, "Supplements")):
        if lines:
            # a refill needed (medlog stock, as of the day the report was made) is said in the table's caption:
            # a line of its own would take a third page for a full two-page report
            names = {line.name for line in lines}
            refills = [text for name, text in report.refills if name in names]
            blocks.append(_regimen_table(lines, " · ".join([caption, *refills]), locale))
    if not blocks:
        blocks.append(Text(f"No substance was being taken on {day(report.header.until, locale)}."))
    planned = [f"{line.name}: {text}" for line in (*report.medications, *report.supplements)
               for text in line.planned]
    if planned:
        blocks.append(Text("Planned: " + "; ".join(planned) + ".", "small"))
    return Section("regimen", f"Regimen on {day(report.header.until, locale)}", tuple(blocks))


def _changes(report: Report) -> Section:
    warned = [_warned(report)] if report.warnings else []
    if not report.changes:
        return Section("changes", "Regimen changes", (Text("No regimen change in this period."), *warned))
    rows = tuple((c.mark, day(c.day, report.header.locale), c.text, c.note or "") for c in report.changes)
    return Section("changes", "Regimen changes",
                   (Table(("Mark", "Date", "Change", "Note"), rows, (False,) * 4), *warned))


def _warned(report: Report) -> Text:
    """The safety warnings of the period in one small paragraph under the changes (the rules' own words are in
    `medlog rule list`): a report is one or two pages whatever fired."""
    locale = report.header.locale
    parts = []
    for w in report.warnings:
        when = day(w.first, locale) if w.first == w.last else f"{w.count} times, {span(w.first, w.last, locale)}"
        parts.append(f"{'interaction: ' if w.kind == 'interaction' else ''}{w.text} ({when})")
    return Text("Safety warnings medlog gave in this period (warnings, not findings): " + "; ".join(parts) + ".",
                "small")


def _adherence(report: Report) -> Section:
    blocks: list[Block] = []
    if report.adherence:
        rows = []
        for line in report.adherence:
            t = line.tally
            rows.append((line.name, str(t.on_time + t.late + t.skipped + t.missed + t.unlogged), str(t.on_time),
                         str(t.late), str(t.skipped), str(t.missed), str(t.unlogged), percent(t.percent)))
        blocks.append(Table(("Scheduled doses", "Due", "On time", "Late", "Skipped", "Missed", "Not logged",
                             "Taken"), tuple(rows), (False,) + (True,) * 7))
        reasons = ["{}: {}".format(line.name, ", ".join(f"{why} ({n})" for why, n in line.skip_reasons))
                   for line in report.adherence if line.skip_reasons]
        if reasons:
            blocks.append(Text("Reasons given for skipping: " + "; ".join(reasons) + ".", "small"))
        blocks.append(Text("Taken is the share of doses due on logged days that were taken, on time or late. "
                           "Not logged: due on a day with no entries at all, so not counted as missed.", "small"))
    if report.as_needed:
        needed = tuple((line.name, str(line.doses), str(line.days), str(line.most_in_a_day), line.last_taken or "—")
                       for line in report.as_needed)
        blocks.append(Table(("As needed", "Doses", "Days", "Most in a day", "Last taken"), needed,
                            (False, True, True, True, False)))
        blocks.append(Text("Last taken: how long before the report's end the last as-needed dose was taken.",
                           "small"))
    if not blocks:
        blocks.append(Text("No doses were due or taken in this period."))
    return Section("adherence", "Adherence", tuple(blocks))


def _trends(report: Report) -> Section:
    blocks: list[Block] = [Charts()]
    headers = ["Week", *(m.spec.label for m in report.metrics), "Days logged", "Doses taken"]
    rows = []
    for i, week in enumerate(report.weeks):
        means = [num(m.weekly[i]) for m in report.metrics]
        days = (week.last - week.first).days + 1
        rows.append((week_span(week.first, week.last, report.header.locale), *means, f"{week.logged}/{days}",
                     percent(week.adherence)))
    blocks.append(Table(tuple(headers), tuple(rows), (False,) + (True,) * (len(headers) - 1)))
    scales = "; ".join(f"{m.spec.label} {m.spec.scale}" for m in report.metrics)
    blocks.append(Text(f"Weekly means of the days rated. Scales: {scales}. Letters on the charts mark the "
                       "regimen changes above.", "small"))
    return Section("trends", "Trends", tuple(blocks))


def _comparison(c: Comparison, locale: str) -> list[Block]:
    head = (f"{c.change.mark} · {c.change.text}, {day(c.change.day, locale)}. Before {span(*c.before, locale)}; "
            f"after {span(*c.after, locale)}" + (f" ({c.lag} days between left out)." if c.lag else "."))
    rows = []
    for r in c.rows:
        logged = f"{r.n_before}/{r.window} · {r.n_after}/{r.window}"
        # too few days: means would read as a result (the change and its interval are given, or none of them)
        if r.difference is None or r.low is None or r.high is None or r.verdict == "not enough data":
            rows.append((r.metric, "—", "—", "too few days", logged, r.verdict))
            continue
        mark = "†" if r.together else ""  # beside the figure: they are not this change's alone
        change = f"{signed(r.difference)}{mark} ({signed(r.low)} to {signed(r.high)})"
        rows.append((r.metric, num(r.before), num(r.after), change, logged, r.verdict))
    blocks: list[Block] = [Text(head), Table(("Rating", "Before", "After", "Change* (95% interval)", "Days logged",
                                              "Verdict"), tuple(rows), (False, True, True, True, True, False))]
    if c.together_with:  # said first: it changes how every figure above reads
        blocks.append(Text("† Changes are of this and " + ", ".join(c.together_with) + " together: they cannot be "
                           "separated.", "small"))
    blocks += [Text(r.reason, "small") for r in c.rows if r.reason]
    if c.others:
        blocks.append(Text("Other changes in these weeks: " + "; ".join(c.others) + ".", "small"))
    blocks += [Text(note, "small") for note in c.notes]
    return blocks


def _too_few(comparisons: list[Comparison], locale: str) -> Text:
    """One line for every change whose windows hold too few rated days, instead of a table of dashes each."""
    listed = "; ".join(f"{c.change.mark} · {c.change.text} ({day(c.change.day, locale)})" for c in comparisons)
    return Text(f"Too few days rated around these changes to compare (half of each window's days must be rated): "
                f"{listed}.", "small")


def _before_after(report: Report) -> Section:
    if not report.comparisons:
        return Section("before_after", "Before and after each change",
                       (Text("No regimen change in this period to compare around."),))
    blocks: list[Block] = []
    shown = [c for c in report.comparisons if any(r.verdict != "not enough data" for r in c.rows)]
    for c in shown:
        blocks += _comparison(c, report.header.locale)
    too_few = [c for c in report.comparisons if c not in shown]
    if too_few:
        blocks.append(_too_few(too_few, report.header.locale))
    if shown:
        blocks.append(Text("* The change allowing for the trend each rating already had (a line through both "
                           "windows and up to 8 weeks before); its interval allows for days being like the day "
                           "before. Higher or lower is said only when no trend, bad spell, nearby change, unlogged "
                           "days or usual variation accounts for it.", "small"))
    blocks += [Text(caveat, "small") for caveat in report.caveats]
    return Section("before_after", "Before and after each change", tuple(blocks))


def _experiment(e: ExperimentLine, locale: str) -> list[Block]:
    days = "" if e.status == "done" else f" ({e.status}: figures so far)"
    head = (f"{e.substance} · {e.design}, {e.pairs} pairs of {e.block_days}-day periods, "
            f"{span(e.first, e.last, locale)}"
            f"{days}. Order drawn at random (seed {e.seed}): {e.order}. The first {e.left_out} days of each period "
            f"are left out (washout). Taken on {e.on_taken} of {e.on_days} on days; not taken on {e.off_free} of "
            f"{e.off_days} off days.")
    rows = []
    for r in e.rows:
        if r.effect is None:
            rows.append((r.metric, "—", "—", f"{r.rated}/{r.analysable}"))
            continue
        interval = f" ({signed(r.low)} to {signed(r.high)})" if r.low is not None and r.high is not None else ""
        p = "—" if r.p is None else (f"{r.p:.3f}" if r.p < 0.01 else f"{r.p:.2f}")
        rows.append((r.metric, signed(r.effect) + interval, f"{p} ({r.orders} orders)", f"{r.rated}/{r.analysable}"))
    return [Text(head), Table(("Rating", "On − off (95% interval)", "Randomisation p", "Days rated"), tuple(rows),
                              (False, True, True, True))]


def _experiments(report: Report) -> Section:
    blocks: list[Block] = []
    for e in report.experiments:
        blocks += _experiment(e, report.header.locale)
    blocks.append(Text("Planned on/off periods in an order drawn at random, so the calendar cannot line up with "
                       "them except by chance; p is the share of the design's possible orders giving a difference "
                       "as large. Limitations: one person, not blinded, self-rated; an association, reported as in "
                       "CENT (Vohra et al. 2015).", "small"))
    return Section("experiments", "Self-experiments", tuple(blocks))


def _symptoms(report: Report) -> Section:
    if not report.symptoms:
        return Section("symptoms", "Symptoms", (Text("No symptoms were logged in this period."),))
    rows = tuple((s.name, str(s.reports), str(s.days), num(s.mean_severity), str(s.worst), s.after_dose or "")
                 for s in report.symptoms)
    blocks: list[Block] = [Table(("Symptom", "Reports", "Days", "Mean severity", "Worst", "Timing"), rows,
                                 (False, True, True, True, True, False))]
    if any(s.after_dose for s in report.symptoms):
        blocks.append(Text("Timing counts reports logged within a few hours after a dose; with daily doses some "
                           "overlap is expected by chance, so it is a pattern to discuss, not a finding.", "small"))
    return Section("symptoms", "Symptoms (severity 0–10)", tuple(blocks))


def _notes(report: Report) -> Section:
    blocks: list[Block] = []
    if report.questions:
        blocks.append(Text("Questions for this visit:"))
        blocks += [Text(q.text, "quote") for q in report.questions]
    if report.flagged:
        blocks.append(Text("Notes flagged for the clinician:"))
        blocks += [Text(day_text(n.at.date(), report.header.locale, "date") + (f" ({n.zone})" if n.zone else "")
                        + f": {n.text}", "quote") for n in report.flagged]
    if not blocks:
        blocks.append(Text("No notes were flagged and no questions written for this visit."))
    return Section("notes", "For the clinician", tuple(blocks))


def _completeness(report: Report) -> Section:
    c = report.completeness
    rated = ", ".join(f"{m.spec.label} {c.rated.get(m.spec.key, 0)}" for m in report.metrics)
    blocks: list[Block] = [Text(f"Entries on {c.logged} of {c.days} days. Days rated: {rated}.")]
    if c.gaps:
        locale = report.header.locale
        stretches = ", ".join(f"{span(a, b, locale)} ({days_text((b - a).days + 1, locale)})" for a, b in c.gaps)
        blocks.append(Text(f"No entries at all: {stretches}. Averages and adherence leave these days out.",
                           "small"))
    return Section("completeness", "Data completeness", tuple(blocks))
