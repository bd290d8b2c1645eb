"""`medlog demo --years N`: the same kind of life at scale, for benchmarks — about 20 dose events a day.

A person in their fifties across N years: thyroid, blood pressure, cholesterol and diabetes medicines, an
antidepressant that starts and changes, scheduled gabapentin later on, supplements that come and go, an
as-needed painkiller, daily ratings, symptoms and monthly notes — and, ending three weeks ago, a self-experiment
with magnesium glycinate (trial.py).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from medlog.domain.record import record
from medlog.domain.schedule import AS_NEEDED, Schedule
from medlog.domain.units import Amount
from medlog.services.demo.recorder import Recorder
from medlog.services.demo.trial import SUBSTANCE, trial_for, write_trial


@record
class Course:
    """One substance over the years: (from, until) as fractions of the span, and dose changes on the way."""

    name: str
    kind: str
    form: str
    dose: Amount
    times: tuple[str, ...]  # empty: as needed
    start: float = 0.0
    stop: float = 1.01
    changes: tuple[tuple[float, Amount], ...] = ()


def _a(value: str, unit: str = "mg") -> Amount:
    return Amount(Decimal(value), unit)


COURSES = (
    Course("Levothyroxine", "medication", "tablet", _a("75", "mcg"), ("07:00",), changes=((0.5, _a("88", "mcg")),)),
    Course("Lisinopril", "medication", "tablet", _a("10"), ("08:00",), changes=((0.45, _a("20")),)),
    Course("Atorvastatin", "medication", "tablet", _a("20"), ("21:00",)),
    Course("Metformin", "medication", "tablet", _a("500"), ("08:00", "20:00"), start=0.05,
           changes=((0.6, _a("1000")),)),
    Course("Escitalopram", "medication", "tablet", _a("5"), ("08:00",), start=0.1,
           changes=((0.12, _a("10")), (0.7, _a("15")))),
    Course("Gabapentin", "medication", "capsule", _a("300"), ("08:00", "14:00", "20:00"), start=0.3),
    Course("Vitamin D3", "supplement", "softgel", _a("2000", "IU"), ("08:00",)),
    Course("Omega-3", "supplement", "softgel", _a("1", "g"), ("08:00", "20:00")),
    Course("Calcium", "supplement", "tablet", _a("500"), ("12:00", "20:00"), start=0.05),
    Course("Vitamin B12", "supplement", "tablet", _a("1000", "mcg"), ("08:00",), start=0.1),
    Course("Probiotic", "supplement", "capsule", _a("1", "capsule"), ("08:00",), start=0.1, stop=0.95),
    Course("Iron", "supplement", "tablet", _a("65"), ("12:00",), start=0.2, stop=0.5),
    Course("Vitamin C", "supplement", "tablet", _a("500"), ("12:00",), start=0.5),
    Course("Folic acid", "supplement", "tablet", _a("400", "mcg"), ("08:00",)),
    Course("Melatonin", "supplement", "tablet", _a("3"), ("22:00",), start=0.3, stop=0.6),
    Course("Zinc", "supplement", "tablet", _a("15"), ("20:00",), start=0.6),
    Course("Magnesium glycinate", "supplement", "capsule", _a("200"), ("21:30",), start=0.5),
    Course("Ibuprofen", "medication", "tablet", _a("200"), (), start=0.0),
)


def write_decade(rec: Recorder, today: date, years: int) -> None:
    rng = rec.rng
    span = years * 365
    first_day = today - timedelta(days=span - 1)
    zone = rec.home
    wobble = min(20, span // 200)  # changes don't fall on anniversaries

    def when(fraction: float) -> datetime:
        """A day around `fraction` of the span, at an ordinary hour."""
        offset = int(fraction * span) + rng.randint(-wobble, wobble)
        day = first_day + timedelta(days=max(1, min(span - 1, offset)))
        return datetime.combine(day, time(rng.randint(8, 19), rng.choice((0, 15, 30, 45))))

    plans = []  # (course, id, start day, stop day, [(from day, dose)]): the days the regimen events really carry
    for course in COURSES:
        substance_id = rec.substance(course.name, course.kind, form=course.form,
                                     created=datetime.combine(first_day, time(7, 0), tzinfo=zone))
        start = datetime.combine(first_day, time(6, 0)) if course.start == 0 else when(course.start)
        rec.regimen(substance_id, "start", start, dose=course.dose if course.times else None,
                    schedule=Schedule(course.times) if course.times else AS_NEEDED)
        doses = [(start, course.dose)]
        for fraction, dose in course.changes:
            doses.append((when(fraction), dose))
            rec.regimen(substance_id, "dose_change", doses[-1][0], dose=dose)
        stop = when(course.stop) if course.stop <= 1 else datetime.combine(today + timedelta(days=1), time(0))
        if course.stop <= 1:
            rec.regimen(substance_id, "stop", stop)
        plans.append((course, substance_id, start.date(), stop.date(), [(d.date(), dose) for d, dose in doses]))
    mag = next(p for p in plans if p[0].name == SUBSTANCE)
    trial = trial_for(today, mag[2])
    if trial is not None:
        write_trial(rec, trial, mag[1])

    for offset in range(span):
        day = first_day + timedelta(days=offset)
        if rng.random() < 0.01:
            continue  # an unlogged day
        # pills due at the same time are taken, and logged, together
        taken_at = {slot: rec.jitter(datetime.combine(day, time.fromisoformat(slot)), 40)
                    for slot in {t for course in COURSES for t in course.times}}
        for course, substance_id, start_day, stop_day, dose_days in plans:
            if not start_day < day < stop_day:
                continue
            dose = next(d for since, d in reversed(dose_days) if since < day)
            paused = trial is not None and course.name == SUBSTANCE and trial.off(day)
            for slot in course.times:
                roll = rng.random()
                if roll < 0.03 or paused:
                    continue  # missed, or an off period of the experiment
                rec.dose(substance_id, taken_at[slot], zone, amount=dose, slot=slot, skipped=roll < 0.045)
            if not course.times and rng.random() < 0.2:
                rec.dose(substance_id, rec.jitter(datetime.combine(day, time(15, 0)), 300), zone, amount=dose,
                         slot=None)
        season = math.sin(2 * math.pi * offset / 365)
        morning = rec.jitter(datetime.combine(day, time(8, 30)), 45)
        rec.rating("sleep_hours", round((7 + 0.5 * season + rng.gauss(0, 0.7)) * 4) / 4, day, morning, zone)
        for key, base in (("sleep_quality", 6), ("mood", 6), ("anxiety", 4), ("pain", 3), ("energy", 6)):
            bump = trial.bonus(key, day) if trial is not None else 0.0
            rec.rating(key, max(0, min(10, round(base + bump + season * 0.8 + rng.gauss(0, 1.3)))), day, morning,
                       zone)
        if rng.random() < 0.3:
            rec.symptom(rng.choice(("headache", "dizziness", "upset stomach", "drowsiness")), rng.randint(1, 6),
                        rec.jitter(datetime.combine(day, time(14, 0)), 240), zone)
        if day.day == 1:
            rec.note(f"Monthly check-in: {rng.choice(('steady', 'tired', 'good month', 'busy, stressed'))}.",
                     datetime.combine(day, time(19, 0)), zone, flagged=rng.random() < 0.1)
