"""`medlog merge` as a use case (issue 19): two real journal files, written through the services, joined both ways.

"The same entries" is held at its strongest: every table's rows, tombstones included, each by its UUID with every
column but the integer id (which differs between files), references as the UUID of the row they name
(`state`). The change log is left out: each journal's is its own history of how it got there.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medlog.clock import FixedClock
from medlog.config import Settings
from medlog.domain.errors import InputError
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import doses, entries, exchange, history, merge, metrics, substances
from medlog.services.backups import create
from medlog.services.context import Journal
from medlog.services.edit import edit
from medlog.services.substances import NewSubstance
from medlog.store.exchange import ORDER, rows
from medlog.store.sqlite_file import APPLICATION_ID
from tests.conftest import NOW, ZONE

MINUTE = timedelta(minutes=1)


def journal_at(path: str, when: datetime) -> Journal:
    return Journal(path, Settings(ZoneInfo(ZONE)), FixedClock(when))


def state(path: str) -> dict[str, dict[str, tuple]]:
    """Every row of every journal table, by UUID: all columns but the id, references as UUIDs."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {table: {str(r["uuid"]): tuple(sorted(r.items())) for r in rows(conn, table)} for table in ORDER}
    finally:
        conn.close()


def live(path: str, sql: str, *args: object) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def rewrite(path: str, old: str, new: str) -> None:
    """A file with its first `old` made `new` (which must be there)."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert old in text, old
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace(old, new, 1))


def files_beside(path: str) -> set[str]:
    folder = os.path.dirname(path)
    return {name for name in os.listdir(folder) if name.startswith(os.path.basename(path))}


def both_ways(tmp_path, a: str, b: str) -> tuple[str, str, merge.Merged, merge.Merged]:
    """A into a copy of B, and B into a copy of A; each copy checked to end with the same rows, and OTHER never
    written."""
    into_b, into_a = str(tmp_path / "into-b.sqlite"), str(tmp_path / "into-a.sqlite")
    shutil.copyfile(b, into_b)
    shutil.copyfile(a, into_a)
    before = {p: open(p, "rb").read() for p in (a, b)}
    later = NOW + timedelta(days=2)
    ab = merge.merge_file(journal_at(into_b, later), a)
    ba = merge.merge_file(journal_at(into_a, later), b)
    assert {p: open(p, "rb").read() for p in (a, b)} == before  # OTHER is only read
    assert state(into_a) == state(into_b)
    return into_a, into_b, ab, ba


def escitalopram(j: Journal, *aliases: str) -> None:
    substances.add(j, NewSubstance("Escitalopram", "medication", strength=parse_amount("10 mg"), form="tablet",
                                   dose=parse_amount("10 mg"), schedule=parse_schedule("08:00"),
                                   since=j.moment("2026-11-01 08:00"), aliases=aliases))


@pytest.fixture
def two(tmp_path):
    """Two devices' journals, each with its own Escitalopram (the issue's clash: the same name, two UUIDs)."""
    a, b = str(tmp_path / "phone.sqlite"), str(tmp_path / "laptop.sqlite")
    escitalopram(journal_at(a, NOW - timedelta(days=20)), "Lexapro")
    escitalopram(journal_at(b, NOW - timedelta(days=19)), "Cipralex")
    return a, b


def test_the_same_substance_on_both_sides_becomes_one(tmp_path, two):
    a, b = two
    doses.take(journal_at(a, NOW), "esc", at=journal_at(a, NOW).moment("2026-11-20 08:05"))
    doses.take(journal_at(b, NOW), "esc", parse_amount("5 mg"), at=journal_at(b, NOW).moment("2026-11-19 08:10"))
    # what the issue saw: importing the other device's export is refused whole
    exchange.export(journal_at(b, NOW), "json", str(tmp_path / "laptop.json"))
    with pytest.raises(InputError, match="clashes with the journal"):
        exchange.import_file(journal_at(a, NOW), str(tmp_path / "laptop.json"))

    into_a, _, ab, ba = both_ways(tmp_path, a, b)
    assert (ab.joined, ba.joined) == (1, 1)
    assert ba.summary.startswith(f"merged {b}: ") and "1 substance joined" in ba.summary
    survivor = live(into_a, "SELECT id, uuid FROM substance WHERE deleted_at IS NULL")
    assert len(survivor) == 1
    first = live(a, "SELECT uuid FROM substance")[0][0]  # the phone's was made first: it stays
    assert survivor[0][1] == first
    sid = survivor[0][0]
    assert live(into_a, "SELECT count(*) FROM substance WHERE deleted_at IS NOT NULL") == [(1,)]
    # aliases, regimen events and doses of both devices, on the one substance, in time order
    assert sorted(live(into_a, "SELECT alias FROM substance_alias WHERE deleted_at IS NULL AND substance_id = ?",
                       sid)) == [("Cipralex",), ("Lexapro",)]
    assert live(into_a, "SELECT count(*) FROM regimen_event WHERE substance_id = ? AND deleted_at IS NULL",
                sid) == [(2,)]
    assert live(into_a, "SELECT amount_value FROM dose WHERE substance_id = ? AND deleted_at IS NULL "
                        "ORDER BY occurred_at", sid) == [(5.0,), (10.0,)]
    merged = journal_at(into_a, NOW + timedelta(days=2))
    assert [e.text for e in history.log(merged, since=datetime(2026, 11, 19).date(), kinds=("dose",))] == \
        ["took Escitalopram 5 mg (08:00 dose)", "took Escitalopram 10 mg (08:00 dose)"]
    doses.take(merged, "cipralex", at=merged.moment("08:01"))  # either device's names find it
    doses.take(merged, "lexapro", at=merged.moment("08:30"))


def test_a_dose_logged_on_both_devices_is_kept_once(tmp_path, two):
    a, b = two
    ja, jb = journal_at(a, NOW), journal_at(b, NOW)
    doses.take(ja, "esc", at=ja.moment("2026-11-20 08:00"))  # the same dose, 40 s apart: once
    doses.take(jb, "esc", at=jb.moment("2026-11-20 08:00"))
    doses.take(ja, "esc", at=ja.moment("2026-11-21 08:00"))  # 2 minutes apart: two doses
    doses.take(jb, "esc", at=jb.moment("2026-11-21 08:02"))
    doses.take(ja, "esc", parse_amount("5 mg"), at=ja.moment("2026-11-19 08:00"))  # another amount: two
    doses.take(jb, "esc", at=jb.moment("2026-11-19 08:00"))
    doses.take(ja, "esc", parse_amount("5 mg"), at=ja.moment("2026-11-18 08:00"))  # one device's own two: two
    doses.take(ja, "esc", parse_amount("5 mg"), at=ja.moment("2026-11-18 08:00"))
    conn = sqlite3.connect(b)
    conn.execute("UPDATE dose SET occurred_at = '2026-11-20 08:00:40.000000' WHERE journal_day = '2026-11-20'")
    conn.commit()
    conn.close()

    into_a, _, ab, ba = both_ways(tmp_path, a, b)
    assert (ab.doubles, ba.doubles) == (1, 1)
    assert live(into_a, "SELECT journal_day, count(*) FROM dose WHERE deleted_at IS NULL GROUP BY journal_day") == \
        [("2026-11-18", 2), ("2026-11-19", 2), ("2026-11-20", 1), ("2026-11-21", 2)]
    kept = live(into_a, "SELECT occurred_at FROM dose WHERE journal_day = '2026-11-20' AND deleted_at IS NULL")
    assert kept == [("2026-11-20 08:00:00.000000",)]  # the earlier of the two
    # the other is a tombstone, so a merge either way agrees afterwards
    assert live(into_a, "SELECT count(*) FROM dose WHERE journal_day = '2026-11-20'") == [(2,)]


def test_a_day_rated_on_both_keeps_the_later_rating_and_a_starter_rule_is_kept_once(tmp_path):
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    for path, hours in ((a, 0), (b, 1)):
        j = journal_at(path, NOW + timedelta(hours=hours))
        substances.add(j, NewSubstance("Magnesium glycinate", "supplement", dose=parse_amount("200 mg")))
        entries.rate(j, [f"mood={4 + hours}"])
    assert live(a, "SELECT count(*) FROM rule") == [(1,)]  # a starter rule, adopted on each device
    into_a, _, ab, ba = both_ways(tmp_path, a, b)
    assert live(into_a, "SELECT value FROM observation WHERE deleted_at IS NULL") == [(5.0,)]  # rated later
    assert live(into_a, "SELECT count(*) FROM rule WHERE deleted_at IS NULL") == [(1,)]
    assert (ab.doubles, ba.doubles, ab.joined) == (2, 2, 1)


def test_custom_metrics_of_one_key_become_one(tmp_path):
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    for path, days in ((a, 1), (b, 0)):
        j = journal_at(path, NOW - timedelta(days=days))
        metrics.add(j, "focus", min_text="0", max_text="10", higher_is_better=True, integer=True)
        entries.rate(j, [f"focus={5 + days}"])
    into_a, _, ab, _ = both_ways(tmp_path, a, b)
    assert ab.metrics_joined == 1 and "1 metric joined" in ab.summary
    found = live(into_a, "SELECT m.uuid, o.value FROM observation o JOIN metric m ON m.id = o.metric_id "
                         "WHERE o.deleted_at IS NULL ORDER BY o.journal_day")
    first = live(a, "SELECT uuid FROM metric WHERE key = 'focus'")[0][0]
    assert found == [(first, 6.0), (first, 5.0)]


@pytest.fixture
def shared(tmp_path):
    """One journal copied to two devices: the same rows, by UUID, on both."""
    base = str(tmp_path / "base.sqlite")
    j = journal_at(base, NOW - timedelta(days=3))
    escitalopram(j)
    doses.take(j, "esc", at=j.moment("2026-11-17 08:00"))
    doses.take(j, "esc", at=j.moment("2026-11-18 08:00"))
    entries.add_note(j, "first words")
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    shutil.copyfile(base, a)
    shutil.copyfile(base, b)
    return a, b


def entry_id(path: str, kind: str, when: datetime = NOW) -> str:
    found = [e for e in history.log(journal_at(path, when), since=datetime(2026, 11, 1).date()) if e.kind == kind]
    return found[0].id


def test_deletions_carry_over_and_an_undone_deletion_wins(tmp_path, shared):
    a, b = shared
    history.delete(journal_at(a, NOW - timedelta(hours=5)), "dose", entry_id(a, "dose"), "a dose")
    into_a, into_b, ab, ba = both_ways(tmp_path, a, b)
    assert ab.updated == 1 and ba.updated == 0
    assert live(into_b, "SELECT count(*) FROM dose WHERE deleted_at IS NULL") == [(1,)]
    # the phone undoes its deletion (a change after it): that wins over the tombstone the laptop now holds
    history.undo(journal_at(a, NOW - timedelta(hours=1)))
    done = merge.merge_file(journal_at(into_b, NOW + timedelta(days=3)), a)
    assert done.updated == 1
    assert live(into_b, "SELECT count(*) FROM dose WHERE deleted_at IS NULL") == [(2,)]


def test_an_edit_on_both_sides_keeps_the_later_and_undo_brings_back_the_other(tmp_path, shared):
    a, b = shared
    note = entry_id(a, "note")
    edit(journal_at(a, NOW - timedelta(hours=2)), "note", note, {"text": "the phone's words"})
    edit(journal_at(b, NOW - timedelta(hours=1)), "note", note, {"text": "the laptop's words"})  # later
    entries.add_note(journal_at(a, NOW - timedelta(minutes=30)), "a note of the phone's own")
    text = "SELECT text FROM note WHERE uuid = ?"
    into_a, into_b, ab, ba = both_ways(tmp_path, a, b)
    assert live(into_a, text, note) == live(into_b, text, note) == [("the laptop's words",)]
    assert (ba.updated, ba.kept, ab.added, ab.updated, ab.kept) == (1, 0, 1, 0, 1)
    assert "later edits of 1 entry kept" in ab.summary

    # The phone's journal took the laptop's edit: its own is the merge's `before`, and undo brings it back.
    undone = history.undo(journal_at(into_a, NOW + timedelta(days=3)))
    assert undone is not None and undone.summary == ba.summary
    assert live(into_a, text, note) == [("the phone's words",)]

    # The laptop's own edit stayed; the phone's is in its change log, in a batch just before the merge: the first
    # undo puts the laptop back exactly as it was (nothing to change here), the second puts the phone's words in.
    assert live(into_b, "SELECT count(*) FROM change_log WHERE after LIKE '%the laptop''s words%' AND before LIKE "
                        "'%the phone''s words%'") == [(1,)]
    assert history.undo(journal_at(into_b, NOW + timedelta(days=3))).summary == ab.summary
    assert live(into_b, text, note) == [("the laptop's words",)]
    assert live(into_b, "SELECT count(*) FROM note WHERE deleted_at IS NULL") == [(1,)]  # the merge is undone
    second = history.undo(journal_at(into_b, NOW + timedelta(days=3)))
    assert second.summary == f"kept this journal's later edits of 1 entry over {a}'s"
    assert live(into_b, text, note) == [("the phone's words",)]


def test_when_nothing_else_comes_in_undo_puts_the_other_edit_in_at_once(tmp_path, shared):
    a, b = shared
    note = entry_id(a, "note")
    edit(journal_at(a, NOW - timedelta(hours=2)), "note", note, {"text": "the phone's words"})
    edit(journal_at(b, NOW - timedelta(hours=1)), "note", note, {"text": "the laptop's words"})
    done = merge.merge_file(journal_at(b, NOW), a)
    assert (done.added, done.updated, done.kept, done.nothing_new) == (0, 0, 1, False)
    assert history.undo(journal_at(b, NOW)).summary == f"kept this journal's later edits of 1 entry over {a}'s"
    assert live(b, "SELECT text FROM note") == [("the phone's words",)]
    assert merge.merge_file(journal_at(b, NOW + timedelta(hours=1)), a).nothing_new  # recorded once


def test_merging_again_adds_nothing_and_writes_nothing(tmp_path, two):
    a, b = two
    doses.take(journal_at(b, NOW), "esc", at=journal_at(b, NOW).moment("2026-11-20 08:05"))
    into_a, into_b, _, _ = both_ways(tmp_path, a, b)
    for target, other in ((into_a, b), (into_b, a), (into_a, into_b), (into_b, into_a)):
        count = live(target, "SELECT count(*) FROM change_log")
        again = merge.merge_file(journal_at(target, NOW + timedelta(days=4)), other)
        assert again.nothing_new and again.summary.endswith("nothing new (the journal already holds all of it)")
        assert live(target, "SELECT count(*) FROM change_log") == count
    assert state(into_a) == state(into_b)


def test_undoing_a_merge_then_merging_again_brings_it_back(tmp_path, two):
    a, b = two
    doses.take(journal_at(b, NOW), "esc", at=journal_at(b, NOW).moment("2026-11-20 08:05"))
    target = str(tmp_path / "target.sqlite")
    shutil.copyfile(a, target)
    first = merge.merge_file(journal_at(target, NOW + timedelta(days=1)), b)
    history.undo(journal_at(target, NOW + timedelta(days=2)))
    assert live(target, "SELECT count(*) FROM dose WHERE deleted_at IS NULL") == [(0,)]
    # the laptop merges the phone's journal now: what the phone took back is not deleted on the laptop
    laptop = str(tmp_path / "laptop-copy.sqlite")
    shutil.copyfile(b, laptop)
    merge.merge_file(journal_at(laptop, NOW + timedelta(days=3)), target)
    assert live(laptop, "SELECT count(*) FROM dose WHERE deleted_at IS NULL") == [(1,)]
    again = merge.merge_file(journal_at(target, NOW + timedelta(days=3)), b)
    assert (again.added, again.updated) == (0, first.added)  # every row comes back, alive
    assert live(target, "SELECT count(*) FROM dose WHERE deleted_at IS NULL") == [(1,)]
    assert state(target) == state(laptop)


def test_a_json_export_merges_as_its_journal_does(tmp_path, two):
    a, b = two
    doses.take(journal_at(b, NOW), "esc", at=journal_at(b, NOW).moment("2026-11-20 08:05"))
    exported = str(tmp_path / "laptop.json")
    exchange.export(journal_at(b, NOW), "json", exported)
    by_file, by_export = str(tmp_path / "x.sqlite"), str(tmp_path / "y.sqlite")
    shutil.copyfile(a, by_file)
    shutil.copyfile(a, by_export)
    merge.merge_file(journal_at(by_file, NOW), b)
    merge.merge_file(journal_at(by_export, NOW), exported)
    assert state(by_file) == state(by_export)


def test_a_dry_run_writes_nothing_and_makes_no_journal(tmp_path, two):
    a, b = two
    before = open(a, "rb").read()
    dry = merge.merge_file(journal_at(a, NOW), b, dry_run=True)
    real_copy = str(tmp_path / "copy.sqlite")
    shutil.copyfile(a, real_copy)
    real = merge.merge_file(journal_at(real_copy, NOW), b)
    assert dry.dry_run and (dry.added, dry.joined) == (real.added, real.joined) == (2, 1)  # an alias, an event
    assert open(a, "rb").read() == before
    nowhere = str(tmp_path / "new" / "journal.sqlite")
    assert merge.merge_file(journal_at(nowhere, NOW), b, dry_run=True).added == 3  # with its substance
    assert not os.path.exists(os.path.dirname(nowhere))


def test_an_older_journal_merges_as_it_is_and_is_not_migrated(tmp_path, two):
    a, _ = two
    old = str(tmp_path / "v1.sqlite")
    conn = sqlite3.connect(old)
    conn.executescript(open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "schema_v1.sql")).read())
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.commit()
    conn.close()
    before = open(old, "rb").read()
    done = merge.merge_file(journal_at(a, NOW), old)
    assert done.added > 0 and open(old, "rb").read() == before and files_beside(old) == {"v1.sqlite"}
    assert live(old, "PRAGMA user_version") == [(1,)]


def test_merging_into_a_journal_not_made_yet_makes_it(tmp_path, two):
    _, b = two
    fresh = str(tmp_path / "fresh" / "journal.sqlite")
    merge.merge_file(journal_at(fresh, NOW), b)
    assert {t: set(r) for t, r in state(fresh).items() if t != "metric"} == \
        {t: set(r) for t, r in state(b).items() if t != "metric"}


def damaged(tmp_path, journal_file: str) -> str:
    path = str(tmp_path / "damaged.sqlite")
    data = bytearray(open(journal_file, "rb").read())
    data[4096 * 2:4096 * 2 + 200] = b"\xff" * 200
    open(path, "wb").write(bytes(data))
    return path


@pytest.mark.parametrize("case, said", [
    ("missing", "no such file"),
    ("folder", "is not a file"),
    ("itself", "is the journal itself"),
    ("text", "not JSON"),
    ("sqlite", "is an SQLite file but not a medlog journal"),
    ("newer", "was written by a newer medlog (schema 99"),
    ("damaged", "is damaged"),
    ("bad value", "'Mars/Base', which is not an IANA time zone"),
    ("bad kind", "holds a value the journal does not allow"),
    ("dangling", "which is in neither"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, two, case, said):
    a, b = two
    other = str(tmp_path / "other")
    if case == "folder":
        os.mkdir(other)
    elif case == "itself":
        other = a
    elif case == "text":
        open(other, "w").write("hello\n")
    elif case == "sqlite":
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    elif case == "newer":
        shutil.copyfile(b, other)
        conn = sqlite3.connect(other)
        conn.execute("PRAGMA user_version = 99")
        conn.close()
    elif case == "damaged":
        other = damaged(tmp_path, b)
    elif case in ("bad value", "bad kind", "dangling"):
        exchange.export(journal_at(b, NOW), "json", other)
        text = open(other).read()
        if case == "dangling":  # the first reference, an alias's, to a substance in neither journal
            start = text.index('"substance_uuid": "') + len('"substance_uuid": "')
            text = text[:start] + "00000000-0000-4000-8000-000000000000" + text[start + 36:]
        else:
            text = text.replace(*{"bad value": ('"Europe/London"', '"Mars/Base"'),
                                  "bad kind": ('"kind": "medication"', '"kind": "vitamin"')}[case], 1)
        open(other, "w").write(text)
    before = state(a)
    with pytest.raises(InputError) as refused:
        merge.merge_file(journal_at(a, NOW), other)
    message = str(refused.value)
    assert said in message and "\n" not in message
    assert not re.search(r"constraint|UNIQUE|CHECK|NOT NULL|sqlite3|no such (table|column)|syntax error", message)
    assert state(a) == before
    if case not in ("itself", "missing", "folder"):
        assert files_beside(other) == {os.path.basename(other)}  # not even a -wal or -shm beside it


def test_a_refused_merge_into_a_journal_not_made_yet_leaves_none(tmp_path, two):
    _, b = two
    bad = str(tmp_path / "bad.json")
    exchange.export(journal_at(b, NOW), "json", bad)
    rewrite(bad, '"Europe/London"', '"Mars/Base"')
    fresh = str(tmp_path / "fresh.sqlite")
    with pytest.raises(InputError, match="Mars/Base"):
        merge.merge_file(journal_at(fresh, NOW), bad)
    assert not os.path.exists(fresh)


class TestEncrypted:
    PASSPHRASE = "the laptop's 'quoted' pass"

    @pytest.fixture(autouse=True)
    def _cipher(self):
        pytest.importorskip("sqlcipher3", reason="SQLCipher (pip install 'medlog[encrypt]') is not installed")
        from medlog.store.cipher import forget_passphrases

        forget_passphrases()
        yield
        forget_passphrases()

    def sealed(self, tmp_path) -> str:
        from medlog.services.backups import create

        path = str(tmp_path / "sealed.sqlite")
        j = journal_at(path, NOW - timedelta(days=1))
        create(j, passphrase=self.PASSPHRASE)
        escitalopram(j, "Cipralex")
        doses.take(j, "esc", at=j.moment("2026-11-20 08:05"))
        return path

    def test_an_encrypted_journal_merges_with_its_passphrase(self, tmp_path, two):
        a, _ = two
        sealed = self.sealed(tmp_path)
        from medlog.store.cipher import forget_passphrases

        forget_passphrases()
        assert merge.needs_passphrase(sealed) and not merge.needs_passphrase(a)
        with pytest.raises(InputError, match="is encrypted: give its passphrase"):
            merge.merge_file(journal_at(a, NOW), sealed)
        with pytest.raises(InputError, match="the passphrase does not open"):
            merge.merge_file(journal_at(a, NOW), sealed, passphrase="wrong")
        done = merge.merge_file(journal_at(a, NOW), sealed, passphrase=self.PASSPHRASE)
        assert (done.added, done.joined) == (3, 1)
        assert files_beside(sealed) == {"sealed.sqlite"}

    def test_a_plain_journal_merges_into_an_encrypted_one(self, tmp_path, two):
        _, b = two
        sealed = self.sealed(tmp_path)  # its passphrase is registered, as the CLI registers it
        done = merge.merge_file(journal_at(sealed, NOW), b)
        assert (done.added, done.joined) == (3, 1)  # the laptop's substance was made first: it stays
        assert not merge.merge_file(journal_at(sealed, NOW), b).added


# -- A into B and B into A, over random histories on both (hypothesis) ---------------------------------------------

NAMES = ("Escitalopram", "Magnesium glycinate", "escitalopram ")  # the last: the first's name as typed again
ALIASES = ("Lexapro", "Mag", "Cipralex")
WORDS = ("slept badly", "felt fine", "ask about the dose", "")
KINDS = ("note", "dose", "rating", "symptom")


def _op(draw) -> tuple:
    """One step, weighted toward what a merge must settle: the same names added on both devices, doses, edits and
    deletions of the shared rows."""
    return draw(st.one_of(
        st.tuples(st.just("add"), st.sampled_from(NAMES)),
        st.tuples(st.just("add"), st.just(NAMES[0])),
        st.tuples(st.just("take"), st.sampled_from(NAMES[:2]), st.sampled_from(("10 mg", "200 mg", None)),
                  st.integers(0, 2)),
        st.tuples(st.just("take"), st.sampled_from(NAMES[:2]), st.just(None), st.just(0)),
        st.tuples(st.just("rate"), st.sampled_from(("mood", "focus")), st.integers(0, 10), st.integers(0, 2)),
        st.tuples(st.just("note"), st.sampled_from(WORDS[:3])),
        st.tuples(st.just("symptom"), st.integers(0, 10)),
        st.tuples(st.just("edit"), st.sampled_from(KINDS), st.integers(0, 9), st.sampled_from(WORDS)),
        st.tuples(st.just("edit"), st.sampled_from(KINDS), st.just(0), st.sampled_from(WORDS)),
        st.tuples(st.just("delete"), st.sampled_from(KINDS), st.integers(0, 9)),
        st.tuples(st.just("undo")),
        st.tuples(st.just("alias"), st.sampled_from(NAMES[:2]), st.sampled_from(ALIASES)),
        st.tuples(st.just("metric")),
    ))


def _apply(j: Journal, op: tuple) -> None:
    """One step of a device's history through the services; one they refuse (a name not there yet, an entry
    already deleted) is a step that did nothing, as it would be for the user."""
    kind = op[0]
    try:
        if kind == "add":
            substances.add(j, NewSubstance(op[1].strip(), "medication", dose=parse_amount("10 mg"),
                                           schedule=parse_schedule("08:00"), since=j.moment("2026-11-01 08:00")))
        elif kind == "take":
            doses.take(j, op[1], parse_amount(op[2]) if op[2] else None, at=j.moment(f"{op[3]} minutes ago"))
        elif kind == "rate":
            entries.rate(j, [f"{op[1]}={op[2]}"], day=j.today() - timedelta(days=op[3]))
        elif kind == "note":
            entries.add_note(j, op[1])
        elif kind == "symptom":
            entries.symptom(j, "headache", op[1])
        elif kind in ("edit", "delete"):
            found = [e for e in history.log(j, since=j.today() - timedelta(days=30))
                     if e.kind == op[1] and e.kind != "regimen"]
            if not found:
                return
            entry = found[op[2] % len(found)]
            if kind == "delete":
                history.delete(j, entry.kind, entry.id, entry.text)
            else:
                values = {"note": {"text": op[3] or "edited"}, "dose": {"note": op[3] or None},
                          "rating": {"value": str(len(op[3]) % 11)}, "symptom": {"severity": len(op[3]) % 11}}
                edit(j, entry.kind, entry.id, values[entry.kind])
        elif kind == "undo":
            history.undo(j)
        elif kind == "alias":
            substances.add_alias(j, op[1], op[2])
        elif kind == "metric":
            metrics.add(j, "focus", min_text="0", max_text="10", higher_is_better=True, integer=True)
    except InputError:
        pass


OPS = st.composite(_op)()
# What both devices start from (then a few random steps more): rows for each to edit and delete on its own
SHARED = [("add", "Magnesium glycinate"), ("take", "Magnesium glycinate", None, 30), ("note", "felt fine"),
          ("rate", "mood", 5, 0), ("symptom", 3)]


@st.composite
def histories(draw) -> tuple[list, list, list, list[int], list[int]]:
    """A shared start, then each device's own steps, and the seconds between them."""
    base, a, b = (draw(st.lists(OPS, min_size=m, max_size=n)) for m, n in ((0, 3), (1, 8), (1, 8)))
    a_steps, b_steps = (draw(st.lists(st.integers(0, 90), min_size=8, max_size=8)) for _ in range(2))
    return base, a, b, a_steps, b_steps


