"""The reliability suites run short by default (CI) and at their full counts with `pytest --long`."""

from __future__ import annotations

import pytest

from tests.reliability.fuzz_args import ENV


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


@pytest.fixture
def fuzz_env(cli_env, monkeypatch, tmp_path):
    """The fuzz suites' environment (ENV), in a working directory of the test's own."""
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # restored after the test: examples chdir into their folder
    return cli_env
