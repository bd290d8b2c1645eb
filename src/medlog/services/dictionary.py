"""The name dictionary, read from medlog/data/names/ (and the user's own additions) once per process, when a
name must be resolved: at `substance add`, and when `take` and the other commands do not find a name among the
journal's own names and aliases. Never on the quick-log path's usual way (a name the journal knows)."""

from __future__ import annotations

import os

from medlog.domain.dictionary import Dictionary, Found, dictionary_key, parse
from medlog.domain.errors import InputError

SHIPPED = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "names")
FILES = ("generics.tsv", "names.tsv")
_loaded: dict[str, Dictionary] = {}


def own_dir(env: os._Environ[str] | dict[str, str] | None = None) -> str:
    """Where the user's own generics.tsv and names.tsv go: beside config.toml. Their rows are added to the
    shipped ones (a name of theirs wins over the shipped meaning of the same name)."""
    from medlog.paths import config_file

    return os.path.dirname(config_file(os.environ if env is None else env))


def dictionary(env: os._Environ[str] | dict[str, str] | None = None) -> Dictionary:
    own = own_dir(env)
    if own not in _loaded:
        generics, names = (_rows(os.path.join(SHIPPED, f), shipped=True) for f in FILES)
        own_generics, own_names = (_rows(os.path.join(own, f), shipped=False) for f in FILES)
        try:
            found = parse(generics + own_generics, names + own_names)
        except ValueError as exc:
            raise InputError(f"name dictionary: {exc} (your own files are in {own})") from None
        if own_names:  # the user's meaning of a name replaces the shipped one
            mine = {dictionary_key(row[0]) for row in own_names if row}
            own_only = parse(generics + own_generics, own_names)
            found.names.update({k: v for k, v in own_only.names.items() if k in mine})
        _loaded[own] = found
    return _loaded[own]


def _rows(path: str, *, shipped: bool) -> list[list[str]]:
    """A TSV's rows without its comment lines and header; a missing file of the user's is no rows."""
    if not shipped and not os.path.exists(path):
        return []
    try:
        with open(path, encoding="utf-8") as fh:
            lines = [line.rstrip("\r\n") for line in fh if line.strip() and not line.startswith("#")]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"name dictionary {path}: {exc}") from None
    return [line.split("\t") for line in lines[1:]]


def find(name: str) -> list[Found]:
    return dictionary().find(name)


def nearest(name: str) -> list[str]:
    return dictionary().nearest(name)
