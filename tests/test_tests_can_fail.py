"""No test passes on a broken implementation: break one rule at a time and watch the suite catch it."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# mutant → the tests that must catch it (in-process tests: the mutant lives in the pytest process)
CATCHERS = {
    "negative_numbers": ["tests/unit/test_numbers.py"],
    "no_rollover": ["tests/unit/test_timeparse.py", "tests/cli/test_commands.py"],
    "synchronous_normal": ["tests/store/test_connection.py", "tests/reliability/test_power_loss.py"],
    "undo_does_nothing": ["tests/store/test_changes.py", "tests/cli/test_commands.py"],
    "no_length_cap": ["tests/unit/test_names_and_text.py", "tests/cli/test_bad_input.py"],
    "foreign_keys_stay_on": ["tests/store/test_migrate.py"],
    "no_scale_check": ["tests/unit/test_metrics.py", "tests/cli/test_bad_input.py"],
    "first_prefix_wins": ["tests/unit/test_names_and_text.py", "tests/cli/test_bad_input.py"],
    "world_readable": ["tests/store/test_connection.py"],
    "reminds_twice": ["tests/unit/test_reminders.py", "tests/cli/test_remind_command.py"],
}


@pytest.mark.parametrize("mutant, targets", CATCHERS.items(), ids=list(CATCHERS))
def test_every_catcher_fails_on_its_mutant(mutant, targets):
    for target in targets:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "tests.mutants", "-p", "no:cacheprovider", target],
            cwd=ROOT, env={**os.environ, "MEDLOG_MUTANT": mutant}, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 1, f"{target} did not catch {mutant}:\n{proc.stdout[-2000:]}"
