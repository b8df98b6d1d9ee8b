"""The staff API on a real ledger, on each store: an app, its staff accounts, and a session per role."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from pb_ledger.accounts import ROLES
from pb_ledger.config import Settings
from pb_ledger.web.app import create_app

STAFF_LOG = "commune-staff"
PASSWORD = "a long enough password"


class Inbox:
    """Delivers one-time codes to the test instead of the server log."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}
        self.last = ""

    def deliver(self, token: str, contact: str | None, code: str) -> None:
        self.codes[token] = self.last = code


@dataclass
class StaffApi:
    client: TestClient
    service: Any  # pb_ledger.web.app.Service
    inbox: Inbox
    tokens: dict[str, str] = field(default_factory=dict)
    log: str = STAFF_LOG

    def url(self, path: str) -> str:
        return f"/api/v1/logs/{self.log}{path}"

    def login(self, username: str, password: str = PASSWORD) -> str:
        response = self.client.post(self.url("/sessions"), json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.client.cookies.clear()  # the tests say who acts with a bearer token; cookies are tested on their own
        return str(response.json()["token"])

    def as_(self, role: str | None) -> dict[str, str]:
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}

    def post(self, role: str | None, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(self.url(path), json=body, headers={**self.as_(role), **(headers or {})})

    def ok(self, role: str | None, path: str, body: Any = None) -> dict[str, Any]:
        response = self.post(role, path, body)
        assert response.status_code in (200, 201), f"{path}: {response.status_code} {response.text}"
        return dict(response.json())

    def head(self) -> int:
        return int(self.service.ledger.head()[0])


@pytest.fixture
def staff_api(settings: Settings) -> Iterator[StaffApi]:
    """One account per role (user name = role), each logged in; Argon2id with small parameters for speed."""
    app = create_app(settings, STAFF_LOG)
    service = app.state.service
    service.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    inbox = Inbox()
    service.services.ballots.codes.delivery = inbox
    with TestClient(app) as client:
        api = StaffApi(client, service, inbox)
        for role in ROLES:
            service.accounts.add(role, role, PASSWORD)
            api.tokens[role] = api.login(role)
        yield api


@contextmanager
def running_service(env: dict[str, str], *args: str) -> Iterator[str]:
    """`pb-ledger serve ARGS` on a free port in a process of its own, with environment `env`; yields its URL once it
    answers /healthz, and stops it afterwards."""
    from tests.e2e.browser_support import free_port

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "pb_ledger.cli", "serve", *args, "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(160):
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
