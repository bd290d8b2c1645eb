"""`medlog config show|path|set|edit`, and a bad setting anywhere as one line naming the key, the file and its line
(or the variable), all through the real entry point."""

from __future__ import annotations

import json
import os
import stat

import pytest

EDITOR = """#!/bin/sh
# a fake editor for the tests: writes what MEDLOG_TEST_EDIT says at the end of the file it is given
printf '%s\\n' "$MEDLOG_TEST_EDIT" >> "$1"
"""


@pytest.fixture
def config_path(cli_env) -> str:
    return os.path.join(cli_env["XDG_CONFIG_HOME"], "medlog", "config.toml")


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def read(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def sources(medlog) -> dict[str, dict]:
    ran = medlog("config", "show", "--json")
    assert ran.code == 0, ran.err
    return {s["key"]: s for s in json.loads(ran.out)["settings"]}


def test_path_is_said_even_without_a_file(medlog, config_path):
    ran = medlog("config", "path")
    assert (ran.code, ran.out) == (0, config_path + "\n") and "does not exist yet" in ran.err
    write(config_path, "")
    assert medlog("config", "path").err == ""


def test_show_gives_each_setting_its_source(medlog, config_path, monkeypatch):
    write(config_path, '# mine\nname = "Alex Example"\n\nday_rollover = "03:00"  # night owl\n')
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    found = sources(medlog)
    assert list(found) == ["timezone", "day_rollover", "starter_rules", "adherence_window", "name", "page_size",
                           "locale", "quiet_hours"]
    assert found["timezone"] == {"key": "timezone", "value": "Europe/London", "source": "environment",
                                 "variable": "MEDLOG_TZ"}
    assert found["name"] == {"key": "name", "value": "Alex Example", "source": "file", "line": 2}
    assert found["day_rollover"] == {"key": "day_rollover", "value": "03:00", "source": "file", "line": 4}
    assert found["adherence_window"] == {"key": "adherence_window", "value": "2h", "source": "default"}
    assert found["page_size"] == {"key": "page_size", "value": "letter", "source": "environment", "variable": "LANG"}
    monkeypatch.setenv("MEDLOG_ROLLOVER", "02:30")  # wins over the file
    assert sources(medlog)["day_rollover"] == {"key": "day_rollover", "value": "02:30", "source": "environment",
                                               "variable": "MEDLOG_ROLLOVER"}
    text = medlog("config", "show")
    assert text.code == 0 and f"config file  {config_path}\n" in text.out
    assert "day_rollover      \"02:30\"" in text.out and "environment (MEDLOG_ROLLOVER)" in text.out
    assert "file, line 2" in text.out and "quiet_hours       (off)" in text.out


def test_set_keeps_comments_and_other_keys(medlog, config_path):
    before = '# my settings\nname = "Alex"   # for the report\nday_rollover = "04:00"  # night owl\n\n[later]\nx = 1\n'
    write(config_path, before)
    ran = medlog("config", "set", "day_rollover", "03:00")
    assert ran.code == 0 and ran.out == f'day_rollover = "03:00" in {config_path}\n', ran.err
    assert read(config_path) == before.replace('"04:00"', '"03:00"')
    assert medlog("config", "set", "starter_rules", "false").code == 0
    assert medlog("config", "set", "quiet_hours", "22:00-07:00").code == 0
    after = read(config_path)
    assert after.startswith('# my settings\nname = "Alex"   # for the report\nday_rollover = "03:00"  # night owl\n')
    assert "starter_rules = false\n" in after and 'quiet_hours = "22:00-07:00"\n' in after
    assert after.endswith("[later]\nx = 1\n")
    found = sources(medlog)
    assert (found["starter_rules"]["value"], found["quiet_hours"]["value"]) == (False, "22:00-07:00")


def test_set_makes_a_private_file_in_a_private_folder(medlog, config_path):
    ran = medlog("config", "set", "timezone", "Europe/Berlin")
    assert ran.code == 0 and read(config_path) == 'timezone = "Europe/Berlin"\n'
    assert "MEDLOG_TZ is set, and wins over the file" in ran.err  # the suite sets it
    assert stat.S_IMODE(os.stat(config_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(config_path)).st_mode) == 0o700


@pytest.mark.parametrize("key, value, said", [
    ("day_rollover", "25:00", 'config set: day_rollover "25:00" is not a time of day'),
    ("day_rollover", "13:00", 'day_rollover "13:00" must be before 12:00'),
    ("starter_rules", "yes", "starter_rules must be true or false"),
    ("adherence_window", "forever", 'adherence_window "forever" is not a number'),
    ("quiet_hours", "22:00", 'quiet_hours "22:00": write it as START-END'),
    ("timezone", "Mars/Base", 'timezone "Mars/Base": unknown time zone'),
    ("page_size", "A5", 'page_size must be "A4" or "letter"'),
    ("locale", "klingon", "locale \"klingon\" is not one medlog can write dates in"),
    ("name", " ", "name must be text of 1 to 100 characters"),
    ("day_roll_over", "03:00", "no setting is called 'day_roll_over' (did you mean day_rollover?)"),
])
def test_set_refuses_a_bad_value_and_writes_nothing(medlog, config_path, key, value, said):
    ran = medlog("config", "set", key, value)
    assert ran.code == 2 and ran.out == "" and said in ran.err and ran.err.count("\n") == 1, ran.err
    assert ran.err.endswith("; nothing was written\n") and not os.path.exists(config_path)
    write(config_path, "# kept\nname = 'A'\n")
    assert medlog("config", "set", key, value).code == 2 and read(config_path) == "# kept\nname = 'A'\n"


def test_a_write_that_fails_midway_leaves_the_old_file_whole(medlog, config_path, monkeypatch):
    before = '# kept\nday_rollover = "04:00"\n'
    write(config_path, before)
    real_fdopen = os.fdopen

    class Torn:
        """The temporary file, as a full disk leaves it: half of what is written reaches it, then an error."""

        def __init__(self, fd: int, *args, **kwargs) -> None:
            self.fh = real_fdopen(fd, *args, **kwargs)

        def write(self, data: bytes) -> int:
            self.fh.write(data[: len(data) // 2])
            self.fh.flush()
            raise OSError(28, "No space left on device")

        def __getattr__(self, name: str):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.fh.close()

    for patch in ((os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "Input/output error"))),
                  (os, "fdopen", Torn), (os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(13, "denied")))):
        with monkeypatch.context() as m:
            m.setattr(*patch)
            ran = medlog("config", "set", "day_rollover", "03:00")
        assert ran.code == 2 and "cannot write" in ran.err and ran.err.count("\n") == 1, (patch, ran.err)
        assert read(config_path) == before, patch
        assert os.listdir(os.path.dirname(config_path)) == ["config.toml"], patch  # no half-written copy left
    assert medlog("config", "set", "day_rollover", "03:00").code == 0  # and unpatched, it is written
    assert read(config_path) == before.replace("04:00", "03:00")


