"""Issue 18, item 1, done when "a column added in a test fixture needs one edit".

The fixture is a copy of medlog's source in a temporary folder. The one edit is a line in its store/schema.py;
the generator (`python -m medlog.store.catalogue_gen --migration NAME`, as the recipe in docs/architecture.md
says) drafts the migration that adds the column to existing journals and rewrites the catalogue. Nothing else in
the copy changes, and yet the copy's medlog migrates an older journal, carries the column in the change log and
undo, exports it, checks its values on import, gives an older export the column's default, and round-trips.
"""

from __future__ import annotations

import difflib
import filecmp
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import medlog
from medlog.store.migrate import CURRENT_VERSION

SOURCE = Path(medlog.__file__).parent
ANCHOR = '    kind: str = "note"'  # Note.kind: the new line goes after it
THE_EDIT = '    topic: str = formed("name", default="general")  # what the note is about'


def _changed(before: Path, after: Path) -> set[str]:
    """Files added to, removed from or changed in the copy, relative to the package."""
    out: set[str] = set()

    def walk(cmp: filecmp.dircmp, where: str) -> None:
        out.update(os.path.join(where, n) for n in [*cmp.left_only, *cmp.right_only, *cmp.diff_files]
                   if n != "__pycache__")
        for name, sub in cmp.subdirs.items():
            if name != "__pycache__":
                walk(sub, os.path.join(where, name))

    walk(filecmp.dircmp(before, after, ignore=["__pycache__"]), "")
    return out


def test_a_column_added_to_schema_py_needs_that_one_edit(tmp_path, medlog, cli_env):
    copy = tmp_path / "src" / "medlog"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    schema = copy / "store" / "schema.py"
    lines = schema.read_text(encoding="utf-8").splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if line.startswith(ANCHOR)]
    assert len(at) == 1
    lines.insert(at[0] + 1, THE_EDIT + "\n")
    schema.write_text("".join(lines), encoding="utf-8")
    env = {**cli_env, "PYTHONPATH": str(tmp_path / "src"), "PYTHONDONTWRITEBYTECODE": "1"}

    def python(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], env=env, cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)

    # Until a migration makes the column, the generator refuses, names it, and shows the migration it would draft.
    refused = python("-m", "medlog.store.catalogue_gen")
    assert refused.returncode == 1, refused.stderr
    assert "note.topic: in schema.py, not made by the migrations" in refused.stderr
    assert "ALTER TABLE note ADD COLUMN topic VARCHAR NOT NULL DEFAULT 'general';" in refused.stderr
    made = python("-m", "medlog.store.catalogue_gen", "--migration", "note_topic")
    assert made.returncode == 0, made.stderr
    assert python("-m", "medlog.store.catalogue_gen", "--check").returncode == 0

    # The edit, the drafted migration and the generated catalogue: nothing else changed.
    drafted = f"store/migrations/{CURRENT_VERSION + 1:04d}_note_topic.sql"
    assert _changed(SOURCE, copy) == {"store/schema.py", "store/catalogue.py", drafted}
    diff = [d for d in difflib.ndiff((SOURCE / "store" / "schema.py").read_text(encoding="utf-8").splitlines(),
                                     schema.read_text(encoding="utf-8").splitlines()) if d[:1] in "+-"]
    assert diff == ["+ " + THE_EDIT]

    # A journal of the current schema, written by the unedited medlog, is migrated by the copy on first use.
    old, new = str(tmp_path / "old.sqlite"), str(tmp_path / "new.sqlite")
    assert medlog("--db", old, "note", "before the column").code == 0

    def copied(*args: str) -> subprocess.CompletedProcess[str]:
        return python("-m", "medlog", *args)

    assert copied("--db", old, "note", "after the column", "--flag").returncode == 0
    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION + 1
        assert conn.execute("SELECT text, topic FROM note ORDER BY id").fetchall() == [
            ("before the column", "general"), ("after the column", "general")]

    # The change log: an update of the new column is snapshotted, and undone.
    write = ("import sys\nfrom datetime import UTC, datetime\nfrom medlog.store.changes import Batch\n"
             "from medlog.store.connection import connect, write_transaction\n"
             "conn = connect(sys.argv[1], create=False)\n"
             "with write_transaction(conn):\n"
             "    uuid = conn.execute(\"SELECT uuid FROM note WHERE text = 'after the column'\").fetchone()[0]\n"
             "    Batch(conn, datetime.now(UTC), 'topic').update('note', uuid, {'topic': 'sleep'})\n")
    assert python("-c", write, old).returncode == 0
    with sqlite3.connect(old) as conn:
        before, after = conn.execute("SELECT before, after FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    assert (json.loads(before)["topic"], json.loads(after)["topic"]) == ("general", "sleep")

    # Export carries it; import checks it and writes it; export → import → export is equal.
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    assert copied("--db", old, "export", "--format", "json", "-o", str(first)).returncode == 0
    data = json.loads(first.read_text(encoding="utf-8"))
    assert [row["topic"] for row in data["tables"]["note"]] == ["general", "sleep"]
    ran = copied("--db", new, "import", str(first))
    assert ran.returncode == 0, ran.stderr
    assert copied("--db", new, "export", "--format", "json", "-o", str(second)).returncode == 0
    assert second.read_bytes() == first.read_bytes()

    def imported(document: dict, name: str) -> subprocess.CompletedProcess[str]:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return copied("--db", str(tmp_path / f"{name}.sqlite"), "import", str(path))

    hostile = json.loads(first.read_text(encoding="utf-8"))
    hostile["tables"]["note"][1]["topic"] = "sleep\x1b[2J"
    refused_row = imported(hostile, "hostile")
    assert refused_row.returncode == 2 and "has topic 'sleep\\x1b[2J'" in refused_row.stderr, refused_row.stderr
    snapshot = json.loads(first.read_text(encoding="utf-8"))
    entry = snapshot["change_log"][-1]
    entry["after"] = json.dumps({**json.loads(entry["after"]), "topic": " sleep"})
    refused_log = imported(snapshot, "snapshot")
    assert refused_log.returncode == 2 and "has topic ' sleep'" in refused_log.stderr, refused_log.stderr
    older = json.loads(first.read_text(encoding="utf-8"))
    for row in older["tables"]["note"]:
        del row["topic"]
    assert imported(older, "older").returncode == 0
    with sqlite3.connect(tmp_path / "older.sqlite") as conn:
        assert [t for (t,) in conn.execute("SELECT topic FROM note ORDER BY id")] == ["general", "general"]

    # And undo restores the column it changed.
    assert copied("--db", old, "undo").returncode == 0
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT topic FROM note WHERE text = 'after the column'").fetchone()[0] == "general"
