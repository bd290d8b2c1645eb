"""Process crash: a child writes through the real CLI (tests/reliability/writer.py) and is SIGKILLed at a random
moment; nothing it acknowledged may be lost, the file must be sound, and replaying every command it attempted with
the same `--key` must leave each entry exactly once.

The kill delay (a few milliseconds to a second after the child is ready; half drawn log-uniformly, half uniformly)
lands kills in the first command's open, migration and daily backup, mid-transaction (the child is stopped first and
/proc/locks says whether it holds the write lock) and between a commit and its acknowledgement. Journals continue
across several kills (a new journal day each time, so each run's first write takes the daily backup); every
KILLS_PER_JOURNAL kills a fresh journal starts, so its creation and migration are killed too.
"""

from __future__ import annotations

import json
import math
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta

from medlog.store.changes import keyed_batch_id
from tests.conftest import NOW

SEED = 20261121
WRITER = os.path.join(os.path.dirname(__file__), "writer.py")
KILLS_PER_JOURNAL = 5
PLAN_LENGTH = 3000  # the child writes 40–300 entries a second (machines differ): still writing at the longest delay
SUBSTANCE = "Testadine"  # a made-up name: no starter rule or interaction applies to it
NOTE = "medlog: note: "  # what a writer may say (the name dictionary's "not in the dictionary"): not a complaint


def complaints(err: str) -> str:
    return "\n".join(line for line in err.splitlines() if line.strip() and not line.startswith(NOTE))
MIN_DELAY, MAX_DELAY = 0.003, 1.0
AIM_EVERY = 3  # every third kill waits, after its delay, for the child to be inside a write transaction
AIM_TRIES = 2000  # half-millisecond steps: a command spends most of its ~25 ms holding the write lock (the fsyncs)


@dataclass
class Command:
    key: str
    kind: str  # substance, note, rate or take
    argv: list[str]
    day: str = ""  # a rating's journal day (each rating gets its own, so a second row would be a duplicate)


@dataclass
class Killed:
    begun: list[str]  # the keys the child started, in order
    acked: list[str]  # the keys it acknowledged (a prefix of `begun`)
    err: str
    writing: bool | None  # whether it was inside a write transaction when killed (None: cannot tell here)


@dataclass
class Totals:
    kills: int = 0
    acknowledged: int = 0  # acknowledged entries checked after a kill
    in_flight_committed: int = 0  # killed after COMMIT, before the acknowledgement reached the parent
    in_flight_lost: int = 0  # killed before COMMIT (mid-transaction, or earlier in the command): rightly absent
    before_first_ack: int = 0  # killed while the run's first command (open, migrate, daily backup) was running
    before_schema: int = 0  # killed before the new journal's first migration committed (no tables yet, or no file)
    in_transaction: int = 0  # killed holding the write lock: between BEGIN IMMEDIATE and the end of COMMIT
    aimed: int = 0  # kills meant to land inside a write transaction (where /proc/locks can tell)
    replays: int = 0
    already_logged: int = 0


def plan(rng: random.Random, db: str, kill: int, fresh: bool, next_rating_day: list[date]) -> list[Command]:
    """What the child will try to write in this run: the substance first on a fresh journal, then a random mix."""
    commands = []
    if fresh:
        key = f"k{kill}-substance"
        commands.append(Command(key, "substance", ["substance", "add", SUBSTANCE, "--kind", "medication",
                                                   "--dose", "1 tablet", "--as-needed", "--db", db, "--key", key]))
    for i in range(PLAN_LENGTH):
        key = f"k{kill}-{i}"
        kind = rng.choice(("note", "rate", "take"))
        if kind == "note":
            commands.append(Command(key, kind, ["note", key, "--db", db, "--key", key]))
        elif kind == "take":
            commands.append(Command(key, kind, ["take", SUBSTANCE, "--note", key, "--db", db, "--key", key]))
        else:
            day = next_rating_day[0]
            next_rating_day[0] -= timedelta(days=1)
            commands.append(Command(key, kind, ["rate", f"mood={rng.randint(0, 10)}", "--day", day.isoformat(),
                                                "--db", db, "--key", key], day.isoformat()))
    return commands