def test_merging_is_commutative_and_idempotent_over_random_histories(tmp_path, request):
    """Two devices share a journal, then each goes its own way — adds (of the same names too), doses (some a
    minute apart on both), ratings of the same days, notes, symptoms, edits, deletions, undos, aliases, a metric on
    both. A into B and B into A end with the same rows; merging again, either way, or the two results into each
    other, adds nothing."""
    examples = 300 if request.config.getoption("--long") else 40
    counter = iter(range(10**6))

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(histories())
    def example(history_of) -> None:
        base_ops, a_ops, b_ops, a_steps, b_steps = history_of
        folder = tmp_path / f"example-{next(counter)}"
        folder.mkdir()
        base, a, b = (str(folder / name) for name in ("base.sqlite", "a.sqlite", "b.sqlite"))
        start = NOW - timedelta(hours=3)
        create(journal_at(base, start))
        for i, op in enumerate(SHARED + base_ops):
            _apply(journal_at(base, start + i * MINUTE), op)
        shutil.copyfile(base, a)
        shutil.copyfile(base, b)
        for path, ops, steps in ((a, a_ops, a_steps), (b, b_ops, b_steps)):
            when = start + timedelta(hours=1)
            for op, step in zip(ops, steps, strict=False):
                when += timedelta(seconds=step)
                _apply(journal_at(path, when), op)
        into_a, into_b, _, _ = both_ways(folder, a, b)
        later = NOW + timedelta(days=5)
        for target, other in ((into_a, b), (into_b, a), (into_a, into_b), (into_b, into_a)):
            assert merge.merge_file(journal_at(target, later), other).nothing_new, (target, other)
        assert state(into_a) == state(into_b)
        for path in (into_a, into_b):  # every reader still reads it
            history.log(journal_at(path, later), since=datetime(2026, 10, 1).date())
            substances.list_substances(journal_at(path, later))

    example()


