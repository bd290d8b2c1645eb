"""The settings schema (medlog/config.py SCHEMA): every key has a checker, a default and a line of docs; the loader
reads every key through it; the guide's settings table is generated from it."""

from __future__ import annotations

import os
import re

import pytest

from medlog import config
from medlog.config import KEYS, SCHEMA, Settings, load_settings, settings_table
from medlog.domain.errors import InputError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("setting", SCHEMA, ids=lambda s: s.key)
def test_every_key_has_a_checker_a_default_and_docs(setting):
    assert callable(setting.check) and setting.doc and setting.default_text
    assert setting.kind in ("text", "bool")
    assert all(re.fullmatch(r"[A-Z_]+", v) for v in setting.over + setting.under)
    default = setting.default({"TZ": "UTC"}) if callable(setting.default) else setting.default
    if default is not None:
        setting.check(default, setting.key)  # the default passes its own checker
    with pytest.raises(InputError):
        setting.check(["not", "a", "setting"], setting.key)  # and a list is refused by every one


def test_the_schema_is_every_setting_the_loader_reads():
    assert len(KEYS) == len(SCHEMA)
    fields = set(Settings._fields)  # type: ignore[attr-defined]
    assert {"day_rollover", "adherence_window", "starter_rules", "name", "page_size", "locale",
            "quiet_hours"} - fields <= {"day_rollover"}  # rollover is Settings.rollover, timezone Settings.zone
    source = open(config.__file__, encoding="utf-8").read()
    read = set(re.findall(r'"(MEDLOG_[A-Z_]+|TZ|LANG|LC_[A-Z]+)"', source))
    named = {v for s in SCHEMA for v in s.over + s.under}
    assert read <= named, f"variables config.py reads that no setting names: {read - named}"
    assert "data.get(" not in source and "env.get(\"" not in source.replace('env.get("MEDLOG_', "")  # via SCHEMA


def test_load_settings_reads_every_key_of_a_file(tmp_path):
    (tmp_path / "config.toml").write_text(
        'timezone = "Europe/Berlin"\nday_rollover = "03:00"\nstarter_rules = false\nadherence_window = "4h"\n'
        'name = "Alex"\npage_size = "letter"\nlocale = "de"\nquiet_hours = "22:00-07:00"\n', encoding="utf-8")
    found = load_settings({"MEDLOG_CONFIG": str(tmp_path / "config.toml")})
    assert (found.zone.key, str(found.rollover), found.starter_rules, found.adherence_window.seconds, found.name,
            found.page_size, found.locale, str(found.quiet_hours.start)) == (  # type: ignore[union-attr]
        "Europe/Berlin", "03:00:00", False, 4 * 3600, "Alex", "letter", "de", "22:00:00")
    assert found.warnings == ()


def test_the_guide_holds_the_generated_table():
    guide = open(os.path.join(ROOT, "docs", "guide.md"), encoding="utf-8").read()
    table = settings_table()
    assert table in guide, "docs/guide.md's settings table is not settings_table(): paste it from there"
    section = guide.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    assert section.count("\n| ") == table.count("\n| ") + 1, "the settings section holds one table"
    for setting in SCHEMA:
        assert f"| `{setting.key}` |" in table


def test_a_toml_error_and_a_bad_value_name_the_line(tmp_path):
    path = tmp_path / "config.toml"
    env = {"MEDLOG_CONFIG": str(path), "MEDLOG_TZ": "UTC"}
    path.write_text('# a comment\nname = "A"\nday_rollover = "25:00"\n', encoding="utf-8")
    with pytest.raises(InputError, match=rf'^config file {re.escape(str(path))}, line 3: day_rollover "25:00" '):
        load_settings(env)
    path.write_text('name = "A"\nday_rollover = "03:00\n', encoding="utf-8")
    with pytest.raises(InputError, match=r", line 2: not TOML: "):
        load_settings(env)
    path.write_bytes(b'name = "\xff"\n')
    with pytest.raises(InputError, match="not UTF-8"):
        load_settings(env)
