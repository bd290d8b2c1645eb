"""Settings: one schema (SCHEMA), read from a TOML file in the platformdirs config dir and the environment.

    # ~/.config/medlog/config.toml
    timezone = "Europe/Berlin"   # MEDLOG_TZ overrides; default: TZ (as the C library reads it), then the system zone
    day_rollover = "04:00"       # a journal day ends at this local time (MEDLOG_ROLLOVER)
    quiet_hours = "22:00-07:00"  # `medlog remind` sends nothing then (local time; overnight allowed; "off")

Every key is a `Setting` of SCHEMA: its checker (the value in the file or a variable → the value in force, or
InputError saying why not), its default, the variables that win over the file (`over`) and those read when the
file does not set it (`under`), and one line for the guide (docs/guide.md's settings table is generated from it:
`settings_table`). `load_settings` reads through it; `medlog config` (services/settings.py) shows, sets and edits
through it. A bad value is one line naming the key, the file and its line (or the variable). A key the schema
does not know is a warning, not a refusal (a newer medlog's key must not stop an older one from logging a dose).

A `starter_rules.toml` beside config.toml replaces the shipped starter rules (medlog/data/starter_rules.toml), and
a `generics.tsv`/`names.tsv` there adds to the name dictionary (services/dictionary.py).

Nothing is read at import; `load_settings` is called once per command. It stays on the quick-log path: the
standard library only, and tomllib only when there is a file to read.
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
    from collections.abc import Callable
    from typing import Any

    from medlog.domain.reminders import QuietHours

    Env = os._Environ[str] | dict[str, str]


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
    warnings: tuple[str, ...] = ()  # keys in the file that no setting has (each one line: where, and what is meant)


# -- the checkers: the value in the file (any TOML type) or a variable (text) → the value in force ------------------

def _zone(value: object, what: str) -> tuple[ZoneInfo, str | None]:
    if not isinstance(value, str):
        raise InputError("timezone must be text, an IANA name like Europe/Berlin")
    return from_tz(value, what=what)


def _rollover(value: object, what: str) -> time:
    rollover = parse_clock(str(value))
    if rollover.hour >= 12:
        raise InputError(f"day_rollover {value!r} must be before 12:00 (the journal day starts at night)")
    return rollover


def _starter_rules(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise InputError("starter_rules must be true or false")
    return value


def _window(value: object, what: str) -> timedelta:
    from medlog.domain.rules import parse_hours

    return timedelta(hours=float(parse_hours(str(value), what="adherence_window")))


def _name(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        raise InputError("name must be text of 1 to 100 characters")
    return value.strip()


def _paper(value: object, what: str) -> str:
    if not isinstance(value, str) or value.casefold() not in ("a4", "letter"):
        raise InputError("page_size must be \"A4\" or \"letter\"")
    return "A4" if value.casefold() == "a4" else "letter"


def _locale(value: object, what: str) -> str:
    found = locales.resolve(value) if isinstance(value, str) else None
    if found is None:
        raise InputError(f"locale {value!r} is not one medlog can write dates in; give one of "
                         + ", ".join(sorted(locales.SHIPPED - {"en_gb", "en_us"})))
    return found


def _quiet_hours(value: object, what: str) -> QuietHours | None:
    if value is None:
        return None
    from medlog.domain.reminders import parse_quiet_hours  # only with quiet hours set: not on the quick-log path

    if not isinstance(value, str):
        raise InputError("quiet_hours must be text, like \"22:00-07:00\" (or \"off\")")
    return parse_quiet_hours(value)


# -- the schema ------------------------------------------------------------------------------------------------------

class Setting:
    """One key of config.toml. A plain class, not a @record: this module is on the quick-log path, and a
    namedtuple class costs ~0.1 ms to make."""

    __slots__ = ("key", "check", "default", "default_text", "doc", "kind", "over", "under", "from_variable")

    def __init__(self, key: str, check: Callable[[object, str], object], default: object, default_text: str,
                 doc: str, *, kind: str = "text", over: tuple[str, ...] = (), under: tuple[str, ...] = (),
                 from_variable: Callable[[str], object] | None = None) -> None:
        self.key = key
        self.check = check  # (value, what it is called) → the value in force; InputError saying why not
        self.default = default  # the value when nothing sets it (None: not set); a function of the environment
        self.default_text = default_text  # the default as the guide and `config show` say it
        self.doc = doc  # one line: what it does
        self.kind = kind  # how `config set KEY VALUE` writes VALUE: "text" (a TOML string) or "bool" (true/false)
        self.over = over  # variables that win over the file
        self.under = under  # variables read when the file does not set it: the first one set decides
        self.from_variable = from_variable  # an `under` variable's text → the value to check


SCHEMA: tuple[Setting, ...] = (
    Setting("timezone", _zone, lambda env: system_zone_name(env), "the system's zone",
            "the zone entries are logged in: an IANA name like \"Europe/Berlin\"",
            over=("MEDLOG_TZ",), under=("TZ",), from_variable=lambda text: text or "UTC"),
    Setting("day_rollover", _rollover, "04:00", '`"04:00"`',
            "a journal day ends at this local time (before 12:00)", over=("MEDLOG_ROLLOVER",)),
    Setting("starter_rules", _starter_rules, True, "`true`",
            "copy matching starter safety rules into the journal at `substance add`", kind="bool"),
    Setting("adherence_window", _window, "2h", '`"2h"`',
            "a scheduled dose taken within this of its time is on time, and its reminder waits this long"),
    Setting("name", _name, None, "no name", "printed at the top of the visit report"),
    Setting("page_size", _paper, "A4", '`"A4"`', "the visit report's paper: \"A4\" or \"letter\"",
            under=("LC_ALL", "LC_PAPER", "LANG"), from_variable=lambda text: _paper_of(text)),
    Setting("locale", _locale, locales.DEFAULT, '`"en"`',
            "dates and relative times in the report and the TUI: \"de\", \"fr\", \"pt_BR\"…",
            under=("LC_ALL", "LC_TIME", "LANG"), from_variable=lambda text: locales.resolve(text) or locales.DEFAULT),
    Setting("quiet_hours", _quiet_hours, None, "off",
            "`medlog remind` sends nothing then: \"22:00-07:00\" (local time; overnight allowed), or \"off\""),
)
KEYS = {setting.key: setting for setting in SCHEMA}


class Source:
    """Where a setting's value came from: "default", "file" (and its line) or "environment" (which variable)."""

    __slots__ = ("kind", "variable", "line")

    def __init__(self, kind: str, variable: str | None = None, line: int | None = None) -> None:
        self.kind, self.variable, self.line = kind, variable, line

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Source) and (self.kind, self.variable, self.line) == (
            other.kind, other.variable, other.line)

    def __hash__(self) -> int:
        return hash((self.kind, self.variable, self.line))


