"""The reminder state file (store/reminder_state.py): round trip, modes, a missing file, a damaged one named by its
line, one file per journal, and the state folder found as platformdirs finds it."""

from __future__ import annotations

import os
import stat
import sys
from datetime import UTC, datetime

import platformdirs
import pytest

from medlog.domain.reminders import EMPTY, Sent, State
from medlog.paths import state_dir
from medlog.store import reminder_state as files

AT = datetime(2026, 11, 21, 8, 5, tzinfo=UTC)


def test_round_trip_with_private_modes(tmp_path):
    path = str(tmp_path / "state" / "medlog" / "j.reminders")
    state = State({"dose:1:2026-11-21:08:00": Sent(AT, 17), "refill:zinc:2026-11-21": Sent(AT)},
                  {"dose:1:2026-11-21:08:00": datetime(2026, 11, 21, 8, 35, tzinfo=UTC)})
    files.write(path, state)
    assert files.read(path) == state
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    assert os.listdir(os.path.dirname(path)) == ["j.reminders"]  # no temporary left behind


def test_a_missing_file_is_an_empty_state(tmp_path):
    assert files.read(str(tmp_path / "none.reminders")) == EMPTY


@pytest.mark.parametrize("text, said", [
    ("", "its first line is not"), ("something else\n", "its first line is not"),
    ("medlog reminders 1\nsent\tk\t2026-11-21T08:05:00+00:00\n", "line 2: not a sent or snoozed line"),
    ("medlog reminders 1\nsent\tk\t2026-11-21T08:05:00\t-\n", "line 2: '2026-11-21T08:05:00' has no offset"),
    ("medlog reminders 1\nsnoozed\tk\t2026-11-21T08:05:00+00:00\nsent\tk\tsoon\t-\n", "line 3:"),
    ("medlog reminders 1\nsent\tk\t2026-11-21T08:05:00+00:00\tseventeen\n", "line 2:"),
])
def test_a_damaged_file_is_named_by_its_line(tmp_path, text, said):
    path = tmp_path / "bad.reminders"
    path.write_text(text)
    with pytest.raises(files.StateDamaged, match=said.replace("(", r"\(")):
        files.read(str(path))


def test_bytes_that_are_not_text_are_damage(tmp_path):
    path = tmp_path / "bad.reminders"
    path.write_bytes(b"medlog reminders 1\n\xff\xfe\n")
    with pytest.raises(files.StateDamaged, match="not text"):
        files.read(str(path))


def test_each_journal_has_its_own_file():
    a = files.state_file("/s", "/home/ada/journal.sqlite")
    b = files.state_file("/s", "/home/ada/other/journal.sqlite")
    assert a != b and os.path.basename(a).startswith("journal.sqlite-") and a.endswith(".reminders")
    assert files.state_file("/s", "/home/ada/journal.sqlite") == a


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fast path is Linux's")
@pytest.mark.parametrize("xdg_state", [None, "/state/x", "relative/x"])
def test_the_state_folder_agrees_with_platformdirs(monkeypatch, xdg_state):
    env = {"HOME": "/home/ada"}
    monkeypatch.setenv("HOME", "/home/ada")
    if xdg_state is None:
        monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    else:
        env["XDG_STATE_HOME"] = xdg_state
        monkeypatch.setenv("XDG_STATE_HOME", xdg_state)
    assert state_dir(env) == platformdirs.user_state_dir("medlog", appauthor=False)
