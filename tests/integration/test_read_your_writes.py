"""With the projections in worker processes (PB_LEDGER_PROJECTIONS=worker), a read waits until the worker has applied
what was in the log when the read began — what the caller just wrote included — and, when no worker keeps up, says
so (`read_model_behind`, 503) instead of answering without it. On SQLite (polling) and PostgreSQL (notified)."""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import sys
import time

from fastapi.testclient import TestClient

from pb_ledger.config import Settings
from pb_ledger.web.app import create_app
from tests.conftest import ROOT, env_for

LOG = "commune-ryw"
TEAM = ("pb-team", "t")


def test_reads_wait_for_the_worker_and_refuse_clearly_without_one(settings: Settings) -> None:
    worker_mode = dataclasses.replace(settings, projections="worker", read_wait=1.0)
    with TestClient(create_app(worker_mode, LOG)) as client:
        services = client.app.state.service.services  # type: ignore[attr-defined]
        first = services.launch.create_cycle("Avant le worker", 1_000_000, "MAD", 2, None, TEAM)
        refused = client.get(f"/api/v1/logs/{LOG}/cycles")
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "read_model_behind"
        assert refused.headers["retry-after"]

        env = {**env_for(settings), "PB_LEDGER_LOG": LOG}
        worker = subprocess.Popen([sys.executable, "-m", "pb_ledger.cli", "projections", "run", "--poll-interval",
                                   "0.1"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while client.get(f"/api/v1/logs/{LOG}/cycles").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
            second = services.launch.create_cycle("Pendant", 2_000_000, "MAD", 2, None, TEAM)
            listed = client.get(f"/api/v1/logs/{LOG}/cycles")  # at once: the read waits for the worker
            assert listed.status_code == 200
            assert {c["cycle"] for c in listed.json()} == {first, second}
            services.launch.start_phase(second, "ideas", TEAM)
            [(seq, _)] = services.ledger.last_appended()
            assert client.get(f"/api/v1/logs/{LOG}/cycles/{second}/participation?after={seq}").json()["entries"] \
                > seq
            assert client.get(f"/api/v1/logs/{LOG}/cycles/{second}").json()["phase"] == "ideas"
        finally:
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(30) == 0
