"""Another app's entries (domain/foreign.py) met with the journal: names matched, labels made values, rows made.

* **Substances**: the mapping file's `[substances]` first ("Hydroxyzine" = "Atarax"), then the same matching as
  `take` (name, alias, unique prefix, case and spacing aside). A name that matches nothing becomes a new substance
  (kind: the mapping's `kind`, default medication), one per name, however often the file names it.
* **Ratings**: the metric by the mapping's `[metrics]`, else by key or label ("Mood", "sleep quality"). A number on
  the file's own scale (Bearable's 1–5 sleep quality, 1–10 mood) is put on the metric's scale by the linear rule
  `min + (v − low) / (high − low) × (max − min)` (1→0, 2→2.5, 3→5, 4→7.5, 5→10 on 0–10); a number without a
  scale must lie on the metric's own. A label takes the mapping's `[labels.METRIC]` value, else — for Daylio's five
  default moods — the same linear rule by rank, worst to best: awful 0, bad 2.5, meh 5, good 7.5, rad 10. A label
  neither knows is refused, and --dry-run lists every one. medlog keeps one rating of a metric a day: where the file
  has several on one journal day, their mean is kept (and --dry-run says on how many days).
* **Symptoms**: severity words by the mapping's `[severity]`, else medlog's own (none 0, mild 2, moderate 5,
  severe 8) and the top of other apps' scales (unbearable, extreme: 10); numbers as `medlog symptom` takes them.
* **Tags** (activities, factors): the mapping's `[tags]` says "note" (the default: an entry's tags become one
  note, "activities: work, friends"), "skip", or `{ symptom = "headache", severity = 5 }`.
Every row carries its source (the format's name) and the UUID the importer made from the source row, so a second
import of the same file adds nothing. The rows go through the store's import and its form checks, like any other.

A line the journal cannot take (a note with a control character, a day outside the journal's years, a severity
that is none) is a BadLine, named by line and column like a line the importer could not read: with --skip-bad
its entries are all left out, and listed. What the mapping file gets wrong is refused whole.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from medlog.domain.errors import InputError
from medlog.domain.foreign import (
    BadLine,
    ForeignDose,
    ForeignEntry,
    ForeignFile,
    ForeignNote,
    ForeignRating,
    ForeignRegimen,
    ForeignSymptom,
    ForeignTag,
    Where,
    stable_uuid,
)
from medlog.domain.metrics import parse_severity
from medlog.domain.names import Ambiguous, Unknown, match_name, name_key
from medlog.domain.record import record, replace
from medlog.domain.text import clean_name, clean_note, plural
from medlog.domain.timeparse import journal_day
from medlog.domain.zones import zone_named
from medlog.services.importers.mapping_file import severity_rule, table, tag_rule, text
from medlog.services.importers.metric_values import Metrics
from medlog.store import lookup
from medlog.store.forms import FIRST_YEAR, LAST_YEAR
from medlog.store.rows import db_time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from medlog.domain.units import Amount

KINDS = ("medication", "supplement")
# The top of other apps' severity scales (Bearable's "Unbearable"), beside medlog's own words (domain/metrics.py).
TOP_WORDS = {"unbearable": 10, "extreme": 10}
# The mapping file's keys (docs/import.md): any other is a typo ("[tag]") that would be left unread without a word.
MAPPING_KEYS = ("zone", "kind", "substances", "metrics", "labels", "tags", "severity", "csv")


@record
class Plan:
    """What an import would write, for --dry-run and for the line a real import prints."""

    fmt: str
    counts: dict[str, int]  # per kind of entry (dose, rating, symptom, note, regimen change), how many rows
    new_substances: tuple[str, ...]
    matched: dict[str, str]  # a substance name in the file → the journal's substance it is
    labels: dict[str, dict[str, Decimal]]  # per metric key, each label of the file → its value
    scales: dict[str, tuple[Decimal, Decimal]]  # per metric key, the file's own scale (put on medlog's, linearly)
    averaged_days: int  # journal days where several ratings of one metric became their mean
    tags: dict[str, str]  # each tag of the file → what it becomes (note, skip, symptom NAME)
    skipped: tuple[tuple[Where, str], ...]
    lines: int


@record
class Resolved:
    rows: dict[str, list[dict[str, object]]]  # per table, in the export's form
    plan: Plan


class _Names:
    """Substance names of the file → the journal's substance (its uuid), or a new one made once."""

    def __init__(self, conn: sqlite3.Connection, mapping: dict[str, object], stamp: str, fmt: str) -> None:
        self.candidates = lookup.substance_candidates(conn)
        self.uuids = _substance_uuids(conn)
        self.wanted = {name_key(str(k)): text(v, f"[substances] {k!r}", "the journal's substance name")
                       for k, v in table(mapping, "substances").items()}
        for name, target in self.wanted.items():  # every entry names one of yours, used by this file or not
            try:
                match_name(target, self.candidates, what="substance")
            except InputError as exc:
                raise InputError(f"the mapping file's [substances] {name!r} = {target!r}: {exc}") from None
        kind = mapping.get("kind", "medication")
        if kind not in KINDS:
            raise InputError(f"the mapping file's kind {kind!r}: choose medication or supplement")
        self.kind, self.stamp, self.fmt = kind, stamp, fmt
        self.matched: dict[str, str] = {}
        self.new: dict[str, dict[str, object]] = {}  # name_key → the new substance row

    def uuid(self, name: str, where: Where) -> str:
        try:
            clean = clean_name(name, what="substance name")
        except InputError as exc:
            raise BadLine(where, str(exc)) from None
        key = name_key(clean)
        if key in self.new:
            return str(self.new[key]["uuid"])
        target = self.wanted.get(key)
        if target is not None:  # the mapping file names the journal's substance: it must be there
            try:
                found = match_name(target, self.candidates, what="substance")
            except InputError as exc:
                raise InputError(f"the mapping file's [substances] {clean!r} = {target!r}: {exc}") from None
        else:
            try:
                found = match_name(clean, self.candidates, what="substance")
            except Ambiguous as exc:
                raise InputError(f"{where}: {exc}; say which in the mapping file's [substances]") from None
            except Unknown:
                found = None  # a substance the journal does not have yet
        if found is not None:
            self.matched[clean] = found.name
            return self.uuids[found.id]
        row: dict[str, object] = {"uuid": stable_uuid(self.fmt, "substance", key), "created_at": self.stamp,
                                  "updated_at": self.stamp, "name": clean, "name_key": key, "kind": self.kind}
        self.new[key] = row
        return str(row["uuid"])


