"""Bad input: one line on stderr, exit 2, nothing written — through the real entry point."""

import os

import pytest

from tests.conftest import default_journal, dump

SETUP = [
    ["substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--dose", "10 mg",
     "--schedule", "08:00"],
    ["substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg", "--schedule", "21:30"],
    ["substance", "add", "Magnesium citrate", "--kind", "supplement", "--dose", "150 mg"],
    ["substance", "add", "Methotrexate", "--kind", "medication", "--dose", "15 mg", "--schedule", "20:00 sat",
     "--since", "2026-11-01 08:00"],
]

BAD = [
    (["take", "escitalopram", "-5mg"], "negative"),
    (["take", "escitalopram", "--", "-5mg"], "negative"),
    (["take", "escitalopram", "0 mg"], "more than zero"),
    # issue 16, item 19: a volume for a substance dosed by mass answered the 08:00 slot and counted as taken
    (["take", "escitalopram", "10 ml"], "is a volume, and Escitalopram is dosed in mg"),
    (["take", "escitalopram", "1e309mg"], "exponent"),
    (["take", "escitalopram", "nan mg"], "not a number"),
    (["take", "escitalopram", "1_000mg"], "underscores"),
    (["take", "escitalopram", "200 mg mg"], "one number and one unit"),
    (["take", "escitalopram", "200 furlongs"], "unknown unit"),
    (["take", "escitalopram", "1٣ mg"], "mixes digits"),
    (["take", "unknownium"], "no substance called 'unknownium'"),
    (["take", "mag"], "could be Magnesium citrate or Magnesium glycinate"),
    (["take", ""], "empty"),
    (["take", "escitalopram", "--at", "25:99"], "not a time of day"),
    (["take", "escitalopram", "--at", "whenever"], "not a time medlog understands"),
    (["take", "escitalopram", "--at", "2026-02-30 08:00"], "not a date on the calendar"),
    (["take", "escitalopram", "--at", "today 23:00"], "future"),
    (["take", "escitalopram", "--at", "2026-03-29 01:30"], "does not exist in Europe/London"),  # spring forward
    (["rate", "mood=11"], "outside its scale"),
    (["rate", "mood=abc"], "not a number"),
    (["rate", "mood=true"], "not a number"),
    (["rate", "sleep_hours=25"], "outside its scale"),
    (["rate", "mood=6", "mood=7"], "rated twice"),
    (["rate", "mood=6", "anxiety=11"], "outside its scale"),  # one bad rating: none of them is written
    (["rate", "mood"], "METRIC=VALUE"),
    (["rate", "nosuchmetric=3"], "no metric called"),
    (["rate", "mood=5", "--day", "2026-02-30"], "not a date on the calendar"),
    (["rate", "mood=5", "--day", "2027-01-01"], "future"),
    (["symptom", "dizziness", "42"], "outside 0–10"),
    (["symptom", "dizziness", "awful"], "mild, moderate or severe"),
    (["symptom", "", "3"], "empty"),
    (["note", ""], "empty"),
    (["note", "x" * 2001], "limit is 2000"),
    (["note", "bad \udcff byte"], "not valid text"),
    (["note", "ring \x07 bell"], "control character"),
    (["skip", "magnesium citrate"], "no scheduled dose"),
    (["substance", "add", "Escitalopram", "--kind", "medication"], "already a name"),
    (["substance", "add", "X", "--kind", "vitamin"], "invalid choice"),
    (["substance", "add", "X", "--kind", "supplement", "--strength", "2 tablets"], "unit of measure"),
    (["substance", "add", "X", "--kind", "supplement", "--schedule", "25:00"], "not a time of day"),
    (["substance", "add", "X", "--kind", "supplement", "--schedule", "08:00 every 0 days"], "from 1 to 366"),
    (["substance", "add", "X", "--kind", "supplement", "--schedule", "08:00 mon every 2 days"], "not both"),
    (["substance", "add", "X", "--kind", "supplement", "--iu", "1000 IU = 25 mL"], "its mass"),
    (["substance", "add", "X", "--kind", "supplement", "--iu", "1e309 IU = 25 mcg"], "IU factor"),
    (["substance", "add", "X", "--kind", "supplement", "--until", "2026-02-30"], "not a date on the calendar"),
    (["skip", "methotrexate", "--at", "2026-11-17 20:00"], "not due on Tue 2026-11-17"),
    (["substance", "change", "escitalopram"], "say what changes"),
    (["substance", "change", "escitalopram", "--dose", "10 mg"], "already at 10 mg"),
    (["substance", "stop", "nothing"], "no substance called"),
    (["metric", "add", "Bad Name", "--min", "0", "--max", "5", "--higher-is-better"], "metric name"),
    (["metric", "add", "focus", "--min", "5", "--max", "1", "--higher-is-better"], "below the maximum"),
    (["take"], "required"),
    (["frobnicate"], "invalid choice"),
]


@pytest.fixture
def journal_with_substances(medlog, cli_env):
    for args in SETUP:
        assert medlog(*args).code == 0
    return default_journal(cli_env)


@pytest.mark.parametrize("args, reason", BAD, ids=[" ".join(a)[:40] for a, _ in BAD])
def test_refused_in_one_line_with_exit_2_and_nothing_written(medlog, journal_with_substances, args, reason):
    before = dump(journal_with_substances)
    ran = medlog(*args)
    assert ran.code == 2, ran
    assert ran.out == ""
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0], ran.err
    assert "Traceback" not in ran.err
    assert dump(journal_with_substances) == before


