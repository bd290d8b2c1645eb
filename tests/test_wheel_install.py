"""The README's installs, as a user runs them: the wheel built from this tree into a fresh virtual environment, and
through pipx with the extras, each giving a working `medlog` and its man page (docs/architecture.md, "Man page and
packaging"). Each install takes its dependencies from the package index (~25 s each)."""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import NOW, ZONE

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The environment the suite started in (cli_env would point HOME, and so pip's cache, at a temporary folder)
OUTSIDE = {k: v for k, v in os.environ.items() if not k.startswith(("MEDLOG_", "PIPX_", "VIRTUAL_ENV"))}

pytestmark = pytest.mark.slow


def run(args: list[str], env: dict[str, str] | None = None, timeout: int = 600) -> str:
    proc = subprocess.run(args, capture_output=True, text=True, env=env or OUTSIDE, timeout=timeout)
    assert proc.returncode == 0, f"{args}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> str:
    """The wheel `pip wheel .` builds from this tree (its build hook writes the man page)."""
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "--wheel-dir", str(out)])
    (built,) = glob.glob(str(out / "medlog-*.whl"))
    return built


def user_env(tmp_path, bin_dir: str, **extra: str) -> dict[str, str]:
    """A user's shell with the install's bin first on PATH, a home of its own and the suite's clock."""
    return {**OUTSIDE, "PATH": bin_dir + os.pathsep + OUTSIDE.get("PATH", ""), "HOME": str(tmp_path / "home"),
            "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "MEDLOG_NOW": NOW.isoformat(), "MEDLOG_TZ": ZONE, **extra}


def quick_log(env: dict[str, str], db: str) -> None:
    """`medlog --version`, then a substance and a dose logged and listed, by the `medlog` first on PATH."""
    from medlog import __version__

    assert run(["medlog", "--version"], env).strip() == f"medlog {__version__}"
    run(["medlog", "--db", db, "substance", "add", "Magnesium glycinate", "--kind", "supplement", "--dose",
         "200 mg", "--schedule", "21:30"], env)
    assert run(["medlog", "--db", db, "take", "mag"], env).startswith("Logged: took Magnesium glycinate 200 mg")
    assert "took Magnesium glycinate 200 mg" in run(["medlog", "--db", db, "log"], env)


def same_page(installed: str) -> None:
    """The installed man page is the one cli/manpage.py renders from this tree (its date aside)."""
    from medlog.cli.manpage import render

    with open(installed, encoding="ascii") as fh:
        page = fh.read()
    undated = re.compile(r'^(\.TH MEDLOG "1") "[^"]*"', re.M)
    assert undated.sub(r"\1", page) == undated.sub(r"\1", render())


def test_the_readme_installs_what_these_tests_install():
    import tomllib

    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        project = tomllib.load(fh)["project"]
    assert "pipx install '.[encrypt,remind]'" in readme
    assert "pipx install 'dist/medlog-0.1.0-py3-none-any.whl[encrypt,remind]'" in readme
    assert project["version"] == "0.1.0"  # the wheel's name in the README
    assert {"encrypt", "remind"} <= set(project["optional-dependencies"])
    # the terminal UI and the PDF report need no extra
    assert {"textual", "reportlab"} <= {re.split(r"[<>=\[ ]", d)[0] for d in project["dependencies"]}


def test_the_wheel_installs_into_a_fresh_venv(wheel, tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", wheel])
    quick_log(user_env(tmp_path, str(venv / "bin")), str(tmp_path / "journal.sqlite"))
    same_page(str(venv / "share" / "man" / "man1" / "medlog.1"))


def test_pipx_installs_the_wheel_with_its_extras(wheel, tmp_path):
    """The README's `pipx install` with both extras: encryption (sqlcipher3) and desktop reminders (dbus-fast)."""
    pipx = {**OUTSIDE, "PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin"),
            "PIPX_MAN_DIR": str(tmp_path / "man")}
    run([sys.executable, "-m", "pipx", "install", f"{wheel}[encrypt,remind]"], pipx)
    env = user_env(tmp_path, str(tmp_path / "bin"), MEDLOG_PASSPHRASE="correct horse battery staple")
    quick_log(env, str(tmp_path / "journal.sqlite"))
    sealed = str(tmp_path / "sealed.sqlite")
    run(["medlog", "--db", sealed, "init", "--encrypt"], env)
    run(["medlog", "--db", sealed, "note", "kept private"], env)
    with open(sealed, "rb") as fh:
        assert not fh.read(16).startswith(b"SQLite format 3")  # encrypted at rest
    assert "kept private" in run(["medlog", "--db", sealed, "log"], env)
    python = str(tmp_path / "pipx" / "venvs" / "medlog" / "bin" / "python")
    run([python, "-c", "import dbus_fast, sqlcipher3"], env)
    same_page(str(tmp_path / "man" / "man1" / "medlog.1"))  # pipx links the page where `man` finds it
