"""`medlog completion SHELL` and the hidden `medlog __names` its scripts call (issue 22), through the real entry
point. The shells themselves, typing Tab under a pseudo-terminal: test_completion_shells.py."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from medlog.cli import completion
from medlog.cli.parser import COMMANDS, build_parser
from medlog.cli.parser_completion import HIDDEN
from tests.conftest import default_journal


@pytest.fixture
def filled(medlog, cli_env):
    """A journal with a substance and its alias, one with a space in its name, symptoms, a rule and an
    experiment, in the default place."""
    for args in (["substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule",
                  "08:00", "--alias", "Lexapro", "--since", "2026-01-01"],
                 ["substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg",
                  "--schedule", "21:00", "--since", "2026-01-01"],
                 ["symptom", "upset stomach", "mild"], ["symptom", "dizziness", "3"], ["symptom", "Dizziness", "2"],
                 ["metric", "add", "focus", "--min", "1", "--max", "5", "--higher-is-better"],
                 ["experiment", "plan", "magnesium", "--metric", "mood", "--seed", "1"]):
        ran = medlog(*args)
        assert ran.code == 0, (args, ran.err)
    return default_journal(cli_env)


def names(medlog, shell: str, kind: str, word: str = "", *typed: str) -> list[str]:
    ran = medlog(HIDDEN, shell, kind, "--", word, *typed)
    assert ran.code == 0 and ran.err == "", ran
    return ran.out.splitlines()


def test_substances_and_aliases_with_what_each_is(medlog, filled):
    assert names(medlog, "fish", "substances") == ["Escitalopram\tmedication",
                                                   "Lexapro\tanother name for Escitalopram",
                                                   "Magnesium glycinate\tsupplement"]
    assert names(medlog, "zsh", "substances") == names(medlog, "fish", "substances")


def test_bash_gets_the_names_that_start_with_the_word_whatever_its_case_escaped(medlog, filled):
    assert names(medlog, "bash", "substances", "esc") == ["Escitalopram"]
    assert names(medlog, "bash", "substances", "") == ["Escitalopram", "Lexapro", "Magnesium\\ glycinate"]
    assert names(medlog, "bash", "substances", "MAG") == ["Magnesium\\ glycinate"]
    assert names(medlog, "bash", "substances", "Magnesium\\ g") == ["Magnesium\\ glycinate"]  # typed escaped
    assert names(medlog, "bash", "substances", '"magnesium g') == ["Magnesium glycinate"]  # inside a quote: as is
    assert names(medlog, "bash", "substances", "x") == []


def test_metric_keys_with_their_equals_for_rate_and_without_for_metric_options(medlog, filled):
    ratings = names(medlog, "fish", "ratings")
    assert "sleep_quality=\tSleep quality (0–10)" in ratings and "focus=\tFocus (1–5)" in ratings
    assert [line.split("\t")[0] for line in names(medlog, "fish", "metrics")] == [
        line.split("\t")[0].removesuffix("=") for line in ratings]
    assert names(medlog, "bash", "ratings", "sl") == ["sleep_hours=", "sleep_quality="]


def test_symptoms_already_logged_each_once_the_most_logged_first(medlog, filled):
    assert names(medlog, "fish", "symptoms") == ["dizziness\tlogged 2 times", "upset stomach\tlogged 1 time"]
    assert names(medlog, "bash", "symptoms", "ups") == ["upset\\ stomach"]


def test_rules_by_number_with_their_text(medlog, filled):
    assert medlog("rule", "disable", "1").code == 0
    rules = names(medlog, "fish", "rules")
    assert rules and rules[0].startswith("1\tMagnesium glycinate: at most 350 mg a day") and "(disabled)" in rules[0]
    assert names(medlog, "bash", "rules", "") == [line.split("\t")[0] for line in rules]


def test_experiments_by_their_substance(medlog, filled):
    assert names(medlog, "fish", "experiments") == ["Magnesium glycinate\texperiment from 2026-11-22"]


def test_a_db_on_the_command_line_is_the_journal_asked(medlog, filled, tmp_path):
    other = str(tmp_path / "other.sqlite")
    assert medlog("--db", other, "substance", "add", "Vitamin D3", "--kind", "supplement").code == 0
    assert names(medlog, "bash", "substances", "", "medlog", "--db", other, "take") == ["Vitamin\\ D3"]
    assert names(medlog, "bash", "substances", "", "medlog", "take", "--db", "=", other) == ["Vitamin\\ D3"]
    assert names(medlog, "fish", "substances", "", "medlog", f"--db={other}", "take") == ["Vitamin D3\tsupplement"]


def test_a_tab_never_writes(medlog, filled):
    """Not the journal, and no -wal or -shm beside it either."""
    folder = os.path.dirname(filled)
    before = {name: open(os.path.join(folder, name), "rb").read() for name in os.listdir(folder) if name != "backups"}
    assert set(before) == {"journal.sqlite"}
    for kind in ("substances", "ratings", "symptoms", "rules", "experiments"):
        names(medlog, "fish", kind)
    after = {name: open(os.path.join(folder, name), "rb").read() for name in os.listdir(folder) if name != "backups"}
    assert after == before


def test_no_journal_answers_nothing_and_creates_nothing(medlog, cli_env, tmp_path):
    data = os.path.dirname(default_journal(cli_env))
    for kind in ("substances", "ratings", "rules"):
        assert names(medlog, "bash", kind, "") == []
    assert not os.path.exists(data)  # not the journal, not even its folder
    assert names(medlog, "fish", "substances", "", "medlog", "--db", str(tmp_path / "no" / "j.sqlite")) == []
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("content", [b"", b"not a database at all\n" * 100, b"\0" * 4096])
def test_a_file_that_is_not_a_journal_answers_nothing(medlog, tmp_path, content):
    path = tmp_path / "odd.sqlite"
    path.write_bytes(content)
    assert names(medlog, "fish", "substances", "", "medlog", "--db", str(path)) == []
    assert path.read_bytes() == content


def test_a_foreign_sqlite_file_answers_nothing(medlog, tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE substance (name TEXT, kind TEXT, deleted_at TEXT)")
    conn.execute("INSERT INTO substance VALUES ('Secret', 'medication', NULL)")
    conn.commit()
    conn.close()
    assert names(medlog, "fish", "substances", "", "medlog", "--db", str(path)) == []


def test_an_empty_medlog_db_answers_nothing(medlog, monkeypatch):
    monkeypatch.setenv("MEDLOG_DB", "")
    assert names(medlog, "fish", "substances") == []


def test_a_journal_locked_by_another_process_answers_nothing_at_once(medlog, filled):
    """A connection in exclusive locking mode (as a tool copying the file might hold it) shuts readers out."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("UPDATE substance SET notes = 'x' WHERE id = 1")  # committed into the -wal, which stays
    conn.execute("BEGIN EXCLUSIVE")
    assert os.path.getsize(filled + "-wal") > 0
    try:
        start = time.perf_counter()
        assert names(medlog, "fish", "substances") == []
        assert time.perf_counter() - start < 2  # the Tab waited its short moment (store/tab_names.py), no more
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert names(medlog, "fish", "substances")  # and names again once the lock is gone


