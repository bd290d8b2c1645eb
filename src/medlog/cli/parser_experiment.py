"""The parser's `experiment` commands: plan, status, analyze, stop, list (self-experiments, N-of-1)."""

from __future__ import annotations

import argparse

from medlog.cli.parser_parts import KEY_HELP


def experiment(experiment: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    commands = experiment.add_subparsers(dest="experiment_command", metavar="COMMAND",
                                         parser_class=type(experiment), required=True)

    def sub(name: str, handler: str, help_text: str) -> argparse.ArgumentParser:
        # help= is %-formatted (argparse's %(default)s), the description is not: "95% interval" needs its % doubled
        p = commands.add_parser(name, parents=[common], help=help_text.replace("%", "%%"), description=help_text)
        p.set_defaults(handler=f"experiment:{handler}")
        return p

    plan = sub("plan", "plan", "plan a randomised on/off experiment with a substance; shows first what its design "
                               "can tell (the periods become planned starts and stops)")
    plan.add_argument("substance", metavar="SUBSTANCE", nargs="+", help="substance name, alias or unique prefix")
    plan.add_argument("--metric", action="append", metavar="M", required=True,
                      help="a rating to compare on and off, e.g. sleep_quality (repeat for more)")
    plan.add_argument("--design", default="abab", choices=("abab", "abba", "random-pairs"),
                      help="abab: each pair of periods on-off or off-on at random (default); abba: two pairs at a "
                           "time, on-off off-on or the reverse; random-pairs: any order with as many on as off")
    plan.add_argument("--block", type=int, default=14, metavar="DAYS", help="days in each period (default 14)")
    plan.add_argument("--washout", type=int, default=3, metavar="DAYS",
                      help="days at the start of each period left out of the analysis (default 3; the substance's "
                           "onset lag instead, when it is set and longer)")
    plan.add_argument("--pairs", type=int, default=2, metavar="N", help="pairs of on and off periods (default 2)")
    plan.add_argument("--start", metavar="DAY", help="the first day: tomorrow (default) or a later day")
    plan.add_argument("--seed", type=int, metavar="N", help="the random order's seed (default: drawn and recorded)")
    plan.add_argument("--with-clinician", action="store_true",
                      help="a medication's prescriber has agreed to the plan (required for a medication)")
    plan.add_argument("--note", metavar="TEXT", help="a note kept with the experiment")
    plan.add_argument("--dry-run", action="store_true", help="show the plan and what it can tell; write nothing")
    plan.add_argument("--json", action="store_true", help="print JSON (documented in docs/cli.md) instead of text")
    plan.add_argument("--key", metavar="KEY", help=KEY_HELP)

    for name, handler, help_text in (
            ("status", "status", "today's phase, days left and adherence to the plan of the experiments under way"),
            ("analyze", "analyze", "per metric: on − off with its 95% interval and a randomisation-test p")):
        p = sub(name, handler, help_text)
        p.add_argument("name", metavar="NAME", nargs="*",
                       help="the experiment's substance or id (default: those under way / the latest begun)")
        p.add_argument("--json", action="store_true", help="print JSON (documented in docs/cli.md) instead of text")

    stop = sub("stop", "stop", "stop an experiment: its changes still ahead are cancelled, its record kept")
    stop.add_argument("name", metavar="NAME", nargs="*", help="the experiment's substance or id (default: the one "
                                                               "under way)")
    stop.add_argument("--key", metavar="KEY", help=KEY_HELP)

    listed = sub("list", "list_experiments", "list the experiments: design, dates, status, metrics")
    listed.add_argument("--json", action="store_true", help="print JSON (documented in docs/cli.md) instead of text")