def copies(conn: sqlite3.Connection, command: Command) -> int:
    """How many rows the command's entry has in the journal (tombstoned ones too: a replaced rating counts twice)."""
    if command.kind == "note":
        sql, arg = "SELECT count(*) FROM note WHERE text = ?", command.key
    elif command.kind == "take":
        sql, arg = "SELECT count(*) FROM dose WHERE note = ?", command.key
    elif command.kind == "rate":
        sql, arg = "SELECT count(*) FROM observation WHERE journal_day = ?", command.day
    else:
        sql, arg = "SELECT count(*) FROM substance WHERE name = ?", SUBSTANCE
    found = conn.execute(sql, (arg,)).fetchone()[0]
    # The entry is the key's own batch (not some other command's row that happens to match).
    table = {"note": "note", "take": "dose", "rate": "observation", "substance": "substance"}[command.kind]
    inserts = conn.execute("SELECT count(*) FROM change_log WHERE batch = ? AND table_name = ? AND action = 'insert'",
                           (keyed_batch_id(command.key), table)).fetchone()[0]
    return found if inserts == found else -1  # -1: the rows and the key's batch disagree (a foreign row matched)


def integrity(db: str) -> str:
    conn = sqlite3.connect(db)  # a plain connection, as the next medlog would open it: recovers the hot WAL
    try:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def run_and_kill(plan_file: str, delay: float, env: dict[str, str], db: str, *, aim: bool) -> Killed:
    """Start the child and SIGKILL it `delay` s after it is ready; when `aim`ing, at the first moment from then on
    that it is inside a write transaction (where the kernel can say)."""
    # Unbuffered: a buffered readline would take later lines into a buffer that communicate() does not read.
    child = subprocess.Popen([sys.executable, WRITER, "plan", plan_file], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, bufsize=0)
    assert child.stdout is not None and child.stderr is not None
    ready = child.stdout.readline()
    if ready != b"ready\n":
        child.kill()
        child.wait()
        raise AssertionError(f"the writer did not start: {ready!r} {child.stderr.read().decode()}")
    # Sleeping while the child fills the pipe is fine: ~20 bytes an entry, far below the 64 KiB pipe buffer.
    time.sleep(delay)
    # Stop it first, to see where it is (SIGKILL at that instant is the same crash), then kill it.
    child.send_signal(signal.SIGSTOP)
    writing = holds_write_lock(child.pid, db + "-shm")
    for _ in range(AIM_TRIES if aim else 0):
        if writing is not False:
            break
        child.send_signal(signal.SIGCONT)
        time.sleep(0.0005)
        child.send_signal(signal.SIGSTOP)
        writing = holds_write_lock(child.pid, db + "-shm")
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, (
        f"the writer ended by itself (exit {child.returncode}) before the kill: {err.decode()}")
    lines = out.decode().splitlines()
    begun = [line.split(" ", 1)[1] for line in lines if line.startswith("begin ")]
    acked = [line.split(" ", 1)[1] for line in lines if line.startswith("ack ")]
    return Killed(begun, acked, err.decode(), writing)


def holds_write_lock(pid: int, shm: str) -> bool | None:
    """Whether process `pid` holds SQLite's WAL write lock (byte 120 of the -shm, taken by BEGIN IMMEDIATE and held
    to the end of COMMIT), from /proc/locks; None where the kernel does not say (not Linux)."""
    if not os.path.exists("/proc/locks"):
        return None
    try:
        inode = os.stat(shm).st_ino
    except FileNotFoundError:
        return False  # no -shm yet: the journal has not been opened in WAL mode
    with open("/proc/locks", encoding="ascii") as locks:
        for line in locks:
            # "1: POSIX  ADVISORY  WRITE 12345 fe:00:2384494 120 120"; waiters ("1: -> POSIX …") hold nothing
            fields = line.split()
            if "->" in fields or len(fields) < 8 or fields[1] != "POSIX" or fields[3] != "WRITE":
                continue
            if int(fields[4]) == pid and fields[5].endswith(f":{inode}") and int(fields[6]) <= 120 <= int(fields[7]):
                return True
    return False


