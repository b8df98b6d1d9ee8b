"""The service as a citizen meets it: started with the README's command, browsed in headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.browser_support import free_port, launch_browser, screenshot_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PB_LEDGER_")}
    env["PB_LEDGER_DATA_DIR"] = str(tmp_path_factory.mktemp("browser") / "data")
    server = subprocess.Popen([sys.executable, "-m", "pb_ledger.cli", "serve", "--demo", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.25)
        else:
            pytest.fail("the service did not start")
        yield url
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_browser()


def test_a_citizen_finds_the_results_in_arabic_and_can_switch_to_french(base_url: str, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{base_url}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("link", name="جماعة النموذج · الميزانية التشاركية 2026").click()
    page.wait_for_url("**/cycles/*")
    assert page.get_by_role("heading", name="النتائج").is_visible()
    funded = page.locator("span.funded")
    assert funded.count() >= 1
    # the rejected idea and its public reason are shown to everyone
    assert page.get_by_text("تفوق الميزانية المخصصة").is_visible()
    # the table reads from the right in Arabic
    table = page.locator("table").first.bounding_box()
    first_header = page.locator("table th").first.bounding_box()
    assert first_header["x"] > table["x"] + table["width"] / 2
    page.screenshot(path=str(screenshot_dir() / "demo-cycle-ar.png"), full_page=True)
    page.get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", name="Résultats").is_visible()
    page.screenshot(path=str(screenshot_dir() / "demo-cycle-fr.png"), full_page=True)


def test_the_log_can_be_downloaded_from_the_page(base_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{base_url}/cycles?lang=en")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the log").click()
    path = download.value.path()
    assert Path(path).read_text(encoding="utf-8").startswith('{"format": "pb-ledger-export/v1"')
