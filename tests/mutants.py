"""Deliberately broken versions of medlog, for tests/test_tests_can_fail.py.

Loaded as a pytest plugin (`-p tests.mutants`) with MEDLOG_MUTANT=<name>: it breaks one rule as it is
imported, before conftest.py or any test module imports medlog, so every `from … import` sees the broken
version. The suite must then fail.
"""

from __future__ import annotations

import os
from datetime import date


def _negative_numbers() -> None:
    from medlog.domain import numbers

    numbers._PLAIN = r"-?[0-9]+(?:\.[0-9]+)?\Z"


def _no_rollover() -> None:
    from medlog.domain import timeparse

    def journal_day(instant, zone, rollover) -> date:  # type: ignore[no-untyped-def]
        return instant.astimezone(zone).date()

    timeparse.journal_day = journal_day


def _synchronous_normal() -> None:
    from medlog.store import connection

    original = connection._set_pragmas

    def set_pragmas(conn):  # type: ignore[no-untyped-def]
        original(conn)
        conn.execute("PRAGMA synchronous = NORMAL")

    connection._set_pragmas = set_pragmas


def _undo_does_nothing() -> None:
    from medlog.store import changes

    changes.undo = lambda conn, target, now: changes.Batch(conn, now, "nothing", undoes=target.id)


def _no_length_cap() -> None:
    from medlog.domain import text

    text.NOTE_MAX = 10**9
    text.NAME_MAX = 10**9


def _foreign_keys_stay_on() -> None:
    from medlog.store import migrate

    original = migrate._apply

    def apply(conn, target, filename):  # type: ignore[no-untyped-def]
        conn.execute("PRAGMA foreign_keys = ON")
        original(conn, target, filename)

    migrate._apply = apply


def _no_scale_check() -> None:
    from medlog.domain import metrics
    from medlog.domain.numbers import parse_decimal

    metrics.parse_metric_value = lambda spec, text: parse_decimal(text, what=spec.key)


def _first_prefix_wins() -> None:
    from medlog.domain import names

    def match_name(query, candidates, *, what):  # type: ignore[no-untyped-def]
        key = names.name_key(query)
        for c in candidates:
            if c.key.startswith(key):
                return c.target
        raise names.InputError(f"no {what} called {query!r}")

    names.match_name = match_name


def _world_readable() -> None:
    from medlog.store import connection

    connection._tighten_modes = lambda path: os.chmod(path, 0o644)


def _reminds_twice() -> None:
    from medlog.domain import reminders

    # what was just sent is not remembered: every run reminds again
    reminders.after_sending = lambda state, sent, now: reminders.State(dict(state.sent), dict(state.snoozed))


MUTANTS = {
    "negative_numbers": _negative_numbers,
    "no_rollover": _no_rollover,
    "synchronous_normal": _synchronous_normal,
    "undo_does_nothing": _undo_does_nothing,
    "no_length_cap": _no_length_cap,
    "foreign_keys_stay_on": _foreign_keys_stay_on,
    "no_scale_check": _no_scale_check,
    "first_prefix_wins": _first_prefix_wins,
    "world_readable": _world_readable,
    "reminds_twice": _reminds_twice,
}


# Applied when pytest imports this plugin: before conftest.py and the test modules import medlog.
if os.environ.get("MEDLOG_MUTANT"):
    MUTANTS[os.environ["MEDLOG_MUTANT"]]()
