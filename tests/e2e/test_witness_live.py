"""A witness watching a running service (`pb-verify witness cosign --url`, urllib only), on both stores: it cosigns
the log's checkpoints as the log grows and the service publishes its cosignatures; then the operator forks the store
and serves the other copy, and the witness refuses to cosign it and reports the split view with both checkpoints."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from uuid import uuid4

import httpx
import psycopg
import pytest

from pb_ledger.config import Settings
from pb_ledger.ledger.store import Ledger
from tests.conftest import env_for
from tests.e2e.conftest import running_service

LOG = "commune-witnessed"
NAME = "observers.example.org/w1"


def serving(settings: Settings) -> AbstractContextManager[str]:
    return running_service(env_for(settings), "--log", LOG)


def grow(settings: Settings, label: str, count: int) -> None:
    ledger = Ledger(settings, LOG, create=False)
    cycle, version = uuid4(), 0
    for n in range(count):
        version = ledger.append(cycle, version, [("Note", {"copy": label, "n": n})], cycle=str(cycle),
                                actor=("pb-team", ""))
    ledger.close()


def cli(settings: Settings, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pb_ledger.cli", *args, "--log", LOG], env=env_for(settings),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def witness(url: str, files: Path) -> tuple[int, dict[str, object]]:
    done = subprocess.run([sys.executable, "-m", "verifier", "witness", "cosign", "--name", NAME,
                           "--key", str(files / "witness.key"), "--state", str(files / "state.json"),
                           "--root-key", str(files / "root.pem"), "--url", url, "--json",
                           "--evidence", str(files / "split-view.json")], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


@contextmanager
def forked(settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """A copy of the store and its keys, as an operator who wants to show another history would make."""
    fork_dir = tmp_path / "fork"
    shutil.copytree(settings.data_dir / "keys", fork_dir / "keys")
    if settings.database_url is None:
        fork_dir.mkdir(exist_ok=True)
        with sqlite3.connect(settings.sqlite_path) as source, sqlite3.connect(fork_dir / "ledger.sqlite3") as copy:
            source.backup(copy)
        yield replace(settings, data_dir=fork_dir)
        return
    base, name = settings.database_url.rsplit("/", 1)
    fork_name = f"pbl_fork_{uuid.uuid4().hex[:10]}"
    admin = f"{base}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{fork_name}" TEMPLATE "{name}"')
    try:
        yield replace(settings, data_dir=fork_dir, database_url=f"{base}/{fork_name}")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fork_name}" WITH (FORCE)')


def test_a_witness_cosigns_the_growing_log_and_refuses_a_forked_copy(settings: Settings, tmp_path: Path) -> None:
    files = tmp_path / "witness"
    files.mkdir()
    Ledger(settings, LOG).close()
    grow(settings, "common", 5)
    done = subprocess.run([sys.executable, "-m", "verifier", "witness", "init", "--name", NAME, "--key-out",
                           str(files / "witness.key")], capture_output=True, text=True, check=True)
    cli(settings, "witnesses", "add", NAME, done.stdout.strip(), "--reason", "the observers' association")
    cli(settings, "keys", "root-public", "--out", str(files / "root.pem"))

    with serving(settings) as url:
        status, first = witness(url, files)
        assert status == 0 and first["held"] is None and first["submitted"] == NAME
        published = httpx.get(f"{url}/api/v1/logs/{LOG}/checkpoint").text
        assert first["cosignature"] + "\n" in published
        grow(settings, "common", 4)  # the log grows while the service runs
        status, second = witness(f"{url}/api/v1/logs/{LOG}", files)  # the log's address, as pb-verify --url takes
        assert status == 0 and second["held"] == first["checkpoint"]
        assert [c["status"] for c in second["checks"]] == ["pass", "pass", "pass"]  # type: ignore[index]

    with forked(settings, tmp_path) as fork:
        grow(settings, "shown to the witness", 3)
        grow(fork, "shown to others", 6)
        with serving(settings) as url:
            status, original = witness(url, files)
            assert status == 0
        with serving(fork) as url:
            status, refused = witness(url, files)
            fork_note = httpx.get(f"{url}/api/v1/logs/{LOG}/checkpoint").text
    assert status == 1 and refused["ok"] is False and refused["cosignature"] is None
    assert refused["error"] == {"code": "split-view", "kind": "inconsistent",
                                "message": refused["error"]["message"]}  # type: ignore[index]
    assert refused["held"] == original["checkpoint"]
    evidence = json.loads((files / "split-view.json").read_text())
    assert evidence["kind"] == "inconsistent" and evidence["new"]["note"] == fork_note
    assert evidence["held"]["size"] == original["checkpoint"]["size"]  # type: ignore[index]
    assert evidence["new"]["size"] > evidence["held"]["size"]
    assert NAME not in fork_note  # nothing was cosigned for the forked copy
    state = json.loads((files / "state.json").read_text())
    assert state["logs"][LOG]["size"] == original["checkpoint"]["size"]  # type: ignore[index]
