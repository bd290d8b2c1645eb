"""src/medlog type-checks: mypy, with the [tool.mypy] of pyproject.toml, finds nothing (issue 18 item 6).

A warm run takes well under a second (mypy's cache, .mypy_cache/ in the project, is git-ignored); a cold one ~10 s.
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_mypy_finds_no_errors():
    """mypy over `files` of [tool.mypy] (src/medlog), from the project's root as the config's paths expect."""
    proc = subprocess.run([sys.executable, "-m", "mypy", "--config-file", os.path.join(ROOT, "pyproject.toml")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
