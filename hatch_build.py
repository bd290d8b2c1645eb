"""The wheel's build hook: the man page, generated from the parser the wheel ships, installed as
share/man/man1/medlog.1 (docs/architecture.md, "Man page and packaging"). Hatchling loads this file by its name."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ManPageHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        # A separate process: this tree's medlog (first on the path, whatever else is installed: pip's isolated
        # build drops the paths a .pth file adds, such as an editable install's), with none of the building shell's
        # MEDLOG_ settings, and nothing of it imported into the build backend.
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEDLOG_")}
        run = ("import runpy, sys; sys.path.insert(0, sys.argv[1]); "
               "runpy.run_module('medlog.cli.manpage', run_name='__main__')")
        page = subprocess.run([sys.executable, "-c", run, os.path.join(self.root, "src")], env=env,
                              capture_output=True, text=True, check=False)
        if page.returncode != 0 or not page.stdout.startswith(".TH MEDLOG"):
            raise RuntimeError(f"the man page could not be generated:\n{page.stderr}")
        self._folder = tempfile.mkdtemp(prefix="medlog-man-")
        path = os.path.join(self._folder, "medlog.1")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(page.stdout)
        build_data["shared_data"][path] = "share/man/man1/medlog.1"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if getattr(self, "_folder", None):
            shutil.rmtree(self._folder, ignore_errors=True)
