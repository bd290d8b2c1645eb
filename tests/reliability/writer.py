"""A child process that writes to a journal through medlog's real CLI entry point (parse, open, migrate check, daily
backup, BEGIN IMMEDIATE, commit), for the crash and concurrency suites.

    python tests/reliability/writer.py plan PLAN.json
        Runs each planned command of PLAN.json (a list of [key, argv]) in order, at once. Says "begin KEY" before
        a command and "ack KEY" once it has returned 0 (the acknowledgement a user or script would act on).
        Stops at the first command that fails (exit 3): every planned command is meant to succeed.
    python tests/reliability/writer.py notes DB PREFIX COUNT
        Waits for "go" on stdin (so several writers start together), then runs `medlog note PREFIX-n --db DB` for
        n in 0..COUNT-1, and ends with "done FAILED SECONDS". Every call is made, even after a failure, so the
        parent sees how many failed; what medlog said goes to stderr, where the parent looks for "locked".

Protocol lines go to fd 1 with os.write: no Python buffer, so a line is in the pipe the moment the call returns,
and a SIGKILL right after it cannot lose it. medlog's own confirmations ("Logged: …") go to /dev/null.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time

from medlog.cli.main import main


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def run_plan(plan_file: str) -> int:
    with open(plan_file, encoding="utf-8") as f:
        plan = json.load(f)
    say("ready")  # the parent's kill delay starts here; the first command starts at once
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        for key, argv in plan:
            say(f"begin {key}")
            code = main(argv)
            if code != 0:
                print(f"writer: {argv} exited {code}", file=sys.stderr)
                return 3
            say(f"ack {key}")
    return 0


def run_notes(db: str, prefix: str, count: int) -> int:
    say("ready")
    if sys.stdin.readline().strip() != "go":
        print("writer: the parent went away before 'go'", file=sys.stderr)
        return 3
    failed = 0
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        for n in range(count):
            code = main(["note", f"{prefix}-{n}", "--db", db])
            if code != 0:
                failed += 1
                print(f"writer: note {prefix}-{n} exited {code}", file=sys.stderr)
    say(f"done {failed} {time.perf_counter() - started:.3f}")
    return 0


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "plan":
        sys.exit(run_plan(rest[0]))
    if mode == "notes":
        sys.exit(run_notes(rest[0], rest[1], int(rest[2])))
    sys.exit(f"writer: unknown mode {mode!r}")