def test_set_writes_through_a_link_into_dotfiles(medlog, config_path, tmp_path):
    dotfiles = tmp_path / "dotfiles" / "medlog.toml"
    write(str(dotfiles), "# from my dotfiles\n")
    os.makedirs(os.path.dirname(config_path))
    os.symlink(dotfiles, config_path)
    assert medlog("config", "set", "name", "Alex").code == 0
    assert os.path.islink(config_path) and read(str(dotfiles)) == '# from my dotfiles\nname = "Alex"\n'


@pytest.fixture
def editor(tmp_path, monkeypatch):
    script = tmp_path / "fake-editor"
    script.write_text(EDITOR, encoding="utf-8")
    script.chmod(0o700)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    return lambda text: monkeypatch.setenv("MEDLOG_TEST_EDIT", text)


def test_edit_keeps_a_good_edit(medlog, config_path, editor):
    write(config_path, "# mine\nname = 'A'\n")
    editor('day_rollover = "03:00"')
    ran = medlog("config", "edit")
    assert ran.code == 0 and ran.out == f"Saved {config_path}\n"
    assert read(config_path) == "# mine\nname = 'A'\nday_rollover = \"03:00\"\n"
    assert sources(medlog)["day_rollover"] == {"key": "day_rollover", "value": "03:00", "source": "file", "line": 3}
    assert sorted(os.listdir(os.path.dirname(config_path))) == ["config.toml"]


