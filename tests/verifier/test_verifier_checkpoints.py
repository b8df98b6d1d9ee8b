"""Checkpoints in an export (log-format §7): signed by an authorised key, over the right size and root."""

from __future__ import annotations

import pytest

from .logbuilder import ROOT, SERVICE, STRANGER, LogBuilder, add_cycle, join_lines, note_key_hash, standard_log
from .verifying import VerifyBytes


def log_with(checkpoint: dict[str, object]) -> LogBuilder:
    builder = LogBuilder()
    builder.genesis()
    add_cycle(builder)
    builder.checkpoint(**checkpoint)  # type: ignore[arg-type]
    return builder


def test_checkpoints_at_every_size_verify(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    add_cycle(builder)
    for size in range(len(builder.entries) + 1):
        builder.checkpoint(size=size)
    report = verify_bytes(builder)
    assert report.ok, report.error
    assert report.checks[6].detail.startswith("26 checkpoints verified")


def test_a_checkpoint_signed_by_the_root_key_verifies(verify_bytes: VerifyBytes) -> None:
    assert verify_bytes(log_with({"signer": ROOT})).ok


def test_an_export_without_checkpoints_fails_because_its_tail_could_be_cut(verify_bytes: VerifyBytes) -> None:
    report = verify_bytes(log_with({}).export().rsplit(b"\n", 2)[0] + b"\n")
    assert not report.ok and report.checks[6].status == "fail"
    assert "no checkpoint covers all" in report.checks[6].detail


@pytest.mark.parametrize(
    "checkpoint, message",
    [
        ({"signer": STRANGER}, "no signature on the note is by a known key"),
        ({"origin": "other-log"}, "origin 'other-log' is not the log id 'commune-test'"),
    ],
    ids=["unknown-signer", "other-origin"],
)
def test_a_checkpoint_that_is_not_of_this_log_fails(
    verify_bytes: VerifyBytes, checkpoint: dict[str, object], message: str
) -> None:
    report = verify_bytes(log_with(checkpoint))
    assert report.error is not None and report.error.code in {"checkpoint-invalid", "note-invalid"}
    assert report.error.message == f"checkpoint on line 27: {message}"
    assert {check.id: check.status for check in report.checks}["V7"] == "fail"


def test_a_checkpoint_whose_text_was_changed_after_signing_fails(verify_bytes: VerifyBytes) -> None:
    builder = log_with({"size": 10})
    builder.checkpoints[-1] = builder.checkpoints[-1].replace("commune-test\n10\n", "commune-test\n11\n")
    report = verify_bytes(builder)
    assert report.error is not None and report.error.seq is None
    service_key = f"commune-test+{note_key_hash('commune-test', SERVICE.public).hex()}"
    assert report.error.message == f"checkpoint on line 27: the signature by {service_key} does not verify"


def test_a_validly_signed_checkpoint_over_other_entries_fails(verify_bytes: VerifyBytes) -> None:
    other = LogBuilder()
    other.genesis()
    add_cycle(other, title="another history")
    other.checkpoint()
    builder, _ = standard_log()
    lines = builder.lines() + other.lines()[-1:]
    report = verify_bytes(join_lines(lines))
    assert report.error is not None and report.error.code == "checkpoint-invalid"
    assert report.error.message == (
        "checkpoint on line 29: its root hash is not the Merkle tree hash of the first 25 entries"
    )


def test_a_checkpoint_line_that_is_not_a_json_string_fails_the_export_shape(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    report = verify_bytes(builder.export() + b'{"checkpoint":42}\n')
    assert report.error is not None and report.error.code == "export-malformed"
    assert {check.id: check.status for check in report.checks}["V7"] == "not-checked"


def test_an_export_without_a_checkpoint_over_all_its_entries_fails_v7(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.verifier.logbuilder import LogBuilder

    builder = LogBuilder(complete_checkpoint=False)
    builder.genesis()
    builder.checkpoint()
    builder.append("Note", {"n": 1})
    path = builder.write(tmp_path / "cut.export")
    from verifier import verify_export
    from tests.verifier.logbuilder import ROOT

    report = verify_export(path, ROOT.public)
    assert not report.ok and report.error is not None and report.error.check == "V7"
