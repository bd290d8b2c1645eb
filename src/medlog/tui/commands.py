"""The command palette: 'log <substance>', 'go to day', 'export report', 'open substances/history/trends/report/
experiments'."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class JournalCommands(Provider):
    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        out: list[tuple[str, object, str]] = [
            ("Open Today", partial(app.switch_mode, "today"), "the journal day's checklist"),
            ("Open substances", partial(app.switch_mode, "substances"), "regimen and history"),
            ("Open history", partial(app.switch_mode, "history"), "every entry; delete, undo"),
            ("Open trends", partial(app.switch_mode, "trends"), "charts, adherence, before/after a change"),
            ("Open report", partial(app.switch_mode, "report"), "the visit summary: range, format, preview"),
            ("Open experiments", partial(app.switch_mode, "experiments"), "self-experiments: periods, phase, findings"),
            ("Export report", app.action_export_report,  # type: ignore[attr-defined]
             "write the visit summary as PDF, HTML or Markdown"),
            ("Go to day", app.action_go_to_day, "jump to a journal day"),  # type: ignore[attr-defined]
            ("Help", app.action_help, "keys and what the marks mean"),  # type: ignore[attr-defined]
        ]
        for name in getattr(app, "substance_names", []):
            out.append((f"Log {name}", partial(app.action_log_substance, name), "a dose taken now"))  # type: ignore[attr-defined]
        return out

    async def discover(self) -> Hits:
        for text, callback, help_text in self._commands():
            yield DiscoveryHit(text, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)  # type: ignore[arg-type]
