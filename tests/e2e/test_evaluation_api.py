"""The evaluation and open-data routes over the demonstration cycle: live participation (never votes per project
before the results), decisions with reasons, the implementation tracker, statistics as JSON and CSV, the report as a
page, a PDF and chart images, the open-data zip, the pabulib file, and the lag on /metrics."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from pb_ledger.config import Settings
from pb_ledger.web.app import create_app

LOG = "commune-eval"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("eval") / "data")
    with TestClient(create_app(settings, LOG, demo=True)) as client:
        yield client


@pytest.fixture(scope="module")
def cycle(client: TestClient) -> str:
    [found] = client.get(f"/api/v1/logs/{LOG}/cycles").json()
    return str(found["cycle"])


def url(cycle: str, rest: str) -> str:
    return f"/api/v1/logs/{LOG}/cycles/{cycle}/{rest}"


def test_participation_counts_ballots_by_channel_and_never_votes_per_project(client: TestClient, cycle: str) -> None:
    body = client.get(url(cycle, "participation")).json()
    assert body["ballots_cast"] == body["ballots_counted"] == 600
    assert {(r["channel"], r["ballots"]) for r in body["by_channel_and_district"]} == {("online", 400), ("paper", 200)}
    assert "P-001" not in json.dumps(body)  # no project, no score: only who took part, by channel and district


def test_decisions_carry_their_public_reasons_and_the_rejection_its_criterion(client: TestClient, cycle: str) -> None:
    decisions = client.get(url(cycle, "decisions")).json()
    [rejected] = [d for d in decisions if d["decision"] == "rejected"]
    assert rejected["criterion"] == "cost-within-budget" and "الميزانية" in rejected["reason"]
    assert all(d["reason"] for d in decisions) and len(decisions) == 7


def test_the_implementation_tracker_shows_progress_and_the_delay_with_its_reason(client: TestClient,
                                                                                 cycle: str) -> None:
    tracker = {row["project"]: row for row in client.get(url(cycle, "implementation")).json()}
    assert [r["percent"] for r in tracker.values() if r["status"] == "progress"] == [45]
    [late] = [r for r in tracker.values() if r["status"] == "delayed"]
    assert late["delays"] == 1 and late["last_delay_reason"]


def test_statistics_are_served_whole_and_table_by_table_as_json_and_csv(client: TestClient, cycle: str) -> None:
    stats = client.get(url(cycle, "statistics")).json()
    assert stats["format"] == "pb-ledger-statistics/1" and stats["computed_at"]["entries"] > 600
    by_channel = stats["tables"]["participation_by_channel"]["rows"]
    assert {r["channel"]: r["ballots_counted"] for r in by_channel} == {"online": 400, "paper": 200}
    rows = list(csv.DictReader(io.StringIO(client.get(url(cycle, "statistics/money_by_district.csv")).text)))
    spent = client.get(f"/api/v1/logs/{LOG}/cycles/{cycle}").json()["spent"]
    assert sum(int(r["funded_amount"]) for r in rows) == spent > 0
    assert client.get(url(cycle, "statistics/ideas_by_status.json")).json()["rows"][2] == {"status": "rejected",
                                                                                           "ideas": 1}
    missing = client.get(url(cycle, "statistics/nothing.csv"))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_the_report_is_a_page_with_charts_and_a_pdf(client: TestClient, cycle: str) -> None:
    page = client.get(url(cycle, "report.html") + "?lang=fr")
    assert page.status_code == 200 and "évaluation du budget participatif" in page.text and 'dir="ltr"' in page.text
    chart = client.get(url(cycle, "report/charts/participation_by_channel.png"))
    assert chart.headers["content-type"] == "image/png" and chart.content.startswith(b"\x89PNG")
    assert client.get(url(cycle, "report/charts/nothing.png")).status_code == 404
    pdf = client.get(url(cycle, "report.pdf"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_open_data_zip_holds_its_manifest_and_anonymous_ballots(client: TestClient, cycle: str) -> None:
    archive = zipfile.ZipFile(io.BytesIO(client.get(url(cycle, "open-data.zip")).content))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "pb-ledger-open-data/1"
    assert {f["name"] for f in manifest["files"]} == set(archive.namelist()) - {"manifest.json"}
    ballots = json.loads(archive.read("ballots.json"))
    assert len(ballots) == 600 and "token" not in ballots[0] and ballots[0]["entry_hash"]


def test_the_pabulib_file_is_served(client: TestClient, cycle: str) -> None:
    text = client.get(url(cycle, "pabulib.pb") + "?country=Morocco&language=ar").text
    assert text.startswith("META") and "VOTES" in text


def test_a_read_can_wait_for_the_entry_a_command_just_appended(client: TestClient, cycle: str) -> None:
    head = client.get("/healthz").json()["entries"]
    assert client.get(url(cycle, "participation") + f"?after={head - 1}").json()["entries"] == head


def test_metrics_give_each_read_models_lag_in_entries_and_seconds(client: TestClient) -> None:
    text = client.get("/metrics").text
    assert f'pb_ledger_projection_lag_entries{{log="{LOG}",projection="participation"}}' in text
    assert f'pb_ledger_projection_lag_seconds{{log="{LOG}",projection="cycles"}}' in text
    assert "pb_ledger_log_entries" in text
