"""`medlog config show|path|set|edit`: the settings in force and where each came from; the config file changed
through the settings schema (services/settings.py)."""

from __future__ import annotations

import argparse
import os
import sys

from medlog.cli.common import print_json, wants_json
from medlog.config import KEYS, toml_value
from medlog.services import settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def show(args: argparse.Namespace) -> int:
    found = settings.in_force(os.environ, getattr(args, "db", None))
    for warning in found.warnings:
        print(f"medlog: warning: {warning}", file=sys.stderr)
    if wants_json(args):
        return print_json({
            "file": _source(found.path_source, path=found.path, exists=found.exists),
            "settings": [_source(s.source, key=s.key, value=_json_value(s.value)) for s in found.settings],
            "journal": _source(found.journal_source, path=found.journal),
            "own_files": [{"path": p, "exists": there} for p, _, there in found.own_files]})
    there = "" if found.exists else " (not there: every setting below comes from its default or the environment)"
    print(f"config file  {found.path}{there}{_said(found.path_source)}")
    width = max(len(s.key) for s in found.settings)
    values = [toml_value(s.value) if s.value is not None else f"({KEYS[s.key].default_text.strip('`')})"
              for s in found.settings]
    value_width = min(max(len(v) for v in values), 30)
    for shown, value in zip(found.settings, values, strict=True):
        print(f"  {shown.key:<{width}}  {value:<{value_width}}  {_from(shown.source, found.path)}")
    print(f"journal      {found.journal}{_said(found.journal_source)}")
    for path, what, there_too in found.own_files:
        if there_too:
            print(f"own file     {path} ({what})")
    for note in found.notes:
        print(f"medlog: note: {note}", file=sys.stderr)
    return 0


def path(args: argparse.Namespace) -> int:
    found = settings.config_file(os.environ)
    print(found)
    if not os.path.exists(found):
        print(f"medlog: note: {found} does not exist yet; 'medlog config set' or 'medlog config edit' makes it",
              file=sys.stderr)
    return 0


def set_value(args: argparse.Namespace) -> int:
    lines = settings.set_value(os.environ, args.key, args.value)
    print(lines[0])
    for line in lines[1:]:
        print(line, file=sys.stderr)
    return 0


def edit(args: argparse.Namespace) -> int:
    lines = settings.edit(os.environ)
    print(lines[0])
    for line in lines[1:]:
        print(line, file=sys.stderr)
    return 0


def _from(source: settings.Source, path: str) -> str:
    if source.kind == "file":
        return f"file, line {source.line}" if source.line else "file"
    if source.kind == "environment":
        return f"environment ({source.variable})"
    return "default"


def _said(source: settings.Source) -> str:
    return f" (from {source.variable})" if source.variable else ""


def _source(source: settings.Source, **fields: Any) -> dict[str, Any]:
    """`fields`, then where the value came from: "source" (default, file, environment, option), "variable", "line"."""
    out: dict[str, Any] = {**fields, "source": source.kind}
    if source.variable:
        out["variable"] = source.variable
    if source.line:
        out["line"] = source.line
    return out


def _json_value(value: object) -> object:
    return value if value is None or isinstance(value, str | bool | int | float) else str(value)
