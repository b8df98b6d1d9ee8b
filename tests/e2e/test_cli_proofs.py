"""A voter's receipt from the command line: `pb-ledger proof …` and `pb-ledger receipt`, checked by `pb-verify receipt`
with nothing but the root public key."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.merkle import verify_consistency, verify_inclusion

LOG = "commune-proofs"


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PB_LEDGER_")}
    env.update(PB_LEDGER_DATA_DIR=str(tmp_path / "data"), PB_LEDGER_LOG=LOG)

    def run(module: str, *args: str | Path, status: int = 0) -> str:
        done = subprocess.run([sys.executable, "-m", module, *map(str, args)], env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == status, done.stdout + done.stderr
        return done.stdout if status in (0, 1) else done.stderr

    return run


def first_ballot_seq(run, tmp_path: Path) -> int:  # type: ignore[no-untyped-def]
    export = tmp_path / "export.jsonl"
    run("pb_ledger.cli", "export", "--out", export)
    for seq, line in enumerate(export.read_bytes().splitlines()[1:]):
        if b'"type":"BallotCast"' in line:
            return seq
    raise AssertionError("the demo has no ballot")


def hashes(values: list[str]) -> list[bytes]:
    return [base64.b64decode(value) for value in values]


def test_a_receipt_written_by_pb_ledger_is_checked_by_pb_verify_alone(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    run("pb_ledger.cli", "demo")
    seq = first_ballot_seq(run, tmp_path)
    receipt, root_key = tmp_path / "ballot.tlog-proof", tmp_path / "root.pem"
    assert f"receipt of entry {seq}" in run("pb_ledger.cli", "receipt", "--seq", str(seq), "--out", receipt)
    run("pb_ledger.cli", "keys", "root-public", "--out", root_key)
    assert receipt.read_text(encoding="utf-8").startswith(f"c2sp.org/tlog-proof@v1\nextra ")

    text = run("verifier", "receipt", receipt, "--root-key", root_key)
    assert f"entry: seq {seq}, type BallotCast" in text and "OK" in text and '"vote"' not in text
    report = json.loads(run("verifier", "receipt", receipt, "--root-key", root_key, "--json"))
    assert report["ok"] is True and report["entry"]["seq"] == seq and report["log"] == LOG

    lines = receipt.read_text(encoding="utf-8").split("\n")
    lines[3] = base64.b64encode(bytes(32)).decode()  # the first proof hash
    receipt.write_text("\n".join(lines), encoding="utf-8")
    report = json.loads(run("verifier", "receipt", receipt, "--root-key", root_key, "--json", status=1))
    assert report["error"]["code"] == "inclusion-proof-invalid"


def test_proofs_printed_by_pb_ledger_verify_with_the_verifier(run) -> None:  # type: ignore[no-untyped-def]
    run("pb_ledger.cli", "demo")
    inclusion = json.loads(run("pb_ledger.cli", "proof", "inclusion", "--seq", "3", "--size", "40"))
    assert set(inclusion) == {"log", "index", "size", "leaf_hash", "root", "proof"}
    verify_inclusion(3, 40, base64.b64decode(inclusion["leaf_hash"]), hashes(inclusion["proof"]),
                     base64.b64decode(inclusion["root"]))
    consistency = json.loads(run("pb_ledger.cli", "proof", "consistency", "--from", "40"))
    assert consistency["old_root"] == inclusion["root"] and consistency["new_size"] > 40
    verify_consistency(40, consistency["new_size"], base64.b64decode(consistency["old_root"]),
                       base64.b64decode(consistency["new_root"]), hashes(consistency["proof"]))


def test_a_proof_beyond_the_log_is_refused_with_its_code(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("pb_ledger.cli", "demo")
    assert run("pb_ledger.cli", "proof", "inclusion", "--seq", "100000", status=2).startswith(
        "error [proof_out_of_range]")
    assert "error [proof_out_of_range]" in run("pb_ledger.cli", "proof", "consistency", "--from", "0", status=2)
    refused = run("pb_ledger.cli", "receipt", "--seq", "100000", "--out", tmp_path / "r", status=2)
    assert "error [proof_out_of_range]" in refused and not (tmp_path / "r").exists()
    assert "--seq" in run("pb_ledger.cli", "receipt", "--help")
