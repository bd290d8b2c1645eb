"""Where medlog keeps things: the journal, its backups, the config file (platformdirs)."""

from __future__ import annotations

import os
import sys

from medlog.domain.errors import InputError

APP = "medlog"
JOURNAL_NAME = "journal.sqlite"
DEMO_NAME = "demo.sqlite"  # the demo's own file: never the journal, whatever MEDLOG_DB says


def data_dir(env: os._Environ[str] | dict[str, str]) -> str:
    return _user_dir("data", env)


def state_dir(env: os._Environ[str] | dict[str, str]) -> str:
    """This device's own state (reminders sent and snoozed): never synced, never in the journal."""
    return _user_dir("state", env)


def config_file(env: os._Environ[str] | dict[str, str]) -> str:
    if env.get("MEDLOG_CONFIG"):
        return env["MEDLOG_CONFIG"]
    return os.path.join(_user_dir("config", env), "config.toml")


# platformdirs' rule on Linux, for the quick-log path: $XDG_*_HOME when absolute, else the XDG default under
# an absolute $HOME. Importing platformdirs (pathlib, urllib, tempfile…) costs ~15 ms, a third of the
# quick-log budget; tests/unit/test_paths.py holds this to platformdirs' own answers. Anything else
# (macOS, Windows, a relative HOME) asks platformdirs itself.
_XDG = {"data": ("XDG_DATA_HOME", ".local/share"), "config": ("XDG_CONFIG_HOME", ".config"),
        "state": ("XDG_STATE_HOME", ".local/state")}


def _user_dir(kind: str, env: os._Environ[str] | dict[str, str]) -> str:
    variable, default = _XDG[kind]
    home = env.get("HOME", "")
    if sys.platform.startswith("linux") and os.path.isabs(home):
        base = env.get(variable, "")
        return os.path.join(base if os.path.isabs(base) else os.path.join(home, default), APP)
    import platformdirs

    finder = {"data": platformdirs.user_data_dir, "config": platformdirs.user_config_dir,
              "state": platformdirs.user_state_dir}[kind]
    return finder(APP, appauthor=False)


def demo_path(db: str | None, env: os._Environ[str] | dict[str, str]) -> str:
    """--db, else <data dir>/demo.sqlite (MEDLOG_DB names the real journal, so the demo ignores it)."""
    _refuse_empty(db, "--db")
    return os.path.abspath(os.path.expanduser(db)) if db else os.path.join(data_dir(env), DEMO_NAME)


def journal_path(db: str | None, env: os._Environ[str] | dict[str, str]) -> str:
    """--db, else MEDLOG_DB, else <data dir>/journal.sqlite. An empty --db or MEDLOG_DB (a script's unset
    variable) is refused rather than read as "the default": it would open the real journal."""
    _refuse_empty(db, "--db")
    if db is None:
        _refuse_empty(env.get("MEDLOG_DB"), "MEDLOG_DB")
    chosen = db or env.get("MEDLOG_DB")
    if chosen:
        return os.path.abspath(os.path.expanduser(chosen))
    return os.path.join(data_dir(env), JOURNAL_NAME)




def _refuse_empty(value: str | None, what: str) -> None:
    if value is not None and not value.strip():
        raise InputError(f"{what} is empty: name the journal file (or leave {what} out for the default journal)")
