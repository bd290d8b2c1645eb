"""Schema 6's columns (what a substance is made of, stock, the warnings kept) through the doors other than typing:
a hostile JSON export is refused by import and by merge in one line, exit 2, with nothing written."""

from __future__ import annotations

import json
import os

import pytest

HOSTILE = [("substance", "classes", "SSRI!"), ("substance", "ingredients", "Mag,x"),
           ("stock_event", "amount_value", -5), ("stock_event", "amount_unit", "furlongs"),
           ("rule_warning", "text", "x\x1b[31m"), ("rule", "kind", "maybe")]


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return str(tmp_path_factory.mktemp("export") / "demo.json")


@pytest.mark.parametrize(("table", "column", "value"), HOSTILE)
@pytest.mark.parametrize("door", ["import", "merge"])
def test_a_hostile_value_in_a_new_column_is_refused_by_every_door(medlog, tmp_path, export, table, column, value,
                                                                 door):
    if not os.path.exists(export):
        demo = str(tmp_path / "demo.sqlite")
        assert medlog("demo", "--no-tui", "--db", demo).code == 0
        assert medlog("--db", demo, "export", "--format", "json", "-o", export).code == 0
    data = json.loads(open(export, encoding="utf-8").read())
    assert data["tables"][table], f"the demo has {table} rows"
    data["tables"][table][0][column] = value
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    target = str(tmp_path / "journal.sqlite")
    if door == "merge":
        assert medlog("--db", target, "note", "already here").code == 0
        before = open(target, "rb").read()
    ran = medlog("--db", target, door, str(hostile))
    assert ran.code == 2, ran
    assert len(ran.err.strip().splitlines()) == 1 and table in ran.err and column in ran.err
    if door == "import":
        assert not os.path.exists(target)
    else:
        assert medlog("--db", target, "log", "--kind", "note").out.count("already here") == 1
        assert len(open(target, "rb").read()) == len(before)
