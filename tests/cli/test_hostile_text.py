"""Issue 16, items 1 and 2: text that could move the terminal is refused at every door, and whatever is already
stored (an older journal, another tool writing the file) never reaches the terminal raw."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import default_journal

HOSTILE = "x \x1b[2J\x1b]52;c;ZXZpbA==\x07 \x1b]8;;http://evil\x07link\x1b]8;;\x07 \u202eabc"


@pytest.mark.parametrize("args", [
    ("note", "Zero\u200bWidth"), ("note", "a\u202eb"), ("substance", "add", "Zero\u200bWidth", "--kind", "supplement"),
    ("symptom", "dizzy\u2066", "3"),
])
def test_invisible_formatting_characters_are_refused_as_typed(medlog, args):
    ran = medlog(*args)
    assert ran.code == 2 and "invisible formatting character" in ran.err and ran.err.count("\n") == 1, ran.err


def test_what_is_stored_is_shown_escaped_never_raw(medlog, cli_env):
    assert medlog("substance", "add", "Magnesium", "--kind", "supplement", "--dose", "200 mg").code == 0
    assert medlog("note", "plain").code == 0
    conn = sqlite3.connect(default_journal(cli_env))
    with conn:  # as another tool, or an older medlog, could have stored them
        conn.execute("UPDATE note SET text = ?", (HOSTILE,))
        conn.execute("UPDATE substance SET name = ?", ("Mag\x1b]0;TITLE\x07nesium",))
    conn.close()
    for args in (("log",), ("substance", "list"), ("substance", "show", "mag")):
        ran = medlog(*args)
        assert ran.code == 0, (args, ran.err)
        assert "\x1b" not in ran.out and "\x07" not in ran.out and "\u202e" not in ran.out, args
    shown = medlog("log").out
    assert "\\x1b[2J" in shown and "\\u202e" in shown  # visible, so the user sees something is odd
    data = json.loads(medlog("log", "--json").out)  # JSON keeps the value exactly (escaped by JSON itself)
    assert any(e.get("text") == HOSTILE for e in data["entries"])


def test_an_import_holding_them_is_refused_in_one_line(medlog, cli_env, tmp_path):
    assert medlog("note", "plain").code == 0
    exported = tmp_path / "one.json"
    assert medlog("export", "--format", "json", "-o", str(exported)).code == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["tables"]["note"][0]["text"] = HOSTILE
    data["tables"]["note"][0]["uuid"] = "00000000-0000-4000-8000-000000000001"
    data["change_log"] = []
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    ran = medlog("--db", str(tmp_path / "new.sqlite"), "import", str(bad))
    assert ran.code == 2 and "control character" in ran.err and ran.err.count("\n") == 1, ran.err
    assert "\x1b" not in ran.err  # the refusal quotes the value escaped


def test_a_file_name_with_an_escape_is_quoted_escaped_by_export_and_report(medlog, tmp_path):
    """Found by the fuzz suite's hostile strategies: export and report write their documents raw, but their
    messages on stderr name the file, and a file name can hold an escape too."""
    assert medlog("note", "plain").code == 0
    for args in (("export", "--format", "json", "-o"), ("report", "--format", "md", "-o")):
        ran = medlog(*args, str(tmp_path / f"{args[0]}\x1b]0;T\x07.out"))
        assert ran.code == 0 and "\x1b" not in ran.err and "\\x1b]0;T\\x07" in ran.err, ran


def test_an_emoji_sequence_in_a_note_is_shown_whole(medlog):
    family = "fam \U0001F468\u200d\U0001F469\u200d\U0001F467"  # the joiner is what makes one family of three
    assert medlog("note", family).code == 0
    assert family in medlog("log").out