def test_an_encrypted_journal_answers_nothing_and_never_asks(medlog_process, cli_env, tmp_path):
    pytest.importorskip("sqlcipher3", reason="sqlcipher3 is in the test extra")
    sealed = str(tmp_path / "sealed.sqlite")
    with_key = {"MEDLOG_PASSPHRASE": "correct horse"}
    assert medlog_process("--db", sealed, "init", "--encrypt", env=with_key).code == 0
    assert medlog_process("--db", sealed, "substance", "add", "Escitalopram", "--kind", "medication",
                          env=with_key).code == 0
    before = open(sealed, "rb").read()
    for env in ({}, with_key):  # a passphrase in the environment is not used either: a Tab never unlocks
        ran = medlog_process(HIDDEN, "bash", "substances", "--", "", "medlog", "--db", sealed, env=env)
        assert (ran.code, ran.out, ran.err) == (0, "", "")
    assert open(sealed, "rb").read() == before


def test_the_hidden_command_is_listed_nowhere(medlog):
    assert HIDDEN not in medlog("--help").out
    assert HIDDEN not in build_parser().format_help()
    for shell in ("bash", "zsh", "fish"):
        script = medlog("completion", shell).out
        assert f"medlog {HIDDEN} {shell} " in script  # called, never offered as a command
        assert f"'{HIDDEN}'" not in script and f" {HIDDEN})" not in script


def every_command_and_option(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), name
                yield from every_command_and_option(sub, (*path, name))
        else:
            for option in action.option_strings:
                yield path, option


def test_every_command_and_option_of_the_parser_is_in_each_script(medlog):
    """The scripts are generated from the one argparse tree: a new command or option completes with no edit."""
    tree = list(every_command_and_option(build_parser()))
    assert len(tree) > 200 and (("rule", "add", "daily-max"), "--source") in tree
    scripts = {shell: medlog("completion", shell).out for shell in ("bash", "zsh", "fish")}
    for path, word in tree:
        assert word in scripts["bash"], (path, word)
        assert word.lstrip("-") in scripts["fish"], (path, word)
        assert word in scripts["zsh"].replace("\\-", "-"), (path, word)
    # the bash script keeps each command's own options: the variable named after its path lists them
    options = [line for line in scripts["bash"].splitlines() if line.startswith("_shtab_medlog_rule_add_spacing_opt")]
    assert options and "--both-ways" in options[0] and "--source" in options[0]


def test_names_attach_to_arguments_the_parser_has(monkeypatch):
    """completion.NAMES is checked against the tree: a renamed or removed argument fails here, not at a Tab."""
    for shell in ("bash", "zsh", "fish"):
        completion.attach(build_parser(), shell)
    monkeypatch.setitem(completion.NAMES, ("take",), {"words": "substances", "--nope": "substances"})
    with pytest.raises(LookupError, match="--nope"):
        completion.attach(build_parser(), "bash")


def test_completion_is_a_command_with_its_shells(medlog):
    assert "completion" in COMMANDS
    for shell in ("bash", "zsh", "fish"):
        ran = medlog("completion", shell)
        assert ran.code == 0 and "_medlog_names" in ran.out
    ran = medlog("completion", "tcsh")
    assert ran.code == 2 and "invalid choice" in ran.err


def test_the_names_command_keeps_to_the_quick_path(cli_env, filled):
    """No ORM, no settings, no Textual: a Tab pays for Python, the parser and one read."""
    probe = ("import sys\nfrom medlog.cli.main import main\nmain(sys.argv[1:])\n"
             "print(repr(sorted(sys.modules)), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", probe, HIDDEN, "bash", "substances", "--", "E"], env=cli_env,
                          capture_output=True, text=True)
    assert proc.stdout == "Escitalopram\n"
    loaded = set(eval(proc.stderr.strip().splitlines()[-1]))  # noqa: S307 — our own probe's repr
    from tests.test_architecture import HEAVY

    assert not loaded & {*HEAVY, "medlog.config", "medlog.services.context", "shtab"}, sorted(loaded & {*HEAVY})
