"""Tab completion in real shells (issue 22): bash, fish and zsh run interactively under a pseudo-terminal
(pexpect), each with the script `medlog completion SHELL` prints installed as that shell expects, a journal in
MEDLOG_DB and the installed `medlog` first on PATH. Keys are typed as a person types them; nothing calls a
completion function.

How a completed line is read: after the Tab, Ctrl-A goes to the start of the line and `printf '[%s]' ` is typed in
front of it (after a marker, printf 'OUT%s' :), so Enter prints each word of the completed command line in
brackets: the word the shell inserted (and how it is split: a name with a space must be one word) is what is
checked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

pexpect = pytest.importorskip("pexpect", reason="pexpect is in the test extra")

BIN = os.path.dirname(sys.executable)
MEDLOG = os.path.join(BIN, "medlog")
PROMPT = "medlog-test> "
SHELL_PATH = {name: shutil.which(name) for name in ("bash", "fish", "zsh")}


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    """A journal with two substances (one with an alias, one with a space in its name), symptoms and a rule."""
    folder = tmp_path_factory.mktemp("tab")
    env = {**os.environ, "MEDLOG_DB": str(folder / "journal.sqlite"), "HOME": str(folder),
           "XDG_CONFIG_HOME": str(folder / "config"), "MEDLOG_TZ": "Europe/London"}
    for args in (["substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule",
                  "08:00", "--alias", "Lexapro"],
                 ["substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg"],
                 ["symptom", "upset stomach", "mild"], ["symptom", "dizziness", "3"]):
        subprocess.run([MEDLOG, *args], env=env, check=True, capture_output=True)
    # the magnesium brought its starter rule (a daily maximum): rule 1, the only one
    listed = subprocess.run([MEDLOG, "rule", "list"], env=env, check=True, capture_output=True, text=True).stdout
    assert re.search(r"^\s*1\s", listed, re.M) and not re.search(r"^\s*2\s", listed, re.M), listed
    return folder, env


def spawn(shell: str, journal) -> pexpect.spawn:
    folder, env = journal
    if not SHELL_PATH[shell]:
        pytest.skip(f"{shell} is not installed on this machine (.ci/run installs it with apt-get when it can)")
    script = folder / ("zfunc/_medlog" if shell == "zsh" else f"medlog.{shell}")  # zsh: a file in $fpath
    script.parent.mkdir(exist_ok=True)
    script.write_text(subprocess.run([MEDLOG, "completion", shell], env=env, check=True, capture_output=True,
                                     text=True).stdout)
    env = {**env, "PATH": f"{BIN}{os.pathsep}/usr/bin{os.pathsep}/bin", "TERM": "xterm", "PS1": PROMPT,
           "INPUTRC": "/dev/null", "HISTFILE": os.devnull, "ZDOTDIR": str(folder), "fish_history": ""}
    if shell == "bash":
        argv, setup = ["--norc", "--noprofile", "-i"], f"PS1='{PROMPT}'; source {script}"
    elif shell == "zsh":
        argv = ["-f", "-i"]
        setup = f"PS1='{PROMPT}'; bindkey -e; fpath=({script.parent} $fpath); autoload -Uz compinit; compinit -u -D"
    else:
        argv = ["--no-config", "-i"]
        setup = f"function fish_prompt; printf '{PROMPT}'; end; source {script}"
    child = pexpect.spawn(SHELL_PATH[shell], argv, env=env, cwd=str(folder), encoding="utf-8", timeout=15,
                          dimensions=(40, 250))
    child.sendline(setup)
    child.sendline("echo READY-$((1+1))" if shell != "fish" else "echo READY-(math 1+1)")
    child.expect("READY-2")
    child.expect_exact(PROMPT)
    return child


def completed(child: pexpect.spawn, typed: str, after: str = "") -> str:
    """Type `typed`, press Tab, type `after`, and return the command line's words as bracketed by printf."""
    child.send(typed)
    child.expect(pexpect.TIMEOUT, timeout=0.2)  # let the shell take the typed line in before the Tab (fish, under
    child.send("\t")                            # load, has dropped typeahead that came with the Tab)
    child.expect(pexpect.TIMEOUT, timeout=0.2)  # let the shell draw the completion before the next keys
    child.send(after)
    child.send("\x01")  # Ctrl-A: the start of the line
    child.send("printf 'OUT%s' : ; printf '[%s]' \r")  # the echo of this line holds no 'OUT:'
    child.expect(r"OUT:((?:\[[^\]]*\])+)")
    line = child.match.group(1)
    child.expect_exact(PROMPT)
    return line


def _twice(child: pexpect.spawn, typed: str, after: str, want: str) -> str:
    """The completed line; typed once more when the first try lost keys to the terminal's timing (a pty under load
    can drop typeahead: the line then holds fewer words than were typed), never when it completed wrongly."""
    line = completed(child, typed, after)
    if line != want and line.count("[") < len(typed.split()):
        line = completed(child, typed, after)
    return line


CASES = [
    ("medlog ta", "", "[medlog][take]"),  # a command
    ("medlog take esc", "", "[medlog][take][Escitalopram]"),  # a substance, whatever the case typed
    ("medlog take lex", "", "[medlog][take][Lexapro]"),  # an alias
    ("medlog take mag", "", "[medlog][take][Magnesium glycinate]"),  # a name with a space: one word
    ("medlog substance show mag", "", "[medlog][substance][show][Magnesium glycinate]"),
    ("medlog rate sleep_q", "7", "[medlog][rate][sleep_quality=7]"),  # the key and its '=', no space after
    ("medlog symptom ups", "", "[medlog][symptom][upset stomach]"),  # a symptom already logged
    ("medlog rule disable ", "", "[medlog][rule][disable][1]"),  # the one rule's number
    ("medlog export --format js", "", "[medlog][export][--format][json]"),  # a choice
    ("medlog completion fi", "", "[medlog][completion][fish]"),
]


@pytest.mark.parametrize("shell", ["bash", "fish", "zsh"])
def test_tab_completes_commands_options_and_the_journals_names(shell, journal):
    child = spawn(shell, journal)
    try:
        got = [(typed, _twice(child, typed, after, want)) for typed, after, want in CASES]
    finally:
        child.close(force=True)
    assert got == [(typed, want) for typed, _, want in CASES]


def test_bash_completes_a_name_typed_with_its_escaped_space(journal):
    child = spawn("bash", journal)
    try:
        assert completed(child, "medlog take Magnesium\\ g") == "[medlog][take][Magnesium glycinate]"
        assert completed(child, "medlog skip MAGNESIUM\\ G") == "[medlog][skip][Magnesium glycinate]"
    finally:
        child.close(force=True)


def test_no_journal_completes_commands_and_no_names_and_creates_nothing(journal, tmp_path):
    folder, env = journal
    missing = tmp_path / "nowhere" / "journal.sqlite"
    child = spawn("bash", (folder, {**env, "MEDLOG_DB": str(missing)}))
    try:
        assert completed(child, "medlog ta") == "[medlog][take]"
        assert completed(child, "medlog take esc") == "[medlog][take][esc]"
    finally:
        child.close(force=True)
    assert not (tmp_path / "nowhere").exists()
