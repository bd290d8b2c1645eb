"""Report (key 5): the range, the format and the file; a preview of the report; Export writes it (0600, atomically,
asking before replacing a file, never over the journal); a bad range is said and nothing is written; the palette's
'export report'."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import stat

import pytest

from medlog.reports.sections import Table
from medlog.tui.app import make_app
from medlog.tui.screens.report import HINT
from tests.tui.conftest import imported_at_startup, open_screen, settle, type_text
from tests.tui.conftest import until as wait_until

DEFAULT_FILE = "medlog-report-2026-11-21.pdf"


def has_renderer(module: str) -> bool:
    return importlib.util.find_spec(f"medlog.reports.{module}") is not None


def needs(module: str):  # type: ignore[no-untyped-def]
    return pytest.mark.skipif(not has_renderer(module), reason=f"medlog.reports.{module} is not written yet")


@pytest.fixture
def out(tmp_path, monkeypatch):
    """The current folder, where the default file name lands: empty, apart from the journal's."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def title(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#report-title").render())


def status(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#report-status").render())


def preview(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#report-preview").text()


def field(app, name: str):  # type: ignore[no-untyped-def]
    return app.screen.query_one(f"#report-{name}")


def mode(path) -> int:  # type: ignore[no-untyped-def]
    return stat.S_IMODE(os.stat(path).st_mode)


async def until(pilot, condition, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, condition, seconds, lambda app: f"{title(app)!r} {status(app)!r}")


async def type_into(pilot, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Focus a field, clear it and type, as a user does."""
    field(pilot.app, name).focus()
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, text)


def test_nothing_of_the_report_screen_is_imported_at_startup():
    assert imported_at_startup("medlog.tui.screens.report", "medlog.services.report", "medlog.reports") == []


async def test_key_5_previews_the_last_90_days(tui_journal, out):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        assert app.screen.id == "report"
        await until(pilot, lambda: app.screen.report is not None)
        # the journal began on 01 Nov (its substances' start): the 90 days asked for start there (issue 16 item 16)
        assert title(app) == "Report — 21 days, Sun 01 Nov – Sat 21 Nov 2026"
        assert (field(app, "from").value, field(app, "to").value) == ("2026-08-24", "2026-11-21")
        assert field(app, "path").value == DEFAULT_FILE
        shown = preview(app)
        assert "Period: 01 Nov–21 Nov 2026 (21 days, from the first entry, 01 Nov)" in shown
        for words in ("Medication and symptom journal: visit summary", "Regimen on Sat 21 Nov 2026", "Medications",
                      "Supplements", "Regimen changes", "Adherence", "Trends", "Before and after each change",
                      "Symptoms", "For the clinician", "Data completeness"):
            assert words in shown.splitlines(), words
        for name in ("Escitalopram", "Magnesium glycinate", "Gabapentin"):
            assert any(line.startswith(name) for line in shown.splitlines()), name
        header = next(line for line in shown.splitlines() if line.startswith("Substance"))
        assert header.split() == ["Substance", "Dose", "Schedule", "Since", "Reason"]  # fitted: not wrapped
        assert app.focused is field(app, "range")  # not a text field: the keys 1–5 still switch screens
        assert [b.id for b in app.screen.BINDINGS] == ["report.export", "report.range", "report.format"]
        assert app.screen.query("Footer")
        assert list(out.iterdir()) == []  # nothing written until asked


@needs("markdown")
async def test_change_the_range_and_format_then_export_markdown(tui_journal, out):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        await pilot.press("r")  # 90 → 180 days
        await until(pilot, lambda: app.screen.report is not None
                    and app.screen.report.header.asked_range[0].isoformat() == "2026-05-26")
        assert title(app) == "Report — 21 days, Sun 01 Nov – Sat 21 Nov 2026"  # from the journal's first entry
        await pilot.press("f", "f")  # PDF → HTML → Markdown; the default name follows
        assert field(app, "path").value == "medlog-report-2026-11-21.md"
        await pilot.press("e")
        await until(pilot, lambda: (out / "medlog-report-2026-11-21.md").exists())
        written = out / "medlog-report-2026-11-21.md"
        assert mode(written) == 0o600
        text = written.read_text(encoding="utf-8")
        assert text.startswith("# ") and "Escitalopram" in text and "from the first entry, 01 Nov" in text
        assert status(app) == f"Wrote the visit report to {written}"
        assert any(str(n.message) == f"Wrote the visit report to {written}" for n in app._notifications)
        assert sorted(p.name for p in out.iterdir()) == ["medlog-report-2026-11-21.md"]  # no temporary file left


@needs("html")
async def test_type_the_days_choose_html_with_the_keyboard_and_export(tui_journal, out):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        await type_into(pilot, "from", "2026-11-02")
        await type_into(pilot, "to", "2026-11-15")
        await pilot.press("enter")  # at once (else when typing rests)
        await until(pilot, lambda: app.screen.report is not None and app.screen.report.header.days == 14)
        assert title(app) == "Report — 14 days, Mon 02 Nov – Sun 15 Nov 2026"
        assert app.screen.query_one("#report-range").pressed_index == 3  # From–to
        assert field(app, "path").value == "medlog-report-2026-11-15.pdf"
        await pilot.press("tab")  # To → Format
        assert app.focused is field(app, "format")
        await pilot.press("right", "space")  # PDF → HTML
        await settle(pilot)
        assert field(app, "path").value == "medlog-report-2026-11-15.html"
        await pilot.press("e")
        written = out / "medlog-report-2026-11-15.html"
        await until(pilot, written.exists)
        assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        assert mode(written) == 0o600


@needs("pdf")
async def test_export_the_default_pdf_with_the_button(tui_journal, out):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        await pilot.click("#report-export")
        await until(pilot, lambda: (out / DEFAULT_FILE).exists())
        assert (out / DEFAULT_FILE).read_bytes().startswith(b"%PDF-")
        assert mode(out / DEFAULT_FILE) == 0o600


@pytest.mark.parametrize(("since", "to", "words"), [
    ("2026-11-30", "", "Range: 2026-11-30 is in the future; the journal's today is 2026-11-21"),
    ("2026-11-10", "2026-11-01", "Range: From 2026-11-10 comes after To 2026-11-01"),
    ("2025-01-01", "2026-11-21", "is over 366 days"),
    ("last week", "", "Range: "),
])
async def test_a_bad_range_is_said_and_nothing_is_written(tui_journal, out, since, to, words):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        await type_into(pilot, "to", to)
        await type_into(pilot, "from", since)
        await settle(pilot)
        assert words in status(app)
        assert title(app) == "Report — choose the days to cover"
        await pilot.click("#report-export")
        await settle(pilot)
        assert words in status(app) and app.screen.id == "report"
        assert any(words in str(n.message) for n in app._notifications)
        assert list(out.iterdir()) == []
        await type_into(pilot, "from", "2026-11-01")  # put right: the message goes
        await type_into(pilot, "to", "2026-11-21")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.report is not None and app.screen.report.header.days == 21)
        assert status(app) == HINT


@needs("markdown")
async def test_an_existing_file_is_replaced_only_when_confirmed(tui_journal, out):
    target = out / "visit.md"
    target.write_text("my own notes")
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        await pilot.press("f", "f")
        await type_into(pilot, "path", "visit.md")
        await pilot.press("enter")  # Enter in the file's field exports
        await until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmModal")
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text() == "my own notes"
        assert status(app) == "Not written: the file is as it was."
        assert app.focused is field(app, "path")  # back where it was
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmModal")
        await pilot.press("y")
        await until(pilot, lambda: target.read_text().startswith("# "))
        assert mode(target) == 0o600
        assert status(app) == f"Wrote the visit report to {target}"


async def test_the_journal_itself_is_never_written_over(tui_journal, out):
    with open(tui_journal.path, "rb") as fh:
        before = hashlib.sha256(fh.read()).hexdigest()
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        field(app, "path").value = tui_journal.path
        await pilot.click("#report-export")
        await until(pilot, lambda: "is the journal itself" in status(app))
        assert status(app) == f"Not written: {tui_journal.path} is the journal itself; choose another file"
        assert app.screen.id == "report"
    with open(tui_journal.path, "rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == before


@needs("markdown")
@pytest.mark.parametrize("where", ["sqlite", "backups"])
async def test_what_the_cli_never_writes_over_the_screen_refuses_without_asking(tui_journal, out, where):
    """The CLI's rule (services/files.py), which --force does not lift: no question is asked, nothing is written."""
    if where == "sqlite":
        target = out / "other.sqlite"
        target.write_bytes(b"SQLite format 3\x00" + bytes(200))
        words = "is an SQLite database (a journal or a backup?) and is never replaced; choose another file"
    else:
        folder = os.path.join(os.path.dirname(tui_journal.path), "backups")
        os.makedirs(folder, exist_ok=True)
        target = out.parent / "backups" / "visit.md"
        words = "is in medlog's backups folder, which only medlog's own backups go into; choose another folder"
    before = sorted(p.name for p in target.parent.iterdir())
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        await pilot.press("f", "f")
        field(app, "path").value = str(target)
        await pilot.click("#report-export")
        await until(pilot, lambda: status(app).startswith("Not written"))
        assert status(app) == f"Not written: {target} {words}"
        assert app.screen.id == "report"  # no "Replace it?": the answer could only be no
    assert sorted(p.name for p in target.parent.iterdir()) == before
    if where == "sqlite":
        assert target.read_bytes()[:16] == b"SQLite format 3\x00"


async def test_the_format_choices_are_the_registrys(tui_journal, out):
    from medlog.services.formats import REPORT_FORMATS

    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        buttons = list(app.screen.query_one("#report-format").query("RadioButton"))
        assert [str(b.label) for b in buttons] == [form.label for form in REPORT_FORMATS.values()]
        for form in [*list(REPORT_FORMATS.values())[1:], next(iter(REPORT_FORMATS.values()))]:
            await pilot.press("f")  # round the registry, back to the first; the file's extension follows
            assert app.screen.fmt == form.name and field(app, "path").value.endswith(f".{form.extension}")


async def test_a_renderer_that_fails_is_a_message_not_a_crash(tui_journal, out, monkeypatch):
    from medlog.services import report_file

    def broken(found, fmt):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(report_file, "render", broken)
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        await pilot.press("e")
        await until(pilot, lambda: status(app).startswith("Not written"))
        assert status(app) == "Not written: the pdf report could not be made (ZeroDivisionError: division by zero)"
        assert app.screen.id == "report" and list(out.iterdir()) == []


async def test_the_palette_export_report_opens_the_screen_ready_to_export(tui_journal, out):
    from textual.command import CommandList

    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "export report")
        for _ in range(50):  # the palette searches in the background
            await pilot.pause(0.1)
            if app.screen.query_one(CommandList).option_count:
                break
        assert "Export report" in str(app.screen.query_one(CommandList).get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.id == "report"
        assert app.focused is field(app, "export")
        if has_renderer("pdf"):
            await pilot.press("enter")  # the button has the focus: Enter writes the default PDF
            await until(pilot, lambda: (out / DEFAULT_FILE).exists())


async def test_a_write_from_the_cli_is_in_the_preview(tui_journal, out):
    from medlog.domain.schedule import parse_schedule
    from medlog.domain.units import parse_amount
    from medlog.services import substances
    from medlog.services.substances import NewSubstance

    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        await until(pilot, lambda: app.screen.report is not None)
        assert "Vitamin D3" not in preview(app)
        substances.add(tui_journal, NewSubstance("Vitamin D3", "supplement", dose=parse_amount("2000 IU"),
                                                 schedule=parse_schedule("09:00"),
                                                 since=tui_journal.moment("2026-11-10 09:00")),
                       source="cli")  # as the CLI would
        app.refresh_journal()
        await until(pilot, lambda: "Vitamin D3" in preview(app))
        assert title(app) == "Report — 21 days, Sun 01 Nov – Sat 21 Nov 2026"  # from the journal's first entry


async def test_help_lists_the_report_screen_and_its_keys(tui_journal):
    app = make_app(tui_journal, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "5")
        await pilot.press("question_mark")
        await settle(pilot)
        shown = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        assert "5 Report" in shown and '"export report"' in shown
        assert "On this screen (report)" in shown and "Export" in shown and "Format" in shown


# The preview's drawing, without a terminal ----------------------------------------------------------------------


def test_a_table_too_wide_gives_way_in_its_words_columns():
    from medlog.tui.screens.report import table

    block = Table(("Substance", "Due", "Reason"), (("Magnesium glycinate", "12", "sleep and cramps at night"),
                                                  ("Escitalopram", "130", "anxiety")), (False, True, False))
    wide = table(block, 80).plain.splitlines()
    assert wide[1] == "Magnesium glycinate   12  sleep and cramps at night"
    assert wide[2] == "Escitalopram         130  anxiety"
    narrow = table(block, 36).plain.splitlines()
    assert all(len(line) <= 36 for line in narrow)
    assert narrow[1].startswith("Magnesium gly…   12  sleep and cram…")  # the widest gave way first, in turn
    assert narrow[2] == "Escitalopram    130  anxiety"  # figures are never cut


def test_a_sparkline_is_on_the_metrics_own_scale():
    from medlog.domain.metrics import BUILTIN_METRICS
    from medlog.tui.screens.report import sparkline

    mood = next(m for m in BUILTIN_METRICS if m.key == "mood")
    line = sparkline(mood, (0.0, 5.0, None, 10.0))
    assert line == "Mood           ▁▅·█  0.0 → 10.0  (0–10, higher is better)"
    assert "not rated" in sparkline(mood, (None, None))
