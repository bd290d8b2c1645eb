"""`medlog completion bash|zsh|fish`: the Tab-completion script, generated from the whole parser (issue 22).

shtab (docs/architecture.md, "Completions (issue 22)") turns the argparse tree into a static script, so commands,
options and choices complete inside the shell with no process started, and a new option completes without an
edit here. The journal's own names come from the hidden `medlog __names SHELL KIND` (cli/names.py), which the
script's small functions below call: NAMES says which arguments take which names.
"""

from __future__ import annotations

import argparse

from medlog.cli.parser import build_parser
from medlog.cli.parser_completion import HIDDEN

PROG = "medlog"
# (command path) → {positional dest or option string: the kind of names it takes (cli/parser_completion.KINDS)}
SUBSTANCE = {"name": "substances"}
NAMES: dict[tuple[str, ...], dict[str, str]] = {
    ("take",): {"words": "substances"},
    ("skip",): SUBSTANCE,
    ("compare",): {**SUBSTANCE, "--metric": "metrics"},
    ("rate",): {"ratings": "ratings"},
    ("symptom",): {"name": "symptoms"},
    ("log",): {"--substance": "substances"},
    ("report",): {"--metric": "metrics"},
    **{("substance", verb): SUBSTANCE for verb in ("show", "change", "stop", "start", "alias", "classes",
                                                     "onset-lag")},
    ("rule", "add", "daily-max"): {"words": "substances"},
    ("rule", "add", "spacing"): {**SUBSTANCE, "other": "substances"},
    ("rule", "add", "as-needed"): SUBSTANCE,
    **{("rule", verb): {"id": "rules"} for verb in ("disable", "enable", "change")},
    ("stock", "add"): {"words": "substances"},
    ("stock", "set"): {"words": "substances"},
    ("stock", "details"): SUBSTANCE,
    ("experiment", "plan"): {"substance": "substances", "--metric": "metrics"},
    **{("experiment", verb): {"name": "experiments"} for verb in ("status", "analyze", "stop")},
    ("merge",): {"other": "file"},  # another journal or an export
}
FILE_METAVARS = {"FILE": "file", "PATH": "file", "DIR": "directory"}


def script(args: argparse.Namespace) -> int:
    print(generate(args.shell), end="")
    return 0


def generate(shell: str) -> str:
    """The completion script for `shell`, from the whole parser with the journal's names attached."""
    import shtab

    parser = build_parser()
    attach(parser, shell)
    text = shtab.complete(parser, shell, preamble=PREAMBLE[shell].replace("HIDDEN", HIDDEN))
    return text.rstrip("\n") + "\n" + EPILOGUE[shell]


def attach(parser: argparse.ArgumentParser, shell: str) -> None:
    """Give each argument that takes names or files its shtab completer. LookupError if NAMES names an argument
    the parser does not have (renamed or gone): the test of the scripts says so."""
    import shtab

    unmatched = {(path, key) for path, keys in NAMES.items() for key in keys}
    for path, sub in _commands(parser):
        wanted = NAMES.get(path, {})
        for action in sub._actions:
            keys = [action.dest] if not action.option_strings else action.option_strings
            kind = next((wanted[key] for key in keys if key in wanted), None)
            unmatched -= {(path, key) for key in keys}
            kind = kind or FILE_METAVARS.get(str(action.metavar))
            if kind == "file":
                action.complete = shtab.FILE  # type: ignore[attr-defined]
            elif kind == "directory":
                action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
            elif kind is not None:
                action.complete = {shell: CALL[shell].format(kind=kind)}  # type: ignore[attr-defined]
    if unmatched:
        raise LookupError(f"completion.NAMES names arguments the parser does not have: {sorted(unmatched)}")


def _commands(parser: argparse.ArgumentParser,
              path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, (*path, name))
    return found


# How each shell's script asks for one kind of names (shtab puts it where the argument's completions go).
CALL = {"bash": "_medlog_names_{kind}", "zsh": "_medlog_names {kind}", "fish": "(_medlog_names {kind})"}

_BASH_KINDS = "\n".join(f'_medlog_names_{kind}() {{ _medlog_names {kind} "$1"; }}'
                        for kind in ("substances", "ratings", "metrics", "symptoms", "rules", "experiments"))
PREAMBLE = {
    "bash": f"""\
# The journal's names (medlog HIDDEN: read-only, instant, nothing when there is no journal), escaped for bash.
# $1: which names; $2: the word being completed. The words before it may name another journal with --db.
_medlog_names() {{
  command medlog HIDDEN bash "$1" -- "$2" "${{COMP_WORDS[@]:0:COMP_CWORD}}" 2>/dev/null
}}
{_BASH_KINDS}
""",
    "zsh": """\
# The journal's names (medlog HIDDEN: read-only, instant, nothing when there is no journal), each shown with what
# it is; matched without regard to case. The last argument: which names (_arguments puts compadd's options, passed
# on, before it). Metric keys end with '=' and take no space after them.
_medlog_names() {
  local -a lines values shown suffix
  local line kind=${@[-1]}
  lines=("${(@f)$(command medlog HIDDEN zsh $kind -- "$PREFIX" "${words[@]}" 2>/dev/null)}")
  for line in "${lines[@]}"; do
    [[ -n $line ]] || continue
    values+=("${line%%$'\\t'*}")
    shown+=("${line%%$'\\t'*}  -- ${line#*$'\\t'}")
  done
  [[ $kind == ratings ]] && suffix=(-S '')
  compadd "${@[1,-2]}" -M 'm:{a-zA-Z}={A-Za-z}' -l -d shown "${suffix[@]}" -a values
}
""",
    "fish": """\
# The journal's names (medlog HIDDEN: read-only, instant, nothing when there is no journal), each with what it is.
# $argv[1]: which names. The words typed so far may name another journal with --db.
function _medlog_names
  command medlog HIDDEN fish $argv[1] -- '' (commandline -opc) 2>/dev/null
end
""",
}
EPILOGUE = {
    "bash": """
# medlog: after a metric key's '=' comes its value, not a space.
_medlog() {
  _shtab_medlog "$@"
  if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
    compopt -o nospace 2>/dev/null
  fi
  return 0
}
complete -o bashdefault -F _medlog medlog
""",
    "zsh": "",
    "fish": """
# medlog: file names only where an argument is a file (those arguments complete paths themselves).
complete -c medlog -f
""",
}