def test_metrics_of_one_key_on_two_scales_are_not_made_one(tmp_path):
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    for path, top in ((a, "10"), (b, "5")):
        j = journal_at(path, NOW - timedelta(days=int(top)))
        metrics.add(j, "focus", min_text="1", max_text=top, higher_is_better=True, integer=True)
        entries.rate(j, ["focus=4"])
    before = state(a)
    with pytest.raises(InputError, match=r"the metric focus is on one scale .* \(1–10 and 1–5|\(1–5 and 1–10"):
        merge.merge_file(journal_at(a, NOW), b)
    assert state(a) == before


def test_a_value_that_is_not_a_value_is_refused_after_a_null_of_its_column(tmp_path, two):
    """Values of few kinds are checked once per column: a list or an object is never taken for one seen before."""
    a, b = two
    jb = journal_at(b, NOW)
    doses.take(jb, "esc", at=jb.moment("2026-11-19 08:00"))
    doses.take(jb, "esc", at=jb.moment("2026-11-20 08:00"), note="with food")
    bad = str(tmp_path / "bad.json")
    exchange.export(jb, "json", bad)
    rewrite(bad, '"note": "with food"', '"note": {"x": 1}')
    with pytest.raises(InputError, match="which is not text"):
        merge.merge_file(journal_at(a, NOW), bad)


@pytest.mark.parametrize(("content", "said"), [
    ("medication;dose\nEscitalopram;10 mg\n",
     "is a CSV file, not a medlog journal or export: 'medlog import' reads it"),
    ("year,date,weekday,time,mood,activities,note\r2018,June 22,Friday,21:30,good,,\r",  # Daylio, CR-only lines
     "is a Daylio file, not a medlog journal or export: 'medlog import' reads it"),
])
def test_a_file_for_import_is_sent_there_without_import_only_options(tmp_path, content, said):
    """merge has no --from nor --map: a CSV no importer knows is not told to use them (issue 19)."""
    other = tmp_path / "other.csv"
    other.write_text(content, encoding="utf-8")
    j = journal_at(str(tmp_path / "j.sqlite"), NOW)
    with pytest.raises(InputError) as refused:
        merge.merge_file(j, str(other))
    assert said in str(refused.value) and "--from" not in str(refused.value)
    assert not os.path.exists(j.path)
