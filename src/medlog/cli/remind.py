"""`medlog remind [--install | --uninstall]`: a desktop notification for each dose due and not yet logged, or a
printed line and the terminal's bell where there is no desktop."""

from __future__ import annotations

import argparse
import sys

from medlog.cli.common import journal
from medlog.domain.reminders import Reminder
from medlog.services import reminders as service


def remind(args: argparse.Namespace) -> int:
    if args.install or args.uninstall:
        from medlog.services import remind_timer

        lines = remind_timer.install(journal(args)) if args.install else remind_timer.uninstall()
        print("\n".join(lines))
        return 0
    outcome = service.remind(journal(args), _deliver)
    if outcome.warning:
        print(f"medlog: warning: {outcome.warning}", file=sys.stderr)
    return 0


def _deliver(send: list[Reminder], close: list[tuple[str, int]]) -> tuple[dict[str, int | None], list[str]]:
    """To the desktop where there is one; else (or for one it refused) one printed line each, and the bell."""
    from medlog.services import desktop  # dbus-fast: only now that there is something to send or close

    delivered: dict[str, int | None] = {}
    closed: list[str] = []
    reason = None
    try:
        if send:
            delivered.update(desktop.notify(send))
        if close:
            closed = desktop.close(close)
    except desktop.NoDesktop as exc:
        reason = str(exc)
    printed = [r for r in send if r.key not in delivered]
    for r in printed:
        print(f"medlog: reminder: {r.body}")
        delivered[r.key] = None
    if printed and reason:
        print(f"medlog: note: printed here, not shown on the desktop: {reason}", file=sys.stderr)
    if printed and sys.stdout.isatty():
        sys.stdout.flush()
        # The bell is a control character, which the CLI's output filter writes as '\x07': past it, to the bytes.
        sys.stdout.buffer.write(b"\a")
        sys.stdout.buffer.flush()
    return delivered, closed
