"""Time zones by name: IANA keys, and the POSIX TZ strings the C library also accepts (`JST-9`, `<+0330>-3:30`).

A zone is stored on every entry by name and opened again by `zone_named`. An IANA key (or a legacy link such as
`Japan`, `GB`, `EST5EDT`, wherever the system's or Python's tzdata has it) opens as itself. A POSIX TZ string opens
as a rule-based zone: a TZif file with no transitions and the string as its footer, which zoneinfo reads with the
same rules the C library applies. A fixed whole-hour offset is named `UTC` or `Etc/GMT-9`, as tzdata names it.
"""

from __future__ import annotations

import functools
import io
import os
import struct
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from medlog.domain.errors import InputError

# glibc's rules for a POSIX string with a daylight-saving name but no rules (its built-in "posixrules": US rules).
_DEFAULT_RULES = ",M3.2.0,M11.1.0"
_EMPTY_TZIF = b"TZif2" + b"\0" * 15 + struct.pack(">6l", 0, 0, 0, 0, 0, 0)


@functools.lru_cache(maxsize=64)
def zone_named(name: str) -> ZoneInfo:
    """The zone a stored or configured name means; ValueError if neither tzdata nor POSIX knows it."""
    if name and not name.startswith(("/", ".")) and ".." not in name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return _posix(name)


def _posix(text: str) -> ZoneInfo:
    if not text or not text.isprintable() or len(text) > 100:
        raise ValueError(f"not a time zone: {text!r}")
    rules = text
    try:
        return ZoneInfo.from_file(io.BytesIO(_EMPTY_TZIF * 2 + b"\n" + rules.encode("ascii") + b"\n"), key=text)
    except (ValueError, UnicodeEncodeError):
        pass
    # A daylight-saving name with no rules: glibc applies the US rules.
    rules = text + _DEFAULT_RULES
    try:
        return ZoneInfo.from_file(io.BytesIO(_EMPTY_TZIF * 2 + b"\n" + rules.encode("ascii") + b"\n"), key=text)
    except (ValueError, UnicodeEncodeError):
        raise ValueError(f"not a time zone: {text!r}") from None


def _canonical(zone: ZoneInfo) -> ZoneInfo:
    """A POSIX zone with one fixed whole-hour offset under its tzdata name (UTC0 → UTC, JST-9 → Etc/GMT-9)."""
    from datetime import UTC, datetime

    winter, summer = (datetime(2026, m, 1, tzinfo=UTC).astimezone(zone).utcoffset() for m in (1, 7))
    if winter != summer or winter is None:
        return zone
    seconds = int(winter.total_seconds())
    if seconds % 3600:
        return zone
    hours = seconds // 3600
    name = "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return zone


def from_tz(value: str, *, what: str) -> tuple[ZoneInfo, str | None]:
    """The zone a `TZ` (or MEDLOG_TZ, or config) value means, as the C library reads it, and a note when the zone
    is not a tzdata name (which zone was used); InputError, one line, when nothing understands the value.

    `:NAME` and `:/path` are glibc's forms; a path opens the zone file it names (its tzdata name when it lies in a
    zoneinfo folder, else the rules of its footer)."""
    text = value.removeprefix(":")
    if text.startswith("/"):
        return _from_file(text, value, what)
    if text and not text.startswith(".") and ".." not in text:
        try:
            return ZoneInfo(text), None
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    try:
        zone = _canonical(_posix(text))
    except ValueError:
        raise InputError(f"unknown time zone {what}={value!r} (neither tzdata nor the C library knows it); "
                         "use an IANA name like Europe/Berlin") from None
    return zone, f"{what}={value!r} is not a zone name; using {_describe(zone)}"


def _from_file(path: str, value: str, what: str) -> tuple[ZoneInfo, str | None]:
    real = os.path.realpath(path)
    if "zoneinfo/" in real:
        key = real.split("zoneinfo/", 1)[1]
        try:
            return ZoneInfo(key), None
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    try:
        with open(real, "rb") as fh:
            data = fh.read(1 << 20)
    except OSError as exc:
        raise InputError(f"{what}={value!r}: cannot read the zone file ({exc.strerror})") from None
    footer = data.rstrip(b"\n").rpartition(b"\n")[2].decode("ascii", "replace") if data.startswith(b"TZif") else ""
    try:
        zone = _canonical(zone_named(footer)) if footer else None
    except ValueError:
        zone = None
    if zone is None:
        raise InputError(f"{what}={value!r} is not a zone file medlog can read; use an IANA name like "
                         "Europe/Berlin")
    return zone, f"{what}={value!r} names no tzdata zone; using {_describe(zone)}"


def _describe(zone: ZoneInfo) -> str:
    from datetime import UTC, datetime

    offsets = sorted({datetime(2026, m, 1, tzinfo=UTC).astimezone(zone).strftime("%z") for m in (1, 7)})
    return f"{zone.key} (UTC{'/'.join(f'{o[:3]}:{o[3:]}' for o in offsets)})"


def zone_mark(zone: str, current: str | None, at: datetime) -> str:
    """How a list marks an entry logged in another zone than the current one: its tzdata name ('Asia/Tokyo'),
    or its offset at that instant ('UTC+03:30') for a POSIX rule; '' when it is the current zone."""
    if zone == current:
        return ""
    try:
        ZoneInfo(zone)
        return zone
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    try:
        offset = at.astimezone(zone_named(zone)).strftime("%z")
    except ValueError:
        return zone
    return f"UTC{offset[:3]}:{offset[3:]}"
