"""A real service for browser tests: `pb-ledger serve` in its own process on a free port with a fresh data directory,
staff accounts made with the CLI, the development one-time codes read from the server's log as a resident would read
an SMS, headless Debian Chromium through Playwright, and screenshots kept as CI artefacts.

Screenshots go to PB_LEDGER_SCREENSHOT_DIR, by default artifacts/screenshots/ in the project (git-ignored);
scripts/test.sh prints the folder at the end."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PASSWORD = "a long enough password"
STAFF = {"team": "pb-team", "committee": "committee", "clerk": "clerk", "auditor": "auditor"}


def screenshot_dir() -> Path:
    folder = Path(os.environ.get("PB_LEDGER_SCREENSHOT_DIR") or ROOT / "artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    log: str
    process: subprocess.Popen[bytes]
    lines: list[dict[str, Any]] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)

    def api(self, path: str) -> str:
        return f"{self.url}/api/v1/logs/{self.log}{path}"

    def as_(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            response = httpx.post(self.api("/sessions"), json={"username": username, "password": PASSWORD})
            response.raise_for_status()
            self.tokens[username] = response.json()["token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def command(self, username: str | None, path: str, body: Any = None) -> dict[str, Any]:
        headers = self.as_(username) if username else {}
        response = httpx.post(self.api(path), json=body, headers=headers, timeout=60)
        assert response.status_code in (200, 201), f"{path}: {response.status_code} {response.text}"
        return dict(response.json())

    def get(self, path: str) -> Any:
        response = httpx.get(self.api(path), timeout=60)
        response.raise_for_status()
        return response.json()

    def one_time_code(self, after: int) -> str:
        """The code the development backend wrote to the server log (what an SMS would bring)."""
        for _ in range(100):
            for line in self.lines[after:]:
                if line.get("event") == "one_time_code_issued":
                    return str(line["code"])
            time.sleep(0.1)
        raise AssertionError("no one-time code in the server log")


def _read_lines(process: subprocess.Popen[bytes], lines: list[dict[str, Any]]) -> None:
    assert process.stdout is not None
    for raw in process.stdout:
        try:
            lines.append(json.loads(raw))
        except ValueError:
            lines.append({"text": raw.decode(errors="replace")})


def start_server(data_dir: Path, log: str) -> Iterator[Server]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PB_LEDGER_")}
    env.update(PB_LEDGER_DATA_DIR=str(data_dir), PB_LEDGER_LOG=log, PB_LEDGER_STAFF_PASSWORD=PASSWORD)
    for username, role in STAFF.items():
        subprocess.run([sys.executable, "-m", "pb_ledger.cli", "staff", "add", username, "--role", role], env=env,
                       check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "pb_ledger.cli", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", log, process)
    threading.Thread(target=_read_lines, args=(process, server.lines), daemon=True).start()
    try:
        for _ in range(160):
            try:
                if httpx.get(f"{server.url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.25)
        else:
            pytest.fail("the service did not start: " + json.dumps(server.lines[-5:]))
        yield server
    finally:
        process.terminate()
        process.wait(10)


def launch_browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (scripts/test.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
