"""`medlog`: parse, dispatch to one handler, and turn every failure into one line and an exit code.

Exit codes (the CLI contract): 0 success, 1 runtime failure (locked, corrupt, unreachable file),
2 bad usage or bad input. Never a traceback (MEDLOG_DEBUG=1 shows one for unexpected errors).
"""

from __future__ import annotations

import importlib
import os
import sys

from medlog.cli.parser import UsageError, build_parser, parser_for
from medlog.domain.errors import MedlogError
from medlog.domain.text import neutral
from medlog.store.cipher import forget_passphrases

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms on the quick-log path)
if TYPE_CHECKING:
    from argparse import Namespace
    from collections.abc import Callable
    from typing import Any, TextIO


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # whatever medlog writes (journal, backups, exports) is private to this user
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # a C-locale terminal gets '?', not a crash
    _read_only_opened().clear()  # one command, one note (in-process tests run many)
    forget_passphrases()  # one command, one passphrase: called again in one process (tests), it asks again
    argv = sys.argv[1:] if argv is None else argv
    parser = parser_for(argv)
    try:
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", None)
        if not handler:
            # `medlog` alone, in a terminal: the TUI on today; and in a browser session of `medlog serve`, whose
            # TUI talks through pipes to textual-serve (MEDLOG_FACE=browser, set by medlog/web/server.py)
            if (sys.stdin.isatty() and sys.stdout.isatty()) or os.environ.get("MEDLOG_FACE") == "browser":
                handler = "tui:run"
            else:
                build_parser().print_help()  # the whole tree: `parser` was built without the commands
                return 0
        module_name, function_name = handler.split(":")
        module = importlib.import_module(f"medlog.cli.{module_name}")
        code = _neutrally(module_name, getattr(module, function_name), args)
        if code == 0:
            _say_read_only()
        return code
    except SystemExit as exc:  # --help and --version print, then exit 0
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        return _fail(f"{exc.prog}: {exc} (see '{exc.prog} --help')", 2)
    except MedlogError as exc:
        if exc.exit_code == 0:  # nothing went wrong (a replayed --key): say so where a confirmation goes
            print(f"medlog: {exc}")
            return 0
        return _fail(f"medlog: {exc}", exc.exit_code)
    except KeyboardInterrupt:
        return _fail("medlog: interrupted; nothing more was written", 130)
    except BrokenPipeError:
        sys.stderr = open(os.devnull, "w")  # the reader went away (e.g. `| head`); nothing left to say
        return 0
    except Exception as exc:  # the last line of defence: one line, not a traceback
        if os.environ.get("MEDLOG_DEBUG"):
            raise
        said = " ".join(str(exc).split())  # one line, whatever the exception's text holds
        return _fail(f"medlog: internal error: {type(exc).__name__}: {said} (MEDLOG_DEBUG=1 shows details)", 1)


def _say_read_only() -> None:
    """Once per command: the journal could only be read (a write-protected file, folder or disk)."""
    opened = _read_only_opened()
    for path in sorted(opened):
        print(f"medlog: note: {path} is read-only (the file, its folder or its disk): it was read, and nothing "
              "can be written there", file=sys.stderr)
    opened.clear()


def _read_only_opened() -> set[str]:
    """store.connection's record, without importing it (and sqlite3) for a command that opens no journal."""
    connection = sys.modules.get("medlog.store.connection")
    return connection.read_only_opened if connection is not None else set()


def _fail(message: str, code: int) -> int:
    print(neutral(message), file=sys.stderr)
    return code


# Handlers whose standard output is not text for a terminal: the TUI draws its own screen, and an export or report
# written to standard output is a file's bytes, which must be what is stored. Their messages on standard error are
# still neutralised (a file name can hold an escape too), but for the TUI's. (The demo's TUI, like any Textual
# app, writes to sys.__stderr__ and sys.__stdout__, which no wrapper here touches.)
RAW_OUTPUT = ("tui", "exchange", "report")


def _neutrally(module_name: str, handler: Callable[[Namespace], int | None], args: Namespace) -> int:
    """Run a handler with whatever it prints neutralised (domain.text.neutral): a name or note stored by an
    older medlog, another tool or an import can hold escape sequences, and none may reach the terminal raw."""
    if module_name == "tui":
        return handler(args) or 0
    out, err = sys.stdout, sys.stderr
    sys.stdout = out if module_name in RAW_OUTPUT else _Neutral(out)
    sys.stderr = _Neutral(err)
    try:
        return handler(args) or 0
    finally:
        sys.stdout = out
        if isinstance(sys.stderr, _Neutral):  # a broken pipe may have swapped it for /dev/null meanwhile
            sys.stderr = err


class _Neutral:
    """A text stream that writes everything through domain.text.neutral (the rest, `buffer` included, is the
    stream's own)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(neutral(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
