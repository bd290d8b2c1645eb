"""Issue 16, Time: legacy and POSIX `TZ` values, a clock outside the years a journal keeps, travel, planned
changes in `log` — through the real CLI."""

from __future__ import annotations

import json
import os
import zoneinfo

import pytest

LATE = "2026-11-21T23:30:00+00:00"  # late enough that a zone east of UTC is on the next journal day


@pytest.fixture
def with_tz(medlog, monkeypatch):
    """`medlog` with MEDLOG_TZ unset, so `TZ` chooses the zone, and the clock at 23:30 UTC."""
    monkeypatch.delenv("MEDLOG_TZ", raising=False)
    monkeypatch.setenv("MEDLOG_NOW", LATE)

    def run(tz: str, *args: str):  # type: ignore[no-untyped-def]
        monkeypatch.setenv("TZ", tz)
        return medlog(*args)
    return run


@pytest.mark.parametrize(("tz", "zone", "at", "day"), [
    ("Japan", "Japan", "2026-11-22T08:30:00+09:00", "2026-11-22"),
    ("GB", "GB", "2026-11-21T23:30:00+00:00", "2026-11-21"),
    ("EST5EDT", "EST5EDT", "2026-11-21T18:30:00-05:00", "2026-11-21"),
    ("UTC0", "UTC", "2026-11-21T23:30:00+00:00", "2026-11-21"),
    ("JST-9", "Etc/GMT-9", "2026-11-22T08:30:00+09:00", "2026-11-22"),
    ("<+0330>-3:30", "<+0330>-3:30", "2026-11-22T03:00:00+03:30", "2026-11-21"),  # before the 04:00 rollover
    ("<+0530>-5:30", "<+0530>-5:30", "2026-11-22T05:00:00+05:30", "2026-11-22"),
    ("AAA3BBB,M10.1.0,M3.1.0", "AAA3BBB,M10.1.0,M3.1.0", "2026-11-21T21:30:00-02:00", "2026-11-21"),  # southern DST
    (":Japan", "Japan", "2026-11-22T08:30:00+09:00", "2026-11-22"),
])
def test_every_tz_the_c_library_accepts_gives_the_zone_it_means(with_tz, tz, zone, at, day):
    assert with_tz(tz, "note", "x").code == 0
    listed = with_tz(tz, "log", "--json")
    assert listed.code == 0
    [entry] = json.loads(listed.out)["entries"]
    assert (entry["zone"], entry["at"], entry["journal_day"]) == (zone, at, day)


def test_a_posix_rule_says_which_zone_it_used(with_tz):
    ran = with_tz("<+0330>-3:30", "note", "x")
    assert ran.code == 0 and "medlog: note: TZ='<+0330>-3:30' is not a zone name; using" in ran.err
    assert "UTC+03:30" in ran.err
    assert "(UTC+03:30)" not in with_tz("<+0330>-3:30", "log").out  # the current zone is not marked


def test_tz_with_a_colon_and_a_path_is_read_as_glibc_reads_it(with_tz):
    ran = with_tz(":/etc/localtime", "log")
    assert ran.code == 0, ran.err
    tokyo = next((os.path.join(d, "Asia", "Tokyo") for d in zoneinfo.TZPATH
                  if os.path.exists(os.path.join(d, "Asia", "Tokyo"))), None)
    if tokyo is None:
        pytest.skip("no system tzdata")
    for tz in (":" + tokyo, tokyo):
        assert with_tz(tz, "note", "x").code == 0
    zones = {e["zone"] for e in json.loads(with_tz(":" + tokyo, "log", "--json").out)["entries"]}
    assert zones == {"Asia/Tokyo"}


@pytest.mark.parametrize("tz", ["Mars/Base", "garbage", ":/no/such/zone", "../../etc/passwd"])
def test_a_tz_nothing_understands_is_one_line(with_tz, tz):
    for args in (("log",), ("note", "x")):
        ran = with_tz(tz, *args)
        assert ran.code == 2 and ran.out == ""
        assert len(ran.err.splitlines()) == 1 and "time zone" in ran.err or "zone file" in ran.err


@pytest.mark.parametrize("now", ["1899-12-31T12:00:00+00:00", "3000-01-01T00:00:00+00:00",
                                 "0001-01-01T00:00:00+05:00"])
@pytest.mark.parametrize("args", [("log",), ("note", "x"), ("substance", "list"), ("report", "--format", "md")])
def test_a_clock_outside_the_years_a_journal_keeps_is_one_line(medlog, monkeypatch, now, args):
    assert medlog("note", "written on a good day").code == 0
    monkeypatch.setenv("MEDLOG_NOW", now)
    ran = medlog(*args)
    assert ran.code == 2 and ran.out == ""
    assert len(ran.err.splitlines()) == 1 and "outside the years medlog keeps (1900–2999)" in ran.err


def test_a_system_clock_before_1900_is_one_line(medlog, monkeypatch):
    from datetime import UTC, datetime

    from medlog.clock import SystemClock

    assert medlog("note", "written on a good day").code == 0
    monkeypatch.delenv("MEDLOG_NOW")
    monkeypatch.setattr(SystemClock, "now", lambda self: datetime(1899, 12, 31, 12, tzinfo=UTC))
    ran = medlog("log")
    assert ran.code == 2 and ran.err.startswith("medlog: the system clock says 1899-12-31 12:00 UTC")


def test_log_marks_the_zone_of_entries_logged_elsewhere(medlog, monkeypatch):
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-20T17:00:00+00:00")
    assert medlog("note", "in London").code == 0
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-20T20:00:00+00:00")
    monkeypatch.setenv("MEDLOG_TZ", "Asia/Tokyo")
    assert medlog("note", "landed in Tokyo", "--flag").code == 0  # 05:00 on the 21st in Tokyo
    monkeypatch.setenv("MEDLOG_TZ", "Europe/London")
    monkeypatch.setenv("MEDLOG_NOW", "2026-11-21T09:00:00+00:00")
    lines = medlog("log").out.splitlines()
    assert "  17:00  note: in London" in lines
    assert lines[-2:] == ["Sat 2026-11-21", "  05:00 (Asia/Tokyo)  ⚑ note: landed in Tokyo"]
    report = medlog("report", "--format", "md").out
    assert "(Asia/Tokyo): landed in Tokyo" in report
    # back in Tokyo, the London entry is the one marked
    monkeypatch.setenv("MEDLOG_TZ", "Asia/Tokyo")
    lines = medlog("log").out.splitlines()
    assert "  17:00 (Europe/London)  note: in London" in lines
    assert "  05:00  ⚑ note: landed in Tokyo" in lines


def test_log_marks_planned_changes(medlog):
    assert medlog("substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule", "08:00",
                  "--since", "2026-11-01 08:00").code == 0
    assert medlog("substance", "change", "esc", "--dose", "15 mg", "--at", "2026-12-15 08:00").code == 0
    lines = medlog("log", "--substance", "esc", "--since", "2026-11-01").out.splitlines()
    assert "  08:00  Escitalopram dose 10 mg → 15 mg (planned)" in lines, lines
    entries = json.loads(medlog("log", "--since", "2026-11-01", "--json").out)["entries"]
    assert [(e["event"], e["planned"]) for e in entries if e["kind"] == "regimen"] == [
        ("start", False), ("dose_change", True)]
