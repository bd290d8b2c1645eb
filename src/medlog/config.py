"""Settings: a TOML file in the platformdirs config dir, overridden by MEDLOG_* variables.

    # ~/.config/medlog/config.toml
    timezone = "Europe/Berlin"   # MEDLOG_TZ overrides; default: TZ (as the C library reads it), then the system zone
    day_rollover = "04:00"       # a journal day ends at this local time (MEDLOG_ROLLOVER)
    starter_rules = true         # copy matching starter safety rules into the journal at `substance add`
    adherence_window = "2h"      # a scheduled dose taken within this of its time is on time
    name = "Alex Example"        # printed at the top of the visit report (default: no name)
    page_size = "letter"         # the visit report's paper: A4 or letter (default: from LC_PAPER/LANG)
    locale = "de"                # dates and relative times in the report and the TUI (default: from
                                 # LC_ALL/LC_TIME/LANG; English when pendulum has no such locale)
    quiet_hours = "22:00-07:00"  # `medlog remind` sends nothing then (local time; overnight allowed; "off")

A `starter_rules.toml` beside config.toml replaces the shipped starter rules (medlog/data/starter_rules.toml).

Nothing is read at import; `load_settings` is called once per command.
"""

from __future__ import annotations

import os
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from medlog.domain import locales
from medlog.domain.errors import InputError
from medlog.domain.record import record
from medlog.domain.timeparse import parse_clock
from medlog.domain.zones import from_tz
from medlog.paths import config_file

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the quick-log path's budget)
if TYPE_CHECKING:
    from medlog.domain.reminders import QuietHours


@record
class Settings:
    zone: ZoneInfo
    rollover: time = time(4, 0)
    starter_rules: bool = True
    starter_rules_file: str | None = None  # the user's own starter rules, if they wrote one
    adherence_window: timedelta = timedelta(hours=2)  # a scheduled dose taken within this of its time is on time
    name: str | None = None  # for the visit report's header
    page_size: str = "A4"  # the visit report's paper: "A4" or "letter"
    zone_note: str | None = None  # which zone a TZ value that is not a tzdata name was taken to mean
    locale: str = locales.DEFAULT  # dates and relative times in the report and the TUI: a locale pendulum ships
    quiet_hours: QuietHours | None = None  # `medlog remind` sends nothing in these local hours


def load_settings(env: os._Environ[str] | dict[str, str]) -> Settings:
    path = config_file(env)
    data: dict = {}
    if os.path.exists(path):
        import tomllib  # only when there is a file to read

        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"config file {path}: {exc}") from None
    rollover_text = env.get("MEDLOG_ROLLOVER") or data.get("day_rollover") or "04:00"
    zone, zone_note = _zone(env, data, path)
    try:
        rollover = parse_clock(str(rollover_text))
    except InputError as exc:
        raise InputError(f"day_rollover (config or MEDLOG_ROLLOVER): {exc}") from None
    if rollover.hour >= 12:
        raise InputError(f"day_rollover {rollover_text!r} must be before 12:00 (the journal day starts at night)")
    starter = data.get("starter_rules", True)
    if not isinstance(starter, bool):
        raise InputError(f"config file {path}: starter_rules must be true or false")
    own_rules = os.path.join(os.path.dirname(path), "starter_rules.toml")
    window = timedelta(hours=2)
    if "adherence_window" in data:
        from medlog.domain.rules import parse_hours

        try:
            window = timedelta(hours=float(parse_hours(str(data["adherence_window"]), what="adherence_window")))
        except InputError as exc:
            raise InputError(f"config file {path}: {exc}") from None
    name = data.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip() or len(name) > 100):
        raise InputError(f"config file {path}: name must be text of 1 to 100 characters")
    paper = data.get("page_size")
    if paper is not None and (not isinstance(paper, str) or paper.casefold() not in ("a4", "letter")):
        raise InputError(f"config file {path}: page_size must be \"A4\" or \"letter\"")
    page_size = ("A4" if paper.casefold() == "a4" else "letter") if paper else locale_paper(env)
    return Settings(zone, rollover, starter, own_rules if os.path.exists(own_rules) else None, window,
                    name.strip() if name else None, page_size, zone_note, _locale(env, data, path),
                    _quiet_hours(data, path))


