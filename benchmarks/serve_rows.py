"""`medlog serve` in a real browser (issue 21): from the request to Today with doses, and each session's memory.

Debian's Chromium, headless, through its chromedriver (Selenium), opens the printed address of a server on the
10-year journal; the marker is a substance due today reaching the page (what a person waits for — the page's own
"Opening your journal…" comes much sooner). Budgets: ≤ 3 s, and ≤ 100 MiB of memory per open session (the peak
resident size of its TUI process). Skipped, with the reason printed, where there is no browser.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

# The page's websocket text, as tests/web reads it (one script for both).
SEEN = open(os.path.join(os.path.dirname(__file__), "..", "tests", "web", "websocket_text.js"), encoding="utf-8").read()


def _children(pid: int) -> set[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            direct = {int(c) for c in fh.read().split()}
    except FileNotFoundError:
        return set()
    return direct.union(*(_children(c) for c in direct)) if direct else set()


def _peak_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def serve_rows(big: str, env: dict[str, str], marker: str, runs: int, result: type) -> list:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("selenium not installed: the medlog serve benchmarks were skipped")
        return []
    if not chromium or not driver_path:
        print("chromium/chromedriver not found: the medlog serve benchmarks were skipped")
        return []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "medlog", "--db", big, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        url = ""
        while not url:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("medlog serve did not start")
            found = re.search(r"(http://\S+/\?token=[\w-]+)", line)
            url = found.group(1) if found else ""
        time.sleep(0.5)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1200,900"):
            options.add_argument(argument)
        browser = webdriver.Chrome(service=Service(driver_path), options=options)
        times, peaks = [], []
        try:
            for _ in range(runs + 1):  # the first warms the page cache and the browser
                browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SEEN})
                start = time.perf_counter()
                browser.get(url)
                while marker not in (browser.execute_script("return window.__seen || ''") or ""):
                    if time.perf_counter() - start > 30:
                        raise SystemExit(f"{marker!r} never reached the browser")
                    time.sleep(0.01)
                times.append((time.perf_counter() - start) * 1000)
                peaks.append(max((_peak_mib(p) for p in _children(server.pid)), default=0.0))
                browser.get("about:blank")  # ends the session (its TUI process quits)
                time.sleep(0.5)
        finally:
            browser.quit()
        ms = statistics.median(times[1:])
        return [result("medlog serve: request to Today (10 y)", round(ms, 1), 3000.0, round(ms / 3000, 2), 1.0,
                       round(max(peaks[1:]), 1), 100.0, runs)]
    finally:
        server.terminate()
        server.wait(timeout=20)
