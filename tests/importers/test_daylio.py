"""The Daylio importer's parser (issue 19): real exports and exports written in their exact format
(tests/fixtures/daylio/README.md), read into domain/foreign.py's records."""

import os
import time as clock
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from medlog.domain.errors import InputError
from medlog.domain.foreign import BadLine, ForeignNote, ForeignRating, ForeignTag, Where, stable_uuid
from medlog.reports.csv_export import COLUMNS
from medlog.services.importers import ReadOptions, daylio

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "daylio")
BERLIN = ZoneInfo("Europe/Berlin")
HEADER = "full_date,date,weekday,time,mood,activities,note_title,note\n"


def fixture(name: str) -> str:
    return os.path.join(FIXTURES, name)


def read(path: str, zone: ZoneInfo = BERLIN, skip_bad: bool = False):
    return daylio.parse(path, ReadOptions(zone, skip_bad=skip_bad))


def written(tmp_path, content: str | bytes, name: str = "daylio_export.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path)


def of(found, kind):
    return [entry for entry in found.entries if isinstance(entry, kind)]


def moods(found):
    return [entry for entry in of(found, ForeignRating) if entry.metric == "mood"]


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


# --- sniff -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["currin_sample.csv", "multiple_moods.csv", "old_format.csv", "rich_notes.csv"])
def test_sniff_claims_each_fixture(name):
    with open(fixture(name), "rb") as handle:
        assert daylio.sniff(handle.read(4096))


@pytest.mark.parametrize("head", [
    HEADER.encode(),  # without a BOM
    b"\xef\xbb\xbf" + HEADER.encode(),
    b"\xef\xbb\xbfyear,date,weekday,time,mood,activities,note\r\n2018,June 22,Friday,20:39,bad,\"\",\"\"\r\n",
    b"full_date,date,weekday,time,mood,activities,note\n",  # 2019-2020
    b"full_date,date,weekday,time,mood,activities,scales,note_title,note\n",  # 2026
    HEADER.strip().encode(),  # a header-only file without a line end
], ids=["no-bom", "bom", "old-crlf", "middle", "scales", "header-only"])
def test_sniff_claims_daylio_headers(head):
    assert daylio.sniff(head)


@pytest.mark.parametrize("head", [
    b"\xef\xbb\xbf" + ",".join(COLUMNS).encode() + b"\r\n",  # medlog's own CSV export
    b"",
    b"\xef\xbb\xbf",
    b"a,b,c\n1,2,3\n",
    b"date,weekday,time of day,category,rating/amount,detail,notes\n",  # Bearable
    b"full_date,date,weekday,time,mood,activities,note_title,note,extra\n",
    b"full_date,date,weekday,time,mood\n",
    b"full_date,date,weekday,ti",  # cut before the header ends
    b"# full_date,date,weekday,time,mood,activities,note_title,note\n",
    b"2021-10-16,16 de octubre,s\xc3\xa1bado,18:43,mal,\"\",\"\"\n",  # Daylio's rows without the header
    "full_date,date,weekday,time,mood,activities,note_title,note\n".encode("utf-16"),
    b'{"format": "medlog-export"}',
], ids=["medlog-csv", "empty", "bom-only", "random", "bearable", "extra-column", "short", "cut", "comment",
        "headerless", "utf16", "json"])
def test_sniff_refuses_other_files(head):
    assert not daylio.sniff(head)


# --- real exports ------------------------------------------------------------------------------------------------


def test_current_export_from_2021():
    found = read(fixture("currin_sample.csv"))
    assert (found.fmt, found.lines, found.skipped) == ("daylio", 3, ())
    assert [m.value for m in moods(found)] == ["sad", "average", "average"]  # "sad " in the file
    assert len(of(found, ForeignTag)) == 7 + 12 + 5 and not of(found, ForeignNote)
    first = [tag.name for tag in of(found, ForeignTag) if tag.where.line == 2]
    assert first == ["clean", "music", "movies / tv", "bad sleep", "tired", "sleep early", "stomachache"]
    second = [tag.name for tag in of(found, ForeignTag) if tag.where.line == 3]
    assert second[:3] == ["stressed / frustrated", "eat out", "cook"]  # "stressed / frustrated  | eat out | cook  |"
    # "10:00 pm" on 2021-09-28 in Berlin (summer time, +02:00) is 20:00 UTC
    assert moods(found)[0].at == berlin(2021, 9, 28, 22, 0) == datetime(2021, 9, 28, 20, 0, tzinfo=UTC)
    assert {entry.zone for entry in found.entries} == {"Europe/Berlin"}
    assert all(entry.where.line == 2 for entry in found.entries[:8])


def test_custom_mood_labels_are_kept_as_written():
    found = read(fixture("multiple_moods.csv"))
    assert found.lines == 7
    assert [m.value for m in moods(found)] == ["OK", "OK", "Refreshed", "good", "ok but sleepy", "bad", "Anxious"]
    assert [t.name for t in of(found, ForeignTag)] == ["work", "work", "Sleeping", "movies", "good meal", "work",
                                                       "Sleeping"]  # "Sleeping " in the file
    assert [m.where for m in moods(found)] == [Where(n, "mood") for n in range(2, 9)]
    assert moods(found)[0].at == berlin(2021, 5, 12, 18, 52)
    assert moods(found)[0].at.astimezone(UTC).hour == 16


def test_the_entry_is_in_the_zone_asked_for():
    tokyo = read(fixture("multiple_moods.csv"), ZoneInfo("Asia/Tokyo"))
    assert moods(tokyo)[0].at == datetime(2021, 5, 12, 18, 52, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert moods(tokyo)[0].zone == "Asia/Tokyo"
    assert moods(tokyo)[0].at != moods(read(fixture("multiple_moods.csv")))[0].at


# --- the old export and its dates --------------------------------------------------------------------------------


def test_old_export_reads_year_and_localised_date():
    found = read(fixture("old_format.csv"))
    assert found.lines == 8 and found.skipped == ()
    assert len(moods(found)) == 8 and len(of(found, ForeignTag)) == 11 and len(of(found, ForeignNote)) == 5
    assert [m.at for m in moods(found)[:4]] == [berlin(2018, 1, 2, 20, 15), berlin(2018, 1, 1, 13, 40),
                                               berlin(2017, 12, 31, 23, 58), berlin(2017, 12, 31, 9, 12)]
    assert [t.name for t in of(found, ForeignTag) if t.where.line == 5] == ["work", "Sick"]  # "work |  Sick"
    assert of(found, ForeignNote)[0].text == "Back to work 😁"


@pytest.mark.parametrize("year, day, clock_text, expected", [
    ("2018", "29 March", "11:54 pm", (2018, 3, 29, 23, 54)),  # the layout MichaelCurrin's docs show
    ("2018", "June 22", "20:39", (2018, 6, 22, 20, 39)),
    ("2017", "7 września", "12:10", (2017, 9, 7, 12, 10)),  # Polish, as kplich/daylio-visualisation's export
    ("2017", "31 sierpnia", "23:58", (2017, 8, 31, 23, 58)),
    ("2021", "16 de octubre", "9:03", (2021, 10, 16, 9, 3)),  # Spanish, as DavidCDCB/Estados's export
    ("2019", "3. März", "08:00", (2019, 3, 3, 8, 0)),
    ("2019", "1 août", "08:00", (2019, 8, 1, 8, 0)),
    ("2019", "Sept 9", "08:00", (2019, 9, 9, 8, 0)),
])
def test_old_dates_in_the_phones_language(tmp_path, year, day, clock_text, expected):
    path = written(tmp_path, f'year,date,weekday,time,mood,activities,note\n{year},{day},x,{clock_text},meh,"",""\n')
    assert moods(read(path))[0].at == berlin(*expected)


@pytest.mark.parametrize("year, day, column", [
    ("2017", "7 Σεπτεμβρίου", "date"),
    ("2017", "September", "date"),
    ("2017", "31 June", "date"),
    ("2017", "3 May June", "date"),
    ("17", "June 3", "year"),
])
def test_old_dates_that_cannot_be_read_are_bad_lines(tmp_path, year, day, column):
    path = written(tmp_path, f'year,date,weekday,time,mood,activities,note\n{year},{day},x,12:10,meh,"",""\n')
    with pytest.raises(BadLine) as caught:
        read(path)
    assert caught.value.where == Where(2, column)


def test_the_2019_header_without_a_title(tmp_path):
    path = written(tmp_path, "full_date,date,weekday,time,mood,activities,note\n"
                             '2019-03-16,March 16,Saturday,9:27 PM,content,"friends | Tania-time","Dan\'s wedding"\n')
    found = read(path)
    assert [n.text for n in of(found, ForeignNote)] == ["Dan's wedding"]
    assert moods(found)[0].at == berlin(2019, 3, 16, 21, 27)


@pytest.mark.parametrize("text, expected", [
    ("9:05 am", (9, 5)), ("12:00 AM", (0, 0)), ("12:30 pm", (12, 30)), ("11:59 PM", (23, 59)),
    ("6:50 p.m.", (18, 50)), ("10:00\u202fPM", (22, 0)), ("21:30", (21, 30)), ("9:03", (9, 3)), ("00:05", (0, 5)),
])
def test_times_twelve_and_twenty_four_hour(tmp_path, text, expected):
    path = written(tmp_path, HEADER + f'2023-05-14,May 14,Sunday,{text},good,"","",""\n')
    assert moods(read(path))[0].at == berlin(2023, 5, 14, *expected)


# --- notes, activities, scales -----------------------------------------------------------------------------------


def test_rich_notes_scales_and_a_note_over_several_lines():
    found = read(fixture("rich_notes.csv"))
    assert found.lines == 8 and found.skipped == ()
    assert len(moods(found)) == 8 and len(of(found, ForeignTag)) == 9 and len(of(found, ForeignNote)) == 5
    notes = {n.where.line: n.text for n in of(found, ForeignNote)}
    assert notes == {
        2: "Long day.\nSlept badly again.\n\nTomorrow: rest & water",  # <br>, &nbsp;, <b>, &amp;
        3: 'Morning\nWoke up\nbefore the alarm,\nand felt "fine"',  # the title, then the note's own lines
        7: "Can't sleep <3",  # not markup: kept
        9: "Second entry at the same minute",
        10: "Lunch\n- soup\n- bread",  # <ul><li>
    }
    # the note of line 3 runs to line 5: the next row is line 6, and its time is named there
    assert [m.where.line for m in moods(found)] == [2, 3, 6, 7, 8, 9, 10, 11]
    assert moods(found)[0].value == "vaguely ok"  # "vaguely ok " in the file
    assert [t.name for t in of(found, ForeignTag) if t.where.line == 2] == ["work", "<c_e> tired"]
    assert [t.name for t in of(found, ForeignTag) if t.where.line == 8] == ["friends", "good meal"]  # once each
    scales = [r for r in of(found, ForeignRating) if r.metric != "mood"]
    # "8/10 points": 8 on the file's 0–10 (the resolver's linear rule puts it on the metric's scale); "7:30" hours
    assert [(r.metric, r.value, r.scale, r.where) for r in scales] == [
        ("Sleep Quality", "8", (Decimal(0), Decimal(10)), Where(3, "scales")),
        ("Sleep Time", "7.5", None, Where(3, "scales"))]


def test_rich_notes_times_around_the_change_to_summer_time():
    at = {m.where.line: m.at for m in moods(read(fixture("rich_notes.csv")))}
    assert at[2] == berlin(2024, 3, 31, 22, 15)  # "10:15 PM"
    assert at[6] == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)  # "3:30 AM", summer time (+02:00)
    assert at[7] == datetime(2024, 3, 31, 0, 30, tzinfo=UTC)  # "1:30 AM", winter time (+01:00)
    assert at[10] == berlin(2024, 3, 30, 12, 0)  # "12:00 PM" is noon
    assert at[11] == datetime(2024, 3, 28, 23, 0, tzinfo=UTC)  # "12:00 AM" is midnight


def test_a_plain_note_is_kept_as_written(tmp_path):
    note = "a < b && c > d; R&D; <c_e> tired; <bx>; &amp is not an entity without its ;"
    path = written(tmp_path, HEADER + f'2023-05-14,May 14,Sunday,09:00,good,"","Title ","{note}"\n')
    assert of(read(path), ForeignNote)[0].text == f"Title\n{note}"


# --- identity ----------------------------------------------------------------------------------------------------


def test_uuids_are_stable_and_distinct():
    first, again = read(fixture("rich_notes.csv")), read(fixture("rich_notes.csv"))
    uuids = [entry.uuid for entry in first.entries]
    assert uuids == [entry.uuid for entry in again.entries]
    assert len(set(uuids)) == len(uuids)
    same_minute = [m for m in moods(first) if m.at == berlin(2024, 3, 30, 21, 5)]
    assert len(same_minute) == 2 and same_minute[0].uuid != same_minute[1].uuid
    assert moods(first)[0].uuid == stable_uuid("daylio", "2024-03-31T22:15", 0, "mood")
    assert same_minute[1].uuid == stable_uuid("daylio", "2024-03-30T21:05", 1, "mood")


def test_uuids_do_not_depend_on_other_rows(tmp_path):
    rows = ['2023-05-14,May 14,Sunday,09:00,good,"walk","",""\n', '2023-05-13,May 13,Saturday,09:00,bad,"","",""\n']
    both = read(written(tmp_path, HEADER + "".join(rows), "both.csv"))
    one = read(written(tmp_path, HEADER + rows[1], "one.csv"))
    assert moods(both)[1].uuid == moods(one)[0].uuid
    assert moods(both)[0].uuid != moods(both)[1].uuid


# --- bad lines ---------------------------------------------------------------------------------------------------

BAD = (HEADER
       + '2024-04-02,April 2,Tuesday,08:00,good,"walk","","ok"\n'  # line 2
       + '2024-02-30,February 30,Friday,08:00,good,"","",""\n'  # 3: no such day
       + '2024-04-01,April 1,Monday,25:10,good,"","",""\n'  # 4: no such time
       + '2024-04-01,April 1,Monday,08:00,good,""\n'  # 5: too few fields
       + '2024-04-01,April 1,Monday,08:00,  ,"","",""\n'  # 6: no mood
       + '2024-03-31,March 31,Sunday,2:30 am,meh,"","",""\n'  # 7: clocks jumped 02:00 -> 03:00 in Berlin
       + '2024-03-30,March 30,Saturday,08:00,meh,"","","two\nlines"\n'  # 8-9
       + '24/03/29,March 29,Friday,08:00,meh,"","",""\n'  # 10: not an ISO date
       + '2024-03-28,March 28,Thursday,13:00 pm,meh,"","",""\n'  # 11: 13 with pm
       + '2024-03-27,March 27,Wednesday,08:00,rad,"","",""\n')  # 12


def test_a_bad_line_refuses_the_file_by_default(tmp_path):
    with pytest.raises(BadLine) as caught:
        read(written(tmp_path, BAD))
    assert caught.value.where == Where(3, "full_date")
    assert str(caught.value).startswith("line 3, column 'full_date': ")


def test_bad_lines_are_listed_with_skip_bad(tmp_path):
    found = read(written(tmp_path, BAD), skip_bad=True)
    assert [where for where, _ in found.skipped] == [Where(3, "full_date"), Where(4, "time"), Where(5),
                                                     Where(6, "mood"), Where(7, "time"), Where(10, "full_date"),
                                                     Where(11, "time")]
    problems = dict(found.skipped)
    assert "does not exist in Europe/Berlin" in problems[Where(7, "time")]
    assert "has 6 fields" in problems[Where(5)]
    assert [m.where.line for m in moods(found)] == [2, 8, 12]
    assert found.lines == 10  # rows, not physical lines: the note of line 8 runs to line 9


def test_a_dst_gap_is_a_bad_line(tmp_path):
    path = written(tmp_path, HEADER + '2024-03-31,March 31,Sunday,2:30 am,meh,"","",""\n')
    with pytest.raises(BadLine) as caught:
        read(path)
    assert caught.value.where == Where(2, "time")
    assert "2024-03-31 02:30 does not exist in Europe/Berlin" in caught.value.problem
    assert moods(read(path, ZoneInfo("Europe/London")))[0].at == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)


