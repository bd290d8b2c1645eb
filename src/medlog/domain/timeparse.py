"""Turning what people type into instants, and the journal day they belong to.

An instant is an aware UTC datetime; the IANA zone it was logged in is kept beside it.

Accepted for a moment (`--at`), case-insensitively:
  now
  21:30, 9:30pm, 9pm          the most recent past occurrence of that wall time (within the last 24 hours)
  today 08:00, yesterday 22:00, 2026-11-20 08:00   a wall time on a calendar date
  2h ago, 90m ago, 1h30m ago, 2 days ago          elapsed time, counted exactly
  2026-11-20T08:00:00+01:00, …Z                    ISO 8601 with an offset: the instant as written
An entry may not lie in the future (one minute of grace for clock skew).

Daylight-saving time, decided and tested:
  * a wall time that does not exist (the spring-forward gap) is refused, naming the gap and what to type;
  * a wall time that exists twice (fall-back) means the first occurrence, and a note says so; an explicit
    offset chooses the second.
Nothing is ever shifted silently.

This module uses the standard library's zoneinfo rather than pendulum on purpose: it is on the quick-log
path, whose budget (DESIGN §8) pendulum's import alone would exceed. Tests check it against pendulum.
"""

from __future__ import annotations

import re  # patterns are strings compiled on first use (re caches them): the quick path pays only for what it parses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from medlog.domain.errors import InputError
from medlog.domain.numbers import ascii_digits
from medlog.domain.record import record

GRACE = timedelta(minutes=1)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
PLAN_AHEAD = timedelta(days=5 * 365)  # planned regimen changes: far enough for a titration, not a typo year


@record
class When:
    instant: datetime  # aware, UTC
    note: str | None = None  # said to the user when a choice was made for them (a DST overlap)


_CLOCK = r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm)?\Z"
_AGO = r"(?:(\d+)\s*(?:d|days?)\s*)?(?:(\d+)\s*(?:h|hrs?|hours?)\s*)?(?:(\d+)\s*(?:m|mins?|minutes?)\s*)?ago\Z"
_DATE = r"(\d{4})-(\d{2})-(\d{2})\Z"