def _quiet_hours(data: dict, path: str) -> QuietHours | None:
    """The config's `quiet_hours` ("22:00-07:00", overnight allowed; "off"), else none."""
    value = data.get("quiet_hours")
    if value is None:
        return None
    from medlog.domain.reminders import parse_quiet_hours  # only with quiet hours set: not on the quick-log path

    if not isinstance(value, str):
        raise InputError(f"config file {path}: quiet_hours must be text, like \"22:00-07:00\" (or \"off\")")
    try:
        return parse_quiet_hours(value)
    except InputError as exc:
        raise InputError(f"config file {path}: {exc}") from None


def _locale(env: os._Environ[str] | dict[str, str], data: dict, path: str) -> str:
    """The config's `locale`, else the environment's (LC_ALL, LC_TIME, LANG), else English."""
    value = data.get("locale")
    if value is None:
        return locales.from_env(env)
    found = locales.resolve(value) if isinstance(value, str) else None
    if found is None:
        raise InputError(f"config file {path}: locale {value!r} is not one medlog can write dates in; give one of "
                         + ", ".join(sorted(locales.SHIPPED - {"en_gb", "en_us"})))
    return found


def _zone(env: os._Environ[str] | dict[str, str], data: dict, path: str) -> tuple[ZoneInfo, str | None]:
    """MEDLOG_TZ, else the config's timezone, else TZ as the C library reads it, else the system's zone."""
    if env.get("MEDLOG_TZ"):
        return from_tz(env["MEDLOG_TZ"], what="MEDLOG_TZ")
    if data.get("timezone"):
        if not isinstance(data["timezone"], str):
            raise InputError(f"config file {path}: timezone must be text, an IANA name like Europe/Berlin")
        return from_tz(data["timezone"], what=f"timezone in {path}")
    if "TZ" in env:
        # glibc: an empty TZ is UTC; ':NAME', ':/path', a tzdata name or a POSIX rule otherwise.
        return from_tz(env["TZ"] or "UTC", what="TZ")
    return from_tz(system_zone_name(env), what="the system's zone")


# Where US Letter is the usual paper: CLDR supplementalData paperSize "US-Letter" (BZ CA CL CO CR GT MX NI PA PH PR SV
# US VE); everywhere else A4.
_LETTER_TERRITORIES = {"US", "CA", "MX", "PR", "CL", "CO", "CR", "GT", "PA", "PH", "SV", "VE", "NI", "BZ"}


def locale_paper(env: os._Environ[str] | dict[str, str]) -> str:
    """"letter" when the locale's territory uses it (en_US.UTF-8, es_MX), else "A4" (the rest of the world)."""
    for var in ("LC_ALL", "LC_PAPER", "LANG"):
        value = env.get(var, "")
        if value:
            territory = value.split(".")[0].split("@")[0].partition("_")[2]
            return "letter" if territory.upper() in _LETTER_TERRITORIES else "A4"
    return "A4"


def system_zone_name(env: os._Environ[str] | dict[str, str]) -> str:
    """The machine's zone with TZ unset: /etc/localtime's link (or the file), else /etc/timezone, else UTC.

    A few lines instead of tzlocal: its import (logging and friends) costs more than the quick-log budget
    can spare, and these three sources are where tzlocal looks on Linux and macOS too.
    """
    target = os.path.realpath("/etc/localtime")
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    if os.path.isfile(target) and not os.path.exists("/etc/timezone"):
        return target  # a copied zone file: its rules
    try:
        with open("/etc/timezone", encoding="utf-8") as fh:
            return fh.read().strip() or "UTC"
    except FileNotFoundError:  # no zone configured anywhere: UTC, as the C library assumes too
        return "UTC"
