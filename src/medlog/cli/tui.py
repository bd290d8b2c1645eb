"""`medlog` with no command: the terminal UI on today's journal day."""

from __future__ import annotations

import argparse
import os
import sys

from medlog.cli.common import journal
from medlog.services.context import Journal

CRASH_LOG = "tui-crash.log"  # in the data folder, beside the journal: the traceback of the TUI's last crash


def run(args: argparse.Namespace) -> int:
    return open_tui(journal(args))


def open_tui(j: Journal) -> int:
    """Run the TUI; a crash (an error Textual caught, or one raised out of it) is one line naming the log that
    holds its traceback, and exit 1 — never 0."""
    from medlog.tui.day_read import FirstRead

    first_read = FirstRead(j)  # today is read while Textual is imported: the first frame shows its doses
    from medlog.tui.app import make_app  # Textual is imported only when the TUI opens

    app = make_app(j, first_read=first_read)
    try:
        app.run()
    except Exception as exc:  # noqa: BLE001 - the TUI's last line of defence: logged, one line, exit 1
        return crashed(exc)
    if app.crash is not None:
        return crashed(app.crash)
    code = app.return_code
    if code:  # exited with an error Textual did not hand to us
        print(f"medlog: the terminal UI stopped with exit code {code}", file=sys.stderr)
        return code if isinstance(code, int) and 0 < code < 256 else 1
    return 0


def crashed(error: BaseException, env: os._Environ[str] | dict[str, str] = os.environ) -> int:
    """Write the traceback to the crash log; say one line (what went wrong, and where the details are)."""
    import traceback

    from medlog.paths import data_dir

    said = " ".join(str(error).split())
    where = os.path.join(data_dir(env), CRASH_LOG)
    try:
        os.makedirs(os.path.dirname(where), mode=0o700, exist_ok=True)
        fd = os.open(where, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as log:
            log.write("".join(traceback.format_exception(error)))
        details = f"details in {where}"
    except OSError as exc:
        details = f"the details could not be written to {where}: {exc.strerror or exc}"
    print(f"medlog: the terminal UI stopped on an internal error: {type(error).__name__}: {said} ({details})",
          file=sys.stderr)
    return 1
