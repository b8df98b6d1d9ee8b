"""What anyone may send without an account is limited: how often per address, and how large."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pb_ledger.config import Settings
from pb_ledger.domain.errors import DomainError
from pb_ledger.web.app import create_app
from pb_ledger.web.throttle import MAX_BODY, PublicWriteLimits

LOG = "commune-throttle"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=tmp_path / "data"), LOG, demo=True)) as client:
        yield client


def cycle_of(client: TestClient) -> str:
    return str(client.get(f"/api/v1/logs/{LOG}/cycles").json()[0]["cycle"])


def test_an_address_submitting_ideas_again_and_again_is_told_to_wait(client: TestClient) -> None:
    url = f"/api/v1/logs/{LOG}/cycles/{cycle_of(client)}/submit-idea"
    codes = [client.post(url, json={"title": f"Idea {n}"}).json()["error"]["code"] for n in range(21)]
    assert codes[:20] == ["wrong_phase"] * 20  # the demo cycle is past its idea phase; each try still counts
    refused = client.post(url, json={"title": "one more"}, headers={"Accept-Language": "fr"})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_requests"
    assert "Trop de demandes" in refused.json()["error"]["message"]
    assert client.get(f"/api/v1/logs/{LOG}/cycles").status_code == 200  # reading is not limited


def test_a_request_larger_than_the_bound_is_refused_before_any_route_runs(client: TestClient) -> None:
    url = f"/api/v1/logs/{LOG}/cycles/{cycle_of(client)}/submit-idea"
    head = client.get(f"/api/v1/logs/{LOG}/entries").json()
    response = client.post(url, content=b'{"title": "' + b"x" * (MAX_BODY + 1) + b'"}',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "request_too_large"
    assert client.get(f"/api/v1/logs/{LOG}/entries").json() == head


def test_rates_are_per_route_and_per_address_and_can_be_turned_off() -> None:
    limits = PublicWriteLimits(enabled=True)
    for _ in range(20):
        limits.hit("/api/v1/logs/{log}/cycles/{cycle}/submit-idea", "10.0.0.1")
    with pytest.raises(DomainError):
        limits.hit("/api/v1/logs/{log}/cycles/{cycle}/submit-idea", "10.0.0.1")
    limits.hit("/api/v1/logs/{log}/cycles/{cycle}/submit-idea", "10.0.0.2")  # another resident
    limits.hit("/cycles/{cycle}/vote", "10.0.0.1")  # another route
    off = PublicWriteLimits(enabled=False)
    for _ in range(50):
        off.hit("/cycles/{cycle}/submit", "10.0.0.1")
