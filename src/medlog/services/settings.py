"""`medlog config`: the settings in force and where each comes from, and the config file changed through the
schema (medlog/config.py): `set` checks the value with the key's own checker and rewrites the file keeping its
comments and other keys (tomlkit, imported here only); `edit` opens an editor on a copy and replaces the file only
with a copy that passes the loader. Every write is whole or not at all (services/files.write_private_pieces:
a temporary file in the same folder, fsync, rename; 0600 in a 0700 folder)."""

from __future__ import annotations

import os

from medlog.config import KEYS, SCHEMA, Source, named, parse_config, read_config, resolve, toml_value, unknown_keys
from medlog.domain.errors import InputError, MedlogError
from medlog.domain.record import record
from medlog.paths import config_file, journal_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from medlog.config import Env

OWN_FILES = (("starter_rules.toml", "your starter rules (instead of the shipped ones)"),
             ("generics.tsv", "your generics, added to the name dictionary"),
             ("names.tsv", "your names, added to the name dictionary"))


EXAMPLES = {"timezone": "Europe/Berlin", "name": "Alex Example", "quiet_hours": "22:00-07:00"}  # for the template


@record
class Shown:
    key: str
    value: object  # as the file or the variable gave it, or the default
    source: Source


@record
class InForce:
    path: str  # the config file
    path_source: Source  # MEDLOG_CONFIG, or the default place
    exists: bool
    settings: list[Shown]
    journal: str
    journal_source: Source
    own_files: list[tuple[str, str, bool]]  # (path, what it is, whether it is there)
    notes: list[str]  # which zone a TZ value that is not a zone name was taken to mean
    warnings: tuple[str, ...]  # keys of the file no setting has


def in_force(env: Env, db: str | None = None) -> InForce:
    """Every setting's value and source; a bad value anywhere is refused as load_settings refuses it."""
    path = config_file(env)
    data, text = read_config(path)
    shown, notes = [], []
    for setting in SCHEMA:
        value, raw, source = resolve(setting, env, data, text, path)
        shown.append(Shown(setting.key, raw, source))
        if setting.key == "timezone" and value[1]:
            notes.append(value[1])
    journal_source = Source("option", "--db") if db else (
        Source("environment", "MEDLOG_DB") if env.get("MEDLOG_DB") else Source("default"))
    folder = os.path.dirname(path)
    own = [(os.path.join(folder, name), what, os.path.exists(os.path.join(folder, name))) for name, what in OWN_FILES]
    return InForce(path, Source("environment", "MEDLOG_CONFIG") if env.get("MEDLOG_CONFIG") else Source("default"),
                   os.path.exists(path), shown, journal_path(db, env), journal_source, own, notes,
                   unknown_keys(data, text, path))


def set_value(env: Env, key: str, text: str) -> list[str]:
    """Check VALUE with KEY's checker, then write it into the file (made if need be), the rest kept as it was.
    The lines to print; InputError (nothing written) for an unknown key or a bad value."""
    setting = KEYS.get(key)
    if setting is None:
        raise InputError(f"config set: {unknown(key)}; nothing was written")
    value: object = text
    if setting.kind == "bool" and text.strip().casefold() in ("true", "false"):
        value = text.strip().casefold() == "true"
    try:
        checked = setting.check(value, key)
    except InputError as exc:
        raise InputError(f"config set: {named(key, value, str(exc))}; nothing was written") from None
    path = config_file(env)
    _, old = read_config(path)  # a file that is not TOML is refused here, naming its line
    import tomlkit  # keeps the file's comments, layout and other keys (`config set` only)

    document = tomlkit.parse(old)
    document[key] = value
    new = tomlkit.dumps(document)
    if parse_config(new, path).get(key) != value:  # what was written reads back as what was asked
        raise MedlogError(f"config set: {key} could not be written into {path}; nothing was written")
    write(path, new)
    lines = [f"{key} = {toml_value(value)} in {path}"]
    if setting.key == "timezone" and checked[1]:  # type: ignore[index]
        lines.append(f"medlog: note: {checked[1]}")  # type: ignore[index]
    for variable in setting.over:
        if env.get(variable):
            lines.append(f"medlog: note: {variable} is set, and wins over the file while it is")
    return lines


