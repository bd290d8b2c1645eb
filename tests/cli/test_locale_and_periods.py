"""`--last` calendar periods on `report` and `trends`, and the report's dates in the user's locale, as typed.

The suite's clock is Saturday 21 Nov 2026 (tests/conftest.py): `--last 3m` runs from 22 Aug (21 Aug, three months
back, is the day before the period) to 21 Nov, 92 days.
"""

from __future__ import annotations

import json
import os

import pytest


def test_report_last_three_months(demo, medlog):
    ran = medlog("report", "--format", "md", "--last", "3m", "-o", "-")
    assert ran.code == 0, ran.err
    assert "Period: 22 Aug–21 Nov 2026 (92 days)" in ran.out
    assert medlog("report", "--format", "md", "--last", "1m").out.count("Period: 22 Oct–21 Nov 2026 (31 days)") == 1
    assert "Period: 08 Nov–21 Nov 2026 (14 days)" in medlog("report", "--format", "md", "--last", "2w").out
    assert "Period: 12 Nov–21 Nov 2026 (10 days)" in medlog("report", "--format", "md", "--last", "10d").out


def test_trends_last_three_months_is_the_weeks_that_cover_them(demo, medlog):
    ran = medlog("trends", "--last", "3m")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("Weekly means of your ratings, 14 weeks to Sat 21 Nov 2026")  # 92 days: 14 weeks
    weeks = json.loads(medlog("trends", "--last", "1y", "--json").out)["weeks"]
    assert len(weeks) == 53 and weeks[-1]["from"] == "2025-11-16"  # 365 days: 53 weeks
    assert len(json.loads(medlog("trends", "--last", "10d", "--json").out)["weeks"]) == 2
    assert len(json.loads(medlog("trends", "--json").out)["weeks"]) == 12  # the default is still 12 weeks


@pytest.mark.parametrize("command", ["report", "trends"])
@pytest.mark.parametrize("value", ["3x", "0m", "-1m", "٣m", "99999y", "1.5m", ""])
def test_bad_periods_get_one_line_and_exit_2(demo, medlog, command, value):
    ran = medlog(command, "--last", value, *(["--format", "md"] if command == "report" else []))
    assert ran.code == 2 and ran.out == ""
    assert len(ran.err.strip().splitlines()) == 1 and "--last" in ran.err and "Traceback" not in ran.err


@pytest.mark.parametrize(("args", "words"), [
    (["report", "--format", "md", "--last", "13m"], "396 days"),  # a visit report covers up to a year
    (["report", "--format", "md", "--last", "6d"], "7 to 366 days"),
    (["trends", "--last", "11y"], "520 weeks"),
    (["trends", "--last", "3m", "--weeks", "4"], "--weeks"),  # one or the other
])
def test_periods_too_long_or_doubled_are_refused(demo, medlog, args, words):
    ran = medlog(*args)
    assert ran.code == 2 and ran.out == "" and words in ran.err and len(ran.err.strip().splitlines()) == 1


def test_the_report_in_german_dates(demo, medlog, monkeypatch):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    ran = medlog("report", "--format", "md", "-o", "-")
    assert ran.code == 0, ran.err
    assert "Period: 24. August 2026 – 21. November 2026 (90 days)" in ran.out
    assert "## Regimen on Sa., 21. November 2026" in ran.out
    # the demo's vitamin D course is planned to stop in December
    assert "*Planned: Vitamin D3: stop on Sa., 26. Dezember 2026.*" in ran.out
    assert "Nov 2026" not in ran.out and "Dec 2026" not in ran.out  # no English date left in the report's own lines
    html = medlog("report", "--format", "html", "-o", "-").out
    assert "24. August 2026 – 21. November 2026" in html and "Dezember" in html


def test_the_config_locale_wins_and_machine_output_stays_iso(demo, medlog, cli_env, monkeypatch):
    folder = os.path.join(cli_env["XDG_CONFIG_HOME"], "medlog")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.toml"), "w", encoding="utf-8") as fh:
        fh.write('locale = "fr"\n')
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert "Period: 24 août 2026 – 21 novembre 2026" in medlog("report", "--format", "md").out
    found = json.loads(medlog("trends", "--json", "--last", "3m").out)
    assert found["to"] == "2026-11-21" and found["weeks"][0]["from"] == "2026-11-15"
    csv = medlog("export", "--format", "csv").out
    assert "2026-11-21" in csv and "novembre" not in csv


def test_english_stays_the_default(demo, medlog):
    ran = medlog("report", "--format", "md")
    assert "Period: 24 Aug–21 Nov 2026 (90 days)" in ran.out and "## Regimen on Sat 21 Nov 2026" in ran.out
    table = ran.out.split("| As needed |", 1)[1].split("\n\n", 1)[0]
    assert "Last taken" in table and " before |" in table  # "2 days before": before the report's end
