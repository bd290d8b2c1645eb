"""The few places where medlog does by hand what a library would, to keep the quick-log path fast."""

import errno
import os
import sys
import uuid

import platformdirs
import pytest

from medlog.domain.record import record
from medlog.paths import config_file, data_dir, journal_path
from medlog.store.rows import db_time, from_db_time, new_uuid


def test_new_uuid_is_a_random_rfc4122_uuid():
    values = {new_uuid() for _ in range(2000)}
    assert len(values) == 2000
    for value in list(values)[:200]:
        parsed = uuid.UUID(value)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122 and str(parsed) == value


def test_db_time_round_trips_and_refuses_naive():
    from datetime import UTC, datetime, timedelta, timezone

    instant = datetime(2026, 11, 21, 8, 5, 3, 120, tzinfo=timezone(timedelta(hours=2)))
    assert db_time(instant) == "2026-11-21 06:05:03.000120"
    assert from_db_time(db_time(instant)) == instant and from_db_time(db_time(instant)).tzinfo == UTC
    with pytest.raises(ValueError):
        db_time(datetime(2026, 1, 1))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fast path is Linux's")
@pytest.mark.parametrize("xdg_data, xdg_config, home", [
    (None, None, "/home/ada"), ("/data/x", "/conf/y", "/home/ada"), ("relative/x", "", "/home/ada"),
    ("", None, "/root"),
])
def test_paths_agree_with_platformdirs(monkeypatch, xdg_data, xdg_config, home):
    env = {"HOME": home}
    for key, value in (("XDG_DATA_HOME", xdg_data), ("XDG_CONFIG_HOME", xdg_config)):
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            env[key] = value
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("HOME", home)
    assert data_dir(env) == platformdirs.user_data_dir("medlog", appauthor=False)
    assert config_file(env) == os.path.join(platformdirs.user_config_dir("medlog", appauthor=False), "config.toml")


def test_journal_path_precedence(tmp_path):
    env = {"HOME": str(tmp_path), "MEDLOG_DB": str(tmp_path / "env.sqlite")}
    assert journal_path(str(tmp_path / "flag.sqlite"), env) == str(tmp_path / "flag.sqlite")
    assert journal_path(None, env) == str(tmp_path / "env.sqlite")
    assert journal_path(None, {"HOME": str(tmp_path)}).endswith(os.path.join("medlog", "journal.sqlite"))


def test_record_is_an_immutable_value():
    @record
    class Point:
        x: int
        y: int = 0

        def norm(self) -> int:
            return abs(self.x) + abs(self.y)

    p = Point(3)
    assert p == Point(3, 0) and hash(p) == hash(Point(3, 0)) and p.norm() == 3
    assert p._replace(y=4) == Point(3, 4) and repr(p) == "Point(x=3, y=0)"
    assert isinstance(p, tuple) and not hasattr(p, "__dict__")
    with pytest.raises(AttributeError):
        p.x = 5  # type: ignore[misc]
    with pytest.raises(TypeError, match="defaults must come last"):
        @record
        class Bad:
            a: int = 1
            b: int


@pytest.mark.parametrize(("env", "paper"), [
    ({"LANG": "en_US.UTF-8"}, "letter"), ({"LANG": "en_GB.UTF-8"}, "A4"), ({"LANG": "es_MX"}, "letter"),
    ({"LC_PAPER": "fr_CA.UTF-8", "LANG": "en_GB.UTF-8"}, "letter"), ({"LC_ALL": "de_DE@euro", "LANG": "en_US"}, "A4"),
    ({"LANG": "C.UTF-8"}, "A4"), ({}, "A4"),
])
def test_the_report_paper_follows_the_locale(env, paper):
    from medlog.config import locale_paper

    assert locale_paper(env) == paper


def test_name_and_page_size_come_from_the_config(tmp_path):
    from zoneinfo import ZoneInfo

    from medlog.config import load_settings
    from medlog.domain.errors import InputError

    folder = tmp_path / "medlog"
    folder.mkdir()
    env = {"MEDLOG_CONFIG": str(folder / "config.toml"), "MEDLOG_TZ": "UTC", "LANG": "en_US.UTF-8"}
    assert load_settings(env).page_size == "letter" and load_settings(env).name is None
    (folder / "config.toml").write_text('name = " Alex Example "\npage_size = "a4"\n', encoding="utf-8")
    settings = load_settings(env)
    assert (settings.name, settings.page_size, settings.zone) == ("Alex Example", "A4", ZoneInfo("UTC"))
    for bad in ('page_size = "A5"\n', "name = 7\n", 'name = ""\n'):
        (folder / "config.toml").write_text(bad, encoding="utf-8")
        with pytest.raises(InputError, match="page_size|name"):
            load_settings(env)


@pytest.mark.parametrize("code, refused", [(errno.EINVAL, False), (errno.ENOTSUP, False), (errno.EIO, True)])
def test_a_folder_the_platform_will_not_sync_does_not_refuse_a_backup(tmp_path, monkeypatch, code, refused):
    # Some platforms (Windows, network filesystems) refuse to sync a folder: a backup is then as durable as they
    # allow, and still written. A real I/O error is still a refusal.
    import sqlite3

    from medlog.store import backup, durable

    real = os.fsync

    def fsync(fd):  # type: ignore[no-untyped-def]
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            raise OSError(code, os.strerror(code))
        return real(fd)

    monkeypatch.setattr(durable.os, "fsync", fsync)
    conn = sqlite3.connect(str(tmp_path / "j.sqlite"))
    conn.execute("CREATE TABLE t (x)")
    target = str(tmp_path / "backups" / "copy.sqlite")
    try:
        if refused:
            with pytest.raises(OSError):
                backup.backup_to(conn, target, journal=str(tmp_path / "j.sqlite"))
        else:
            assert backup.backup_to(conn, target, journal=str(tmp_path / "j.sqlite")) == target
            assert os.path.isfile(target)
    finally:
        conn.close()
