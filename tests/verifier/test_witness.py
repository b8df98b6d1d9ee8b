"""`pb-verify witness` from files (log-format §14): it cosigns a first checkpoint and every consistent successor, and
refuses — reporting a split view with both signed checkpoints as evidence — a checkpoint that cannot belong to the
same append-only log as the one it holds: two diverging copies of a log, another root at the same size, a smaller
size. Cosignatures follow c2sp.org/tlog-cosignature v1; the worked example of the document is rebuilt here."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from verifier.witness import (
    ConsistencyInput,
    SplitView,
    WitnessReport,
    WitnessState,
    WitnessUsageError,
    cosign,
    main,
    parse_verifier_key,
    verifier_key,
    verify_cosignature,
    witness,
)

from .logbuilder import ROOT, SECOND_SERVICE, SERVICE, STRANGER, LogBuilder, Signer, b64
from .proofs import reference_subproof
from .test_log_format_examples import LOG_FORMAT, example_log, indented

WITNESS = Signer(7)
NAME = "witness.example.org/w1"
EXAMPLE_TIME = 1796320800  # 2026-12-03T18:00:00Z


def log(entries: int = 6) -> LogBuilder:
    builder = LogBuilder()
    builder.genesis()
    for n in range(entries - 1):
        builder.append("Note", {"n": n})
    return builder


def fork(builder: LogBuilder, branch: str, count: int) -> LogBuilder:
    """A copy of `builder` that goes on with its own entries."""
    copied = copy.deepcopy(builder)
    for n in range(count):
        copied.append("Note", {"branch": branch, "n": n})
    return copied


def history(builder: LogBuilder, upto: int | None = None) -> bytes:
    """The key history of a built log: its genesis and key entries, as export lines."""
    entries = builder.entries[:upto]
    return b"".join(e.line() + b"\n" for e in entries if e.seq == 0 or b'"type":"Key' in e.entry_bytes)


def proof(builder: LogBuilder, old: int, new: int | None = None) -> ConsistencyInput:
    leaves = [e.entry_bytes for e in builder.entries[: new or len(builder.entries)]]
    return ConsistencyInput(old, len(leaves), reference_subproof(leaves, old))


def run(state: WitnessState, builder: LogBuilder, given: ConsistencyInput | None = None,
        note: str | None = None) -> WitnessReport:
    note = note or builder.checkpoint()
    return witness(NAME, WITNESS.private, state, note, history(builder), ROOT.public, given)


def held(state: WitnessState) -> dict[str, object]:
    return json.loads(state.path.read_text())["logs"]["commune-test"]  # type: ignore[no-any-return]


@pytest.fixture
def state(tmp_path: Path) -> WitnessState:
    return WitnessState(tmp_path / "witness-state.json")


def test_a_first_checkpoint_then_a_consistent_one_are_cosigned(state: WitnessState) -> None:
    builder = log(6)
    first = run(state, builder)
    assert first.ok and held(state)["size"] == 6
    note = builder.checkpoints[-1]
    text = note[: note.index("\n\n") + 1]
    assert verify_cosignature(note + first.cosignature + "\n", NAME, WITNESS.public) > 0
    assert first.cosignature.startswith(f"\u2014 {NAME} ")
    for n in range(7):
        builder.append("Note", {"more": n})
    second = run(state, builder, proof(builder, 6))
    assert second.ok and held(state)["size"] == 13
    assert [status for _, status, _ in second.checks] == ["pass", "pass", "pass"]
    assert text.startswith("commune-test\n6\n")


def test_two_diverging_copies_of_a_log_the_witness_refuses_to_cosign_the_second(
    state: WitnessState, tmp_path: Path
) -> None:
    """The log shows one copy to this witness, then another copy that forked after entry 5."""
    common = log(6)
    shown_first, shown_second = fork(common, "a", 3), fork(common, "b", 5)
    assert run(state, shown_first).ok
    before = state.path.read_bytes()
    second_note = shown_second.checkpoint()
    # the second copy's own proof from size 9 to 11: it holds for that copy, not for the tree the witness holds
    report = witness(NAME, WITNESS.private, state, second_note, history(shown_second), ROOT.public,
                     proof(shown_second, 9), evidence=tmp_path / "evidence.json")
    assert not report.ok and report.cosignature is None
    assert isinstance(report.error, SplitView) and report.error.kind == "inconsistent"
    assert [status for _, status, _ in report.checks] == ["pass", "pass", "fail"]
    assert state.path.read_bytes() == before  # the witness still holds the first copy's checkpoint
    evidence = json.loads((tmp_path / "evidence.json").read_text())
    assert evidence["kind"] == "inconsistent"
    assert evidence["held"]["note"] == shown_first.checkpoints[-1] and evidence["new"]["note"] == second_note
    assert (evidence["held"]["size"], evidence["new"]["size"]) == (9, 11)
    # the first copy goes on being cosigned
    shown_first.append("Note", {"branch": "a", "n": 3})
    assert run(state, shown_first, proof(shown_first, 9)).ok


def test_another_root_at_the_same_size_is_a_split_view(state: WitnessState) -> None:
    common = log(4)
    assert run(state, fork(common, "a", 2)).ok
    report = run(state, fork(common, "b", 2))
    assert isinstance(report.error, SplitView) and report.error.kind == "different-root"
    assert report.evidence is not None
    assert json.loads(report.evidence.read_text())["held"]["size"] == 6


def test_a_smaller_checkpoint_is_a_rollback_and_is_refused(state: WitnessState) -> None:
    builder = log(8)
    assert run(state, builder).ok
    report = run(state, builder, note=builder.checkpoint(size=5))
    assert isinstance(report.error, SplitView) and report.error.kind == "rollback"
    assert "a log never shrinks" in report.error.message


def test_the_same_checkpoint_again_is_cosigned_again(state: WitnessState) -> None:
    builder = log(5)
    assert run(state, builder).ok
    assert run(state, builder).ok


def test_a_checkpoint_not_signed_by_a_key_of_the_log_is_refused_and_not_recorded(state: WitnessState) -> None:
    builder = log(5)
    report = run(state, builder, note=builder.checkpoint(signer=STRANGER))
    assert report.error is not None and report.error.code == "checkpoint-invalid"
    assert report.error.message == "the checkpoint: no signature on the note is by a known key"
    assert [status for _, status, _ in report.checks] == ["pass", "fail", "not-checked"]
    assert not state.path.exists()


def test_a_key_history_under_another_root_key_is_refused(state: WitnessState) -> None:
    builder = LogBuilder()
    builder.genesis(root=STRANGER)
    builder.append("Note", {})
    report = run(state, builder)
    assert report.error is not None and report.error.code == "root-key-mismatch"


def test_a_checkpoint_signed_by_a_rotated_key_verifies_with_the_key_history(state: WitnessState) -> None:
    builder = log(3)
    seq = len(builder.entries)
    new = {"id": SECOND_SERVICE.key_id, "public": b64(SECOND_SERVICE.public), "role": "service", "from_seq": seq + 1}
    builder.append("KeyRotated", {"old": SERVICE.key_id, "new": new, "reason": "yearly"}, role="root", signer=ROOT)
    builder.service = SECOND_SERVICE
    builder.append("Note", {})
    assert run(state, builder).ok
    stale = witness(NAME, WITNESS.private, state, builder.checkpoint(), history(builder, upto=3), ROOT.public,
                    proof(builder, 5))  # a history from before the rotation does not know the new key
    assert not stale.ok and stale.error is not None and stale.error.code == "checkpoint-invalid"


def test_a_larger_checkpoint_without_a_proof_is_a_usage_error(state: WitnessState) -> None:
    builder = log(4)
    run(state, builder)
    builder.append("Note", {})
    with pytest.raises(WitnessUsageError, match="a consistency proof from size 4 to 5 is needed"):
        run(state, builder)


def test_the_command_line_from_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "witness.key"
    assert main(["init", "--name", NAME, "--key-out", str(key)]) == 0
    vkey = capsys.readouterr().out.strip()
    name, public = parse_verifier_key(vkey)
    assert name == NAME and key.stat().st_mode & 0o777 == 0o600
    root, keys = tmp_path / "root.pem", tmp_path / "keys.jsonl"
    root.write_bytes(ROOT.public_pem())
    common = log(6)
    first, second = fork(common, "a", 2), fork(common, "b", 4)
    keys.write_bytes(history(first))
    files = {}
    for label, builder in (("first", first), ("second", second)):
        files[label] = tmp_path / f"{label}.note"
        files[label].write_text(builder.checkpoint())
    consistency = tmp_path / "proof.json"
    given = proof(second, 8)
    consistency.write_text(json.dumps({"old_size": 8, "new_size": 10, "proof": [b64(h) for h in given.hashes]}))
    common_args = ["cosign", "--name", NAME, "--key", str(key), "--state", str(tmp_path / "state.json"),
                   "--root-key", str(root), "--keys", str(keys)]
    out = tmp_path / "cosignature.txt"
    assert main([*common_args, "--checkpoint", str(files["first"]), "--cosignature-out", str(out)]) == 0
    assert "COSIGNED checkpoint of size 8" in capsys.readouterr().out
    verify_cosignature(files["first"].read_text() + out.read_text(), NAME, public)
    evidence = tmp_path / "split.json"
    status = main([*common_args, "--checkpoint", str(files["second"]), "--proof", str(consistency),
                   "--evidence", str(evidence), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1 and report["ok"] is False and report["cosignature"] is None
    assert report["error"]["code"] == "split-view" and report["evidence"] == str(evidence)
    assert main([*common_args, "--checkpoint", str(tmp_path / "missing.note")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["init", "--name", NAME, "--key-out", str(key)]) == 2  # a witness never overwrites its key


def test_the_cosignature_is_c2sp_cosignature_v1() -> None:
    """Rebuilt from the definition with hashlib and cryptography alone: key hash, signed message, line."""
    note = log(3).checkpoint()
    text = note[: note.index("\n\n") + 1]
    line = cosign(NAME, WITNESS.private, text, EXAMPLE_TIME)
    key_hash = hashlib.sha256(NAME.encode() + b"\n\x04" + WITNESS.public).digest()[:4]
    message = f"cosignature/v1\ntime {EXAMPLE_TIME}\n".encode() + text.encode()
    signature = WITNESS.private.sign(message)
    assert line == f"\u2014 {NAME} " + b64(key_hash + EXAMPLE_TIME.to_bytes(8, "big") + signature)
    encoded_key = b64(b"\x04" + WITNESS.public)
    assert verifier_key(NAME, WITNESS.public) == f"{NAME}+{key_hash.hex()}+{encoded_key}"
    other = Ed25519PrivateKey.generate()
    with pytest.raises(Exception, match="does not verify"):
        forged = cosign(NAME, other, text, EXAMPLE_TIME).split(" ")[-1]
        verify_cosignature(note + f"\u2014 {NAME} {b64(key_hash + base64.b64decode(forged)[4:])}\n", NAME,
                           WITNESS.public)


def test_the_documents_cosignature_example_is_rebuilt() -> None:
    builder = example_log()
    note = builder.checkpoint()
    text = note[: note.index("\n\n") + 1]
    line = cosign(NAME, WITNESS.private, text, EXAMPLE_TIME)
    document = LOG_FORMAT.read_text(encoding="utf-8")
    values = {
        "witness verifier key": verifier_key(NAME, WITNESS.public),
        "signed message": indented(f"cosignature/v1\ntime {EXAMPLE_TIME}\n{text}"),
        "cosigned checkpoint": indented(note + line + "\n"),
    }
    for what, value in values.items():
        assert value in document, f"docs/log-format.md §14: the {what} differs from the rebuilt example"
    assert verify_cosignature(note + line + "\n", NAME, WITNESS.public) == EXAMPLE_TIME
