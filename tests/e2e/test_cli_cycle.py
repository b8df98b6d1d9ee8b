"""Staff run a small cycle end to end from the command line alone, then an observer verifies the export."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_path


@pytest.fixture
def cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PB_LEDGER_")}
    env.update(PB_LEDGER_DATA_DIR=str(tmp_path / "data"), PB_LEDGER_LOG="commune-cli")

    def run(*args: str, ok: bool = True) -> str:
        done = subprocess.run([sys.executable, "-m", "pb_ledger.cli", *args], env=env, capture_output=True,
                              text=True)
        assert (done.returncode == 0) == ok, done.stdout + done.stderr
        return (done.stdout if ok else done.stderr).strip()

    return run


def test_a_cycle_runs_end_to_end_on_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cycle = cli("cycle", "create-cycle", "--title", "Commune test", "--amount", "100000", "--currency", "MAD")
    cli("cycle", "set-criteria", "--cycle", cycle, "--criteria", '{"land": "public land"}')
    cli("cycle", "fix-rules", "--cycle", cycle, "--rules",
        '{"vote_type": "approval", "max_length": 2, "rule": "greedy", "tie_break": "lottery"}')
    cli("cycle", "start-phase", "--cycle", cycle, "--phase", "ideas")
    a = cli("cycle", "submit-idea", "--cycle", cycle, "--title", "حديقة", "--as", "citizen")
    b = cli("cycle", "submit-idea", "--cycle", cycle, "--title", "Éclairage", "--channel", "paper",
            "--paper-form-number", "12", "--scan-sha256", hashlib.sha256(b"scan").hexdigest(), "--as", "clerk")
    c = cli("cycle", "submit-idea", "--cycle", cycle, "--title", "Stade", "--as", "citizen")
    cli("cycle", "start-phase", "--cycle", cycle, "--phase", "review")
    error = cli("cycle", "reject-idea", "--cycle", cycle, "--idea", c, "--reason", " ", "--criterion", "land",
                "--as", "committee", ok=False)
    assert error.startswith("error [reason_required]")
    cli("cycle", "accept-idea", "--cycle", cycle, "--idea", a, "--project", "P1", "--cost", "60000",
        "--as", "committee")
    cli("cycle", "accept-idea", "--cycle", cycle, "--idea", b, "--project", "P2", "--cost", "30000",
        "--as", "committee")
    cli("cycle", "reject-idea", "--cycle", cycle, "--idea", c, "--reason", "private land", "--criterion", "land",
        "--as", "committee")
    assert cli("cycle", "publish-ballot", "--cycle", cycle).split() == ["P1", "P2"]
    cli("cycle", "open-voting", "--cycle", cycle)
    cli("cycle", "cast-ballot", "--cycle", cycle, "--channel", "online", "--vote", '["P1"]', "--as", "voter")
    cli("cycle", "cast-ballot", "--cycle", cycle, "--channel", "paper", "--vote", '["P1", "P2"]', "--as", "clerk")
    error = cli("cycle", "cast-ballot", "--cycle", cycle, "--channel", "online", "--vote", '["P1"]', "--as", "clerk",
                ok=False)
    assert error.startswith("error [forbidden_role]")
    cli("cycle", "close-voting", "--cycle", cycle)
    assert cli("cycle", "announce-results", "--cycle", cycle).split() == ["P1", "P2"]

    export, key = tmp_path / "log.export", tmp_path / "root.pem"
    cli("export", "--out", str(export))
    cli("keys", "root-public", "--out", str(key))
    done = subprocess.run([sys.executable, "-m", "verifier", str(export), "--root-key", str(key), "--json"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["cycles"][0]["recomputed_winners"] == ["P1", "P2"]


def test_bad_json_and_unknown_cycles_are_clear_errors(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("cycle", "fix-rules", "--cycle", "nope", "--rules", "{", ok=False).startswith("error [invalid_json]")
    assert cli("cycle", "open-voting", "--cycle", "nope", ok=False).startswith("error [unknown_cycle]")


def test_importing_a_file_twice_is_refused_and_a_bad_file_creates_no_log(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;abc\n", encoding="utf-8")
    assert "error [malformed_pabulib]" in cli("import-pabulib", str(bad), ok=False)
    assert not (tmp_path / "data" / "keys").exists()  # refused before any log was created
    election = str(shared_path("data", "pabulib", "Netherlands_Assen_2024.pb"))
    cli("import-pabulib", election)
    assert "error [already_imported]" in cli("import-pabulib", election, ok=False)
    cli("import-pabulib", election, "--again")
