"""`medlog import` with one column of a real export changed, column by column: every table's and the change log's.

test_cli_fuzz.py mutates exports anywhere in the document, and only a few hundred of its examples are imports,
so it can go a whole run without giving a time that is not a time to a row medlog will read. Here every
column gets its own examples. The contract is the fuzz suite's (check_example): a refusal is one line, exit 2,
and writes nothing. An import that is accepted is then read by every reader (READ_BACK) without a crash.
"""

from __future__ import annotations

import copy
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.fuzz_args import JSON_VALUES, _similar, hostile
from tests.reliability.test_cli_fuzz import build_template, check_example

# Values that are nearly a column's form, or another column's: what a hand edit or another program leaves.
NEAR = st.sampled_from((
    "2026-11-20 08:00:00", "2026-11-20T08:00:00+00:00", "2026-11-20 08:00:00.000000+00:00", "2026-02-30",
    "2026-02-30 08:00:00.000000", "9999-12-31 23:59:59.999999", "0001-01-01 00:00:00.000000", "2026-11-20",
    "Mars/Base", "Europe", "", "08:00", "8am", "25:00", "08:00;every 0 days", "21:30,08:00", "as needed", "mg", "MG",
    "furlongs", "tablets", "IU", "{}", "[]", '{"id": 1}', "null", 0, 1, -1, 2, 0.5, 1e308, 2**63, True, None,
))


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(str(tmp_path_factory.mktemp("import-fuzz-template")))


def _exported(template) -> dict:
    with open(os.path.join(template.folder, "export.json"), encoding="utf-8") as fh:
        return json.load(fh)


def _places(doc: dict) -> list[tuple[str, str]]:
    """Every (table, column) of the export with a row to change; the change log's snapshots count as columns
    of their own ("change_log", "after.zone")."""
    found = {(table, column) for table, rows in doc["tables"].items() for row in rows for column in row}
    for entry in doc["change_log"]:
        found |= {("change_log", column) for column in entry}
        for what in ("before", "after"):
            if isinstance(entry.get(what), str):
                found |= {("change_log", f"{what}.{column}") for column in json.loads(entry[what])}
    return sorted(found)


def _fields(row: dict, snapshot: str) -> dict:
    """The row itself, or its `before`/`after` snapshot ({} when it has none)."""
    if not snapshot:
        return row
    return json.loads(row[snapshot]) if isinstance(row.get(snapshot), str) else {}


def _hostile_near(value: object) -> list[st.SearchStrategy[object]]:
    """A text value with hostile pieces put in it (issue 16 item 1), a lone surrogate, or as 100 KB: an import must
    hold it to the rules typed text meets, or refuse the file."""
    if not isinstance(value, str):
        return []
    return [hostile(st.just(value)), st.just(value + "\ud800"), st.just(value.upper()), st.just(value * 20_000)]


def _changed(draw: st.DrawFn, doc: dict, table: str, column: str) -> str:
    """The export with `column` of one of `table`'s rows given a drawn value (near its own, near a form, any)."""
    doc = copy.deepcopy(doc)
    rows = doc["change_log"] if table == "change_log" else doc["tables"][table]
    snapshot, _, key = column.rpartition(".")
    row = draw(st.sampled_from([r for r in rows if key in _fields(r, snapshot)]))
    target = _fields(row, snapshot)
    value = draw(st.one_of(st.builds(lambda d: _similar(d.draw, target[key]), st.data()), NEAR, JSON_VALUES,
                           *_hostile_near(target[key])))
    target[key] = value
    if snapshot:
        row[snapshot] = json.dumps(target)
    return json.dumps(doc, allow_nan=True)


def test_every_column_of_an_import_is_refused_when_out_of_form_or_read_without_a_crash(template, fuzz_env, tmp_path,
                                                                                       runs):
    doc = _exported(template)
    places = _places(doc)
    assert len(places) > 120 and ("change_log", "before.substance_id") in places, len(places)  # the walk works
    folder = os.path.realpath(tmp_path / "example")
    per_place = runs(2, 20)
    ran: list[tuple[str, str]] = []
    for table, column in places:
        _examples(doc, table, column, folder, template, per_place, ran)()
    assert len(ran) >= per_place * len(places)


def _examples(doc: dict, table: str, column: str, folder: str, template, count: int, ran: list):  # type: ignore[no-untyped-def]
    """The examples of one column. Each is imported into a fresh install: a row whose UUID the journal
    already holds is not imported again, so changing one of the template's own rows would test nothing."""

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def examples(data: st.DataObject) -> None:
        content = _changed(data.draw, doc, table, column)
        check_example(["import", "fuzzed.json"], folder=folder, template=template, journal=False, stdin=content)
        ran.append((table, column))

    return examples
