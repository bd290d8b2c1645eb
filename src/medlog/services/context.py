"""The journal a command works on: where it is, what time it is, which zone and rollover apply."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from medlog.clock import Clock, clock_from_env
from medlog.config import Settings, load_settings
from medlog.domain.errors import InputError, MedlogError, StoreError
from medlog.domain.record import record
from medlog.domain.timeparse import When, day_start, journal_day, parse_day, parse_when
from medlog.paths import demo_path, journal_path
from medlog.store.backup import daily_backup
from medlog.store.changes import Batch, batch_summary, keyed_batch_id
from medlog.store.cipher import looks_encrypted, passphrase_for, use_passphrase
from medlog.store.connection import NoJournal, connect, is_read_only, translate_errors, write_transaction
from medlog.store.writes import Stamp


@record
class Logged:
    """What a service wrote, for the face to confirm in its own words."""

    summary: str
    at: datetime
    day: date
    zone: str
    notes: tuple[str, ...] = ()  # things to tell the user: a DST choice, an extra dose, a likely typo
    timed: bool = True  # False when only the day matters (a regimen starting with today's journal day)
    warnings: tuple[str, ...] = ()  # safety rules the entry crossed (it is recorded all the same)


def logged(summary: str, stamp: Stamp, *notes: str | None, timed: bool = True,
           warnings: tuple[str, ...] | list[str] = ()) -> Logged:
    """A Logged for what a batch wrote at `stamp`, keeping only the notes there are."""
    return Logged(summary, stamp.at, stamp.day, stamp.zone, tuple(n for n in notes if n), timed, tuple(warnings))


class AlreadyLogged(MedlogError):
    """A command replayed with an idempotency key its first run already committed: nothing new is written."""

    exit_code = 0


class Journal:
    """Resolved once per command (or per TUI session) and passed to every service call."""

    def __init__(self, path: str, settings: Settings, clock: Clock, *, key: str | None = None) -> None:
        self.path = path
        self.settings = settings
        self.clock = clock
        # An idempotency key (`--key`): the next write's batch takes the id it names, and is written only once.
        self.key = key
        # Set by a face that has seen the journal (the TUI, once it is read): from then on a write never makes a
        # new, empty journal in its place if the file is deleted or moved meanwhile; it says the file has gone.
        self.must_exist = False

    @property
    def locked(self) -> bool:
        """An encrypted journal whose passphrase this process has not been given (the face asks for it)."""
        return passphrase_for(self.path) is None and looks_encrypted(self.path)

    @property
    def encrypted(self) -> bool:
        return passphrase_for(self.path) is not None

    def unlock(self, passphrase: str) -> None:
        """Open this journal (and its backups) with SQLCipher and this passphrase from now on, in this process."""
        use_passphrase(self.path, passphrase)

    @property
    def zone_name(self) -> str:
        return self.settings.zone.key

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """The current journal day."""
        return self.day_of(self.now())

    def day_of(self, instant: datetime) -> date:
        return journal_day(instant, self.settings.zone, self.settings.rollover)

    def stamp(self, instant: datetime) -> Stamp:
        return Stamp(instant, self.zone_name, self.day_of(instant))

    def day_start(self, day: date) -> datetime:
        return day_start(day, self.settings.rollover, self.settings.zone)

    # The two parsers below are the edge's (cli/args.py and the TUI's form fields): the domain's grammar with this
    # journal's clock and zone. Services take what they return, never the text.
    def moment(self, text: str, *, future: bool = False) -> When:
        """`--at` text → a When (an instant, plus a note when a DST overlap was chosen for the user).

        `future`: a planned regimen change may lie ahead; entries never do."""
        return parse_when(text, now=self.now(), zone=self.settings.zone, future=future)

    def parse_day(self, text: str, *, future: bool = False) -> date:
        """A journal day as typed ("2026-11-20", "yesterday"). `future`: a planned last day may lie ahead."""
        return parse_day(text, today=self.today(), future=future)

    def at(self, when: When | None) -> tuple[Stamp, str | None]:
        """The Stamp an entry is written with (now when `when` is None), and the note its parse left."""
        if when is None:
            return self.stamp(self.now()), None
        return self.stamp(when.instant), when.note

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection for reads; NoJournal if there is no file yet (reads never create one)."""
        conn = connect(self.path, create=False)
        try:
            with translate_errors(self.path):
                yield conn
        finally:
            conn.close()

    def check_replay(self, conn: sqlite3.Connection) -> None:
        """AlreadyLogged when this command's key has been run before: for commands whose own checks would refuse
        a replay before `writing` could say so (a plan overlaps itself; a stopped experiment is not running)."""
        if self.key is not None and (done := batch_summary(conn, keyed_batch_id(self.key))) is not None:
            raise AlreadyLogged(f"already logged with key {self.key!r}: {done}; nothing new was written")

    @contextmanager
    def writing(self, *, create: bool = True, absent: str | None = None) -> Iterator[Batch]:
        """One BEGIN IMMEDIATE transaction and one change-log batch; creates the journal on first use.

        The caller sets `batch.summary` before writing its first row (it often names what was resolved).
        `absent`, with create=False: a change to something the journal must already hold (a substance, a rule)
        names nothing while there is no journal. That is bad input (InputError, exit 2) with this message, not
        a missing file.
        """
        key, self.key = self.key, None  # a key names one batch: a command's later writes get their own ids
        batch_id = keyed_batch_id(key) if key else None
        try:
            conn = connect(self.path, create=create and not self.must_exist)
        except NoJournal:
            if self.must_exist:
                raise StoreError(f"the journal {self.path} is no longer there: it was deleted or moved while medlog "
                                 "was open; nothing was written (open it where it is now, or put a backup back "
                                 "with medlog restore FILE)") from None
            if absent is None:
                raise
            raise InputError(absent) from None
        try:
            if is_read_only(conn):  # a journal that cannot be written: say so before a backup is even tried
                raise StoreError(f"the journal {self.path} (or its folder) is read-only; nothing was written")
            with translate_errors(self.path):
                daily_backup(conn, self.path, self.today())  # the first write of a day; also checks the file
            with translate_errors(self.path), write_transaction(conn):
                if batch_id and (done := batch_summary(conn, batch_id)) is not None:
                    raise AlreadyLogged(f"already logged with key {key!r}: {done}; nothing new was written")
                yield Batch(conn, self.now(), "", batch_id=batch_id)
        finally:
            conn.close()


def open_demo(db: str | None = None, *, env: os._Environ[str] | dict[str, str] | None = None,
              clock: Clock | None = None) -> Journal:
    """The demo journal's file: --db, else demo.sqlite in the data dir (never MEDLOG_DB's journal)."""
    env = os.environ if env is None else env
    return Journal(demo_path(db, env), load_settings(env), clock or clock_from_env(env))


def open_journal(db: str | None = None, *, env: os._Environ[str] | dict[str, str] | None = None,
                 clock: Clock | None = None) -> Journal:
    """Resolve the journal path, settings and clock. Touches no file."""
    env = os.environ if env is None else env
    return Journal(journal_path(db, env), load_settings(env), clock or clock_from_env(env))