class _BadLines(Exception):
    """Lines the journal cannot take, met with --skip-bad: resolve() leaves their entries out and starts again."""

    def __init__(self, bad: dict[int, BadLine]) -> None:
        super().__init__(bad)
        self.bad = bad


def resolve(conn: sqlite3.Connection, found: ForeignFile, mapping: dict[str, object], *,
            rollover: time, now: datetime, skip_bad: bool = False) -> Resolved:
    """The rows `found` becomes in the journal open on `conn` (for a journal not made yet, an empty one in memory:
    `empty_journal()`). `skip_bad`: a line the journal cannot take (BadLine) is left out whole — all its entries,
    so no line comes in half — and listed with the lines the importer left out."""
    unknown = [f"[{key}]" if isinstance(mapping[key], dict) else key
               for key in sorted(set(mapping) - set(MAPPING_KEYS))]
    if unknown:
        raise InputError(f"the mapping file has {', '.join(unknown)}, which medlog does not know; it takes "
                         f"{', '.join(MAPPING_KEYS)} (docs/import.md)")
    while True:
        try:
            return _resolve(conn, found, mapping, rollover=rollover, now=now, skip_bad=skip_bad)
        except _BadLines as exc:  # each pass leaves out every bad line it met: a second pass rarely meets another
            found = replace(found, entries=tuple(e for e in found.entries if e.where.line not in exc.bad),
                            skipped=(*found.skipped, *((bad.where, bad.problem) for bad in exc.bad.values())))


