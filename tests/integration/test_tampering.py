"""Tampering with an exported log: pb-verify must fail and name the first entry that is wrong."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pb_ledger.config import Settings
from pb_ledger.importer import import_pabulib
from pb_ledger.ledger.canonical import canonical_json
from pb_ledger.ledger.entry import SIGNING_DOMAIN, entry_hash
from pb_ledger.ledger.export import export_log
from pb_ledger.ledger.keys import key_id, raw_public
from pb_ledger.ledger.store import Ledger
from pb_ledger.services import Services
from tests.conftest import shared_path

ELECTION = "Poland_Gdynia_2023_Chwarzno-Wiczlino__small.pb"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[bytes], Path]:
    tmp = tmp_path_factory.mktemp("tamper")
    ledger = Ledger(Settings(data_dir=tmp / "data"), "commune-tamper")
    import_pabulib(Services(ledger), shared_path("data", "pabulib", ELECTION))
    export, key = tmp / "log.export", tmp / "root.pem"
    export_log(ledger, export)
    key.write_bytes(ledger.keys.public_pem())
    return export.read_bytes().splitlines(keepends=True), key


def run_verifier(lines: list[bytes], key: Path, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    path = tmp_path / "tampered.export"
    path.write_bytes(b"".join(lines))
    done = subprocess.run([sys.executable, "-m", "verifier", str(path), "--root-key", str(key), "--json"],
                          capture_output=True, text=True)
    report = json.loads(done.stdout)
    assert done.returncode != 0 and not report["ok"]
    return report["error"]


def line_of(seq: int) -> int:
    return seq + 1  # line 0 is the header


def ballot_seq(lines: list[bytes]) -> int:
    for i, line in enumerate(lines[1:]):
        if b'"type":"BallotCast"' in line:
            return i + 1000  # a ballot well inside the vote
    raise AssertionError("no ballot")


def test_the_untouched_export_verifies(exported, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines, key = exported
    path = tmp_path / "ok.export"
    path.write_bytes(b"".join(lines))
    done = subprocess.run([sys.executable, "-m", "verifier", str(path), "--root-key", str(key)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_one_edited_byte_in_a_ballot_is_found_at_its_seq(exported, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines, key = list(exported[0]), exported[1]
    seq = ballot_seq(lines)
    lines[line_of(seq)] = lines[line_of(seq)].replace(b'"channel":"paper"', b'"channel":"papex"')
    assert run_verifier(lines, key, tmp_path)["seq"] == seq


def test_a_deleted_entry_is_found_where_the_gap_opens(exported, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines, key = list(exported[0]), exported[1]
    seq = ballot_seq(lines)
    del lines[line_of(seq)]
    assert run_verifier(lines, key, tmp_path)["seq"] == seq


def test_two_swapped_entries_are_found_at_the_first(exported, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines, key = list(exported[0]), exported[1]
    seq = ballot_seq(lines)
    lines[line_of(seq)], lines[line_of(seq + 1)] = lines[line_of(seq + 1)], lines[line_of(seq)]
    assert run_verifier(lines, key, tmp_path)["seq"] == seq


def test_an_appended_entry_signed_by_an_unauthorised_key_is_found(exported, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines, key = list(exported[0]), exported[1]
    header = json.loads(lines[0])
    entries = [line for line in lines[1:] if line.startswith(b'{"sig":')]
    checkpoints = lines[1 + len(entries):]  # every checkpoint the service signed, then one over the whole log
    last = entries[-1].rstrip(b"\n")[106:-1]
    intruder = Ed25519PrivateKey.generate()
    forged = json.loads(last)
    forged.update(seq=header["entries"], prev=entry_hash(last), key=key_id(raw_public(intruder.public_key())),
                  type="VotingClosed", payload={"ballots": 0})
    body = canonical_json(forged)
    signature = base64.b64encode(intruder.sign(SIGNING_DOMAIN + body))
    header["entries"] += 1
    tampered = [json.dumps(header).encode() + b"\n", *entries,
                b'{"sig":"' + signature + b'","entry":' + body + b"}\n", *checkpoints]
    error = run_verifier(tampered, key, tmp_path)
    assert error["seq"] == header["entries"] - 1