def load_settings(env: Env) -> Settings:
    path = config_file(env)
    data, text = read_config(path)
    values = {setting.key: resolve(setting, env, data, text, path)[0] for setting in SCHEMA}
    zone, zone_note = values["timezone"]
    own_rules = os.path.join(os.path.dirname(path), "starter_rules.toml")
    return Settings(zone, values["day_rollover"], values["starter_rules"],
                    own_rules if os.path.exists(own_rules) else None, values["adherence_window"], values["name"],
                    values["page_size"], zone_note, values["locale"], values["quiet_hours"],
                    unknown_keys(data, text, path))


def read_config(path: str) -> tuple[dict, str]:
    """The file's settings and its text ({} and "" when there is no file); a file that is not TOML is one line
    naming the file and the line."""
    if not os.path.exists(path):
        return {}, ""
    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8")
    except OSError as exc:
        raise InputError(f"config file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"config file {path}: not UTF-8 text") from None
    return parse_config(text, path), text


def parse_config(text: str, path: str) -> dict:
    """The settings in a config file's text; not TOML is one line naming `path` and the line."""
    import tomllib  # only when there is a file to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        said = str(exc)
        head, _, where = said.rpartition(" (at line ")
        line, _, column = where.rstrip(")").partition(", column ")
        if head and line.isdigit():
            raise InputError(f"config file {path}, line {line}: not TOML: {head} (column {column})") from None
        raise InputError(f"config file {path}: not TOML: {said}") from None


def resolve(setting: Setting, env: Env, data: dict, text: str, path: str) -> tuple[Any, object, Source]:
    """The value in force, what it was read from (the file's value, a variable's text or the default) and where."""
    for variable in setting.over:
        if env.get(variable):
            if setting.key in data:  # a bad value in the file is refused while a variable covers it too
                _checked(setting, data[setting.key], setting.key, Source("file", line=line_of(text, setting.key)),
                         path)
            return _checked(setting, env[variable], variable, Source("environment", variable), path), \
                env[variable], Source("environment", variable)
    if setting.key in data:
        source = Source("file", line=line_of(text, setting.key))
        return _checked(setting, data[setting.key], setting.key, source, path), data[setting.key], source
    for variable in setting.under:
        if env.get(variable) or (variable == "TZ" and variable in env):  # glibc: an empty TZ is UTC
            raw = setting.from_variable(env[variable]) if setting.from_variable else env[variable]
            return _checked(setting, raw, variable, Source("environment", variable), path), raw, \
                Source("environment", variable)
    raw = setting.default(env) if callable(setting.default) else setting.default
    what = "the system's zone" if setting.key == "timezone" else setting.key
    return (setting.check(raw, what) if raw is not None else None), raw, Source("default")


def _checked(setting: Setting, raw: object, what: str, source: Source, path: str) -> Any:
    try:
        return setting.check(raw, what)
    except InputError as exc:
        raise InputError(f"{where(source, path)}: {named(setting.key, raw, str(exc), what)}") from None


def where(source: Source, path: str) -> str:
    if source.kind == "environment":
        return f"environment variable {source.variable}"
    return f"config file {path}" + (f", line {source.line}" if source.line else "")


def named(key: str, raw: object, reason: str, what: str | None = None) -> str:
    """The checker's reason, led by the key and the value as TOML writes it: 'day_rollover "25:00" is not…'
    (without saying either twice)."""
    shown = f"{key} {toml_value(raw)}"
    reason = reason.replace(f" {what or key}={raw!r}", "").removeprefix(f"{key}: ")
    for head in (f"{key} {raw!r}", repr(raw)):
        if reason.startswith(head):
            return shown + reason[len(head):]
    return reason if reason.startswith(f"{key} ") else f"{shown}: {reason}"


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped) + '"'
    return "(not set)" if value is None else str(value)


