"""The default demo: the last 120 days of one person's journal, ending today.

Escitalopram for anxiety (5 mg, raised to 10 mg two weeks in), gabapentin 300 mg as needed for nerve pain a few
times a week, and magnesium glycinate 200 mg at bedtime from about six weeks ago. Ratings every logged day with
day-to-day noise that carries over (today resembles yesterday), better sleep at weekends, a bad week; sleep
quality improves modestly once magnesium starts and mood does not. Missed and skipped doses, a few unlogged days,
side effects early on the higher escitalopram dose and after gabapentin, notes (two flagged for the clinician,
one a question for the next visit), and a
week logged in another time zone. Three weeks ago a course of vitamin D3 began: 50,000 IU once every 7 days for
eight weeks, so its end lies ahead as a planned stop. An antacid (Maalox) now and then for an upset stomach. The
safety rules a user would have: the two starter rules that match (magnesium's daily limit, gabapentin after an
antacid) and the prescriber's limits for as-needed gabapentin.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from medlog.domain.schedule import AS_NEEDED, Schedule
from medlog.domain.units import Amount, parse_amount
from medlog.services.demo.recorder import Recorder

DAYS = 120
ESC_UP = 105  # days before today: 5 mg → 10 mg
MAG_START = 42  # days before today: magnesium glycinate starts
BAD_WEEK = range(80, 73, -1)
TRAVEL = range(60, 53, -1)  # a week away, logged in the zone of the trip
UNLOGGED = (95, 61, 33, 12)
MAG_LAG = 7  # days for the supplement's (demo) effect on sleep quality to build up
VIT_D_START = 21  # days before today: a weekly vitamin D3 course starts
VIT_D_WEEKS = 8  # its length: the end is a planned stop, five weeks ahead
# Days before today: a tooth out, and three days of co-codamol (an interaction warning). Before the default report's
# 90 days, which it would otherwise take to a third page and whose before/after windows it would confound; a
# report of four months lists it.
DENTAL = 100

SKIP_REASONS = {"esc": ["felt nauseous", "left the pills at home", None],
                "mag": ["upset stomach", "too late, went straight to bed", None],
                "vit_d": ["forgot to buy more", None]}
NOTES = {  # days ago: (text, None | "flagged" for the clinician | "question" for the next visit)
    119: ("Started escitalopram 5 mg for anxiety (Dr. Okafor).", None),
    ESC_UP: ("Dose up to 10 mg as planned.", None),
    ESC_UP - 3: ("A bit dizzy in the afternoons since the increase.", "flagged"),
    78: ("Rough week at work; slept badly.", None),
    59: ("Travelling for work this week.", None),
    MAG_START: ("Started magnesium glycinate at bedtime for sleep.", None),
    20: ("Sleeping more soundly, I think.", None),
    5: ("Ask whether magnesium and gabapentin should be taken apart.", "question"),
}

# A flagged note inside the visit report's last 90 days (days ago, text).
LATE_NOTE = (45, "Stomach a little upset some mornings after escitalopram; better when I take it with breakfast.")


def mg(value: int) -> Amount:
    return Amount(Decimal(value), "mg")


def write_story(rec: Recorder, today: date) -> None:
    rng = rec.rng
    home = rec.home
    away = ZoneInfo("America/New_York" if home.key != "America/New_York" else "Europe/London")

    def at(days_ago: int, clock: time) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), clock)

    first = at(DAYS - 1, time(8, 0))
    esc = rec.substance("Escitalopram", "medication", form="tablet", strength=mg(10), reason="anxiety",
                        prescriber="Dr. Okafor", aliases=("Lexapro",), created=first.replace(tzinfo=home),
                        pharmacy="Riverside Pharmacy", rx_number="RX 4471-208", refills_left=2,
                        classes="ssri", ingredients="escitalopram")
    gaba = rec.substance("Gabapentin", "medication", form="capsule", strength=mg(300), reason="nerve pain",
                         prescriber="Dr. Okafor", aliases=("Neurontin",), created=first.replace(tzinfo=home),
                         classes="gabapentinoid,anticonvulsant", ingredients="gabapentin")
    mag = rec.substance("Magnesium glycinate", "supplement", form="capsule", strength=mg(200), elemental=mg(28),
                        reason="sleep", notes="take at bedtime", created=first.replace(tzinfo=home),
                        classes="magnesium", ingredients="magnesium")
    rec.regimen(esc, "start", at(DAYS - 1, time(7, 50)), dose=mg(5), schedule=Schedule(("08:00",)))
    rec.regimen(gaba, "start", at(DAYS - 1, time(7, 50)), dose=mg(300), schedule=AS_NEEDED)
    rec.regimen(esc, "dose_change", at(ESC_UP, time(7, 45)), dose=mg(10), note="planned increase after two weeks")
    rec.regimen(mag, "start", at(MAG_START, time(21, 0)), dose=mg(200), schedule=Schedule(("21:30",)))
    vit_d = rec.substance("Vitamin D3", "supplement", form="softgel", strength=Amount(Decimal(50000), "IU"),
                          iu_mass=Amount(Decimal("0.025"), "mcg"), reason="low vitamin D on a blood test",
                          prescriber="Dr. Okafor", created=at(VIT_D_START, time(8, 0)).replace(tzinfo=home),
                          classes="vitamin-d", ingredients="cholecalciferol")
    rec.regimen(vit_d, "start", at(VIT_D_START, time(8, 0)), dose=Amount(Decimal(50000), "IU"),
                schedule=Schedule(("09:00",), every=7), note="an eight-week course")
    rec.regimen(vit_d, "stop", at(VIT_D_START - 7 * VIT_D_WEEKS, time(4, 0)), note="end of the course",
                planned=True)
    antacid = rec.substance("Maalox", "medication", form="tablet", reason="upset stomach",
                            created=first.replace(tzinfo=home), classes="antacid,aluminium,magnesium",
                            ingredients="aluminium hydroxide,magnesium hydroxide")
    rec.regimen(antacid, "start", at(DAYS - 1, time(7, 50)), dose=Amount(Decimal(1), "tablet"), schedule=AS_NEEDED)
    _rules(rec, mag=mag, gaba=gaba, antacid=antacid, created=first.replace(tzinfo=home))

    noise = {key: 0.0 for key in ("sleep", "mood", "anxiety", "pain", "energy")}
    flare = 0  # days left in a nerve-pain flare
    for days_ago in range(DAYS - 1, -1, -1):
        if days_ago in UNLOGGED:
            continue
        day = today - timedelta(days=days_ago)
        zone = away if days_ago in TRAVEL else home
        for key in noise:  # autocorrelated: a bad day is often followed by another
            noise[key] = (0.8 if key == "pain" else 0.6) * noise[key] + rng.gauss(0, 0.6 if key == "pain" else 0.8)
        flare = flare - 1 if flare > 0 else (rng.randint(1, 3) if rng.random() < 0.12 else 0)
        weekend = day.weekday() >= 5
        bad = 1.0 if days_ago in BAD_WEEK else 0.0
        jet_lag = 1.0 if days_ago in (TRAVEL[0], TRAVEL[1]) else 0.0
        mag_effect = min(1.0, max(0.0, (MAG_START - days_ago) / MAG_LAG)) * 2.0
        # An SSRI takes weeks: anxiety eases from about three weeks after the start, over a month or so.
        weeks_on = (DAYS - 1 - days_ago) / 7
        easing = min(1.0, max(0.0, (weeks_on - 3) / 5))
        pain = _clamp(2.8 + noise["pain"] * 1.2 + (3 if flare else 0), 0, 10)
        sleep_hours = _clamp(round((6.8 + 0.6 * weekend - 1.2 * bad - jet_lag + 0.4 * noise["sleep"]) * 4) / 4,
                             3, 10)
        ratings = {
            "sleep_hours": sleep_hours,
            "sleep_quality": _clamp(4.9 + 0.4 * weekend - 2 * bad - 1.5 * jet_lag + mag_effect + noise["sleep"],
                                    0, 9),
            "mood": _clamp(5 + 0.8 * easing + 0.4 * weekend - 2 * bad + noise["mood"], 0, 10),
            "anxiety": _clamp(6.3 - 2.5 * easing + 2 * bad + noise["anxiety"], 0, 10),
            "pain": pain,
            "energy": _clamp(5.5 - 1.5 * bad - jet_lag + 0.5 * noise["sleep"] + noise["energy"] - 0.2 * pain, 0, 10),
        }
        if rng.random() > 0.07:  # most days are rated, usually in the morning, sometimes only in the evening
            when = rec.jitter(at(days_ago, time(8, 45)), 75) if rng.random() < 0.85 else \
                rec.jitter(at(days_ago, time(21, 45)), 40)
            for key, value in ratings.items():
                if key in ("pain", "energy") and rng.random() < 0.1:
                    continue  # not every rating every day
                rec.rating(key, value if key == "sleep_hours" else round(value), day, when, zone)

        _scheduled(rec, esc, "esc", at(days_ago, time(8, 0)), zone, mg(5) if days_ago > ESC_UP else mg(10))
        if days_ago <= MAG_START:
            _scheduled(rec, mag, "mag", at(days_ago, time(21, 30)), zone, mg(200))
        if days_ago <= VIT_D_START and (VIT_D_START - days_ago) % 7 == 0:
            _scheduled(rec, vit_d, "vit_d", at(days_ago, time(9, 0)), zone, Amount(Decimal(50000), "IU"))
        if rng.random() < 0.05:
            upset = rec.jitter(at(days_ago, time(13, 30)), 60)
            rec.symptom("upset stomach", rng.randint(2, 4), upset, zone)
            rec.dose(antacid, upset + timedelta(minutes=10), zone, amount=Amount(Decimal(1), "tablet"), slot=None)
        if flare or rng.random() < 0.1:
            taken = rec.jitter(at(days_ago, time(20, 0)), 90)
            rec.dose(gaba, taken, zone, amount=mg(600 if pain >= 7 else 300), slot=None)
            if rng.random() < 0.5:
                rec.symptom("drowsiness", rng.randint(3, 5), taken + timedelta(minutes=rng.randint(60, 180)), zone)
        _side_effects(rec, days_ago, at, zone)
        if days_ago in NOTES:
            text, mark = NOTES[days_ago]
            rec.note(text, rec.jitter(at(days_ago, time(19, 0)), 60), zone, flagged=mark == "flagged",
                     question=mark == "question")
    # Written last, so that the random draws of every day above (and so the story's numbers) stay as they were.
    rec.note(LATE_NOTE[1], at(LATE_NOTE[0], time(19, 5)), home, flagged=True)
    # Stock (issue 20), after every random draw above: escitalopram's pack of 30 from 25 days ago is nearly used
    # up (a refill warning on Today, in `due`, `stock` and the report); magnesium and gabapentin have plenty.
    rec.stock(esc, "add", Amount(Decimal(30), "tablet"), at(25, time(17, 30)), note="Riverside Pharmacy")
    rec.stock(mag, "add", Amount(Decimal(60), "capsule"), at(20, time(18, 0)))
    rec.stock(gaba, "set", Amount(Decimal(84), "capsule"), at(40, time(19, 0)))
    _dental_course(rec, gaba, at)


def _rules(rec: Recorder, *, mag: int, gaba: int, antacid: int, created: datetime) -> None:
    """The starter rules that match this regimen, as `substance add` adopts them, and the prescriber's limits
    for as-needed gabapentin (the user's own rule)."""
    from medlog.services.rules import SHIPPED_STARTER_RULES, starter_rules
    from medlog.store import writes

    starter = {entry["id"]: entry for entry in starter_rules(SHIPPED_STARTER_RULES)}
    limit, spacing = starter["magnesium-supplement-ul"], starter["gabapentin-after-antacid"]
    rec.rule(writes.rule_row(kind="daily_max", substance_id=mag, amount=parse_amount(limit["amount"]),
                             source_text=f"{limit['text']} — {limit['source']}", starter=limit["id"]),
             created=created)
    rec.rule(writes.rule_row(kind="spacing", substance_id=gaba, other_substance_id=antacid,
                             hours=float(spacing["hours"]), source_text=f"{spacing['text']} — {spacing['source']}",
                             starter=spacing["id"]), created=created)
    rec.rule(writes.rule_row(kind="as_needed", substance_id=gaba, max_per_day=3, min_interval_hours=6,
                             source_text="Dr. Okafor: up to 3 capsules a day, at least 6 hours apart"), created=created)


def _dental_course(rec: Recorder, gaba: int, at: Callable[[int, time], datetime]) -> None:
    """Co-codamol (paracetamol with codeine, an opioid) for three days after a tooth extraction, while gabapentin
    is in use: the gabapentinoid + opioid caution, adopted and told when it was added (issue 20), and listed by
    a visit report whose period holds it. Written after every random draw, with no draw of its own."""
    from medlog.domain.rules import Rule
    from medlog.services.interactions import told_line
    from medlog.services.rules import SHIPPED_STARTER_RULES, starter_rules
    from medlog.store import writes

    home, start = rec.home, at(DENTAL, time(16, 0))
    codeine = rec.substance("Co-codamol", "medication", form="tablet", reason="after a tooth extraction",
                            prescriber="dentist", created=start.replace(tzinfo=home), classes="opioid",
                            ingredients="paracetamol,codeine")
    rec.regimen(codeine, "start", start, dose=Amount(Decimal(2), "tablet"), schedule=AS_NEEDED)
    rec.regimen(codeine, "stop", at(DENTAL - 3, time(4, 0)), note="course finished")
    entry = {e["id"]: e for e in starter_rules(SHIPPED_STARTER_RULES)}["gabapentinoid-with-cns-depressant"]
    source = f"{entry['text']} — {entry['source']}"
    rule_id = rec.rule(writes.rule_row(kind="interaction", substance_id=gaba, other_substance_id=codeine,
                                       source_text=source, starter=entry["id"]), created=start.replace(tzinfo=home))
    rule = Rule(rule_id, "interaction", gaba, "Gabapentin", codeine, "Co-codamol", source=source)
    rec.warning(rule_id, start, told_line(rule))
    for days_ago, clock in ((DENTAL, time(16, 10)), (DENTAL, time(22, 0)), (DENTAL - 1, time(8, 0)),
                            (DENTAL - 1, time(14, 0)), (DENTAL - 1, time(21, 30)), (DENTAL - 2, time(9, 0))):
        rec.dose(codeine, at(days_ago, clock), home, amount=Amount(Decimal(2), "tablet"), slot=None)


def _scheduled(rec: Recorder, substance_id: int, which: str, slot_time: datetime, zone: ZoneInfo,
               amount: Amount) -> None:
    """A scheduled dose: mostly on time, sometimes late, sometimes skipped (with a reason) or missed."""
    roll = rec.rng.random()
    slot = slot_time.strftime("%H:%M")
    if roll < 0.04:
        return  # missed: no entry at all
    if roll < 0.07:
        rec.dose(substance_id, rec.jitter(slot_time, 20), zone, amount=amount, slot=slot, skipped=True,
                 note=rec.rng.choice(SKIP_REASONS[which]))
        return
    late = roll < 0.12
    when = slot_time + timedelta(minutes=rec.rng.randint(75, 200)) if late else rec.jitter(slot_time, 35)
    rec.dose(substance_id, when, zone, amount=amount, slot=slot)


def _side_effects(rec: Recorder, days_ago: int, at: Callable[[int, time], datetime], zone: ZoneInfo) -> None:
    rng = rec.rng
    early_high_dose = ESC_UP - 14 <= days_ago <= ESC_UP
    if early_high_dose and rng.random() < 0.45:
        rec.symptom("dizziness", rng.randint(2, 4), rec.jitter(at(days_ago, time(14, 0)), 90), zone)
    if early_high_dose and rng.random() < 0.3:
        rec.symptom("drowsiness", rng.randint(2, 4), rec.jitter(at(days_ago, time(11, 0)), 60), zone)
    if rng.random() < 0.05:
        rec.symptom("upset stomach", rng.randint(1, 3), rec.jitter(at(days_ago, time(13, 0)), 120), zone,
                    note=rng.choice((None, "after lunch")))


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
