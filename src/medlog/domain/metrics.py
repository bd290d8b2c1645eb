"""Metrics (what a day is rated on), their scales, and symptom severity."""

from __future__ import annotations

import re  # patterns are strings compiled on first use (re caches them): the quick path pays only for what it parses
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.numbers import format_decimal, parse_decimal
from medlog.domain.record import record


@record
class MetricSpec:
    key: str  # what is typed: `medlog rate mood=6`
    label: str
    min_value: Decimal
    max_value: Decimal
    higher_is_better: bool
    integer: bool  # numeric rating scales take whole numbers; sleep hours take decimals
    unit: str = ""

    @property
    def scale(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        better = "higher is better" if self.higher_is_better else "lower is better"
        return f"{format_decimal(self.min_value)}–{format_decimal(self.max_value)}{unit}, {better}"


def _rating(key: str, label: str, *, higher_is_better: bool) -> MetricSpec:
    return MetricSpec(key, label, Decimal(0), Decimal(10), higher_is_better, integer=True)


# The built-ins (DESIGN §3): 0–10 numeric rating scales, except sleep hours. Seeded by the first migration.
BUILTIN_METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("sleep_hours", "Sleep hours", Decimal(0), Decimal(24), True, integer=False, unit="h"),
    _rating("sleep_quality", "Sleep quality", higher_is_better=True),
    _rating("mood", "Mood", higher_is_better=True),
    _rating("anxiety", "Anxiety", higher_is_better=False),
    _rating("pain", "Pain", higher_is_better=False),
    _rating("energy", "Energy", higher_is_better=True),
)

_KEY = r"[a-z][a-z0-9_]{0,39}\Z"


def check_metric_key(text: str) -> str:
    key = text.strip().lower()
    if not re.match(_KEY, key):
        raise InputError(
            f"metric name {text!r}: use lower-case letters, digits and _ (start with a letter, at most 40)"
        )
    return key


def make_metric(key: str, *, min_text: str, max_text: str, higher_is_better: bool, integer: bool,
                unit: str = "", label: str | None = None) -> MetricSpec:
    key = check_metric_key(key)
    low = parse_decimal(min_text, what=f"{key} minimum")
    high = parse_decimal(max_text, what=f"{key} maximum")
    if low >= high:
        raise InputError(f"{key}: the minimum ({low}) must be below the maximum ({high})")
    return MetricSpec(key, label or key.replace("_", " ").capitalize(), low, high, higher_is_better, integer, unit)


def parse_metric_value(spec: MetricSpec, text: str) -> Decimal:
    """A value on the metric's scale; whole numbers only on integer scales."""
    what = spec.key
    value = parse_decimal(text, what=what, max_places=4 if spec.integer else 2)
    if spec.integer and value != value.to_integral_value():
        raise InputError(f"{what}: {text.strip()!r} must be a whole number ({spec.scale})")
    if not spec.min_value <= value <= spec.max_value:
        raise InputError(f"{what}: {text.strip()} is outside its scale ({spec.scale})")
    return value


def split_assignment(text: str) -> tuple[str, str]:
    """'mood=6' → ('mood', '6')."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise InputError(f"{text!r}: write ratings as METRIC=VALUE, like mood=6 or sleep_hours=7.5")
    return name.strip(), value.strip()


# Words accepted for symptom severity, mapped to the middle of the usual numeric-rating-scale bands
# (mild 1–3, moderate 4–6, severe 7–10).
SEVERITY_WORDS = {"none": 0, "mild": 2, "moderate": 5, "severe": 8}


def parse_severity(text: str) -> int:
    word = text.strip().casefold()
    if word in SEVERITY_WORDS:
        return SEVERITY_WORDS[word]
    if not any(ch.isdigit() for ch in text):
        raise InputError(f"severity {text.strip()!r}: give 0–10, or mild, moderate or severe")
    value = parse_decimal(text, what="severity")
    if value != value.to_integral_value():
        raise InputError(f"severity {text.strip()} must be a whole number from 0 to 10")
    if value > 10:
        raise InputError(f"severity {text.strip()} is outside 0–10 (or say mild, moderate, severe)")
    return int(value)