def test_sigkill_loses_no_acknowledged_entry_and_keyed_replays_never_duplicate(tmp_path, cli_env, medlog,
                                                                            monkeypatch, runs):
    rng = random.Random(SEED)
    kills = runs(10, 50)
    totals = Totals()
    next_rating_day = [date(2026, 11, 20)]  # ratings go back one day each, before every run's "now"
    db = ""
    journal_so_far: list[Command] = []  # the commands the current journal has seen (by a child, then replayed)
    for kill in range(kills):
        fresh = kill % KILLS_PER_JOURNAL == 0
        if fresh:
            db = str(tmp_path / f"journal{kill // KILLS_PER_JOURNAL}" / "journal.sqlite")
            journal_so_far = []
        # A new journal day every run: its first write takes (and can be killed in) the daily backup.
        now = (NOW + timedelta(days=kill)).isoformat()
        monkeypatch.setenv("MEDLOG_NOW", now)
        commands = plan(rng, db, kill, fresh, next_rating_day)
        plan_file = tmp_path / f"plan{kill}.json"
        plan_file.write_text(json.dumps([[c.key, c.argv] for c in commands]))
        # Half the delays log-uniform (many kills in the first command: open, migration, backup), half uniform
        # (kills deep in a run, after many acknowledgements).
        delay = math.exp(rng.uniform(math.log(MIN_DELAY), math.log(MAX_DELAY))) if kill % 2 \
            else rng.uniform(MIN_DELAY, MAX_DELAY)
        where = f"seed {SEED}, kill {kill}, delay {delay * 1000:.1f} ms, journal {db}"

        aim = kill % AIM_EVERY == AIM_EVERY - 1
        killed = run_and_kill(str(plan_file), delay, {**cli_env, "MEDLOG_NOW": now}, db, aim=aim)
        begun, acked, err = killed.begun, killed.acked, killed.err
        totals.kills += 1
        totals.in_transaction += bool(killed.writing)
        totals.aimed += aim and killed.writing is not None
        assert not complaints(err), f"{where}: the writer complained before it was killed: {err}"
        assert begun[:len(acked)] == acked and len(begun) - len(acked) <= 1, f"{where}: {begun=} {acked=}"
        by_key = {c.key: c for c in commands}
        attempted = [by_key[k] for k in begun]
        if not acked:
            totals.before_first_ack += 1

        # 1. Everything acknowledged is there, once; the file is sound.
        before = {c.key: 0 for c in attempted}  # unless the journal (and its tables) were made before the kill
        if os.path.exists(db):
            sound = integrity(db)
            assert sound == "ok", f"{where}: integrity_check after the kill: {sound}"
            conn = sqlite3.connect(db)
            try:
                if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'change_log'").fetchone():
                    before = {c.key: copies(conn, c) for c in attempted}
                else:
                    totals.before_schema += 1
            finally:
                conn.close()
        else:
            totals.before_schema += 1
        for key in acked:
            totals.acknowledged += 1
            assert before[key] == 1, f"{where}: acknowledged {key} has {before[key]} copies after the kill (0: lost)"
        in_flight = [k for k in begun if k not in acked]
        for key in in_flight:
            assert before[key] in (0, 1), f"{where}: in-flight {key} has {before[key]} copies"
            if before[key]:
                totals.in_flight_committed += 1
            else:
                totals.in_flight_lost += 1

        # 2. Replay every command attempted (the one killed in flight too) with its key, in order.
        for command in attempted:
            ran = medlog(*command.argv)
            totals.replays += 1
            assert ran.code == 0, f"{where}: replaying {command.key}: exit {ran.code}: {ran.err}"
            assert not complaints(ran.err), f"{where}: replaying {command.key} said: {ran.err}"
            said_already = "already logged" in ran.out
            totals.already_logged += said_already
            assert said_already == (before[command.key] == 1), (
                f"{where}: replaying {command.key} (had {before[command.key]} copies) printed: {ran.out}")
        # 3. Every key this journal has seen (earlier runs' too) has exactly one entry.
        journal_so_far += attempted
        conn = sqlite3.connect(db)
        try:
            after = {c.key: copies(conn, c) for c in journal_so_far}
        finally:
            conn.close()
        wrong = {k: n for k, n in after.items() if n != 1}
        assert not wrong, f"{where}: after the replays, keys without exactly one entry (0: lost, 2+: twice): {wrong}"
        checked = medlog("check", "--db", db)
        assert checked.code == 0 and "is sound" in checked.out, f"{where}: medlog check: {checked.out}{checked.err}"

    assert totals.in_transaction >= totals.aimed, f"seed {SEED}: aimed kills missed the write transaction: {totals}"
    # A backup killed mid-copy leaves its temporary file (never under a backup's name): counted, not failed.
    parts = list(tmp_path.glob("journal*/backups/*.part"))
    print(f"\ncrash: seed {SEED}: {totals.kills} kills, {totals.acknowledged} acknowledged entries checked, "
          f"{totals.replays} replays ({totals.already_logged} 'already logged'), in flight: "
          f"{totals.in_flight_committed} committed unacknowledged, {totals.in_flight_lost} not committed; "
          f"{totals.before_first_ack} kills before the run's first acknowledgement ({totals.before_schema} before the "
          f"new journal had its tables), "
          f"{totals.in_transaction} inside a write transaction; "
          f"losses 0, duplicates 0 (each is an assertion above); {len(parts)} half-written backups left (.part)")
