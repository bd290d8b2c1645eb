"""`medlog serve`: the TUI in a browser, through textual-serve, behind a random access token.

textual-serve (a kept library, by Textual's authors) runs one TUI process per browser session and relays its
screen over a websocket. What medlog adds around it:

* **A token.** Every request must carry `?token=…` (the URL printed at start) or the cookie the first page sets
  (HttpOnly, SameSite=Strict, so another site cannot ride on it). Anything else is a 403 and starts nothing — no
  process is spawned before the check passes.
* **Nothing from elsewhere.** Our own page (templates/app_index.html) loads only this server's script, styles and
  font; textual-serve's page asks a font service for Roboto Mono, which would tell a third party the journal is
  open.
* **Addresses from where the page was loaded.** Its files are named by path and its websocket by the page's own
  location (wss: under https:), so a tunnel or a TLS proxy (`ssh -L 8080:127.0.0.1:8765`, `tailscale serve`)
  works without the server knowing its public name.
* **No child left behind.** Each session's TUI is a child process, started with `exec` (no shell between), and
  tracked: on Ctrl+C or SIGTERM every session is asked to quit, and one that has not within a few seconds is ended.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import shlex
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

COOKIE = "medlog_session"
TEMPLATES = Path(__file__).parent / "templates"
QUIT_SECONDS = 3.0  # how long a session may take to quit at shutdown before its process is ended
CLOSE_SECONDS = 2.0  # how long a browser may take to answer the closing of its session's websocket
log = logging.getLogger("medlog.serve")


class TrackedAppService(AppService):
    """textual-serve's session, remembered by the server so that shutdown can end its process."""

    live: set[TrackedAppService]

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        """textual-serve's environment for the session (its web driver), and the TUI asked for by name: `medlog`
        alone off a terminal would print its help (cli/main.py)."""
        return {**super()._build_environment(width, height), "MEDLOG_FACE": "browser"}

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        process = await super()._open_app_process(width, height)
        self.live.add(self)
        return process

    @property
    def process(self) -> asyncio.subprocess.Process | None:
        return self._process


class MedlogServer(Server):
    def __init__(self, journal_path: str, *, host: str, port: int, token: str, title: str = "medlog") -> None:
        command = f"exec {shlex.quote(sys.executable)} -m medlog --db {shlex.quote(journal_path)}"
        super().__init__(command, host=host, port=port, title=title, templates_path=str(TEMPLATES))
        self.token = token
        self.sessions: set[TrackedAppService] = set()

    def initialize_logging(self) -> None:
        """Warnings and errors only, without textual-serve's banner: `medlog serve` prints its own lines."""
        logging.basicConfig(level=logging.WARNING, format="medlog serve: %(message)s")

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its logo here; medlog has printed the URL already."""

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._require_token)
        app.on_shutdown.append(self._end_sessions)
        return app

    def _allowed(self, request: web.Request) -> bool:
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    @web.middleware
    async def _require_token(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not self._allowed(request):
            raise web.HTTPForbidden(text="403: this page needs the address medlog serve printed (with its token)")
        response: web.StreamResponse = await handler(request)
        if request.path == "/" and not response.prepared:
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, its addresses taken from the request (a tunnel or proxy keeps working)."""
        secure = request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"
        font_size = request.query.get("fontsize", "16")
        return {
            "font_size": int(font_size) if font_size.isdigit() and 6 <= int(font_size) <= 48 else 16,
            # the page sets it again from its own location (templates/app_index.html); this is for the first paint
            "app_websocket_url": f"{'wss' if secure else 'ws'}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},  # relative: right behind any tunnel or proxy, http or https
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's session loop, with the session tracked (the token was checked by the middleware)."""
        # a client that does not answer a close within CLOSE_SECONDS is let go: it cannot hold up a shutdown
        websocket = web.WebSocketResponse(heartbeat=15, timeout=CLOSE_SECONDS)
        width = _size(request.query.get("width"), 80)
        height = _size(request.query.get("height"), 24)
        service: TrackedAppService | None = None
        try:
            await websocket.prepare(request)
            async def close() -> None:
                await websocket.close()

            service = TrackedAppService(self.command, write_bytes=websocket.send_bytes,
                                        write_str=websocket.send_str, close=close,
                                        download_manager=self.download_manager, debug=self.debug)
            service.live = self.sessions
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
            raise
        except (ConnectionError, RuntimeError, ValueError) as error:  # a client gone or garbled: its session ends
            log.warning("a session ended: %s", error)
        finally:
            if service is not None:
                await service.stop()
                self.sessions.discard(service)
        return websocket

    async def _end_sessions(self, app: web.Application) -> None:
        """At shutdown: ask every session to quit; end the process of any that has not in QUIT_SECONDS."""
        sessions = list(self.sessions)
        if not sessions:
            return
        try:
            await asyncio.wait_for(asyncio.gather(*(s.stop() for s in sessions), return_exceptions=True),
                                   QUIT_SECONDS)
        except TimeoutError:
            pass  # the stragglers are ended below
        for session in sessions:
            process = session.process
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()
        self.sessions.clear()


    def serve(self, debug: bool = False) -> None:
        """textual-serve's serve(), with a short shutdown: Ctrl+C or SIGTERM asks every session to quit (above),
        and aiohttp then waits at most a few seconds for the rest, not its default minute."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        loop.add_signal_handler(signal.SIGINT, self.request_exit)
        loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                    print=lambda *args: None, shutdown_timeout=QUIT_SECONDS + CLOSE_SECONDS)


def _size(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() and 1 <= int(text) <= 1000 else default


def serve(journal_path: str, *, host: str, port: int, token: str) -> None:
    """Run until Ctrl+C or SIGTERM (textual-serve's handlers), then end every session."""
    MedlogServer(os.path.abspath(journal_path), host=host, port=port, token=token).serve()
