"""Another app's entries met with the journal (services/importers/resolve.py): names, labels, scales, tags."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from medlog.domain.errors import InputError
from medlog.domain.foreign import (
    ForeignDose,
    ForeignFile,
    ForeignRating,
    ForeignSymptom,
    ForeignTag,
    Where,
    stable_uuid,
)
from medlog.domain.schedule import parse_schedule
from medlog.domain.units import parse_amount
from medlog.services import entries, substances
from medlog.services.importers.resolve import empty_journal, resolve
from medlog.services.substances import NewSubstance
from medlog.store.connection import connect

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ZONE = "Europe/London"


def _rating(n: int, metric: str, value: str, scale=None, at=AT) -> ForeignRating:  # type: ignore[no-untyped-def]
    return ForeignRating(stable_uuid("test", n), Where(n + 1), at, ZONE, metric, value, scale)


def _resolve(found: ForeignFile, mapping=None, conn=None):  # type: ignore[no-untyped-def]
    conn = conn or empty_journal()
    return resolve(conn, found, mapping or {}, rollover=time(4), now=AT)


def _values(resolved) -> list[float]:  # type: ignore[no-untyped-def]
    return sorted(float(row["value"]) for row in resolved.rows["observation"])  # type: ignore[arg-type]


def test_a_five_point_scale_goes_onto_zero_to_ten_by_the_linear_rule():
    days = [datetime(2026, 11, d, 9, tzinfo=UTC) for d in range(1, 6)]
    found = ForeignFile("test", tuple(_rating(i, "Mood", str(i + 1), (Decimal(1), Decimal(5)), days[i])
                                      for i in range(5)))
    assert _values(_resolve(found)) == [0.0, 2.5, 5.0, 7.5, 10.0]


def test_daylios_default_moods_by_rank_and_a_users_own_label_by_the_mapping():
    labels = ["awful", "bad", "meh", "good", "rad ", "Sleepy"]
    found = ForeignFile("test", tuple(_rating(i, "mood", label, at=datetime(2026, 11, i + 1, 9, tzinfo=UTC))
                                      for i, label in enumerate(labels)))
    with pytest.raises(InputError, match=r"mood .Sleepy. \(line 6\); .* \[labels.mood\]"):
        _resolve(found)
    resolved = _resolve(found, {"labels": {"mood": {"sleepy": 4}}})
    assert _values(resolved) == [0.0, 2.5, 4.0, 5.0, 7.5, 10.0]
    assert resolved.plan.labels["mood"]["Sleepy"] == 4


def test_several_ratings_on_one_journal_day_keep_their_mean_and_say_so():
    found = ForeignFile("test", (_rating(1, "mood", "good"), _rating(2, "mood", "bad", at=AT.replace(hour=20))))
    resolved = _resolve(found)
    assert _values(resolved) == [5.0] and resolved.plan.averaged_days == 1


def test_a_day_the_journal_rates_already_keeps_its_rating_and_is_listed(journal):
    entries.rate(journal, ["mood=3"], day=AT.date())
    conn = connect(journal.path, create=False)
    resolved = _resolve(ForeignFile("test", (_rating(1, "mood", "rad"),)), conn=conn)
    assert "observation" not in resolved.rows
    assert "the journal rates that day already" in resolved.plan.skipped[0][1]


def test_names_match_as_take_matches_and_new_ones_are_made_once(journal):
    substances.add(journal, NewSubstance("Escitalopram", "medication", dose=parse_amount("10 mg"),
                                         schedule=parse_schedule("08:00"), aliases=("Lexapro",)))
    doses = tuple(ForeignDose(stable_uuid("test", n), Where(n), AT, ZONE, name, parse_amount("10 mg"))
                  for n, name in enumerate(["lexapro", "ESCIT", "Hydroxyzine", "hydroxyzine"]))
    resolved = _resolve(ForeignFile("test", doses), conn=connect(journal.path, create=False))
    assert resolved.plan.new_substances == ("Hydroxyzine",)
    assert resolved.plan.matched == {"lexapro": "Escitalopram", "ESCIT": "Escitalopram"}
    uuids = [row["substance_uuid"] for row in resolved.rows["dose"]]
    assert uuids[0] == uuids[1] != uuids[2] == uuids[3]
    mapped = _resolve(ForeignFile("test", doses[2:3]), {"substances": {"Hydroxyzine": "escitalopram"}},
                      conn=connect(journal.path, create=False))
    assert mapped.plan.new_substances == () and mapped.rows["dose"][0]["substance_uuid"] == uuids[0]
    with pytest.raises(InputError, match="mapping file's \\[substances\\]"):
        _resolve(ForeignFile("test", doses[2:3]), {"substances": {"Hydroxyzine": "Atarax"}},
                 conn=connect(journal.path, create=False))


def test_tags_become_one_note_a_symptom_or_nothing_as_the_mapping_says():
    tags = tuple(ForeignTag(stable_uuid("test", name), Where(2), AT, ZONE, "activity", name)
                 for name in ("work", "friends", "headache", "gaming"))
    resolved = _resolve(ForeignFile("test", tags), {"tags": {"headache": {"symptom": "headache", "severity": 6},
                                                             "gaming": "skip"}})
    assert [row["text"] for row in resolved.rows["note"]] == ["activities: work, friends"]
    assert [(row["name"], row["severity"]) for row in resolved.rows["symptom"]] == [("headache", 6)]
    assert resolved.plan.tags == {"work": "note", "friends": "note", "headache": "symptom headache",
                                  "gaming": "skip"}


def test_symptom_severity_words_medlogs_own_or_the_mappings():
    found = ForeignFile("test", (ForeignSymptom(stable_uuid("t", 1), Where(2), AT, ZONE, "Headache", "Mild"),
                                 ForeignSymptom(stable_uuid("t", 2), Where(3), AT, ZONE, "Nausea", "Unbearable"),
                                 ForeignSymptom(stable_uuid("t", 3), Where(4), AT, ZONE, "Cramp", "Horrid")))
    with pytest.raises(InputError, match=r"line 4: .*\[severity\]"):
        _resolve(found)
    resolved = _resolve(found, {"severity": {"horrid": 9, "mild": 3}})  # the mapping's word first
    assert [row["severity"] for row in resolved.rows["symptom"]] == [3, 10, 9]


def test_a_number_off_the_metrics_scale_is_named_by_its_line():
    with pytest.raises(InputError, match=r"line 2: .*outside its scale"):
        _resolve(ForeignFile("test", (_rating(1, "mood", "11"),)))
    with pytest.raises(InputError, match=r"line 2: mood 6 is outside the file's scale 1–5"):
        _resolve(ForeignFile("test", (_rating(1, "mood", "6", (Decimal(1), Decimal(5))),)))
    with pytest.raises(InputError, match=r"line 2: .*\[metrics\]"):
        _resolve(ForeignFile("test", (_rating(1, "Happiness", "6"),)))
    resolved = _resolve(ForeignFile("test", (_rating(1, "Happiness", "6"),)), {"metrics": {"happiness": "mood"}})
    assert _values(resolved) == [6.0]


def test_a_name_that_could_be_two_of_yours_is_refused_not_guessed(journal):
    for name in ("Vitamin D3", "Vitamin B12"):
        substances.add(journal, NewSubstance(name, "supplement"))
    dose = ForeignDose(stable_uuid("test", 1), Where(7), AT, ZONE, "vitamin", None)
    with pytest.raises(InputError, match=r"line 7: 'vitamin' could be Vitamin B12 or Vitamin D3; .*\[substances\]"):
        _resolve(ForeignFile("test", (dose,)), conn=connect(journal.path, create=False))


def test_an_entry_dated_ahead_is_a_bad_line_but_a_planned_regimen_change_is_not():
    ahead = _rating(1, "mood", "5", at=AT + timedelta(days=2))
    with pytest.raises(InputError, match=r"line 2: .* is in the future"):
        _resolve(ForeignFile("test", (ahead,)))
    within = _rating(2, "mood", "5", at=AT + timedelta(hours=20))  # another device's clock, a day's grace
    assert _values(_resolve(ForeignFile("test", (within,)))) == [5.0]


def test_a_substances_entry_naming_none_of_yours_is_refused_even_unused(journal):
    substances.add(journal, NewSubstance("Escitalopram", "medication"))
    note = ForeignSymptom(stable_uuid("t", 1), Where(2), AT, ZONE, "Headache", "mild")
    with pytest.raises(InputError, match=r"\[substances\] 'zoloft' = 'Sertraline'"):
        _resolve(ForeignFile("test", (note,)), {"substances": {"Zoloft": "Sertraline"}},
                 conn=connect(journal.path, create=False))


def test_a_bad_lines_message_quotes_a_huge_cell_only_in_part():
    from medlog.domain.foreign import MESSAGE_CHARS, BadLine

    said = str(BadLine(Where(9, "note"), f"{'x' * 100_000!r} is too long"))
    assert said.startswith("line 9, column 'note': 'xxx") and said.endswith("…")
    assert len(said) < MESSAGE_CHARS + 40