def test_a_sql_looking_name_is_stored_verbatim(medlog, journal_with_substances):
    name = "Robert'); DROP TABLE substances;--"
    assert medlog("substance", "add", name, "--kind", "supplement", "--dose", "1 capsule").code == 0
    assert medlog("take", "robert").code == 0
    listed = medlog("substance", "list").out
    assert name in listed and "Escitalopram" in listed


def test_quick_log_on_a_fresh_install_creates_nothing_for_an_unknown_name(medlog, cli_env):
    ran = medlog("take", "escitalopram")
    assert ran.code == 2 and "none yet" in ran.err
    assert not os.path.exists(default_journal(cli_env))


def test_bad_config_is_one_line(medlog, monkeypatch):
    monkeypatch.setenv("MEDLOG_TZ", "Mars/Olympus_Mons")
    ran = medlog("rate", "mood=5")
    assert ran.code == 2 and ran.err.count("\n") == 1 and "unknown time zone" in ran.err


def test_real_process_gives_one_line_and_no_traceback(medlog_process):
    ran = medlog_process("rate", "mood=11")
    assert ran.code == 2 and ran.err.strip().count("\n") == 0 and "outside its scale" in ran.err


@pytest.mark.parametrize("args, says", [
    (["take", "escitalopram", "--at", "0001-01-01T00:00+14:00"], "too far from today"),
    (["log", "--until", "0001-01-01T00:00+14:00"], "neither a day"),
    (["note", "x", "--at", "99999999999 days ago"], "too far from today"),
    (["substance", "change", "escitalopram", "--dose", "5 mg", "--at", "9999-12-31T23:59-12:00"], "too far from today"),
], ids=lambda a: " ".join(a)[:40] if isinstance(a, list) else "")
def test_a_time_off_the_calendar_is_refused_in_one_line(medlog, journal_with_substances, args, says):
    # found by tests/reliability/test_cli_fuzz.py: an OverflowError, reported as an internal error with exit 1
    before = dump(journal_with_substances)
    ran = medlog(*args)
    assert ran.code == 2 and ran.err.count("\n") == 1 and says in ran.err, ran
    assert dump(journal_with_substances) == before


# Found by tests/reliability/test_cli_fuzz.py: refused on a fresh install, each must be one line, exit 2, and no
# journal made.
@pytest.mark.parametrize("args, says", [
    # naming something there is none of yet: said "no journal … yet" with exit 1 (a runtime failure), where
    # `take`, `rule add` and `compare` refuse the same unknown name with exit 2
    (["substance", "stop", "escitalopram"], "no substance called 'escitalopram'; there are none yet"),
    (["substance", "start", "escitalopram"], "no substance called 'escitalopram'; there are none yet"),
    (["substance", "change", "escitalopram", "--dose", "5 mg"], "no substance called"),
    (["substance", "alias", "escitalopram", "Lexapro"], "no substance called"),
    (["substance", "onset-lag", "escitalopram", "14"], "no substance called"),
    (["rule", "disable", "1"], "there is no rule 1"),
    (["rule", "change", "1", "--source", "x"], "there is no rule 1"),
    # refused inside the first write, after the journal file had been made: a refusal left a new empty journal
    (["substance", "add", "Melatonin", "--kind", "supplement", "--alias", "Brand X", "--alias", "brand x"],
     "'brand x' is given twice"),
    (["substance", "add", "Melatonin", "--kind", "supplement", "--alias", "melatonin"], "is given twice"),
    (["metric", "add", "mood", "--min", "0", "--max", "10", "--higher-is-better"], "already a metric called mood"),
], ids=lambda a: " ".join(a)[:40] if isinstance(a, list) else "")
def test_a_refusal_on_a_fresh_install_is_one_line_and_makes_no_journal(medlog, cli_env, args, says):
    ran = medlog(*args)
    assert ran.code == 2 and ran.err.count("\n") == 1 and says in ran.err, ran
    assert not os.path.exists(default_journal(cli_env))


@pytest.mark.parametrize("args, says", [
    (["import", "no\nsuch.json"], r"'no\nsuch.json': no such file"),
    (["export", "--format", "json", "-o", "no\ndir/out.json"], "cannot write in "),
    (["report", "--format", "md", "-o", "no\ndir/out.md"], "cannot write in "),
    (["restore", "no\nbackup.sqlite"], "no backup file at "),
    (["backup", "-o", "dup\nname.sqlite"], r"'dup\nname.sqlite' already exists"),
], ids=lambda a: " ".join(a)[:24] if isinstance(a, list) else "")
def test_a_file_name_with_a_line_break_is_quoted_in_a_one_line_error(medlog, journal_with_substances, tmp_path,
                                                                     monkeypatch, args, says):
    # found by tests/reliability/test_cli_fuzz.py: the name was echoed raw, so the error took two lines
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dup\nname.sqlite").write_text("taken")
    before = dump(journal_with_substances)
    ran = medlog(*args)
    assert ran.code == 2 and ran.err.count("\n") == 1 and says in ran.err, ran
    assert dump(journal_with_substances) == before
