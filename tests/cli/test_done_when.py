"""The issue's "done when" script, typed as a new user would, through the real program in new processes."""

import json
import os
import sqlite3
import stat

from tests.conftest import default_journal


def test_a_new_user_logs_a_day(medlog_process, cli_env):
    steps = [
        (["substance", "add", "Escitalopram", "--kind", "medication", "--strength", "10 mg", "--dose", "10 mg",
          "--schedule", "08:00"], "added Escitalopram"),
        (["substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose", "200 mg", "--schedule",
          "21:30"], "added Magnesium glycinate"),
        (["take", "escitalopram", "--at", "08:05"], "took Escitalopram 10 mg (08:00 dose)"),
        (["take", "mag", "200mg"], "took Magnesium glycinate 200 mg (21:30 dose)"),
        (["rate", "sleep_hours=7.5", "sleep_quality=6", "mood=7", "anxiety=3"],
         "rated sleep_hours 7.5, sleep_quality 6, mood 7, anxiety 3 for 2026-11-21"),
        (["symptom", "dizziness", "3"], "symptom dizziness 3/10"),
        (["note", "felt calmer today", "--flag"], "flagged note “felt calmer today”"),
    ]
    for args, said in steps:
        ran = medlog_process(*args)
        assert ran.code == 0, (args, ran.err)
        assert said in ran.out
        if args[:3] == ["substance", "add", "Magnesium glycinate"]:  # the starter rule for magnesium is adopted
            assert ran.err.startswith("medlog: note: starter rule 1 added: Magnesium glycinate: at most 350 mg a day")
        else:
            assert ran.err == ""

    ran = medlog_process("log", "--json")
    assert ran.code == 0
    entries = json.loads(ran.out)["entries"]
    kinds = [e["kind"] for e in entries]
    assert kinds.count("dose") == 2 and kinds.count("rating") == 4 and kinds.count("symptom") == 1
    assert kinds.count("note") == 1 and kinds.count("regimen") == 2
    esc = next(e for e in entries if e["kind"] == "dose" and e["substance"] == "Escitalopram")
    assert esc["at"] == "2026-11-21T08:05:00+00:00" and esc["amount"] == 10 and esc["slot"] == "08:00"
    flagged = next(e for e in entries if e["kind"] == "note")
    assert flagged["flagged"] is True and flagged["text"] == "felt calmer today"

    ran = medlog_process("undo")
    assert ran.code == 0 and "Undid: flagged note" in ran.out
    kinds_after = [e["kind"] for e in json.loads(medlog_process("log", "--json").out)["entries"]]
    assert "note" not in kinds_after and len(kinds_after) == len(kinds) - 1

    # the journal lives in the data dir, privately
    path = default_journal(cli_env)
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM dose WHERE deleted_at IS NULL").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM note WHERE deleted_at IS NOT NULL").fetchone()[0] == 1
    conn.close()
