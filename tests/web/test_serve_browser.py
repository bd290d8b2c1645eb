"""`medlog serve` in a real browser: Debian's Chromium, headless, through its chromedriver (Selenium). The page
opens from the printed address, shows Today with the demo's doses, takes a dose from the keyboard into the
journal file, is refused without the token, works in two tabs at once, and loads nothing from anywhere else.

What the browser draws is a canvas (xterm.js), so the test reads what reached it: a script placed before the
page's own (Chrome's Page.addScriptToEvaluateOnNewDocument) keeps the text of every websocket message the page
receives — the TUI's screen as the page renders it."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time

import pytest

from tests.web.conftest import stop

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (the test extra has it)")
if CHROMIUM is None or DRIVER is None:
    pytest.skip("Chromium and its chromedriver are not installed (.ci/run installs Debian's chromium and "
                "chromium-driver as root; elsewhere: apt-get install chromium chromium-driver)",
                allow_module_level=True)

SEEN = open(os.path.join(os.path.dirname(__file__), "websocket_text.js"), encoding="utf-8").read()


@pytest.fixture
def browser():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1200,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SEEN})
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver, text: str, seconds: float = 30) -> float:
    """Seconds until `text` has reached the page over its websocket."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in (driver.execute_script("return window.__seen || ''") or ""):
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never reached the page")


def press(driver, keys: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(keys)


def taken_today(journal: str) -> list[str]:
    with sqlite3.connect(journal) as conn:
        return [name for (name,) in conn.execute(
            "SELECT s.name FROM dose d JOIN substance s ON s.id = d.substance_id WHERE d.status = 'taken' AND "
            "d.journal_day = '2026-11-21' AND d.deleted_at IS NULL ORDER BY d.id")]


def notes(journal: str) -> list[str]:
    with sqlite3.connect(journal) as conn:
        return [text for (text,) in conn.execute("SELECT text FROM note WHERE deleted_at IS NULL")]


def tick_an_open_dose(driver, journal: str, before: int) -> None:
    """Space on the dose under the cursor; on a taken one the TUI says to choose an open one: down, and again."""
    for _ in range(5):
        press(driver, " ")
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            if len(taken_today(journal)) > before:
                return
            time.sleep(0.1)
        press(driver, "\ue015")  # down
        time.sleep(0.3)
    driver.save_screenshot("/tmp/tick-failed.png")
    raise AssertionError("no dose was taken from the keyboard")


def test_today_opens_and_a_dose_taken_from_the_keyboard_is_in_the_journal(browser, served, demo):
    before = taken_today(demo)
    browser.get(served.url)
    wait_for(browser, "Escitalopram")
    wait_for(browser, "Magnesium glycinate")
    time.sleep(1.0)  # the table has focus once the first frame is drawn
    tick_an_open_dose(browser, demo, len(before))
    assert len(taken_today(demo)) == len(before) + 1
    assert taken_today(demo)[-1] in ("Escitalopram", "Magnesium glycinate", "Vitamin D3")


def test_without_the_token_the_page_is_refused(browser, served):
    browser.get(served.origin + "/")
    assert "403" in browser.page_source and "medlog serve printed" in browser.page_source
    assert served.sessions() == set()


def test_two_tabs_at_once_both_work(browser, served, demo):
    before = taken_today(demo)
    browser.get(served.url)
    wait_for(browser, "Escitalopram")
    browser.switch_to.new_window("tab")
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SEEN})  # per tab
    browser.get(served.url)
    wait_for(browser, "Escitalopram")
    assert len(served.sessions()) >= 2  # one TUI process per tab
    time.sleep(1.0)
    tick_an_open_dose(browser, demo, len(before))
    browser.switch_to.window(browser.window_handles[0])  # the first tab, which another tab's write refreshes
    browser.execute_cdp_cmd("Page.bringToFront", {})  # as a person clicks on it: a background tab gets no keys
    time.sleep(1.0)
    press(browser, "n")  # a note, from the first tab (the demo's last open dose was just taken in the other)
    time.sleep(1.5)
    press(browser, "written in the first tab\n")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "written in the first tab" not in notes(demo):
        time.sleep(0.1)
    assert "written in the first tab" in notes(demo)
    assert len(taken_today(demo)) == len(before) + 1


def test_nothing_is_loaded_from_anywhere_but_the_server(browser, served):
    browser.get(served.url)
    wait_for(browser, "Escitalopram")
    requested = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            params = message["params"]
            requested.append(params.get("request", {}).get("url") or params.get("url"))
    assert requested, "the browser's requests were recorded"
    own = (served.origin + "/", f"ws://127.0.0.1:{served.port}/")
    strangers = [u for u in requested if u and not u.startswith(own) and not u.startswith("data:")]
    assert strangers == []


def test_stopping_the_server_ends_the_browsers_sessions(browser, served):
    browser.get(served.url)
    wait_for(browser, "Escitalopram")
    assert served.sessions()
    assert stop(served) == 0
    assert served.process.poll() is not None
