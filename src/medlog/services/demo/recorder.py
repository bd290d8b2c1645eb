"""Recording a generated life: local wall times in, journal rows out (through store/bulk.py)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from medlog.config import Settings
from medlog.domain.names import name_key
from medlog.domain.schedule import Schedule
from medlog.domain.timeparse import journal_day
from medlog.domain.units import Amount
from medlog.store import writes
from medlog.store.bulk import BulkWriter
from medlog.store.rows import uuid4_text
from medlog.store.writes import Row, Stamp

SOURCE = "demo"


class Recorder:
    """Turns a story's events into rows. Nothing after `now` is written: the story ends today."""

    def __init__(self, writer: BulkWriter, settings: Settings, now: datetime, rng: random.Random,
                 metric_ids: dict[str, int]) -> None:
        self.writer = writer
        self.settings = settings
        self.now = now
        self.rng = rng
        self.metric_ids = metric_ids
        self.counts: Counter[str] = Counter()
        self.days: set[date] = set()

    @property
    def home(self) -> ZoneInfo:
        return self.settings.zone

    def stamp(self, local: datetime, zone: ZoneInfo) -> Stamp:
        """A naive local wall time in `zone` → a Stamp. A time in a DST gap moves on by the gap, as a clock
        on the wall would have read; generated times never need the refusal a typed one gets."""
        instant = local.replace(tzinfo=zone).astimezone(UTC)
        return Stamp(instant, zone.key, journal_day(instant, zone, self.settings.rollover))

    def _keep(self, stamp: Stamp, kind: str, *, planned: bool = False) -> bool:
        if stamp.at > self.now and not planned:
            return False
        self.counts[kind] += 1
        self.days.add(stamp.day)
        return True

    def substance(self, name: str, kind: str, *, form: str | None = None, strength: Amount | None = None,
                  elemental: Amount | None = None, reason: str | None = None, prescriber: str | None = None,
                  aliases: tuple[str, ...] = (), notes: str | None = None, iu_mass: Amount | None = None,
                  created: datetime, **columns: object) -> int:
        """`columns`: more of its columns, when given: what it is (classes, ingredients, as the name dictionary
        gives them) and its refill details (refill_warn_days, pharmacy, rx_number, refills_left)."""
        row = writes.substance_row(name=name, name_key=name_key(name), kind=kind, form=form, strength=strength,
                                   elemental=elemental, reason=reason, prescriber=prescriber, notes=notes,
                                   iu_mass=iu_mass)
        row = Row(row.table, {**row.values, **columns})
        substance_id = self.writer.insert_now(row, at=created)
        for alias in aliases:
            self.writer.add(writes.alias_row(substance_id=substance_id, alias=alias, alias_key=name_key(alias)),
                            at=created)
        self.counts["substances"] += 1
        return substance_id

    def regimen(self, substance_id: int, kind: str, local: datetime, *, dose: Amount | None = None,
                schedule: Schedule | None = None, note: str | None = None, zone: ZoneInfo | None = None,
                planned: bool = False) -> None:
        """A regimen event; `planned` ones (an end date, a titration step) may lie ahead of today."""
        stamp = self.stamp(local, zone or self.home)
        schedule = schedule.anchored(stamp.day) if schedule is not None else None
        if self._keep(stamp, "regimen events", planned=planned):
            self.writer.add(writes.regimen_event_row(
                substance_id=substance_id, kind=kind, stamp=stamp, dose=dose, schedule=schedule, note=note,
                source=SOURCE), at=stamp.at)

    def dose(self, substance_id: int, local: datetime, zone: ZoneInfo, *, amount: Amount | None,
             slot: str | None, skipped: bool = False, note: str | None = None) -> None:
        stamp = self.stamp(local, zone)
        if self._keep(stamp, "skipped doses" if skipped else "doses taken"):
            self.writer.add(writes.dose_row(
                substance_id=substance_id, status="skipped" if skipped else "taken", stamp=stamp,
                amount=None if skipped else amount, slot=slot, note=note, source=SOURCE), at=stamp.at)

    def rating(self, key: str, value: float, day: date, local: datetime, zone: ZoneInfo) -> None:
        stamp = self.stamp(local, zone)
        if self._keep(stamp, "ratings"):
            self.writer.add(writes.observation_row(
                metric_id=self.metric_ids[key], value=value, day=day, recorded=stamp, source=SOURCE), at=stamp.at)

    def symptom(self, name: str, severity: int, local: datetime, zone: ZoneInfo, note: str | None = None) -> None:
        stamp = self.stamp(local, zone)
        if self._keep(stamp, "symptoms"):
            self.writer.add(writes.symptom_row(
                name=name, name_key=name_key(name), severity=severity, stamp=stamp, note=note, source=SOURCE),
                at=stamp.at)

    def note(self, text: str, local: datetime, zone: ZoneInfo, *, flagged: bool = False,
             question: bool = False) -> None:
        """A note; `question`: one to ask at the next visit (counted as "questions", as flagged notes are apart)."""
        stamp = self.stamp(local, zone)
        if self._keep(stamp, "questions" if question else "flagged notes" if flagged else "notes"):
            self.writer.add(writes.note_row(text=text, flagged=flagged, stamp=stamp, source=SOURCE,
                                            kind="question" if question else "note"), at=stamp.at)

    def stock(self, substance_id: int, kind: str, amount: Amount, local: datetime, note: str | None = None) -> None:
        """A pack (`add`) or a count (`set`) of a substance (issue 20), in the home zone; none ahead of now."""
        stamp = self.stamp(local, self.home)
        if stamp.at <= self.now:
            self.writer.add(writes.stock_event_row(substance_id=substance_id, kind=kind, stamp=stamp, amount=amount,
                                                   note=note), at=stamp.at)

    def rule(self, row: Row, *, created: datetime) -> int:
        """A safety rule, written at once: its id (a warning it gave refers to it)."""
        self.counts["safety rules"] += 1
        return self.writer.insert_now(row, at=created)

    def warning(self, rule_id: int, local: datetime, text: str) -> None:
        """A warning a rule gave (kept for the report; an interaction is told once)."""
        stamp = self.stamp(local, self.home)
        if stamp.at <= self.now:
            self.writer.add(writes.rule_warning_row(rule_id=rule_id, stamp=stamp, text=text), at=stamp.at)

    def jitter(self, base: datetime, minutes: int) -> datetime:
        return base + timedelta(minutes=self.rng.randint(-minutes, minutes))

    def uuid(self) -> str:
        return uuid4_text(self.rng.getrandbits(128).to_bytes(16, "big"))
