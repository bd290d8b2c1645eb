"""A file's ratings made values on the journal's metrics: the metric by the mapping's [metrics], a synonym or its
key or label; the value by the linear rule from the file's own scale, the mapping's [labels.METRIC], or Daylio's
default moods by rank (importers/resolve.py has the rules in words)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.foreign import BadLine, ForeignRating, Where
from medlog.domain.metrics import MetricSpec, parse_metric_value
from medlog.domain.names import Candidate, match_name, name_key
from medlog.domain.numbers import format_decimal, parse_decimal
from medlog.services.importers.mapping_file import number, table, text
from medlog.store import lookup

# Daylio's five default moods, worst to best: the linear rule by rank puts them at 0, 2.5, 5, 7.5 and 10.
DAYLIO_MOODS = ("awful", "bad", "meh", "good", "rad")

# Other apps' words for medlog's built-in metrics, where no mapping file says otherwise (Daylio's "Sleep Time").
SYNONYMS = {"sleep time": "sleep_hours", "sleep": "sleep_hours", "hours slept": "sleep_hours"}


class Metrics:
    """The journal's metrics, and a file's ratings made values on their scales (the mapping's first)."""

    def __init__(self, conn: sqlite3.Connection, mapping: dict[str, object]) -> None:
        self.specs = {ref.spec.key: ref.spec for ref in lookup.metrics(conn)}
        self.uuids = {str(k): str(u) for k, u in conn.execute("SELECT key, uuid FROM metric WHERE deleted_at IS NULL")}
        self.candidates = [Candidate(key, spec.key, spec) for spec in self.specs.values()
                           for key in {name_key(spec.key), name_key(spec.label), name_key(spec.key.replace("_", " "))}]
        self.wanted = {name_key(str(k)): text(v, f"[metrics] {k!r}", "a metric key of yours")
                       for k, v in table(mapping, "metrics").items()}
        labels = table(mapping, "labels")
        for metric in labels:  # labels for a metric the journal lacks (a typo: [labels.mod]) would go unread
            if str(metric) not in self.specs:
                raise InputError(f"the mapping file's [labels.{metric}]: the journal has no metric {str(metric)!r}; "
                                 f"its metrics: {', '.join(sorted(self.specs))}")
        self.mapped = {str(metric): {name_key(str(label)): number(value, f"[labels.{metric}] {label!r}")
                                     for label, value in table(labels, str(metric), "labels.").items()}
                       for metric in labels}
        self.labels: dict[str, dict[str, Decimal]] = defaultdict(dict)
        self.scales: dict[str, tuple[Decimal, Decimal]] = {}  # per metric, the file's own scale where it had one
        self.unplaced: dict[str, dict[str, Where]] = {}  # per metric, each label no rule places: where first seen

    def spec(self, entry: ForeignRating) -> MetricSpec:
        key = name_key(entry.metric)
        wanted = self.wanted.get(key) or SYNONYMS.get(key, entry.metric)
        try:
            return match_name(wanted, self.candidates, what="metric")
        except InputError as exc:
            raise BadLine(entry.where, f"{exc}; name it in the mapping file's [metrics]") from None

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
                raise BadLine(entry.where, f"{spec.key} {text} is outside the file's scale "
                                           f"{format_decimal(low)}–{format_decimal(high)}")
            value = spec.min_value + (number - low) / (high - low) * (spec.max_value - spec.min_value)
            self.scales[spec.key] = (low, high)
        else:
            try:
                value = parse_metric_value(spec, text)
            except InputError as exc:
                raise BadLine(entry.where, str(exc)) from None
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