def _resolve(conn: sqlite3.Connection, found: ForeignFile, mapping: dict[str, object], *,
             rollover: time, now: datetime, skip_bad: bool) -> Resolved:
    stamp = db_time(now.astimezone(UTC))
    names = _Names(conn, mapping, stamp, found.fmt)
    metrics = Metrics(conn, mapping)
    severities = {name_key(str(k)): severity_rule(v, f"[severity] {k!r}")
                  for k, v in table(mapping, "severity").items()}
    tag_rules = {name_key(str(k)): tag_rule(v, k) for k, v in table(mapping, "tags").items()}
    zones: dict[str, ZoneInfo] = {}
    bad: dict[int, BadLine] = {}
    rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    counts: Counter[str] = Counter()
    ratings: dict[tuple[str, str], list[tuple[Decimal, ForeignRating]]] = defaultdict(list)
    tags: dict[tuple[datetime, str, str], list[ForeignTag]] = defaultdict(list)
    tag_plan: dict[str, str] = {}

    def zone(name: str) -> ZoneInfo:  # a POSIX rule ("UTC+5") too, as the store keeps it: not only tzdata's names
        if name not in zones:
            zones[name] = zone_named(name)
        return zones[name]

    def common(entry: ForeignEntry) -> dict[str, object]:
        day = journal_day(entry.at, zone(entry.zone), rollover)
        return {"uuid": entry.uuid, "created_at": stamp, "updated_at": stamp, "zone": entry.zone,
                "journal_day": day.isoformat(), "source": found.fmt}

    def of_substance(entry: ForeignDose | ForeignRegimen, amount: Amount | None, prefix: str) -> dict[str, object]:
        """The columns a dose and a regimen change share: the common ones, the substance, an amount (`prefix`:
        the dose's amount_value/amount_unit, the regimen's dose_value/dose_unit) and the note."""
        return {**common(entry), "substance_uuid": names.uuid(entry.name, entry.where),
                f"{prefix}_value": float(amount.value) if amount else None,
                f"{prefix}_unit": amount.unit if amount else None, "note": _note(entry.note, entry.where)}

    def one(entry: ForeignEntry) -> None:  # the entry's rows, or BadLine
        if isinstance(entry, ForeignDose):
            rows["dose"].append({**of_substance(entry, entry.amount, "amount"), "status": entry.status,
                                 "occurred_at": db_time(entry.at), "slot": entry.slot})
            counts["dose"] += 1
        elif isinstance(entry, ForeignRating):
            spec_key, value = metrics.value(entry)
            day = (entry.day or journal_day(entry.at, zone(entry.zone), rollover)).isoformat()
            ratings[(spec_key, day)].append((value, entry))
        elif isinstance(entry, ForeignSymptom):
            rows["symptom"].append({**common(entry), **_symptom(entry.name, entry.severity, severities,
                                                                 entry.where),
                                    "occurred_at": db_time(entry.at), "note": _note(entry.note, entry.where)})
            counts["symptom"] += 1
        elif isinstance(entry, ForeignNote):
            rows["note"].append({**common(entry), "text": _note(entry.text, entry.where), "kind": entry.kind,
                                 "flagged": int(entry.flagged), "occurred_at": db_time(entry.at)})
            counts["note"] += 1
        elif isinstance(entry, ForeignTag):
            rule = tag_rules.get(name_key(entry.name), "note")
            if rule == "skip":
                tag_plan[entry.name] = "skip"
            elif isinstance(rule, dict):  # { symptom = "NAME", severity = N }, its types checked (_tag_rule)
                tag_plan[entry.name] = f"symptom {rule['symptom']}"
                rows["symptom"].append({**common(entry), **_symptom(str(rule["symptom"]), str(rule["severity"]),
                                                                     severities, entry.where),
                                        "occurred_at": db_time(entry.at), "note": None})
                counts["symptom"] += 1
            else:
                _note(entry.name, entry.where)  # a tag the note cannot hold is its own line's fault, not the group's
                tag_plan[entry.name] = "note"
                tags[(entry.at, entry.zone, entry.group)].append(entry)
        elif isinstance(entry, ForeignRegimen):
            rows["regimen_event"].append({**of_substance(entry, entry.dose, "dose"), "kind": entry.kind,
                                          "effective_at": db_time(entry.at), "schedule": entry.schedule})
            counts["regimen change"] += 1

    for entry in found.entries:
        if entry.where.line in bad:
            continue
        try:
            _in_years(entry, zone(entry.zone))
            _not_ahead(entry, now)
            one(entry)
        except BadLine as exc:
            if not skip_bad:
                raise
            bad[entry.where.line] = exc
    if bad:
        raise _BadLines(bad)

    for (at, _, _), group in tags.items():  # an entry's tags of one kind (activities, factors): one note
        tag = group[0]
        words = ", ".join(t.name for t in group)
        try:
            text = _note(f"{plural(tag.group) if len(group) > 1 else tag.group}: {words}", tag.where)
        except BadLine as exc:  # too long together
            if not skip_bad:
                raise
            raise _BadLines({tag.where.line: exc}) from None
        row = {**common(tag), "uuid": stable_uuid(found.fmt, "tags", tag.uuid), "kind": "note", "flagged": 0,
               "text": text, "occurred_at": db_time(at)}
        rows["note"].append(row)
        counts["note"] += 1
    metrics.refuse_unplaced()
    averaged = 0
    already = _rated_days(conn)  # metric uuid, day → the observation's uuid
    skipped = list(found.skipped)
    for (key, day), values in ratings.items():
        first = values[0][1]
        mean = sum((v for v, _ in values), Decimal(0)) / len(values)
        averaged += len(values) > 1
        there = already.get((metrics.uuids[key], day))
        if there is not None and there != first.uuid:  # rated in the journal already (by hand, or another file)
            skipped.append((first.where, f"{key} on {day}: the journal rates that day already; its rating is kept"))
            continue
        rows["observation"].append({**common(first), "journal_day": day, "metric_uuid": metrics.uuids[key],
                                    "value": float(round(mean, 2)), "recorded_at": db_time(first.at)})
        counts["rating"] += 1
    new = list(names.new.values())
    if new:
        rows["substance"] = new + rows.get("substance", [])
    plan = Plan(found.fmt, dict(counts), tuple(str(r["name"]) for r in new), names.matched, metrics.labels,
                metrics.scales, averaged, tag_plan, tuple(skipped), found.lines)
    return Resolved(dict(rows), plan)


