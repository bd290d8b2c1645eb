"""Bearable's CSV export read into domain/foreign.py's records (services/importers/bearable.py).

The fixtures are files written in Bearable's format (tests/fixtures/bearable/README.md says why and from what)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from medlog.domain.errors import InputError
from medlog.domain.foreign import (
    BadLine,
    ForeignDose,
    ForeignNote,
    ForeignRating,
    ForeignSymptom,
    ForeignTag,
    Where,
)
from medlog.domain.units import Amount
from medlog.reports.csv_export import COLUMNS
from medlog.services.importers import ReadOptions
from medlog.services.importers.bearable import parse, sniff

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bearable"
OLD = FIXTURES / "export_2021.csv"
NEW = FIXTURES / "export_2024_date_formatted.csv"
LONDON = ZoneInfo("Europe/London")
HEADER = "date,weekday,time of day,category,rating/amount,detail,notes\n"


def read(path: Path | str, zone: ZoneInfo = LONDON, skip_bad: bool = False):
    return parse(str(path), ReadOptions(zone, skip_bad=skip_bad))


def at_line(found, line: int, kind: type) -> list:
    return [e for e in found.entries if e.where.line == line and isinstance(e, kind)]


def one(found, line: int, kind: type):
    [entry] = at_line(found, line, kind)
    return entry


def write(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def row(date: str = "22nd Sep 2020", time_of_day: str = "12:00", category: str = "Mood", amount: str = "6",
        detail: str = "", notes: str = "") -> str:
    return ",".join(f'"{v}"' for v in (date, "Tuesday", time_of_day, category, amount, detail, notes))


# --- sniff -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [OLD, NEW], ids=["7 columns", "date formatted"])
def test_sniff_claims_both_fixtures(path):
    assert sniff(path.read_bytes()[:4096])


@pytest.mark.parametrize("head", [
    HEADER.encode(),
    b"\xef\xbb\xbf" + HEADER.encode(),
    HEADER.replace("\n", "\r\n").encode() + b'"22nd Sep 2020","Tues',
    HEADER.rstrip("\n").encode(),  # the head ends with the header
    b'"date","weekday","time of day","category","rating/amount","detail","notes"\n',
    b"Date,Weekday,Time of day,Category,Rating/Amount,Detail,Notes\n",
], ids=["plain", "bom", "crlf and a cut row", "no newline", "quoted", "capitalised"])
def test_sniff_claims_bearable_heads(head):
    assert sniff(head)


@pytest.mark.parametrize("head", [
    b"",
    ",".join(COLUMNS).encode() + b"\n",  # medlog's own CSV
    b"\xef\xbb\xbf" + ",".join(COLUMNS).encode() + b"\r\n",
    b"full_date,date,weekday,time,mood,activities,note_title,note\n2020-09-22,Sep 22,Tuesday,9:00,good,,,\n",
    b"date,weekday,time of day,category,rating/amount,detail\n",  # a column short
    b"date,weekday,time of day,category,rating/amount,detail,notes,extra\n",
    b'{"format": "medlog-journal"}',
    b"\xff\xfe" + HEADER.encode("utf-16-le"),
    b"\x00\x01\x02 not text",
], ids=["empty", "medlog csv", "medlog csv bom", "daylio", "short", "extra column", "json", "utf-16", "binary"])
def test_sniff_refuses_other_heads(head):
    assert not sniff(head)


# --- the 2021 fixture ------------------------------------------------------------------------------------------

def test_counts_by_kind_and_what_was_left_out():
    found = read(OLD)
    assert found.fmt == "bearable"
    assert found.lines == 33  # 35 physical lines: the header, and one note spans two
    assert Counter(type(e).__name__ for e in found.entries) == {
        "ForeignRating": 11, "ForeignTag": 17, "ForeignSymptom": 4, "ForeignDose": 5, "ForeignNote": 8}
    assert Counter(e.metric for e in found.entries if isinstance(e, ForeignRating)) == {
        "mood": 4, "sleep_hours": 3, "sleep_quality": 2, "energy": 2}
    assert Counter(e.group for e in found.entries if isinstance(e, ForeignTag)) == {
        "emotion": 6, "factor": 7, "food factor": 2, "sleep factor": 2}
    assert found.skipped == (
        (Where(33, "category"), "category 'Health measurements' is not one medlog imports"),
        (Where(34, "category"), "a Sleep row without a duration"),  # its note is only "(synced from Google Fit)"
    )


def test_a_clock_time_is_an_instant_in_the_zone_given():
    mood = one(read(OLD), 2, ForeignRating)  # "22nd Sep 2020","Tuesday","21:40","Mood","6"
    assert (mood.metric, mood.value, mood.zone) == ("mood", "6", "Europe/London")
    assert mood.at == datetime(2020, 9, 22, 20, 40, tzinfo=UTC)  # BST
    in_new_york = one(read(OLD, ZoneInfo("America/New_York")), 2, ForeignRating)
    assert in_new_york.at == datetime(2020, 9, 23, 1, 40, tzinfo=UTC)  # EDT: the next day in UTC
    assert in_new_york.zone == "America/New_York"
    dose = one(read(OLD), 16, ForeignDose)  # "21st Nov 2020", "0:20": GMT
    assert dose.at == datetime(2020, 11, 21, 0, 20, tzinfo=UTC)


@pytest.mark.parametrize("line, kind, local", [
    (5, ForeignTag, time(6)),  # pre
    (13, ForeignSymptom, time(9)),  # am
    (3, ForeignSymptom, time(13)),  # mid
    (4, ForeignSymptom, time(19)),  # pm
    (6, ForeignTag, time(12)),  # all day
    (21, ForeignRating, time(12)),  # no time (Sleep quality)
])
def test_a_part_of_the_day_is_its_fixed_local_time(line, kind, local):
    entry = at_line(read(OLD), line, kind)[0]
    assert entry.at.astimezone(LONDON).time() == local
    assert entry.at.astimezone(LONDON).date().isoformat() == {
        5: "2020-09-22", 13: "2020-09-23", 3: "2020-09-22", 4: "2020-09-22", 6: "2020-09-22", 21: "2021-05-09"}[line]


def test_sleep_hours_from_the_amount_or_across_midnight_from_asleep():
    found = read(OLD)
    assert one(found, 26, ForeignRating).value == "9.75"  # "9:45"
    assert one(found, 20, ForeignRating).value == "4"  # "4:00" (the detail is only "In bed", 4:30)
    across = one(found, 28, ForeignRating)  # no amount; "Asleep 23:15 - 06:45"
    assert (across.metric, across.value, across.scale) == ("sleep_hours", "7.5", None)
    assert across.where == Where(28, "detail")
    assert one(read(NEW), 8, ForeignRating).value == "7.33"  # 7:20


def test_doses_have_their_amount_and_unit():
    found = read(OLD)
    hydroxyzine = one(found, 7, ForeignDose)
    assert (hydroxyzine.name, hydroxyzine.amount, hydroxyzine.status) == ("Hydroxyzine", Amount(Decimal(50), "mg"),
                                                                          "taken")
    assert one(found, 12, ForeignDose).amount == Amount(Decimal(500), "mcg")  # the row after a two-line note
    assert one(found, 16, ForeignDose).amount == Amount(Decimal("0.5"), "mg")
    melatonin = one(found, 29, ForeignDose)
    assert (melatonin.name, melatonin.amount) == ("Melatonin", None)


def test_symptoms_keep_the_name_and_the_severity_word():
    found = read(OLD)
    back = one(found, 4, ForeignSymptom)
    assert (back.name, back.severity) == ("Back (lower) pain", "Moderate")
    assert (one(found, 30, ForeignSymptom).name, one(found, 30, ForeignSymptom).severity) == ("Migraine", "Severe")
    assert one(read(NEW), 5, ForeignSymptom).severity == "Unbearable"


def test_scales_mood_ten_sleep_quality_five_energy_as_the_file_shows():
    old, new = read(OLD), read(NEW)
    assert one(old, 2, ForeignRating).scale == (Decimal(1), Decimal(10))
    assert one(old, 21, ForeignRating).scale == (Decimal(1), Decimal(5))
    assert {e.scale for e in old.entries if isinstance(e, ForeignRating) and e.metric == "energy"} == {
        (Decimal(1), Decimal(5))}
    # the newer file has an energy of 8: all of its energies, the 4 too, are on 1–10
    assert [(e.value, e.scale) for e in new.entries if isinstance(e, ForeignRating) and e.metric == "energy"] == [
        ("8", (Decimal(1), Decimal(10))), ("4", (Decimal(1), Decimal(10)))]


def test_tags_notes_and_what_each_note_says():
    found = read(OLD)
    assert [t.name for t in at_line(found, 5, ForeignTag)] == ["Walk", "Coffee", "Work"]
    assert [(t.group, t.name) for t in at_line(found, 2, ForeignTag)] == [("emotion", "Meh"), ("emotion", "Tired")]
    texts = {e.where.line: e.text for e in found.entries if isinstance(e, ForeignNote)}
    assert texts[10] == "Long meeting later,\nslept well though"
    assert texts[14] == "Gratitude: A quiet evening"
    assert texts[19] == "Bowel movement: None"
    assert texts[32] == "Bowel movement: Bristol type 4"
    assert texts[25] == "Food diary: Meals: Porridge | Soup. Snacks: Apple"
    assert texts[35] == "Good day overall"
    assert not at_line(found, 26, ForeignNote)  # Bearable's ". " on Sleep rows is not a note


def test_the_newer_header_reads_the_day_from_date_formatted(tmp_path):
    found = read(NEW)
    assert found.lines == 9
    assert one(found, 2, ForeignRating).at == datetime(2024, 2, 12, 8, 15, tzinfo=UTC)
    assert found.skipped == ((Where(10, "category"), "category 'Productivity' is not one medlog imports"),)
    header = "date,date formatted,weekday,time of day,category,rating/amount,detail,notes\n"
    path = write(tmp_path, '"12th Feb 2024","2024-02-31","Monday","08:15","Mood","7","",""', header=header)
    with pytest.raises(BadLine) as refused:
        read(path)
    assert refused.value.where == Where(2, "date formatted")


def test_a_bom_and_crlf_change_nothing(tmp_path):
    variant = tmp_path / "crlf.csv"
    variant.write_bytes(b"\xef\xbb\xbf" + OLD.read_bytes().replace(b"\n", b"\r\n"))
    plain, other = read(OLD), read(variant)
    assert [(e.uuid, e.where, e.at) for e in other.entries] == [(e.uuid, e.where, e.at) for e in plain.entries]
    assert one(other, 10, ForeignNote).text == "Long meeting later,\r\nslept well though"  # as written


# --- stable UUIDs ----------------------------------------------------------------------------------------------

def test_the_same_file_twice_gives_the_same_uuids():
    first, second = read(OLD), read(OLD)
    assert [e.uuid for e in first.entries] == [e.uuid for e in second.entries]
    assert len({e.uuid for e in first.entries}) == len(first.entries)


def test_identical_rows_get_distinct_uuids_and_the_count_is_per_row(tmp_path):
    found = read(OLD)
    assert one(found, 14, ForeignNote).uuid != one(found, 15, ForeignNote).uuid  # two identical Gratitudes rows
    gratitude = row("23rd Sep 2020", "22:10", "Gratitudes", "", "A quiet evening")
    # a row placed before them does not change their UUIDs; a third identical row gets a new one
    other = read(write(tmp_path, row(), gratitude, gratitude, gratitude))
    uuids = [e.uuid for e in other.entries if isinstance(e, ForeignNote)]
    assert uuids[:2] == [one(found, 14, ForeignNote).uuid, one(found, 15, ForeignNote).uuid]
    assert len(set(uuids)) == 3


# --- bad lines ---------------------------------------------------------------------------------------------------

BAD = [
    (row(date="31st Feb 2021"), "date", "'31st Feb 2021' is not a date"),
    (row(time_of_day="noon"), "time of day", "'noon' is neither a time"),
    (row(amount="11"), "rating/amount", "outside Bearable's scale (1–10)"),
    (row(amount="six"), "rating/amount", "'six' is not a number"),
    (row(category="Meds/Supplements", amount="fifty", detail="Aspirin (mg)"), "rating/amount", "'fifty'"),
    (row(category="Meds/Supplements", amount="2", detail="Aspirin (spoonfuls)"), "detail", "unknown unit"),
    (row(category="Sleep", amount="9h", detail=""), "rating/amount", "not a duration like 7:30"),
    (row(category="Symptom", amount="1", detail=""), "detail", "without the symptom's name"),
    ('"22nd Sep 2020","Tuesday","12:00","Mood","6"', None, "has 5 fields"),
]


@pytest.mark.parametrize("bad, column, words", BAD, ids=[b[1] or "fields" for b in BAD])
def test_a_bad_line_is_refused_naming_its_line_and_column(tmp_path, bad, column, words):
    path = write(tmp_path, row(notes="a note\nover two lines"), bad, row(amount="7"))
    with pytest.raises(BadLine) as refused:
        read(path)
    assert refused.value.where == Where(4, column)  # the first row takes lines 2 and 3
    assert words in refused.value.problem
    assert str(refused.value).startswith(f"line 4{', column ' + repr(column) if column else ''}: ")
    assert "\n" not in str(refused.value)


def test_with_skip_bad_the_bad_lines_are_listed_and_the_rest_read(tmp_path):
    path = write(tmp_path, *(bad for bad, _, _ in BAD), row(amount="7"))
    found = read(path, skip_bad=True)
    assert [where for where, _ in found.skipped] == [Where(2 + i, column) for i, (_, column, _) in enumerate(BAD)]
    assert all(words in problem for (_, problem), (_, _, words) in zip(found.skipped, BAD, strict=True))
    assert [(e.where.line, e.value) for e in found.entries] == [(2 + len(BAD), "7")]
    assert found.lines == len(BAD) + 1


def test_a_time_in_a_dst_gap_is_a_bad_line_named(tmp_path):
    path = write(tmp_path, row("28th Mar 2021", "1:30", "Meds/Supplements", "50", "Hydroxyzine (mg)"))
    with pytest.raises(BadLine) as refused:
        read(path)
    assert refused.value.where == Where(2, "time of day")
    assert "2021-03-28 01:30 does not exist in Europe/London" in refused.value.problem
    assert read(path, ZoneInfo("America/New_York")).entries[0].at == datetime(2021, 3, 28, 5, 30, tzinfo=UTC)
    assert read(path, skip_bad=True).skipped[0][0] == Where(2, "time of day")


def test_bytes_that_are_not_utf8_or_a_nul_make_their_row_bad(tmp_path):
    path = tmp_path / "bytes.csv"
    path.write_bytes(HEADER.encode() + row(detail="Caf\xe9").encode("latin-1") + b"\n"
                     + row(amount="7").encode() + b"\n" + row(amount="8\x00").encode() + b"\n")
    with pytest.raises(BadLine) as refused:
        read(path)
    assert refused.value.where == Where(2) and "line 2 is not UTF-8 text" in refused.value.problem
    found = read(path, skip_bad=True)
    assert [where for where, _ in found.skipped] == [Where(2), Where(4)]
    assert "NUL" in found.skipped[1][1]
    assert [e.value for e in found.entries] == ["7"]


def test_unknown_categories_and_empty_rows_are_listed_not_errors(tmp_path):
    path = write(tmp_path, row(category="Step count", amount="4000"), row(category="", amount=""),
                 row(category="Factors", amount=""), "", row(category="Custom", amount="3", notes="kept"))
    found = read(path)
    assert found.skipped == ((Where(2, "category"), "category 'Step count' is not one medlog imports"),
                             (Where(3, "category"), "nothing to import"), (Where(4, "category"), "nothing to import"),
                             (Where(6, "category"), "category 'Custom' is not one medlog imports"))
    assert [(type(e), e.where) for e in found.entries] == [(ForeignNote, Where(6, "notes"))]  # the note is kept
    assert found.lines == 4  # the blank line is not a row


# --- files that are not Bearable's -------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [
    b"full_date,date,weekday,time,mood,activities,note_title,note\n2020-09-22,Sep 22,Tuesday,9:00,good,,,\n",
    ",".join(COLUMNS).encode() + b"\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\xff\xfe" + HEADER.encode("utf-16-le"),
    b"\n\n",
], ids=["daylio", "medlog csv", "binary", "utf-16", "blank lines"])
def test_a_file_that_is_not_bearables_is_refused_in_one_line(tmp_path, content):
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as refused:
        read(path)
    assert not isinstance(refused.value, BadLine)
    assert str(refused.value).startswith("not a Bearable export: its first line is not Bearable's header")
    assert "\n" not in str(refused.value)


def test_an_empty_file_a_header_alone_and_a_missing_file(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="^the file is empty: not a Bearable export$"):
        read(empty)
    alone = read(write(tmp_path, header="\ufeff" + HEADER))
    assert (alone.entries, alone.skipped, alone.lines) == ((), (), 0)
    with pytest.raises(InputError, match="^cannot read .*missing.csv"):
        read(tmp_path / "missing.csv")


@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_cr_lf_and_cr_only_line_ends_read_as_the_lf_file_does(tmp_path, end):
    """A file saved on Windows (CR LF) or an old Mac (CR alone) is the same export, its lines numbered the same."""
    fixture = OLD
    data = fixture.read_bytes()
    assert b"\r" not in data
    other = tmp_path / "other.csv"
    other.write_bytes(data.replace(b"\n", end.encode()))
    assert sniff(other.read_bytes()[:4096])
    expected, found = read(fixture), read(other)
    assert [(e.uuid, e.where) for e in found.entries] == [(e.uuid, e.where) for e in expected.entries]
    assert (found.skipped, found.lines) == (expected.skipped, expected.lines)
