"""Receipts (log-format §12) checked offline: a good one passes R1 to R5, and each broken one fails at the check named
after what is wrong with it, with its error code."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.receipt import ReceiptReport, verify_receipt

from .logbuilder import ROOT, SERVICE, STRANGER, LogBuilder, Signer, ballot, rules
from .proofs import build_receipt

REPO_ROOT = Path(__file__).resolve().parents[2]
BALLOT_SEQ = 5


def small_log(log_id: str = "commune-test", root: Signer = ROOT) -> LogBuilder:
    """Genesis, a cycle with two accepted projects, voting opened, three ballots, and one more entry after them."""
    builder = LogBuilder(log_id=log_id)
    builder.genesis(root=root)
    budget = {"amount": 1000, "currency": "MAD", "exponent": 2}
    builder.append("CycleCreated", {"title": "Budget 2026", "budget": budget, "source": None}, cycle="2026")
    builder.append("RulesFixed", rules(), cycle="2026")
    builder.append("IdeaAccepted", {"idea": "i1", "project": "p1", "cost": 400, "reason": "ok"}, cycle="2026")
    builder.append("VotingOpened", {"projects": ["p1"]}, cycle="2026")
    for _ in range(3):
        builder.append("BallotCast", ballot("p1"), cycle="2026", role="voter")
    builder.append("VotingClosed", {"ballots": 3}, cycle="2026")
    return builder


def statuses(report: ReceiptReport) -> dict[str, str]:
    return {check.id: check.status for check in report.checks}


def failed_at(report: ReceiptReport) -> tuple[str, str]:
    """(the failing check, the error's code)."""
    assert report.error is not None and not report.ok
    [check] = [check for check in report.checks if check.status == "fail"]
    return check.id, report.error.code


def replace_line(receipt: bytes, number: int, text: str) -> bytes:
    lines = receipt.decode().split("\n")
    lines[number - 1] = text
    return "\n".join(lines).encode()


def extra_lines(receipt: bytes) -> list[bytes]:
    return base64.b64decode(receipt.decode().split("\n")[1][len("extra ") :]).split(b"\n")[:-1]


def with_extra(receipt: bytes, lines: list[bytes]) -> bytes:
    encoded = base64.b64encode(b"".join(line + b"\n" for line in lines)).decode()
    return replace_line(receipt, 2, f"extra {encoded}")


# --- good receipts --------------------------------------------------------------------------------------------------


def test_a_receipt_for_a_ballot_passes_every_check_and_names_the_entry_without_its_choices() -> None:
    builder = small_log()
    report = verify_receipt(build_receipt(builder, BALLOT_SEQ), ROOT.public)
    assert report.ok and report.error is None
    assert statuses(report) == dict.fromkeys(["R1", "R2", "R3", "R4", "R5"], "pass")
    assert report.receipt is not None and report.checkpoint is not None
    entry = report.receipt.entry.entry
    assert (entry.seq, entry.type, entry.cycle) == (BALLOT_SEQ, "BallotCast", "2026")
    assert report.checkpoint.size == len(builder.entries)


@pytest.mark.parametrize("seq", [0, 1, 7, 8])
def test_a_receipt_verifies_for_the_genesis_the_first_and_the_last_entries(seq: int) -> None:
    builder = small_log()
    assert verify_receipt(build_receipt(builder, seq), ROOT.public).ok


@pytest.mark.parametrize("size", [6, 7, 8])
def test_a_receipt_verifies_against_an_older_checkpoint_that_already_held_the_entry(size: int) -> None:
    builder = small_log()
    report = verify_receipt(build_receipt(builder, BALLOT_SEQ, size=size), ROOT.public)
    assert report.ok and report.checkpoint is not None and report.checkpoint.size == size


def test_a_checkpoint_signed_by_the_root_key_is_accepted_as_the_log_format_allows() -> None:
    assert verify_receipt(build_receipt(small_log(), BALLOT_SEQ, signer=ROOT), ROOT.public).ok


# --- broken receipts, each named after its one mutation -------------------------------------------------------------


def test_entry_bytes_altered_fails_the_entry_signature() -> None:
    receipt = build_receipt(small_log(), BALLOT_SEQ)
    genesis, entry = extra_lines(receipt)
    report = verify_receipt(with_extra(receipt, [genesis, entry.replace(b'"p1"', b'"p2"')]), ROOT.public)
    assert failed_at(report) == ("R3", "bad-signature")
    assert statuses(report)["R4"] == statuses(report)["R5"] == "not-checked"


def test_entry_not_in_the_log_but_signed_by_the_service_key_fails_the_inclusion_proof() -> None:
    """A forged ballot signed with the (stolen) service key is still not in the tree the checkpoint commits to."""
    honest = small_log()
    receipt = build_receipt(honest, BALLOT_SEQ)
    forged = small_log()
    forged.entries = forged.entries[:BALLOT_SEQ]
    forged.append("BallotCast", ballot("p1", channel="paper"), cycle="2026", role="voter")
    genesis, _ = extra_lines(receipt)
    report = verify_receipt(with_extra(receipt, [genesis, forged.entries[BALLOT_SEQ].line()]), ROOT.public)
    assert failed_at(report) == ("R5", "inclusion-proof-invalid")


def test_proof_hash_altered_fails_the_inclusion_proof() -> None:
    receipt = build_receipt(small_log(), BALLOT_SEQ)
    hash_line = receipt.decode().split("\n")[3]
    flipped = bytearray(base64.b64decode(hash_line))
    flipped[0] ^= 1
    report = verify_receipt(replace_line(receipt, 4, base64.b64encode(bytes(flipped)).decode()), ROOT.public)
    assert failed_at(report) == ("R5", "inclusion-proof-invalid")


def test_proof_hash_removed_fails_the_inclusion_proof_by_its_length() -> None:
    lines = build_receipt(small_log(), BALLOT_SEQ).decode().split("\n")
    report = verify_receipt("\n".join(lines[:3] + lines[4:]).encode(), ROOT.public)
    assert failed_at(report) == ("R5", "inclusion-proof-invalid")
    assert report.error is not None and "not 4" in report.error.message


def test_checkpoint_signed_by_another_key_fails_the_checkpoint() -> None:
    report = verify_receipt(build_receipt(small_log(), BALLOT_SEQ, signer=STRANGER), ROOT.public)
    assert failed_at(report) == ("R4", "checkpoint-invalid")
    assert report.error is not None and "no signature on the note is by a known key" in report.error.message


def test_checkpoint_root_altered_fails_the_checkpoint_signature() -> None:
    receipt = build_receipt(small_log(), BALLOT_SEQ)
    lines = receipt.decode().split("\n")
    root_line = lines.index("") + 3  # after the empty line: origin, size, root hash
    assert base64.b64decode(lines[root_line]) != bytes(32)
    lines[root_line] = base64.b64encode(bytes(32)).decode()
    report = verify_receipt("\n".join(lines).encode(), ROOT.public)
    assert failed_at(report) == ("R4", "checkpoint-invalid")
    assert report.error is not None and "does not verify" in report.error.message


def test_checkpoint_smaller_than_the_index_fails_the_inclusion_proof() -> None:
    builder = small_log()
    receipt = build_receipt(builder, BALLOT_SEQ, size=BALLOT_SEQ + 1)
    other = build_receipt(builder, BALLOT_SEQ, size=BALLOT_SEQ)  # a good checkpoint that does not hold the entry yet
    note = other.decode().split("\n\n", 1)[1]
    report = verify_receipt((receipt.decode().split("\n\n", 1)[0] + "\n\n" + note).encode(), ROOT.public)
    assert failed_at(report) == ("R5", "inclusion-proof-invalid")


def test_index_wrong_fails_as_an_entry_mismatch() -> None:
    receipt = build_receipt(small_log(), BALLOT_SEQ)
    report = verify_receipt(replace_line(receipt, 3, f"index {BALLOT_SEQ + 1}"), ROOT.public)
    assert failed_at(report) == ("R3", "receipt-entry-mismatch")


def test_index_of_another_ballot_with_its_proof_fails_as_an_entry_mismatch() -> None:
    """A good proof for seq 6 does not make the entry of seq 5 a receipt for seq 6."""
    builder = small_log()
    receipt_6 = build_receipt(builder, BALLOT_SEQ + 1)
    genesis, entry_5 = extra_lines(build_receipt(builder, BALLOT_SEQ))
    report = verify_receipt(with_extra(receipt_6, [genesis, entry_5]), ROOT.public)
    assert failed_at(report) == ("R3", "receipt-entry-mismatch")


def test_trusted_root_other_than_the_genesis_root_fails_the_genesis() -> None:
    report = verify_receipt(build_receipt(small_log(), BALLOT_SEQ), STRANGER.public)
    assert failed_at(report) == ("R2", "root-key-mismatch")
    assert [check.status for check in report.checks[2:]] == ["not-checked"] * 3


def test_log_created_under_another_root_fails_the_genesis() -> None:
    report = verify_receipt(build_receipt(small_log(root=STRANGER), BALLOT_SEQ), ROOT.public)
    assert failed_at(report) == ("R2", "root-key-mismatch")


def test_entry_signed_by_a_key_the_log_never_authorised_fails_the_entry() -> None:
    builder = small_log()
    builder.entries = builder.entries[:BALLOT_SEQ]
    builder.append("BallotCast", ballot("p1"), cycle="2026", role="voter", signer=STRANGER)
    report = verify_receipt(build_receipt(builder, BALLOT_SEQ), ROOT.public)
    assert failed_at(report) == ("R3", "unknown-key")


def test_entry_of_another_log_fails_as_an_entry_mismatch() -> None:
    receipt = build_receipt(small_log(), BALLOT_SEQ)
    genesis, _ = extra_lines(receipt)
    _, other_entry = extra_lines(build_receipt(small_log(log_id="commune-other"), BALLOT_SEQ))
    report = verify_receipt(with_extra(receipt, [genesis, other_entry]), ROOT.public)
    assert failed_at(report) == ("R3", "receipt-entry-mismatch")


def test_genesis_line_missing_fails_the_shape() -> None:
    receipt = build_receipt(small_log(), BALLOT_SEQ)
    _, entry = extra_lines(receipt)
    report = verify_receipt(with_extra(receipt, [entry]), ROOT.public)
    assert failed_at(report) == ("R1", "receipt-malformed")


def test_first_entry_line_not_a_genesis_fails_the_genesis() -> None:
    builder = small_log()
    receipt = build_receipt(builder, BALLOT_SEQ)
    _, entry = extra_lines(receipt)
    report = verify_receipt(with_extra(receipt, [builder.entries[1].line(), entry]), ROOT.public)
    assert failed_at(report) == ("R2", "receipt-entry-mismatch")


@pytest.mark.parametrize(
    ("name", "mutate"),
    [
        ("header-wrong", lambda r: replace_line(r, 1, "c2sp.org/tlog-proof@v2")),
        ("extra-line-missing", lambda r: b"\n".join(r.split(b"\n")[:1] + r.split(b"\n")[2:])),
        ("extra-not-base64", lambda r: replace_line(r, 2, "extra !!!")),
        ("index-leading-zero", lambda r: replace_line(r, 3, f"index 0{BALLOT_SEQ}")),
        ("index-negative", lambda r: replace_line(r, 3, "index -5")),
        ("proof-hash-not-canonical-base64", lambda r: replace_line(r, 4, r.decode().split("\n")[3].rstrip("="))),
        ("proof-hash-31-bytes", lambda r: replace_line(r, 4, base64.b64encode(bytes(31)).decode())),
        ("no-empty-line", lambda r: r.replace(b"\n\n", b"\n", 1)),
        ("not-utf8", lambda r: r.replace(b"index", b"\xffndex")),
    ],
)
def test_receipt_not_in_the_documented_shape_fails_the_shape(name: str, mutate) -> None:  # type: ignore[no-untyped-def]
    report = verify_receipt(mutate(build_receipt(small_log(), BALLOT_SEQ)), ROOT.public)
    assert failed_at(report) == ("R1", "receipt-malformed"), name


def test_trailing_garbage_after_the_checkpoint_fails_the_checkpoint() -> None:
    report = verify_receipt(build_receipt(small_log(), BALLOT_SEQ) + b"more\n", ROOT.public)
    assert failed_at(report) == ("R4", "checkpoint-invalid")


# --- the command line -----------------------------------------------------------------------------------------------


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "verifier", *map(str, args)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )


def test_pb_verify_receipt_exits_0_and_prints_the_entry_but_not_the_ballot(tmp_path: Path, root_pem: Path) -> None:
    path = tmp_path / "ballot.tlog-proof"
    path.write_bytes(build_receipt(small_log(), BALLOT_SEQ))
    done = run_cli("receipt", path, "--root-key", root_pem)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "entry: seq 5, type BallotCast, cycle 2026" in done.stdout and "OK" in done.stdout
    assert "p1" not in done.stdout
    report = json.loads(run_cli("receipt", path, "--root-key", root_pem, "--json").stdout)
    assert set(report) == {"ok", "log", "entry", "checkpoint", "checks", "error"}
    assert report["ok"] is True and report["error"] is None and report["log"] == "commune-test"
    assert set(report["entry"]) == {"seq", "type", "cycle", "time", "hash"}
    assert [check["id"] for check in report["checks"]] == ["R1", "R2", "R3", "R4", "R5"]
    assert report["checkpoint"]["size"] == 9


def test_pb_verify_receipt_exits_1_with_the_named_reason_for_a_tampered_receipt(
    tmp_path: Path, root_pem: Path
) -> None:
    path = tmp_path / "forged.tlog-proof"
    path.write_bytes(build_receipt(small_log(), BALLOT_SEQ, signer=STRANGER))
    done = run_cli("receipt", path, "--root-key", root_pem, "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["error"]["code"] == "checkpoint-invalid"
    text = run_cli("receipt", path, "--root-key", root_pem)
    assert text.returncode == 1 and "FAIL [checkpoint-invalid]" in text.stdout


def test_pb_verify_receipt_usage_errors_exit_2(tmp_path: Path, root_pem: Path) -> None:
    assert run_cli("receipt", tmp_path / "missing", "--root-key", root_pem).returncode == 2
    path = tmp_path / "r.tlog-proof"
    path.write_bytes(build_receipt(small_log(), BALLOT_SEQ))
    assert run_cli("receipt", path, "--root-key", tmp_path / "no-key.pem").returncode == 2
    assert run_cli("receipt", path).returncode == 2
    assert run_cli("receipt", "--help").returncode == 0


def test_the_service_key_is_never_trusted_as_the_root(tmp_path: Path) -> None:
    """Passing the service key as the trusted root does not make the genesis trusted."""
    path, key = tmp_path / "r.tlog-proof", tmp_path / "service.pem"
    path.write_bytes(build_receipt(small_log(), BALLOT_SEQ))
    key.write_bytes(SERVICE.public_pem())
    assert json.loads(run_cli("receipt", path, "--root-key", key, "--json").stdout)["error"]["code"] == (
        "root-key-mismatch"
    )