def line_of(text: str, key: str) -> int | None:
    """The line that sets a top-level key (before the first [table]) or opens a [table] of that name, or None."""
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        name, equals, _ = stripped.lstrip("[").partition("]" if stripped.startswith("[") else "=")
        if stripped.startswith("["):
            in_table = True
        elif not equals or in_table:
            continue
        if name.strip().strip("\"'").split(".")[0].strip("\"'") == key:
            return number
    return None


def unknown_keys(data: dict, text: str, path: str) -> tuple[str, ...]:
    """One warning per key of the file no setting has, with the nearest setting's name when there is one."""
    out = []
    for key in data:
        if key not in KEYS:
            import difflib  # only for a file with a key medlog does not know

            near = difflib.get_close_matches(key, KEYS, n=1)
            meant = f" (did you mean {near[0]}?)" if near else f" (the settings are {', '.join(KEYS)})"
            line = line_of(text, key)
            out.append(f"config file {path}{f', line {line}' if line else ''}: unknown setting {key!r} is "
                       f"ignored{meant}")
    return tuple(out)


def settings_table() -> str:
    """The guide's settings table (docs/guide.md holds exactly this text: tests/unit/test_settings_schema.py)."""
    rows = ["| setting | default | environment | what it does |", "| --- | --- | --- | --- |"]
    for s in SCHEMA:
        variables = [f"`{v}` (over the file)" for v in s.over]
        if s.under:
            first = "; the first one set" if len(s.under) > 1 else ""
            variables.append(", ".join(f"`{v}`" for v in s.under) + f" (when the file has none{first})")
        rows.append(f"| `{s.key}` | {s.default_text} | {'; '.join(variables) or '—'} | {s.doc} |")
    return "\n".join(rows) + "\n"


# Where US Letter is the usual paper: CLDR supplementalData paperSize "US-Letter" (BZ CA CL CO CR GT MX NI PA PH PR SV
# US VE); everywhere else A4.
_LETTER_TERRITORIES = {"US", "CA", "MX", "PR", "CL", "CO", "CR", "GT", "PA", "PH", "SV", "VE", "NI", "BZ"}


def _paper_of(value: str) -> str:
    territory = value.split(".")[0].split("@")[0].partition("_")[2]
    return "letter" if territory.upper() in _LETTER_TERRITORIES else "A4"


def locale_paper(env: Env) -> str:
    """"letter" when the locale's territory uses it (en_US.UTF-8, es_MX), else "A4" (the rest of the world)."""
    for var in KEYS["page_size"].under:
        value = env.get(var, "")
        if value:
            return _paper_of(value)
    return "A4"


def system_zone_name(env: Env) -> str:
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
