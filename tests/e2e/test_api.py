"""The HTTP API and pages over a real store holding the demonstration cycle."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pb_ledger.config import Settings
from pb_ledger.web.app import create_app

LOG = "commune-web"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("web") / "data")
    with TestClient(create_app(settings, LOG, demo=True)) as client:
        yield client


def demo_cycle(client: TestClient) -> dict:  # type: ignore[type-arg]
    [cycle] = client.get(f"/api/v1/logs/{LOG}/cycles").json()
    return cycle


def test_the_demo_cycle_is_listed_with_its_budget_and_phase(client: TestClient) -> None:
    cycle = demo_cycle(client)
    assert cycle["budget"] == {"amount": 150_000_000, "currency": "MAD", "exponent": 2}
    assert cycle["phase"] == "results" and cycle["ballots"] == 600 and cycle["rule"] == "greedy"


def test_results_come_from_the_projection_and_respect_the_budget(client: TestClient) -> None:
    cycle = demo_cycle(client)
    results = client.get(f"/api/v1/logs/{LOG}/cycles/{cycle['cycle']}/results").json()
    costs = {p["project"]: p["cost"] for p in results["projects"]}
    assert results["winners"] and sum(costs[w] for w in results["winners"]) == results["spent"] <= 150_000_000
    assert len(results["closing_entry"]) == 64
    scores = [p["score"] for p in results["projects"]]
    assert scores == sorted(scores, reverse=True)


def test_entries_are_paged_and_carry_the_exact_signed_bytes(client: TestClient) -> None:
    page = client.get(f"/api/v1/logs/{LOG}/entries", params={"start": 0, "limit": 5}).json()
    assert [e["seq"] for e in page["entries"]] == [0, 1, 2, 3, 4] and page["next_start"] == 5
    first = json.loads(page["entries"][0]["entry"])
    assert first["type"] == "LogCreated"
    second = json.loads(page["entries"][1]["entry"])
    assert second["prev"] == page["entries"][0]["hash"]


def test_the_export_downloads_as_the_documented_file(client: TestClient) -> None:
    response = client.get(f"/api/v1/logs/{LOG}/export")
    lines = response.content.splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "pb-ledger-export/v1" and header["entries"] == len(lines) - 2
    assert json.loads(lines[-1])["checkpoint"].startswith(f"{LOG}\n{header['entries']}\n")


def test_errors_have_a_stable_code_and_a_message(client: TestClient) -> None:
    wrong_log = client.get("/api/v1/logs/other/cycles", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert wrong_log.status_code == 404 and wrong_log.json()["error"]["code"] == "unknown_log"
    assert wrong_log.json()["error"]["message"].startswith("Ce journal")
    assert "commune-web" in wrong_log.json()["error"]["detail"]
    no_cycle = client.get(f"/api/v1/logs/{LOG}/cycles/nope")
    assert no_cycle.status_code == 404 and no_cycle.json()["error"]["code"] == "unknown_cycle"
    bad_page = client.get(f"/api/v1/logs/{LOG}/entries", params={"limit": 0})
    assert bad_page.status_code == 422 and bad_page.json()["error"]["code"] == "invalid_request"


def test_the_cycle_page_is_arabic_and_right_to_left_by_default(client: TestClient) -> None:
    cycle = demo_cycle(client)
    page = client.get(f"/cycles/{cycle['cycle']}").text
    assert '<html lang="ar" dir="rtl">' in page
    assert "النتائج" in page and "ممول" in page  # results, funded
    assert "تفوق الميزانية" in page  # the public reason of the rejected idea
    assert "<dd>إعلان النتائج</dd>" in page  # the phase, in words


@pytest.mark.parametrize("lang,word", [("fr", "Résultats"), ("en", "Results")])
def test_the_cycle_page_speaks_french_and_english_too(client: TestClient, lang: str, word: str) -> None:
    cycle = demo_cycle(client)
    page = client.get(f"/cycles/{cycle['cycle']}", params={"lang": lang}).text
    assert f'<html lang="{lang}" dir="ltr">' in page and word in page


def test_an_unknown_cycle_page_is_a_404_page(client: TestClient) -> None:
    response = client.get("/cycles/does-not-exist")
    assert response.status_code == 404 and "غير موجودة" in response.text


def test_the_openapi_document_is_published(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/logs/{log}/entries" in spec["paths"]


def test_an_author_looks_up_a_rejected_idea_by_its_receipt_and_sees_the_reason(client: TestClient) -> None:
    cycle = demo_cycle(client)
    ideas = client.get(f"/api/v1/logs/{LOG}/cycles/{cycle['cycle']}/ideas").json()
    [rejected] = [i for i in ideas if i["status"] == "rejected"]
    found = client.get(f"/api/v1/logs/{LOG}/ideas/{rejected['idea']}").json()
    assert [h["event"] for h in found["history"]] == ["IdeaSubmitted", "IdeaRejected"]
    assert "تفوق الميزانية" in found["history"][1]["detail"]["reason"]
    page = client.get("/ideas", params={"receipt": rejected["idea"].lower()}).text
    assert "تفوق الميزانية" in page and "رفض لجنة الانتقاء" in page
    missing = client.get("/ideas", params={"receipt": "I-0000-0000", "lang": "en"})
    assert missing.status_code == 404 and "Check the code on your receipt" in missing.text
    assert client.get(f"/api/v1/logs/{LOG}/ideas/I-0000-0000").json()["error"]["code"] == "unknown_idea"


@pytest.mark.parametrize("page,asset", [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")])
def test_the_api_documentation_loads_its_scripts_from_this_server_not_a_cdn(client: TestClient, page: str,
                                                                             asset: str) -> None:
    html = client.get(page).text
    assert f"/docs/assets/{asset}" in html and "cdn." not in html and "googleapis" not in html
    script = client.get(f"/docs/assets/{asset}")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert len(script.content) > 100_000
    assert client.get("/docs/assets/..%2Fcore.py").status_code == 404