def test_bytes_that_are_not_utf8_and_nul_make_their_row_bad(tmp_path):
    content = (HEADER.encode()
               + b'2024-04-03,April 3,Wednesday,08:00,good,"","","caf\xe9"\n'  # Latin-1
               + b'2024-04-02,April 2,Tuesday,08:00,good,"","","a\x00b"\n'
               + b'2024-04-01,April 1,Monday,08:00,good,"","","fine"\n')
    found = read(written(tmp_path, content), skip_bad=True)
    assert [(where.line, "UTF-8" in problem or "NUL" in problem) for where, problem in found.skipped] == [
        (2, True), (3, True)]
    assert [n.text for n in of(found, ForeignNote)] == ["fine"]
    with pytest.raises(BadLine, match="line 2 is not UTF-8"):
        read(written(tmp_path, content))


def test_a_quote_left_open_is_a_bad_line(tmp_path):
    path = written(tmp_path, HEADER + '2024-04-02,April 2,Tuesday,08:00,good,"","","fine"\n'
                                      '2024-04-01,April 1,Monday,08:00,good,"","","never closed\nand on\n')
    found = read(path, skip_bad=True)
    assert [where for where, _ in found.skipped] == [Where(3)]
    assert len(moods(found)) == 1


# --- files that are not Daylio's ---------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [
    b"\xef\xbb\xbf" + ",".join(COLUMNS).encode() + b"\r\nnote,1,2026-11-20,2026-11-20T09:00:00Z\r\n",
    b"a,b,c\n1,2,3\n",
    b'2021-10-16,16 de octubre,s\xc3\xa1bado,18:43,mal,"",""\n',  # rows without the header
    HEADER.encode("utf-16"),
    b"\x00\x01\x02\xff" * 64,
    b"\n" + HEADER.encode(),
], ids=["medlog-csv", "random", "headerless", "utf16", "binary", "blank-first-line"])
def test_a_file_that_is_not_daylios_is_refused_in_one_line(tmp_path, content):
    with pytest.raises(InputError) as caught:
        read(written(tmp_path, content))
    assert not isinstance(caught.value, BadLine)
    assert str(caught.value).startswith("not a Daylio export") and "\n" not in str(caught.value)


