"""A projection worker killed (SIGKILL) in the middle of a batch loses that batch whole, and once restarted it
applies every entry exactly once: the read models end equal to a plain fold of the log — a batch applied twice would
count its ballots twice, a skipped one would miss them. On SQLite (polling) and PostgreSQL (the subscription)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from pb_ledger.config import Settings
from pb_ledger.demo import load_demo
from pb_ledger.ledger.store import Ledger
from pb_ledger.services import Services
from pb_ledger.sqlstore import ReadStore
from projections.follow import open_view
from projections.queries import CycleQueries
from tests.conftest import ROOT, env_for
from tests.integration.projection_reference import expected_rows
from tests.integration.test_projection_property import canonical, read_model_rows

LOG = "commune-crash"
BALLOTS = 30_000  # six batches of 5,000 entries: each takes long enough to be killed in its middle


def worker(settings: Settings, level: str, stderr: int | None) -> subprocess.Popen[str]:
    env = {**env_for(settings), "PB_LEDGER_LOG": LOG, "PB_LEDGER_LOG_LEVEL": level}
    return subprocess.Popen([sys.executable, "-m", "pb_ledger.cli", "projections", "run"], env=env, cwd=ROOT,
                            stderr=stderr, stdout=subprocess.DEVNULL, text=True)


def kill_in_a_batch(process: subprocess.Popen[str]) -> dict[str, int]:
    """SIGKILL as soon as the worker says it has started applying a batch after the first one."""
    assert process.stderr is not None
    for line in process.stderr:
        event = json.loads(line) if line.startswith("{") else {}
        if event.get("event") == "projection_batch_started" and event["first"] > 0:
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            return event
    raise AssertionError(f"the worker ended (exit {process.wait()}) before a second batch")


def test_a_worker_killed_in_a_batch_restarts_and_applies_every_entry_exactly_once(settings: Settings) -> None:
    ledger = Ledger(settings, LOG)
    load_demo(Services(ledger), ballots=BALLOTS)
    head, _ = ledger.head()

    killed = kill_in_a_batch(worker(settings, "DEBUG", subprocess.PIPE))
    view = open_view(settings, LOG)
    assert set(view.positions().values()) == {killed["first"]}, "the batch being applied was rolled back whole"

    restarted = worker(settings, "WARNING", subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while view.position() < head and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(30) == 0
    assert view.position() == head

    store = ReadStore(settings)
    [cycle] = CycleQueries(store, LOG).cycles()
    assert cycle["ballots"] == BALLOTS
    assert sum(row["ballots"] for row in CycleQueries(store, LOG).participation(cycle["cycle"])) == BALLOTS
    entries = [row.entry for row in ledger.iter_entries()]
    assert canonical(read_model_rows(store, view)) == canonical(expected_rows(LOG, entries))
    store.close()
    view.close()
    ledger.close()
