"""`medlog sync DIR` (issue 19): two journals, one folder; every device writes its own file and merges the others'."""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import doses, entries, history, substances
from medlog.services import sync as service
from medlog.services.context import Journal
from medlog.services.substances import NewSubstance

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def _journal(path) -> Journal:  # type: ignore[no-untyped-def]
    return Journal(str(path), Settings(ZoneInfo("Europe/London")), FixedClock(NOW))


def _entries(journal: Journal) -> list[tuple[str, str, str]]:
    found = history.log(journal, since=datetime(2026, 1, 1, tzinfo=UTC).date())
    return sorted((e.kind, e.id, e.text) for e in found)


@pytest.fixture
def pair(tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "Sync"
    folder.mkdir()
    a, b = _journal(tmp_path / "a" / "journal.sqlite"), _journal(tmp_path / "b" / "journal.sqlite")
    substances.add(a, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                                   schedule=parse_schedule("08:00"), since=datetime(2026, 11, 1).date()))
    entries.add_note(b, "started on the laptop")
    return a, b, str(folder)


def test_two_devices_end_with_the_same_entries(pair):
    a, b, folder = pair
    service.sync(a, folder)
    service.sync(b, folder)  # B takes A's, writes its own
    service.sync(a, folder)  # A takes B's
    assert _entries(a) == _entries(b)
    assert {"Escitalopram"} <= {s.info.name for s in substances.list_substances(b)}
    assert len([n for n in os.listdir(folder) if n.endswith(".journal")]) == 2


def test_a_sync_with_nothing_new_reads_and_writes_nothing(pair):
    a, b, folder = pair
    service.sync(a, folder)
    service.sync(b, folder)
    service.sync(a, folder)
    mine = os.path.join(folder, service.sync(a, folder).mine)
    before = os.stat(mine).st_mtime_ns
    again = service.sync(a, folder)
    assert not again.wrote and again.added == 0
    assert os.stat(mine).st_mtime_ns == before


def test_a_truncated_or_conflicted_peer_file_changes_nothing_and_is_left_as_it_is(pair):
    a, b, folder = pair
    done = service.sync(b, folder)
    theirs = os.path.join(folder, done.mine)
    data = open(theirs, "rb").read()
    with open(theirs, "wb") as fh:
        fh.write(data[: len(data) // 3])  # the sync tool is still copying it
    conflict = os.path.join(folder, done.mine.replace(".journal", ".sync-conflict-20261121-090000-ABCDEFG.journal"))
    with open(conflict, "wb") as fh:
        fh.write(data)
    before = _entries(a)
    result = service.sync(a, folder)
    assert _entries(a) == before
    assert open(theirs, "rb").read() == data[: len(data) // 3] and open(conflict, "rb").read() == data
    said = " / ".join(result.left_alone)
    assert done.mine in said and "conflicted copy" in said
    with open(theirs, "wb") as fh:  # the copy completes: the next sync takes it
        fh.write(data)
    service.sync(a, folder)
    assert ("note" in {k for k, _, _ in _entries(a)})


def test_a_thousand_interleaved_writes_with_syncs_between_end_equal_and_nothing_doubled(pair):
    a, b, folder = pair
    rng = random.Random(19)
    service.sync(a, folder)
    service.sync(b, folder)
    written = 0
    for step in range(1000):
        device = a if rng.random() < 0.5 else b
        at = NOW - timedelta(minutes=rng.randrange(1, 60 * 24 * 14))
        if step % 3 == 0:
            doses.take(device, "escitalopram", parse_amount("10 mg"), at=device.moment(f"{at:%Y-%m-%d %H:%M}"))
        else:
            entries.add_note(device, f"note {step}", at=device.moment(f"{at:%Y-%m-%d %H:%M}"))
        written += 1
        if rng.random() < 0.1:
            service.sync(device, folder)
    for device in (a, b, a):
        service.sync(device, folder)
    mine, theirs = _entries(a), _entries(b)
    assert mine == theirs
    ids = [i for _, i, _ in mine]
    assert len(ids) == len(set(ids))
    notes = [t for k, _, t in mine if k == "note"]
    assert len(notes) == len(set(notes))  # every note once
    assert len([k for k, _, _ in mine if k in ("note", "dose")]) == written + 1  # + the laptop's first note


def test_status_says_when_each_device_last_synced_and_touches_nothing(pair):
    a, b, folder = pair
    service.sync(b, folder)
    before = _entries(a)
    status = service.sync(a, folder, status=True)
    assert [p.device for p in status.peers] and _entries(a) == before
    assert not os.path.exists(os.path.join(folder, status.mine))
