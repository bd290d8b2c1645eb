"""Layers, import hygiene on the quick-log path, and no side effects at import."""

import ast
import os
import pkgutil
import shutil
import subprocess
import sys

import pytest

import medlog

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# What would break the quick-log budget (DESIGN §8), and what we measured each to cost here.
HEAVY = ["sqlmodel", "sqlalchemy", "pydantic", "textual", "rich", "pendulum", "platformdirs", "typing",
         "dataclasses", "json", "uuid", "pathlib", "tomllib", "shutil", "_strptime"]


def test_layers_hold():
    """import-linter contracts in pyproject.toml: cli/tui → services → store/… → domain, and a clean domain."""
    lint = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or shutil.which("lint-imports")
    assert lint, "import-linter is in the test extra"
    proc = subprocess.run([lint, "--config", os.path.join(ROOT, "pyproject.toml")], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


QUICK = [
    ["take", "escitalopram"], ["take", "esc", "1 tab", "--at", "yesterday 08:05", "--note", "late"],
    ["skip", "esc", "--reason", "nausea", "--at", "2h ago"], ["rate", "mood=6", "sleep_hours=7.5"],
    ["rate", "anxiety=3", "--day", "yesterday"], ["symptom", "dizziness", "mild"], ["note", "calm", "--flag"],
    ["take", "nothing"],  # a refusal is on the quick path too
    ["due"],  # meant for a shell prompt: the same budget
]

PROBE = """
import sys
from medlog.cli.main import main
code = main(sys.argv[1:])
print(repr({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def test_quick_log_commands_import_nothing_heavy(tmp_path, cli_env):
    env = {**cli_env, "MEDLOG_DB": str(tmp_path / "j.sqlite")}
    subprocess.run([sys.executable, "-m", "medlog", "substance", "add", "Escitalopram", "--kind", "medication",
                    "--strength", "10 mg", "--dose", "10 mg", "--schedule", "08:00"], env=env, check=True,
                   capture_output=True)
    for args in QUICK:
        proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True)
        report = ast.literal_eval(proc.stderr.strip().splitlines()[-1])
        loaded = set(report["modules"])
        assert report["code"] in (0, 2), proc.stderr
        assert not loaded & set(HEAVY), (args, sorted(loaded & set(HEAVY)))


# Short listings and the exports read through the stdlib path (store/listings.py), never SQLModel: its import alone
# (~0.45 s with SQLAlchemy and pydantic) was most of `medlog log` (issue 18).
LISTINGS = [["log"], ["log", "--json", "--since", "30 days ago"], ["log", "--kind", "dose", "--substance", "esc"],
            ["substance", "list"], ["substance", "list", "--json"], ["substance", "show", "esc"],
            ["export", "--format", "json"], ["export", "--format", "csv"], ["export", "--format", "fhir"]]
ORM = ["sqlmodel", "sqlalchemy", "pydantic", "textual", "rich", "pendulum"]


def test_listings_and_exports_import_no_orm(tmp_path, cli_env):
    env = {**cli_env, "MEDLOG_DB": str(tmp_path / "j.sqlite")}
    for args in (["substance", "add", "Escitalopram", "--kind", "medication", "--dose", "10 mg", "--schedule",
                  "08:00", "--since", "2026-11-01", "--alias", "Lexapro"], ["take", "esc"], ["rate", "mood=6"],
                 ["note", "calm", "--flag"], ["symptom", "dizziness", "3"]):
        subprocess.run([sys.executable, "-m", "medlog", *args], env=env, check=True, capture_output=True)
    for args in LISTINGS:
        proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True)
        report = ast.literal_eval(proc.stderr.strip().splitlines()[-1])
        assert report["code"] == 0, (args, proc.stderr)
        assert not set(report["modules"]) & set(ORM), (args, sorted(set(report["modules"]) & set(ORM)))
    proc = subprocess.run([sys.executable, "-c", PROBE, "log"], env=env, capture_output=True, text=True)
    assert "Escitalopram" in proc.stdout and "calm" in proc.stdout  # the probe ran the real listing


def test_the_default_path_keeps_platformdirs_off_the_quick_path(tmp_path, cli_env):
    """Without --db or MEDLOG_DB the journal is found the XDG way, still without importing platformdirs."""
    proc = subprocess.run([sys.executable, "-c", PROBE, "rate", "mood=5"], env=cli_env, capture_output=True, text=True)
    report = ast.literal_eval(proc.stderr.strip().splitlines()[-1])
    assert report["code"] == 0 and "platformdirs" not in report["modules"]
    assert os.path.exists(os.path.join(cli_env["XDG_DATA_HOME"], "medlog", "journal.sqlite"))


def all_modules():
    return sorted(m.name for m in pkgutil.walk_packages(medlog.__path__, "medlog."))


def test_importing_any_module_has_no_side_effects(tmp_path):
    """Nothing opens a database, makes a directory or reads config at import time."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDLOG_", "XDG_"))}
    env.update(HOME=str(home), MEDLOG_DB=str(tmp_path / "never.sqlite"))
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    proc = subprocess.run([sys.executable, "-c", code, *all_modules()], env=env, capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert list(home.iterdir()) == [] and not (tmp_path / "never.sqlite").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


@pytest.mark.parametrize("module", all_modules())
def test_modules_stay_small(module):
    path = sys.modules[module].__file__ if module in sys.modules else __import__(module, fromlist=["x"]).__file__
    with open(path, encoding="utf-8") as fh:
        lines = sum(1 for _ in fh)
    assert lines <= 400, f"{module} has {lines} lines; split it by responsibility"


def test_code_is_lint_clean():
    """ruff with the rules in pyproject.toml (pyflakes, pycodestyle, isort, bugbear, pyupgrade)."""
    ruff = shutil.which("ruff", path=os.path.dirname(sys.executable)) or shutil.which("ruff")
    assert ruff, "ruff is in the test extra"
    proc = subprocess.run([ruff, "check", "src", "tests", "benchmarks"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout
