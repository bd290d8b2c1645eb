"""The reliability suites run short by default (CI) and at their full counts with `pytest --long`."""

from __future__ import annotations

import pytest


@pytest.fixture
def long_run(request) -> bool:
    return bool(request.config.getoption("--long"))


@pytest.fixture
def runs(long_run):
    """`runs(short, full)`: how many crashes, cuts or examples this run makes."""
    return lambda short, full: full if long_run else short


def pytest_collection_modifyitems(items):
    for item in items:
        if "/reliability/" in str(item.fspath):
            item.add_marker(pytest.mark.reliability)
