"""The key lifecycle (log-format §3.1): keys authorised, rotated and retired by root-signed entries; every signature is
checked against the key valid at its position, and checkpoints against the keys that may sign their size (§7).
Ed25519 itself is pinned by the Wycheproof vectors, through the verifier's own signature check."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verifier.keys import ed25519_verifies
from verifier.report import Report

from .logbuilder import ROOT, SECOND_SERVICE, SERVICE, STRANGER, LogBuilder, Signer, add_cycle, b64
from .verifying import VerifyBytes, statuses

THIRD_SERVICE = Signer(5)


def new_key(signer: Signer, from_seq: int, **changes: object) -> dict[str, object]:
    key: dict[str, object] = {"id": signer.key_id, "public": b64(signer.public), "role": "service",
                              "from_seq": from_seq}
    key.update(changes)
    return key


def notes(builder: LogBuilder, count: int, signer: Signer | None = None) -> list[int]:
    return [builder.append("Note", {"n": n}, signer=signer or builder.service).seq for n in range(count)]


def rotate(builder: LogBuilder, old: Signer, new: Signer, reason: str = "yearly rotation") -> int:
    seq = len(builder.entries)
    builder.append("KeyRotated", {"old": old.key_id, "new": new_key(new, seq + 1), "reason": reason},
                   role="root", signer=ROOT)
    builder.service = new
    return seq


def failure(report: Report) -> tuple[str, int | None]:
    assert report.error is not None, "the export verified"
    return report.error.code, report.error.seq


def test_a_rotated_log_verifies_with_each_key_in_its_window(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    notes(builder, 3)
    builder.checkpoint()  # signed by the first key, over entries it signed
    rotate(builder, SERVICE, SECOND_SERVICE)
    add_cycle(builder)
    seq = len(builder.entries)
    builder.append("KeyAuthorised", {"key": new_key(THIRD_SERVICE, seq + 1), "reason": ""}, role="root",
                   signer=ROOT)
    notes(builder, 2, THIRD_SERVICE)
    notes(builder, 2, SECOND_SERVICE)  # both keys are valid: an authorisation does not retire the other
    builder.append("KeyRetired", {"key": SECOND_SERVICE.key_id, "until_seq": len(builder.entries) + 1,
                                  "reason": "moved to the new server"}, role="root", signer=ROOT)
    builder.service = THIRD_SERVICE
    notes(builder, 2)
    builder.checkpoint()
    report = verify_bytes(builder)
    assert report.ok, report.error


def test_an_entry_signed_by_a_rotated_out_key_fails_at_its_seq(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    notes(builder, 2)
    rotate(builder, SERVICE, SECOND_SERVICE)
    notes(builder, 2)
    late = notes(builder, 1, SERVICE)[0]
    notes(builder, 1)
    report = verify_bytes(builder)
    assert failure(report) == ("unauthorised-key", late)
    assert f"key {SERVICE.key_id} is not valid at seq {late}" in report.error.message  # type: ignore[union-attr]
    assert statuses(report)["V4"] == "fail"


def test_an_entry_signed_by_a_retired_key_fails_while_its_earlier_entries_stay_valid(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis([SERVICE.authorisation(), SECOND_SERVICE.authorisation()])
    notes(builder, 2, SECOND_SERVICE)
    retired_at = len(builder.entries)
    builder.append("KeyRetired", {"key": SECOND_SERVICE.key_id, "until_seq": retired_at + 1,
                                  "reason": "the laptop holding it was stolen"}, role="root", signer=ROOT)
    notes(builder, 2)
    assert verify_bytes(builder).ok
    forged = notes(builder, 1, SECOND_SERVICE)[0]
    assert failure(verify_bytes(builder)) == ("unauthorised-key", forged)


def test_a_key_used_before_the_seq_it_is_authorised_from_fails(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    seq = len(builder.entries)
    builder.append("KeyAuthorised", {"key": new_key(SECOND_SERVICE, seq + 3), "reason": "a second server"},
                   role="root", signer=ROOT)
    early = notes(builder, 1, SECOND_SERVICE)[0]
    assert failure(verify_bytes(builder)) == ("unauthorised-key", early)


def test_a_key_entry_signed_by_a_service_key_fails(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    seq = len(builder.entries)
    builder.append("KeyAuthorised", {"key": new_key(STRANGER, seq + 1), "reason": ""}, role="root", signer=SERVICE)
    report = verify_bytes(builder)
    assert failure(report) == ("unauthorised-key", seq)
    assert "key entries are signed by the root key" in report.error.message  # type: ignore[union-attr]


def _authorise(seq: int, **changes: object) -> tuple[str, dict[str, object]]:
    key = new_key(SECOND_SERVICE, seq + 1)
    key.update(changes)
    return "KeyAuthorised", {"key": key, "reason": ""}


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda s: _authorise(s, id=STRANGER.key_id), "is not the key id of its public key"),
        (lambda s: _authorise(s, from_seq=s), "not after the entry"),
        (lambda s: _authorise(s, role="root"), "authorises service keys"),
        (lambda s: ("KeyAuthorised", {"key": new_key(SERVICE, s + 1), "reason": ""}), "already known"),
        (lambda s: ("KeyAuthorised", {"key": new_key(ROOT, s + 1), "reason": ""}), "already known"),
        (lambda s: ("KeyAuthorised", {"key": new_key(SECOND_SERVICE, s + 1)}), "lacks member 'reason'"),
        (lambda s: ("KeyRetired", {"key": STRANGER.key_id, "until_seq": s + 1, "reason": "r"}),
         "is not a service key authorised before"),
        (lambda s: ("KeyRetired", {"key": SERVICE.key_id, "until_seq": s, "reason": "r"}),
         "cannot be retired from seq"),
        (lambda s: ("KeyRetired", {"key": SERVICE.key_id, "until_seq": s + 1, "reason": " "}),
         "gives no public reason"),
        (lambda s: ("KeyRotated", {"old": SERVICE.key_id, "new": new_key(SECOND_SERVICE, s + 1), "reason": ""}),
         "gives no public reason"),
        (lambda s: ("KeyRotated", {"old": STRANGER.key_id, "new": new_key(SECOND_SERVICE, s + 1), "reason": "r"}),
         "is not a service key authorised before"),
    ],
    ids=["id-not-of-key", "from-not-after", "not-service", "service-again", "root-again", "no-reason",
         "retire-unknown", "retire-backwards", "retire-no-reason", "rotate-no-reason", "rotate-unknown"],
)
def test_a_key_entry_that_breaks_a_rule_fails_key_entry_invalid(
    verify_bytes: VerifyBytes, make: Callable[[int], tuple[str, dict[str, object]]], message: str
) -> None:
    builder = LogBuilder()
    builder.genesis()
    notes(builder, 1)
    seq = len(builder.entries)
    event_type, payload = make(seq)
    builder.append(event_type, payload, role="root", signer=ROOT)
    notes(builder, 1)
    report = verify_bytes(builder)
    assert failure(report) == ("key-entry-invalid", seq)
    assert message in report.error.message  # type: ignore[union-attr]


def test_a_key_cannot_be_retired_twice(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis([SERVICE.authorisation(), SECOND_SERVICE.authorisation()])
    for _ in range(2):
        seq = len(builder.entries)
        builder.append("KeyRetired", {"key": SECOND_SERVICE.key_id, "until_seq": seq + 1, "reason": "r"},
                       role="root", signer=ROOT)
    report = verify_bytes(builder)
    assert failure(report) == ("key-entry-invalid", seq)
    assert "already retired" in report.error.message  # type: ignore[union-attr]


def test_a_retired_key_may_sign_checkpoints_up_to_its_window_only(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    notes(builder, 3)
    rotated = rotate(builder, SERVICE, SECOND_SERVICE)
    notes(builder, 3)
    builder.checkpoint(size=rotated + 1, signer=SERVICE)  # up to its until_seq: still valid
    builder.checkpoint()
    assert verify_bytes(builder).ok
    builder.checkpoint(size=rotated + 2, signer=SERVICE)  # covers an entry after its window
    report = verify_bytes(builder)
    assert failure(report) == ("checkpoint-invalid", None)
    assert report.error is not None
    assert (f"signed by key {SERVICE.key_id} (authorised from seq 1 until seq {rotated + 1}, authorised at seq 0), "
            f"which may not sign a checkpoint of size {rotated + 2}") in report.error.message


def test_a_new_key_may_not_sign_a_checkpoint_before_the_entry_that_authorised_it(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    notes(builder, 3)
    rotated = rotate(builder, SERVICE, SECOND_SERVICE)
    notes(builder, 1)
    builder.checkpoint(size=rotated, signer=SECOND_SERVICE)
    report = verify_bytes(builder)
    assert failure(report) == ("checkpoint-invalid", None)
    assert "which may not sign a checkpoint of size" in report.error.message  # type: ignore[union-attr]


def test_every_wycheproof_ed25519_vector_gives_its_declared_result(shared_vectors: Callable[[str], Path]) -> None:
    data = json.loads((shared_vectors("wycheproof") / "testvectors_v1" / "ed25519_test.json").read_text())
    results = {"valid": 0, "invalid": 0}
    for group in data["testGroups"]:
        public_key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(group["publicKey"]["pk"]))
        for test in group["tests"]:
            verified = ed25519_verifies(public_key, bytes.fromhex(test["msg"]), bytes.fromhex(test["sig"]))
            assert verified == (test["result"] == "valid"), (test["tcId"], test["comment"], test["flags"])
            results[test["result"]] += 1
    assert results == {"valid": 88, "invalid": 63} and sum(results.values()) == data["numberOfTests"]
