"""The parser of `medlog config`: show, path, set, edit (cli/config.py runs them)."""

from __future__ import annotations

import argparse

from medlog.cli import parser_parts as parts


def config(config: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    verbs = config.add_subparsers(dest="config_command", metavar="COMMAND", parser_class=type(config), required=True)
    show = verbs.add_parser("show", parents=[common], help=SHOW, description=SHOW)
    parts.handler(show, "config:show")
    parts.add_json(show)
    where = verbs.add_parser("path", help=PATH, description=PATH)
    parts.handler(where, "config:path")
    set_ = verbs.add_parser("set", help=SET, description=SET)
    parts.handler(set_, "config:set_value")
    set_.add_argument("key", metavar="KEY", help="a setting's name: " + ", ".join(_keys()))
    set_.add_argument("value", metavar="VALUE", help="its value, as you would write it in the file without quotes: "
                                                     "03:00, Europe/Berlin, false, \"22:00-07:00\"")
    edit = verbs.add_parser("edit", help=EDIT, description=EDIT)
    parts.handler(edit, "config:edit")


def _keys() -> list[str]:
    from medlog.config import KEYS

    return list(KEYS)


SHOW = "each setting in force, its value and where it came from (default, the file and its line, or a variable)"
PATH = "the config file's path (said even when there is no file yet)"
SET = ("set one setting in the config file: checked as the file is, the rest of the file (comments too) kept, "
       "written whole or not at all")
EDIT = ("edit the config file in $VISUAL or $EDITOR; the edit replaces the file only if every setting in it is "
        "good, else the file is kept as it was")