def parse_clock(text: str) -> time:
    """'21:30', '9:30pm', '9pm', '08:00:15' → a wall time."""
    m = re.match(_CLOCK, text.strip().lower())
    if not m or (m.group(2) is None and m.group(4) is None):
        raise InputError(f"{text!r} is not a time of day; write it like 21:30 or 9:30pm")
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    if m.group(4):
        if not 1 <= hour <= 12:
            raise InputError(f"{text!r}: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if m.group(4) == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InputError(f"{text!r} is not a time of day (hours 0–23, minutes 0–59)")
    return time(hour, minute, second)


def parse_date(text: str) -> date:
    m = re.match(_DATE, text.strip())
    if not m:
        raise InputError(f"{text!r} is not a date; write it like 2026-11-20")
    year, month, day = (int(g) for g in m.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(f"{text.strip()} is not a date on the calendar") from None


def parse_when(text: str, *, now: datetime, zone: ZoneInfo, future: bool = False) -> When:
    """Parse a moment as typed after `--at`; see the module docstring for the grammar.

    `future` allows a moment up to PLAN_AHEAD ahead: a planned regimen change (a titration step, an end date).
    """
    raw = " ".join(ascii_digits(text).split())
    low = raw.lower()
    if not low:
        raise InputError("the time is empty")
    try:
        when = _parse(raw, low, now=now, zone=zone)
    except OverflowError:  # year 1 at +14:00, 9999-12-31 at -12:00, '99999999999 days ago': off Python's calendar
        raise InputError(f"{raw!r} lies too far from today; give a time from 1900 on") from None
    if future:
        if when.instant > now + PLAN_AHEAD:
            raise InputError(f"{raw!r} is more than {PLAN_AHEAD.days // 365} years ahead")
    elif when.instant > now + GRACE:
        raise InputError(f"{raw!r} is in the future; entries record what already happened")
    if when.instant < EARLIEST:
        raise InputError(f"{raw!r} is before 1900")
    return when


def _parse(raw: str, low: str, *, now: datetime, zone: ZoneInfo) -> When:
    if low == "now":
        return When(now)
    ago = re.match(_AGO, low)
    if ago and any(ago.groups()):
        days, hours, minutes = (int(g or 0) for g in ago.groups())
        return When(now - timedelta(days=days, hours=hours, minutes=minutes))
    local_now = now.astimezone(zone)
    head, _, tail = low.partition(" ")
    tail = tail.removeprefix("at ").strip()
    if head in {"today", "yesterday"} and tail:
        day = local_now.date() - timedelta(days=1 if head == "yesterday" else 0)
        return resolve_local(day, parse_clock(tail), zone)
    if re.match(_DATE, head) and tail:
        if re.search(r"[+-]|z\Z", tail):
            return _iso(raw, zone)
        return resolve_local(parse_date(head), parse_clock(tail), zone)
    if re.match(_DATE, low) or low in {"today", "yesterday"}:
        raise InputError(f"{raw!r} needs a time too, like '{raw} 08:00'")
    if "t" in low and low[:1].isdigit():
        return _iso(raw, zone)
    if re.match(_CLOCK, low):
        clock = parse_clock(low)
        day = local_now.date()
        if clock > local_now.time().replace(tzinfo=None):
            day -= timedelta(days=1)  # the most recent past occurrence
        return resolve_local(day, clock, zone)
    raise InputError(
        f"{raw!r} is not a time medlog understands; try 21:30, 'yesterday 22:00', '2h ago' or 2026-11-20 08:00"
    )


def _iso(raw: str, zone: ZoneInfo) -> When:
    try:
        parsed = datetime.fromisoformat(raw.upper().replace(" ", "T"))
    except ValueError:
        raise InputError(f"{raw!r} is not a valid ISO 8601 date and time") from None
    if parsed.tzinfo is None:
        return resolve_local(parsed.date(), parsed.time(), zone)
    return When(parsed.astimezone(UTC))


def resolve_local(day: date, clock: time, zone: ZoneInfo) -> When:
    """A wall time in a zone → the instant. Refuses a DST gap; takes the first of a DST overlap, saying so."""
    naive = datetime.combine(day, clock)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    first_utc, second_utc = first.astimezone(UTC), second.astimezone(UTC)
    if first_utc == second_utc:
        return When(first_utc)
    if first_utc.astimezone(zone).replace(tzinfo=None) != naive:
        jumped_from, jumped_to = _gap_edges(second_utc, first_utc, zone)
        raise InputError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {zone.key}: clocks jumped from "
            f"{jumped_from:%H:%M} to {jumped_to:%H:%M}; give a time outside the gap or add an offset"
        )
    earlier, later = sorted((first_utc, second_utc))
    a, b = earlier.astimezone(zone), later.astimezone(zone)
    note = (
        f"{naive:%Y-%m-%d %H:%M} happened twice in {zone.key}; recorded the first ({a:%z}); "
        f"for the second write {naive:%Y-%m-%dT%H:%M}{_offset(b)}"
    )
    return When(earlier, note)


def _gap_edges(low: datetime, high: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The wall times either side of the transition between two UTC instants (found by bisection)."""
    before_offset = low.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == before_offset:
            low = middle
        else:
            high = middle
    transition = high.replace(microsecond=0)
    assert before_offset is not None
    return (transition + before_offset).replace(tzinfo=None), transition.astimezone(zone)


def _offset(dt: datetime) -> str:
    text = dt.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def journal_day(instant: datetime, zone: ZoneInfo, rollover: time) -> date:
    """The journal day of an instant: its local date, counting times before the rollover as the day before."""
    local = instant.astimezone(zone)
    if local.time().replace(tzinfo=None) < rollover:
        return local.date() - timedelta(days=1)
    return local.date()


def day_start(day: date, rollover: time, zone: ZoneInfo) -> datetime:
    """The instant a journal day begins (its rollover time). A rollover inside a DST gap starts the day when
    the clocks jump; inside an overlap, at the first occurrence."""
    return datetime.combine(day, rollover, tzinfo=zone).astimezone(UTC)


def is_day_text(text: str) -> bool:
    """Whether text is written as a day (today, yesterday, 2026-11-20) rather than a moment."""
    low = " ".join(ascii_digits(text).split()).lower()
    return low in {"today", "yesterday"} or re.match(_DATE, low) is not None


def parse_day(text: str, *, today: date, future: bool = False) -> date:
    """A journal day: 'today', 'yesterday', 'tomorrow' (with `future`), or 2026-11-20; never in the future,
    unless `future` allows a planned day up to PLAN_AHEAD ahead."""
    low = " ".join(ascii_digits(text).split()).lower()
    if low == "today":
        day = today
    elif low == "yesterday":
        day = today - timedelta(days=1)
    elif low == "tomorrow" and future:
        day = today + timedelta(days=1)
    else:
        day = parse_date(low)
    if future:
        if day > today + PLAN_AHEAD:
            raise InputError(f"{text.strip()} is more than {PLAN_AHEAD.days // 365} years ahead")
    elif day > today:
        raise InputError(f"{text.strip()} is in the future; the journal's today is {today.isoformat()}")
    if day.year < 1900:
        raise InputError(f"{text.strip()} is before 1900")
    return day



def iso_local(instant: datetime, zone: ZoneInfo) -> str:
    """ISO 8601 with the local offset, as in exports and --json: 2026-11-21T08:05:00+01:00."""
    return instant.astimezone(zone).isoformat(timespec="seconds")
