"""`medlog serve` without a browser: what it refuses (one line, exit 2, nothing started), the token on every
door (page, script, websocket: 403, and no session process), sessions that end with the server."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import time
import urllib.error
import urllib.request

import pytest

from tests.web.conftest import start, stop


def fetch(url: str, cookie: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.mark.parametrize(("args", "said"), [
    (["--host", "192.0.2.1"], "needs --allow-remote"),
    (["--host", "192.0.2.1", "--allow-remote"], "not an address of this machine"),
    (["--host", "no-such-host.invalid"], "not an address medlog can serve on"),
    (["--port", "0"], "give a port number from 1 to 65535"),
    (["--port", "70000"], "give a port number from 1 to 65535"),
    (["--port", "٨٠٨٠"], "give a port number from 1 to 65535"),
    (["--port", "-1"], "give a port number from 1 to 65535"),
])
def test_bad_hosts_and_ports_are_one_line_and_exit_2(medlog, demo, args, said):
    ran = medlog("--db", demo, "serve", *args)
    assert ran.code == 2, ran
    assert said in ran.err and len(ran.err.strip().splitlines()) == 1
    assert ran.out == ""


def test_a_missing_journal_is_refused_and_not_created(medlog, tmp_path):
    missing = tmp_path / "none" / "journal.sqlite"
    ran = medlog("--db", str(missing), "serve")
    assert ran.code == 2 and "no journal at" in ran.err and "medlog init" in ran.err
    assert not missing.parent.exists()


def test_a_port_in_use_is_refused(medlog, demo):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        ran = medlog("--db", demo, "serve", "--port", str(port))
    assert ran.code == 2 and f"port {port} on 127.0.0.1 is in use" in ran.err


def test_without_the_token_every_door_is_403_and_no_session_starts(served):
    for path in ("/", "/?token=wrong", "/static/js/textual.js", "/ws", "/download/x"):
        code, body = fetch(served.origin + path)
        assert code == 403, path
        assert "medlog serve printed" in body
    code, _ = fetch(served.origin + "/", cookie="medlog_session=wrong")
    assert code == 403
    time.sleep(0.3)
    assert served.sessions() == set()  # nothing was spawned for a refused request


def test_the_page_loads_nothing_from_anywhere_else(served):
    code, page = fetch(served.url)
    assert code == 200
    addresses = re.findall(r"""(?:src|href)=["']([^"']+)["']|url\(["']?([^"')]+)""", page)
    urls = [a or b for a, b in addresses]
    assert urls, "the page names its script, styles and fonts"
    assert all(u.startswith("/static/") for u in urls), urls  # relative: this server, whatever its address
    assert "googleapis" not in page and "cdn" not in page.lower()
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
    assert '"ws://") + location.host + "/ws"' in page  # set again from the page's own location


def test_a_session_runs_the_tui_and_ends_with_the_server(served):
    """A websocket session (as the page opens it) starts one TUI process, whose screen shows today's doses;
    SIGTERM ends the server and that process with it."""
    import aiohttp

    async def session() -> str:
        jar = {"medlog_session": served.token}
        async with aiohttp.ClientSession(cookies=jar) as client, \
                client.ws_connect(f"ws://127.0.0.1:{served.port}/ws?width=120&height=40") as ws:
            seen = b""
            deadline = time.monotonic() + 30
            while b"Escitalopram" not in seen and time.monotonic() < deadline:
                message = await ws.receive(timeout=30)
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data
                elif message.type == aiohttp.WSMsgType.TEXT:
                    seen += message.data.encode()
            assert served.sessions(), "the session's TUI process is running"
            return seen.decode("utf-8", "replace")

    shown = asyncio.run(session())
    assert "Escitalopram" in shown
    assert stop(served, signal.SIGTERM) == 0


def test_ctrl_c_ends_every_open_session(served):
    import aiohttp

    async def two_sessions() -> None:
        jar = {"medlog_session": served.token}
        async with aiohttp.ClientSession(cookies=jar) as client:
            a = await client.ws_connect(f"ws://127.0.0.1:{served.port}/ws")
            b = await client.ws_connect(f"ws://127.0.0.1:{served.port}/ws")
            deadline = time.monotonic() + 30
            while len(served.sessions()) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert len(served.sessions()) >= 2
            await asyncio.to_thread(stop, served, signal.SIGINT)  # while both are open (and answering, as a
            await a.close()                                        # browser's are)
            await b.close()

    asyncio.run(two_sessions())


def test_a_remote_host_says_why_it_is_risky(demo, serve_env):
    served = start(demo, serve_env, "--host", "0.0.0.0", "--allow-remote")
    try:
        assert served.process.stderr is not None
        warning = served.process.stderr.readline()
        assert "serving beyond this machine" in warning and "SSH tunnel" in warning
    finally:
        stop(served)
