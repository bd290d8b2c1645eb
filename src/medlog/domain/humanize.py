"""Dates in the user's locale, and times in words: "due in 25 minutes", "overdue by 2 hours", "3 days ago".

pendulum writes them (its locales hold the names of days and months, each locale's date order and the words of a
relative time). It is imported inside the functions that need it, never at import: this module must cost nothing
on the quick-log path, and the TUI asks for words only after its first frame and its first read. English dates
keep medlog's own layout ("Sat 05 Dec 2026") through strftime, so they need no import at all.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from medlog.domain.locales import DEFAULT

# Per style: the English form (strftime) and every other locale's (pendulum's tokens; LL is the locale's own long
# date, "5. Dezember 2026", "5 décembre 2026", "2026年12月5日").
STYLES = {
    "day": ("%a %d %b %Y", "ddd, LL"),  # Sat 05 Dec 2026 · Sa., 5. Dezember 2026
    "date": ("%d %b %Y", "LL"),  # 05 Dec 2026 · 5. Dezember 2026
    "weekday": ("%a %d %b", "ddd D MMM"),  # Sat 05 Dec · Sa. 5 Dez.
    "short": ("%d %b", "D MMM"),  # 05 Dec · 5 Dez.
    "month": ("%b", "MMM"),  # Dec · Dez.
    "month_year": ("%b %Y", "MMM YYYY"),  # Dec 2026 · Dez. 2026
}
NOW_WITHIN = timedelta(minutes=1)  # a dose due less than this before or after now is "due now"


def day_text(d: date, locale: str = DEFAULT, style: str = "day") -> str:
    """A journal day as the locale writes it, in one of STYLES."""
    english, pattern = STYLES[style]
    if locale == DEFAULT:
        return d.strftime(english)
    import pendulum

    return pendulum.date(d.year, d.month, d.day).format(pattern, locale=locale)


def span_text(first: date, last: date, locale: str = DEFAULT) -> str:
    """Two days as a range: "24 Aug–21 Nov 2026" (both years when they differ); in another locale both days in
    its long form, "24. August 2026 – 21. November 2026"."""
    if locale == DEFAULT:
        if first.year != last.year:
            return f"{first:%d %b %Y}–{last:%d %b %Y}"
        return f"{first:%d %b}–{last:%d %b %Y}"
    return f"{day_text(first, locale, 'date')} – {day_text(last, locale, 'date')}"


def relative(at: datetime, now: datetime, locale: str = DEFAULT) -> str:
    """`at` seen from `now`, in one unit: "in 25 minutes", "3 days ago" ("in 25 Minuten", "vor 3 Tagen")."""
    import pendulum

    return pendulum.format_diff(pendulum.instance(at).diff(pendulum.instance(now)), is_now=True, locale=locale)


def length(first: datetime, last: datetime, locale: str = DEFAULT) -> str:
    """The time between two instants, in one unit: "2 hours", "3 days" ("2 Stunden", "3 Tage")."""
    import pendulum

    return pendulum.format_diff(pendulum.instance(first).diff(pendulum.instance(last)), is_now=True,
                                absolute=True, locale=locale)


def before(at: datetime, then: datetime, locale: str = DEFAULT) -> str:
    """How long `at` came before `then`, in one unit: "3 days before" ("3 Tagen zuvor", "3 jours avant")."""
    import pendulum

    return pendulum.instance(at).diff_for_humans(pendulum.instance(then), locale=locale)


def days_text(days: int, locale: str = DEFAULT) -> str:
    """A number of days in words: "5 days", "2 weeks 3 days" ("2 Wochen 3 Tage")."""
    import pendulum

    return pendulum.duration(days=days).in_words(locale=locale)


def due_text(due: datetime, now: datetime, overdue: bool, locale: str = DEFAULT) -> str:
    """What an open scheduled dose says on Today: "due in 25 minutes", "due now", "due 10 minutes ago" (its
    window still open), "overdue by 2 hours" (the window has passed; counted from its time)."""
    if overdue:
        return f"overdue by {length(due, now, locale)}"
    if abs(now - due) < NOW_WITHIN:
        return "due now"
    return f"due {relative(due, now, locale)}"