def test_an_empty_or_missing_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="empty"):
        read(written(tmp_path, b""))
    with pytest.raises(InputError, match="cannot read"):
        read(str(tmp_path / "nowhere.csv"))


def test_a_header_only_file_has_nothing(tmp_path):
    found = read(written(tmp_path, b"\xef\xbb\xbf" + HEADER.encode() + b"\n\n"))
    assert (found.entries, found.skipped, found.lines) == ((), (), 0)


# --- size --------------------------------------------------------------------------------------------------------


def test_ten_years_of_entries_parse_well_under_a_second(tmp_path):
    lines = [HEADER]
    start = datetime(2015, 1, 1).toordinal()
    for n in range(3650):
        day = datetime.fromordinal(start + n).date()
        lines.append(f'{day},{day:%B} {day.day},{day:%A},{n % 12 + 1}:{n % 60:02d} pm,good,"work | friends | walk",'
                     f'"","A day<br>of notes &amp; more"\n')
    path = written(tmp_path, "".join(lines))
    began = clock.perf_counter()
    found = read(path)
    elapsed = clock.perf_counter() - began
    assert found.lines == 3650 and len(found.entries) == 3650 * 5
    assert elapsed < 1.0, f"{elapsed:.2f} s"


@pytest.mark.parametrize("end", ["\r\n", "\r"])
@pytest.mark.parametrize("name", ["old_format.csv", "rich_notes.csv"])
def test_cr_lf_and_cr_only_line_ends_read_as_the_lf_file_does(tmp_path, end, name):
    """Saved on Windows (CR LF) or an old Mac (CR alone), with its BOM: the same entries, on the same lines (a
    multi-line note keeps its own line breaks)."""
    data = open(fixture(name), "rb").read()
    lf = written(tmp_path, data.replace(b"\r\n", b"\n"), "lf.csv")
    other = written(tmp_path, data.replace(b"\r\n", b"\n").replace(b"\n", end.encode()), "other.csv")
    assert daylio.sniff(open(other, "rb").read(4096))
    expected, found = read(lf), read(other)
    assert [(e.uuid, e.where) for e in found.entries] == [(e.uuid, e.where) for e in expected.entries]
    assert found.lines == expected.lines
