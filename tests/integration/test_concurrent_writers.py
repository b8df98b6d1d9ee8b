"""Four processes append to one log at the same time, on each backend: no gap, no fork, and pb-verify agrees."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

from pb_ledger.config import Settings
from pb_ledger.ledger.export import export_log
from pb_ledger.ledger.store import Ledger
from pb_ledger.services import Services

WRITERS = 4


def open_for_ideas(services: Services, title: str) -> str:
    cycle = services.launch.create_cycle(title, 100_000, "MAD")
    services.launch.start_phase(cycle, "ideas")
    return cycle
SECONDS = 3.0


def _writer(settings: Settings, shared_cycle: str, worker: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    services = Services(Ledger(settings, "commune-race"))
    own = open_for_ideas(services, f"Cycle of writer {worker}")
    written, n, deadline = 2, 0, time.monotonic() + SECONDS  # its own CycleCreated and PhaseStarted
    while time.monotonic() < deadline:
        target = shared_cycle if n % 2 else own  # half the appends contend on one cycle
        services.ideas.submit_idea(target, f"Idea {n} of writer {worker}", actor=("citizen", ""))
        written, n = written + 1, n + 1
    out.put(written)


def test_four_processes_appending_at_once_leave_one_gapless_verified_chain(settings: Settings,
                                                                            tmp_path: Path) -> None:
    services = Services(Ledger(settings, "commune-race"))
    shared = open_for_ideas(services, "Shared cycle")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_writer, args=(settings, shared, w, results)) for w in range(WRITERS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    appended = sum(results.get(timeout=5) for _ in workers)

    ledger = Ledger(settings, "commune-race")
    rows = list(ledger.iter_entries())
    assert [r.seq for r in rows] == list(range(3 + appended))  # genesis + shared cycle (2) + every append
    for before, after in zip(rows, rows[1:]):
        assert json.loads(after.entry)["prev"] == before.entry_hash
    assert appended > WRITERS * 10, "the writers barely ran; the test proves nothing"

    export, key = tmp_path / "race.export", tmp_path / "root.pem"
    export_log(ledger, export)
    key.write_bytes(ledger.keys.public_pem())
    done = subprocess.run([sys.executable, "-m", "verifier", str(export), "--root-key", str(key)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _opener(settings: Settings, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    ledger = Ledger(settings, "commune-new")
    out.put(ledger.keys.root.public_raw)


def test_processes_creating_the_same_new_log_at_once_all_open_it_with_one_genesis(settings: Settings) -> None:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    openers = [context.Process(target=_opener, args=(settings, results)) for _ in range(WRITERS)]
    for p in openers:
        p.start()
    for p in openers:
        p.join(60)
        assert p.exitcode == 0
    roots = {results.get(timeout=5) for _ in openers}
    ledger = Ledger(settings, "commune-new")
    assert roots == {ledger.keys.root.public_raw} and ledger.head()[0] == 1
