"""Where medlog keeps things: the journal, its backups, the config file (platformdirs)."""

from __future__ import annotations

import os

APP = "medlog"
JOURNAL_NAME = "journal.sqlite"


def data_dir() -> str:
    import platformdirs  # lazily: only when no --db / MEDLOG_DB says where the journal is

    return platformdirs.user_data_dir(APP, appauthor=False)


def config_file(env: os._Environ[str] | dict[str, str]) -> str:
    if env.get("MEDLOG_CONFIG"):
        return env["MEDLOG_CONFIG"]
    import platformdirs

    return os.path.join(platformdirs.user_config_dir(APP, appauthor=False), "config.toml")


def journal_path(db: str | None, env: os._Environ[str] | dict[str, str]) -> str:
    """--db, else MEDLOG_DB, else <data dir>/journal.sqlite."""
    chosen = db or env.get("MEDLOG_DB")
    if chosen:
        return os.path.abspath(os.path.expanduser(chosen))
    return os.path.join(data_dir(), JOURNAL_NAME)