def _symptom(name: str, severity: str | None, words: dict[str, object], where: Where) -> dict[str, object]:
    try:
        clean = clean_name(name, what="symptom name")
    except InputError as exc:
        raise BadLine(where, str(exc)) from None
    if severity is None:
        raise BadLine(where, f"symptom {clean!r} has no severity; give one in the mapping file")
    mapped = words.get(name_key(severity), TOP_WORDS.get(name_key(severity)))
    try:
        value = parse_severity(str(mapped)) if mapped is not None else parse_severity(severity)
    except InputError as exc:
        raise BadLine(where, f"{exc}; or give the word's value in the mapping file's [severity]") from None
    return {"name": clean, "name_key": name_key(clean), "severity": value}


def _note(text: str | None, where: Where) -> str | None:
    if text is None:
        return None
    # A note of several lines written on Windows (or an old Mac) ends its lines with CR LF (or CR): a line end,
    # not the control character clean_note refuses.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return clean_note(text)
    except InputError as exc:
        raise BadLine(where, str(exc)) from None


AHEAD = timedelta(days=1)  # a phone's clock set wrong, or a time zone misread, is within a day; a year 2999 is not


def _not_ahead(entry: ForeignEntry, now: datetime) -> None:
    """An entry records what happened: one dated ahead is refused, as `take --at` refuses it (with a day's grace
    for another device's clock). A regimen change may be planned (medlog's own CSV holds planned ones)."""
    if not isinstance(entry, ForeignRegimen) and entry.at > now + AHEAD:
        raise BadLine(entry.where, f"{entry.at:%Y-%m-%d %H:%M} is in the future (this machine's clock says "
                                   f"{now:%Y-%m-%d}); entries record what already happened")


def _in_years(entry: ForeignEntry, zone: ZoneInfo) -> None:
    """The entry's instant lies in the years a journal keeps, in UTC and where it was written: year 1 or 9999 would
    overflow Python's calendar on the way to its journal day, or be refused by the store naming only a UUID."""
    try:
        years = {entry.at.astimezone(UTC).year, entry.at.astimezone(zone).year}
    except OverflowError:  # year 1 east of UTC, 9999 west of it
        years = {0}
    if not all(FIRST_YEAR <= year <= LAST_YEAR for year in years):
        raise BadLine(entry.where, f"{entry.at.date().isoformat()} is outside the years a journal keeps "
                                   f"({FIRST_YEAR}–{LAST_YEAR})")


def _rated_days(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """Each (metric uuid, journal day) the journal rates, with that rating's uuid: medlog keeps one a day."""
    return {(str(m), str(d)): str(u) for m, d, u in conn.execute(
        "SELECT m.uuid, o.journal_day, o.uuid FROM observation o JOIN metric m ON m.id = o.metric_id "
        "WHERE o.deleted_at IS NULL")}


def empty_journal() -> sqlite3.Connection:
    """An empty journal in memory, for resolving a file against a journal not made yet (--dry-run makes none):
    the built-in metrics with the UUIDs a new journal gives them."""
    from medlog.store.migrate import migrate

    conn = sqlite3.connect(":memory:")
    migrate(conn, ":memory:")
    return conn


def _substance_uuids(conn: sqlite3.Connection) -> dict[int, str]:
    return {int(i): str(u) for i, u in conn.execute("SELECT id, uuid FROM substance")}