def unknown(key: str) -> str:
    import difflib

    near = difflib.get_close_matches(key, KEYS, n=1)
    return f"no setting is called {key!r}" + (f" (did you mean {near[0]}?)" if near else
                                               f"; the settings are {', '.join(KEYS)}")


def check_text(text: str, path: str, env: Env) -> tuple[str, ...]:
    """load_settings' checks on a file's text: not TOML, or a bad value, is InputError naming the line (every key
    the file sets is checked, whatever the environment says); the warnings for keys no setting has."""
    data = parse_config(text, path)
    for setting in SCHEMA:
        if setting.key in data:
            resolve(setting, {}, data, text, path)
    return unknown_keys(data, text, path)


def template() -> str:
    """What `config edit` opens when there is no file yet: every setting, commented out, with its default."""
    lines = ["# medlog settings (docs/guide.md#settings). Remove the # before a line to set it.", ""]
    for setting in SCHEMA:
        lines.append(f"# {setting.doc} (default: {setting.default_text.strip('`')})")
        example = setting.default if isinstance(setting.default, str | bool) else EXAMPLES[setting.key]
        lines.append(f"# {setting.key} = {toml_value(example)}")
    return "\n".join(lines) + "\n"


def editor(env: Env) -> list[str]:
    """$VISUAL, else $EDITOR (with its arguments: EDITOR="code -w"), else vi or nano; InputError without one."""
    import shlex
    import shutil

    for variable in ("VISUAL", "EDITOR"):
        if env.get(variable, "").strip():
            try:
                return shlex.split(env[variable])
            except ValueError as exc:
                raise InputError(f"{variable}={env[variable]!r}: {exc}") from None
    for name in ("vi", "nano"):
        found = shutil.which(name, path=env.get("PATH"))
        if found:
            return [found]
    raise InputError("no editor: set EDITOR to one (EDITOR=nano medlog config edit)")


def edit(env: Env) -> list[str]:
    """Open the editor on a copy of the file (or on the template); put the copy in place only if it passes the
    loader, else keep the old file, keep the rejected copy beside it, and say why in one line."""
    import subprocess
    import tempfile

    command = editor(env)
    path = config_file(env)
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    _, old = read_config(path) if os.path.exists(path) else (None, template())
    fd, copy = tempfile.mkstemp(prefix="config.", suffix=".toml", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(old)
        try:
            ran = subprocess.run([*command, copy], check=False)
        except OSError as exc:
            raise InputError(f"cannot run the editor {command[0]!r}: {exc.strerror or exc}; set EDITOR to "
                             "another") from None
        if ran.returncode != 0:
            raise MedlogError(f"the editor {command[0]!r} exited with status {ran.returncode}; {path} is unchanged")
        try:
            with open(copy, encoding="utf-8") as fh:
                new = fh.read()
        except UnicodeDecodeError:
            raise InputError(f"config file {path}: the edit is not UTF-8 text; {path} is unchanged") from None
        if new == old:
            return [f"No change: {path} is as it was" if os.path.exists(path) else f"No change: {path} not written"]
        try:
            warnings = check_text(new, path, env)
        except InputError as exc:
            rejected = path + ".rejected"
            os.replace(copy, rejected)
            raise InputError(f"{exc}; {path} is unchanged (your edit is kept in {rejected})") from None
        write(path, new)
    finally:
        if os.path.exists(copy):
            os.unlink(copy)
    return [f"Saved {path}", *(f"medlog: warning: {w}" for w in warnings)]


def write(path: str, text: str) -> None:
    """The whole new text in place of the file at once (its target, when config.toml is a link into dotfiles)."""
    from medlog.services.files import write_private_pieces

    target = os.path.realpath(path)
    os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
    write_private_pieces(target, [text])