def test_edit_without_a_file_starts_from_every_setting_commented_out(medlog, config_path, editor):
    editor('name = "Alex"')
    assert medlog("config", "edit").code == 0
    text = read(config_path)
    assert text.endswith('# quiet_hours = "22:00-07:00"\nname = "Alex"\n') and "# day_rollover = \"04:00\"" in text
    assert sources(medlog)["name"]["value"] == "Alex"


@pytest.mark.parametrize("edit, said", [
    ('day_rollover = "25:00"', ', line 3: day_rollover "25:00" is not a time of day'),
    ('day_rollover = "03:00', ", line 3: not TOML: "),
    ("starter_rules = 1", ", line 3: starter_rules must be true or false"),
])
def test_edit_keeps_the_old_file_when_the_edit_is_bad(medlog, config_path, editor, edit, said):
    before = "# mine\nname = 'A'\n"
    write(config_path, before)
    editor(edit)
    ran = medlog("config", "edit")
    assert ran.code == 2 and ran.err.count("\n") == 1 and f"config file {config_path}{said}" in ran.err, ran.err
    assert f"{config_path} is unchanged (your edit is kept in {config_path}.rejected)" in ran.err
    assert read(config_path) == before and read(config_path + ".rejected") == before + edit + "\n"


def test_edit_when_the_editor_fails_or_is_missing(medlog, config_path, monkeypatch):
    write(config_path, "name = 'A'\n")
    monkeypatch.setenv("VISUAL", "false")
    ran = medlog("config", "edit")
    assert ran.code == 1 and "exited with status 1" in ran.err and read(config_path) == "name = 'A'\n"
    monkeypatch.setenv("VISUAL", "/no/such/editor")
    ran = medlog("config", "edit")
    assert ran.code == 2 and "cannot run the editor '/no/such/editor'" in ran.err
    assert os.listdir(os.path.dirname(config_path)) == ["config.toml"]
    monkeypatch.delenv("VISUAL")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    ran = medlog("config", "edit")
    assert ran.code == 2 and "no editor: set EDITOR" in ran.err


def test_a_bad_value_in_the_file_is_one_line_naming_key_file_and_line(medlog, config_path):
    write(config_path, '# mine\nname = "A"\nday_rollover = "25:00"\n')
    for args in (["due"], ["take", "esc"], ["config", "show"]):
        ran = medlog(*args)
        assert ran.code == 2 and ran.err.count("\n") == 1, (args, ran.err)
        assert ran.err.startswith(f'medlog: config file {config_path}, line 3: day_rollover "25:00" is not a time')
    write(config_path, 'quiet_hours = "22:00"\n')
    assert f'config file {config_path}, line 1: quiet_hours "22:00": write it as' in medlog("due").err
    write(config_path, 'timezone = "Mars/Base"\n')  # checked even while MEDLOG_TZ covers it
    ran = medlog("due")
    assert ran.code == 2 and f'config file {config_path}, line 1: timezone "Mars/Base": unknown time zone' in ran.err


def test_a_bad_value_in_the_environment_names_the_variable(medlog, monkeypatch):
    monkeypatch.setenv("MEDLOG_ROLLOVER", "13:00")
    ran = medlog("due")
    assert ran.code == 2 and ran.err == ('medlog: environment variable MEDLOG_ROLLOVER: day_rollover "13:00" must be '
                                         "before 12:00 (the journal day starts at night)\n")
    monkeypatch.setenv("MEDLOG_TZ", "Mars/Base")
    ran = medlog("config", "show")
    assert ran.code == 2 and ran.err.startswith('medlog: environment variable MEDLOG_TZ: timezone "Mars/Base": ')


def test_an_unknown_key_is_a_warning_naming_the_nearest(medlog, config_path):
    write(config_path, 'day_roll_over = "03:00"\n')
    ran = medlog("due")
    assert ran.code == 0 and ran.err == (f"medlog: warning: config file {config_path}, line 1: unknown setting "
                                         "'day_roll_over' is ignored (did you mean day_rollover?)\n")
    assert "unknown setting 'day_roll_over'" in medlog("config", "show").err
