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
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from datetime import UTC, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from medlog.domain.errors import InputError
from medlog.domain.foreign import (
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
from medlog.domain.metrics import MetricSpec, parse_metric_value, parse_severity
from medlog.domain.names import Ambiguous, Candidate, Unknown, match_name, name_key
from medlog.domain.numbers import format_decimal, parse_decimal
from medlog.domain.record import record
from medlog.domain.text import clean_name, clean_note
from medlog.domain.timeparse import journal_day
from medlog.store import lookup
from medlog.store.rows import db_time

# Daylio's five default moods, worst to best: the linear rule by rank puts them at 0, 2.5, 5, 7.5 and 10.
DAYLIO_MOODS = ("awful", "bad", "meh", "good", "rad")
KINDS = ("medication", "supplement")
# The top of other apps' severity scales (Bearable's "Unbearable"), beside medlog's own words (domain/metrics.py).
TOP_WORDS = {"unbearable": 10, "extreme": 10}
# Other apps' words for medlog's built-in metrics, where no mapping file says otherwise (Daylio's "Sleep Time").
SYNONYMS = {"sleep time": "sleep_hours", "sleep": "sleep_hours", "hours slept": "sleep_hours"}


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
        self.wanted = {name_key(str(k)): str(v) for k, v in _table(mapping, "substances").items()}
        kind = str(mapping.get("kind", "medication"))
        if kind not in KINDS:
            raise InputError(f"the mapping file's kind {kind!r}: choose medication or supplement")
        self.kind, self.stamp, self.fmt = kind, stamp, fmt
        self.matched: dict[str, str] = {}
        self.new: dict[str, dict[str, object]] = {}  # name_key → the new substance row

    def uuid(self, name: str, where: Where) -> str:
        try:
            clean = clean_name(name, what="substance name")
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
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


def resolve(conn: sqlite3.Connection, found: ForeignFile, mapping: dict[str, object], *,
            rollover: time, now: datetime) -> Resolved:
    """The rows `found` becomes in the journal open on `conn` (for a journal not made yet, an empty one in memory:
    `empty_journal()`)."""
    stamp = db_time(now.astimezone(UTC))
    names = _Names(conn, mapping, stamp, found.fmt)
    metrics = _Metrics(conn, mapping)
    severities = {name_key(str(k)): v for k, v in _table(mapping, "severity").items()}
    tag_rules = {name_key(str(k)): v for k, v in _table(mapping, "tags").items()}
    rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    counts: Counter[str] = Counter()
    ratings: dict[tuple[str, str], list[tuple[Decimal, ForeignRating]]] = defaultdict(list)
    tags: dict[tuple[datetime, str, str], list[ForeignTag]] = defaultdict(list)
    tag_plan: dict[str, str] = {}

    def common(entry: ForeignEntry) -> dict[str, object]:
        day = journal_day(entry.at, ZoneInfo(entry.zone), rollover)
        return {"uuid": entry.uuid, "created_at": stamp, "updated_at": stamp, "zone": entry.zone,
                "journal_day": day.isoformat(), "source": found.fmt}

    for entry in found.entries:
        if isinstance(entry, ForeignDose):
            amount = entry.amount
            rows["dose"].append({**common(entry), "substance_uuid": names.uuid(entry.name, entry.where),
                                 "status": entry.status, "occurred_at": db_time(entry.at),
                                 "amount_value": float(amount.value) if amount else None,
                                 "amount_unit": amount.unit if amount else None, "slot": entry.slot,
                                 "note": _note(entry.note, entry.where)})
            counts["dose"] += 1
        elif isinstance(entry, ForeignRating):
            spec_key, value = metrics.value(entry)
            day = (entry.day or journal_day(entry.at, ZoneInfo(entry.zone), rollover)).isoformat()
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
            elif isinstance(rule, dict) and "symptom" in rule:
                tag_plan[entry.name] = f"symptom {rule['symptom']}"
                severity = rule.get("severity")
                rows["symptom"].append({**common(entry), **_symptom(str(rule["symptom"]), None if severity is None
                                                                     else str(severity), severities, entry.where),
                                        "occurred_at": db_time(entry.at), "note": None})
                counts["symptom"] += 1
            elif rule == "note":
                tag_plan[entry.name] = "note"
                tags[(entry.at, entry.zone, entry.group)].append(entry)
            else:
                raise InputError(f"the mapping file's [tags] {entry.name!r}: say \"note\", \"skip\" or "
                                 "{ symptom = \"NAME\", severity = N }")
        elif isinstance(entry, ForeignRegimen):
            dose = entry.dose
            rows["regimen_event"].append({**common(entry), "substance_uuid": names.uuid(entry.name, entry.where),
                                          "kind": entry.kind, "effective_at": db_time(entry.at),
                                          "dose_value": float(dose.value) if dose else None,
                                          "dose_unit": dose.unit if dose else None, "schedule": entry.schedule,
                                          "note": _note(entry.note, entry.where)})
            counts["regimen change"] += 1
    for (at, _, _), group in tags.items():  # an entry's tags of one kind (activities, factors): one note
        tag = group[0]
        words = ", ".join(t.name for t in group)
        row = {**common(tag), "uuid": stable_uuid(found.fmt, "tags", tag.uuid), "kind": "note", "flagged": 0,
               "text": _note(f"{_plural(tag.group) if len(group) > 1 else tag.group}: {words}", tag.where),
               "occurred_at": db_time(at)}
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


class _Metrics:
    def __init__(self, conn: sqlite3.Connection, mapping: dict[str, object]) -> None:
        self.specs = {ref.spec.key: ref.spec for ref in lookup.metrics(conn)}
        self.uuids = {str(k): str(u) for k, u in conn.execute("SELECT key, uuid FROM metric WHERE deleted_at IS NULL")}
        self.candidates = [Candidate(key, spec.key, spec) for spec in self.specs.values()
                           for key in {name_key(spec.key), name_key(spec.label), name_key(spec.key.replace("_", " "))}]
        self.wanted = {name_key(str(k)): str(v) for k, v in _table(mapping, "metrics").items()}
        self.mapped = {str(metric): {name_key(str(label)): _number(value, f"[labels.{metric}] {label!r}")
                                     for label, value in _table(_table(mapping, "labels"), str(metric)).items()}
                       for metric in _table(mapping, "labels")}
        self.labels: dict[str, dict[str, Decimal]] = defaultdict(dict)
        self.scales: dict[str, tuple[Decimal, Decimal]] = {}  # per metric, the file's own scale where it had one
        self.unplaced: dict[str, dict[str, Where]] = {}  # per metric, each label no rule places: where first seen

    def spec(self, entry: ForeignRating) -> MetricSpec:
        key = name_key(entry.metric)
        wanted = self.wanted.get(key) or SYNONYMS.get(key, entry.metric)
        try:
            return match_name(wanted, self.candidates, what="metric")
        except InputError as exc:
            raise InputError(f"{entry.where}: {exc}; name it in the mapping file's [metrics]") from None

    def value(self, entry: ForeignRating) -> tuple[str, Decimal]:
        spec = self.spec(entry)
        text = entry.value.strip()
        try:
            number = parse_decimal(text, what=spec.key)
        except InputError:
            number = None
        if number is None:
            value = self._label(spec, text, entry.where)
            if text not in self.unplaced.get(spec.key, {}):
                self.labels[spec.key][text] = value
        elif entry.scale is not None:
            low, high = entry.scale
            if not low <= number <= high:
                raise InputError(f"{entry.where}: {spec.key} {text} is outside the file's scale "
                                 f"{format_decimal(low)}–{format_decimal(high)}")
            value = spec.min_value + (number - low) / (high - low) * (spec.max_value - spec.min_value)
            self.scales[spec.key] = (low, high)
        else:
            try:
                value = parse_metric_value(spec, text)
            except InputError as exc:
                raise InputError(f"{entry.where}: {exc}") from None
        return spec.key, value

    def _label(self, spec: MetricSpec, label: str, where: Where) -> Decimal:
        key = name_key(label)
        mapped = self.mapped.get(spec.key, {})
        if key in mapped:
            value = mapped[key]
            if not spec.min_value <= value <= spec.max_value:
                raise InputError(f"the mapping file's [labels.{spec.key}] {label!r} = {format_decimal(value)} is "
                                 f"outside {spec.key}'s scale ({spec.scale})")
            return value
        if spec.key == "mood" and key in DAYLIO_MOODS:
            rank = DAYLIO_MOODS.index(key)
            return spec.min_value + (spec.max_value - spec.min_value) * rank / (len(DAYLIO_MOODS) - 1)
        self.unplaced.setdefault(spec.key, {}).setdefault(label, where)
        return spec.min_value  # a stand-in: resolve() refuses the file, naming every such label, before any row

    def refuse_unplaced(self) -> None:
        """Every label no rule places, in one line: the mapping file's [labels.METRIC] entries to write."""
        if not self.unplaced:
            return
        said = "; ".join(f"{key} " + ", ".join(f"{label!r} ({where})" for label, where in labels.items())
                         for key, labels in self.unplaced.items())
        tables = ", ".join(f"[labels.{key}]" for key in self.unplaced)
        raise InputError(f"labels medlog cannot put on a scale: {said}; give their values in a mapping file "
                         f"(--map), under {tables}")


def _plural(word: str) -> str:
    return word[:-1] + "ies" if word.endswith("y") else word + "s"  # activity → activities, factor → factors


def _symptom(name: str, severity: str | None, words: dict[str, object], where: Where) -> dict[str, object]:
    try:
        clean = clean_name(name, what="symptom name")
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    if severity is None:
        raise InputError(f"{where}: symptom {clean!r} has no severity; give one in the mapping file")
    mapped = words.get(name_key(severity), TOP_WORDS.get(name_key(severity)))
    try:
        value = parse_severity(str(mapped)) if mapped is not None else parse_severity(severity)
    except InputError as exc:
        raise InputError(f"{where}: {exc}; or give the word's value in the mapping file's [severity]") from None
    return {"name": clean, "name_key": name_key(clean), "severity": value}


def _note(text: str | None, where: Where) -> str | None:
    if text is None:
        return None
    try:
        return clean_note(text)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None


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


def _table(mapping: dict[str, object], key: str) -> dict[str, object]:
    value = mapping.get(key, {})
    if not isinstance(value, dict):
        raise InputError(f"the mapping file's {key} must be a table ([{key}])")
    return value


def _number(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError(f"the mapping file's {what}: give a number")
    return parse_decimal(str(value), what=f"the mapping file's {what}")
