"""The CLI's edge: argv text → the values services take (instants, days, Amounts, Schedules).

Each is parsed once, here, by the same domain parsers the TUI's form fields use, so a service never sees text
it must parse back and both faces refuse the same input with the same words. None stays None (the option was
not given). Stdlib only: `take` and `rate` pass through here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from medlog.domain.errors import InputError
from medlog.domain.metrics import parse_severity
from medlog.domain.regimen import parse_onset_lag
from medlog.domain.rules import parse_hours
from medlog.domain.schedule import Schedule, parse_schedule
from medlog.domain.timeparse import When, is_day_text
from medlog.domain.units import Amount, parse_amount, parse_iu_mass, parse_strength
from medlog.services.context import Journal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the quick-log path's budget)
if TYPE_CHECKING:
    from medlog.domain.periods import Period


def moment(journal: Journal, text: str | None, *, future: bool = False) -> When | None:
    """`--at`: a moment in the journal's zone; `future` for a planned regimen change."""
    return None if text is None else journal.moment(text, future=future)


def day(journal: Journal, text: str | None, *, future: bool = False) -> date | None:
    """`--day`, `--since`, `--until`: a journal day."""
    return None if text is None else journal.parse_day(text, future=future)


def start(journal: Journal, text: str | None) -> When | date | None:
    """`substance add --since`: a moment ("2026-11-01 08:00"), else a plain day ("2026-11-01", "yesterday"),
    which starts the regimen as that journal day begins."""
    if text is None:
        return None
    try:
        return journal.moment(text, future=True)
    except InputError as timed:
        try:
            return journal.parse_day(text, future=True)
        except InputError:
            raise timed from None


def bound(journal: Journal, text: str | None) -> date | datetime | None:
    """`log --since/--until`: a journal day if it is written as one (2026-11-20, yesterday), else a moment."""
    if text is None:
        return None
    if is_day_text(text):
        return journal.parse_day(text)
    try:
        return journal.moment(text).instant
    except InputError:
        raise InputError(f"{text!r} is neither a day (2026-11-20, yesterday) nor a moment ('2h ago', "
                         "'yesterday 22:00')") from None


def period(text: str | None) -> Period | None:
    """`--last 90d | 12w | 3m | 1y` (`report`, `trends`: imported here, off the quick-log path)."""
    from medlog.domain.periods import parse_period

    return None if text is None else parse_period(text)


def amount(text: str | None, *, what: str = "amount") -> Amount | None:
    return None if text is None else parse_amount(text, what=what)


def strength(text: str | None, *, what: str = "strength") -> Amount | None:
    """An amount per unit with a unit of measure: `--strength`, `--elemental`."""
    return None if text is None else parse_strength(text, what=what)


def schedule(text: str | None, *, as_needed: bool = False) -> Schedule | None:
    """`--schedule "08:00,21:00"`, or `--as-needed`."""
    if as_needed:
        return parse_schedule("as-needed")
    return None if text is None else parse_schedule(text)


def severity(text: str) -> int:
    return parse_severity(text)


def iu_mass(text: str | None) -> Amount | None:
    """`--iu "1000 IU = 25 mcg"`: the mass one IU of this substance is."""
    return None if text is None else parse_iu_mass(text)


def onset_lag(text: str | None) -> int | None:
    return None if text is None else parse_onset_lag(text)


def hours(text: str | None, *, what: str = "hours") -> Decimal | None:
    """`--hours 4`, `--min-interval 6`: hours, as a rule states them."""
    return None if text is None else parse_hours(text, what=what)
