"""Fixtures the CLI tests share."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import default_journal


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return str(tmp_path_factory.mktemp("demo") / "demo.sqlite")


@pytest.fixture
def demo(medlog, demo_file, cli_env):
    """The demo journal (120 days to the suite's clock), written once per module through `medlog demo`, copied in
    as the user's journal for each test."""
    if not os.path.exists(demo_file):
        assert medlog("demo", "--no-tui", "--db", demo_file).code == 0
    target = default_journal(cli_env)
    os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
    shutil.copyfile(demo_file, target)
    return target
