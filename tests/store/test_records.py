"""store/records.py: one record per entity the store reads whole, and the one converter from its row."""

from __future__ import annotations

import ast
import os

import pytest

from medlog.store import catalogue, records

STORE = os.path.dirname(records.__file__)
# Which table each record reads (its columns' table, or per alias under a join).
READS = {"SUBSTANCE_COLUMNS": "substance", "EVENT_COLUMNS": "regimen_event", "METRIC_COLUMNS": "metric",
         "RULE_COLUMNS": {"r": "rule", "s": "substance", "o": "substance"},
         "EXPERIMENT_COLUMNS": {"e": "experiment", "s": "substance"}}
CONVERTED = {"SubstanceRef", "RegimenEvent", "MetricRef", "Rule", "ExperimentRecord"}


@pytest.mark.parametrize("name", sorted(READS))
def test_every_column_a_record_reads_is_in_the_catalogue(name):
    for column in getattr(records, name):
        alias, _, bare = column.rpartition(".")
        tables = READS[name]
        table = tables[alias] if isinstance(tables, dict) else tables
        assert not alias or isinstance(tables, dict), column
        assert bare in {c.name for c in catalogue.TABLES[table]}, f"{name}: {column} is not a column of {table}"


def test_every_columns_list_is_checked_here():
    assert {n for n in dir(records) if n.endswith("_COLUMNS")} == set(READS)


def test_no_other_store_module_builds_these_records():
    """A record built from a row anywhere else would be a second converter, which the next column would miss."""
    for name in sorted(os.listdir(STORE)):
        if not name.endswith(".py") or name in ("records.py", "schema.py"):
            continue
        with open(os.path.join(STORE, name), encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
        built = {node.func.id for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CONVERTED}
        assert not built, f"store/{name} builds {sorted(built)} itself: use store/records.py's converter"


def test_columns_puts_each_under_its_alias():
    assert records.columns(("kind", "note")) == "kind, note"
    assert records.columns(("kind", "s.name"), "e") == "e.kind, s.name"
