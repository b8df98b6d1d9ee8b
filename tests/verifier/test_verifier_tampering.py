"""Tampering with an export is caught, and located at the right seq."""

from __future__ import annotations

import base64
import json

import pytest

from .logbuilder import (
    ROOT,
    SECOND_SERVICE,
    SERVICE,
    STANDARD_WINNERS,
    STRANGER,
    LogBuilder,
    add_cycle,
    ballot,
    join_lines,
    standard_log,
)
from .verifying import VerifyBytes, statuses

ENTRY_LINE = 1  # line index of entry 0 in builder.lines(): the header comes first


def flip_each_byte(line: bytes) -> list[tuple[int, bytes]]:
    """Every one-byte change of `line` that keeps it one line: each byte XOR 1 (a digit to its neighbour, …)."""
    variants = []
    for offset in range(len(line)):
        changed = line[offset] ^ 0x01
        if changed != 0x0A:
            variants.append((offset, line[:offset] + bytes([changed]) + line[offset + 1 :]))
    return variants


@pytest.mark.parametrize("seq", [0, 2, 16, 24], ids=lambda seq: f"entry-{seq}")
def test_any_one_byte_change_in_an_entry_line_fails_at_that_entry(verify_bytes: VerifyBytes, seq: int) -> None:
    builder, _ = standard_log()
    lines = builder.lines()
    for offset, changed in flip_each_byte(lines[ENTRY_LINE + seq]):
        tampered = lines.copy()
        tampered[ENTRY_LINE + seq] = changed
        report = verify_bytes(join_lines(tampered))
        assert not report.ok, f"byte {offset} of entry {seq} changed and the export still verifies"
        assert report.error is not None and report.error.seq == seq, (offset, report.error)


def test_a_changed_digit_in_a_ballot_payload_fails_the_signature_and_the_next_link(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    seqs = add_cycle(builder, vote_rules=None)
    lines = builder.lines()
    target = ENTRY_LINE + seqs.ballots[0]
    lines[target] = lines[target].replace(b'"vote":["p1","p2"]', b'"vote":["p1","p3"]')
    report = verify_bytes(join_lines(lines))
    assert report.error is not None
    assert (report.error.seq, report.error.code) == (seqs.ballots[0], "bad-signature")
    chain = report.checks[2]
    assert (chain.status, chain.seq) == ("fail", seqs.ballots[0] + 1)
    assert chain.detail == f"prev hash does not match the hash of entry {seqs.ballots[0]}"


def test_a_signature_in_non_canonical_base64_fails_as_a_malformed_line(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    lines = builder.lines()
    line = lines[ENTRY_LINE + 5]
    last = line[93:94]  # the character before "==" carries 4 unused bits
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    same_bytes = bytes([alphabet[alphabet.index(last) ^ 1]])
    lines[ENTRY_LINE + 5] = line[:93] + same_bytes + line[94:]
    assert base64.b64decode(lines[ENTRY_LINE + 5][8:96]) == base64.b64decode(line[8:96])
    report = verify_bytes(join_lines(lines))
    assert report.error is not None and (report.error.seq, report.error.code) == (5, "export-malformed")


@pytest.mark.parametrize("fix_header", [True, False], ids=["header-adjusted", "header-kept"])
@pytest.mark.parametrize("seq", [1, 12, 24])
def test_a_deleted_entry_is_named_by_its_seq(verify_bytes: VerifyBytes, seq: int, fix_header: bool) -> None:
    builder, _ = standard_log()
    lines = builder.lines(declared_entries=24 if fix_header else None)
    del lines[ENTRY_LINE + seq]
    report = verify_bytes(join_lines(lines))
    assert report.error is not None and report.error.seq == seq
    if seq < 24:
        assert report.error.code == "sequence-gap"
    elif fix_header:  # a log cut short: only a checkpoint over the lost entry can tell
        assert report.error.code == "checkpoint-invalid"
    else:
        assert report.error.code == "entry-count-mismatch"


@pytest.mark.parametrize("seq", [0, 5, 15, 23])
def test_two_swapped_entries_fail_at_the_first_of_them(verify_bytes: VerifyBytes, seq: int) -> None:
    builder, _ = standard_log()
    lines = builder.lines()
    first, second = ENTRY_LINE + seq, ENTRY_LINE + seq + 1
    lines[first], lines[second] = lines[second], lines[first]
    report = verify_bytes(join_lines(lines))
    assert report.error is not None
    assert (report.error.seq, report.error.code) == (seq, "sequence-gap")
    assert statuses(report)["V3"] == "fail"


def test_an_entry_appended_with_an_unauthorised_key_fails_at_its_seq(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    appended = builder.append("BallotCast", ballot("p1"), "2026", signer=STRANGER)
    report = verify_bytes(builder)
    assert report.error is not None
    assert (report.error.seq, report.error.code) == (appended.seq, "unknown-key")
    assert statuses(report) == {
        "V1": "pass",
        "V2": "pass",
        "V3": "pass",
        "V4": "fail",
        "V5": "not-checked",
        "V6": "not-checked",
        "V7": "pass",
    }


def test_an_entry_that_names_a_service_key_but_is_signed_by_another_key_fails_its_signature(
    verify_bytes: VerifyBytes,
) -> None:
    builder, _ = standard_log()
    appended = builder.append(
        "IdeaSubmitted",
        {
            "idea": "i",
            "title": "t",
            "description": "d",
            "channel": "online",
            "district": None,
            "category": None,
            "estimated_cost": None,
        },
        "2026",
    )
    lines = builder.lines()
    forged = STRANGER.sign(b"pb-ledger/entry/v1\n" + appended.entry_bytes)
    lines[ENTRY_LINE + appended.seq] = b'{"sig":"' + base64.b64encode(forged) + lines[ENTRY_LINE + appended.seq][96:]
    report = verify_bytes(join_lines(lines))
    assert report.error is not None and (report.error.seq, report.error.code) == (appended.seq, "bad-signature")


def test_an_entry_signed_by_a_retired_key_fails_as_unauthorised(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis(keys=[SERVICE.authorisation(until_seq=5), SECOND_SERVICE.authorisation(from_seq=5)])
    add_cycle(builder)  # every entry signed by SERVICE, retired at seq 5
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (5, "unauthorised-key")
    assert "not valid at seq 5 (authorised from seq 1 until seq 5)" in report.error.message


def test_a_key_rotation_declared_in_the_genesis_verifies(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis(keys=[SERVICE.authorisation(until_seq=5), SECOND_SERVICE.authorisation(from_seq=5)])
    builder.service = SECOND_SERVICE
    for _ in range(4):
        builder.append("Note", {}, signer=SERVICE)
    add_cycle(builder)
    assert verify_bytes(builder).ok


def test_an_entry_signed_by_a_key_before_its_from_seq_fails(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis(keys=[SERVICE.authorisation(from_seq=3)])
    builder.append("Note", {})
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (1, "unauthorised-key")


def test_an_entry_signed_by_the_root_key_after_the_genesis_fails(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    builder.append("Note", {}, signer=ROOT)
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (25, "unauthorised-key")


def test_a_key_authorised_with_another_role_may_not_sign_entries(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis(keys=[SERVICE.authorisation(role="importer")])
    builder.append("Note", {})
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (1, "unauthorised-key")


def test_a_second_log_created_fails_even_when_properly_signed(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    builder.append("LogCreated", {"root_key": {}, "keys": []})
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (25, "genesis-invalid")


@pytest.mark.parametrize("declared, seq", [(24, 24), (26, 25), (0, 0)])
def test_a_header_count_that_differs_from_the_entry_lines_fails(
    verify_bytes: VerifyBytes, declared: int, seq: int
) -> None:
    builder, _ = standard_log()
    report = verify_bytes(builder.export(declared_entries=declared))
    assert report.error is not None
    assert (report.error.seq, report.error.code) == (seq, "entry-count-mismatch")
    assert statuses(report)["V1"] == "fail"


def test_a_truncated_export_with_an_adjusted_header_fails_its_checkpoints(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    lines = builder.lines(declared_entries=20)
    del lines[ENTRY_LINE + 20 : ENTRY_LINE + 25]
    report = verify_bytes(join_lines(lines))
    assert report.error is not None and report.error.code == "checkpoint-invalid"
    assert "size 24 is more than the 20 entries exported" in report.error.message


def test_an_announcement_whose_winners_differ_from_the_recount_fails_at_its_seq(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    seqs = add_cycle(builder, winners=["p1", "p3", "p5"])
    report = verify_bytes(builder)
    assert report.error is not None
    assert (report.error.seq, report.error.code) == (seqs.announced, "tally-mismatch")
    assert report.error.message == "announced winners [p1, p3, p5] differ from the recount's [p1, p2, p5, p4]"
    (cycle,) = report.cycles
    assert cycle.announced_winners == ["p1", "p3", "p5"] and cycle.recomputed_winners == STANDARD_WINNERS


def test_winners_announced_in_another_order_than_selected_fail(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    seqs = add_cycle(builder, winners=["p1", "p2", "p4", "p5"])
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (seqs.announced, "tally-mismatch")
    assert "not in the recount's selection order" in report.error.message


def test_an_announced_score_that_differs_from_the_recount_fails(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    seqs = add_cycle(builder, scores={"p1": 4, "p2": 3, "p3": 3, "p4": 2, "p5": 3})
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (seqs.announced, "tally-mismatch")
    assert report.error.message == "announced score of 'p5' is 3; the recount gives 2"


def test_a_voting_closed_that_miscounts_the_ballots_fails(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    seqs = add_cycle(builder, announce=False)
    builder.entries.pop()
    builder.append("VotingClosed", {"ballots": 9}, "2026")
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (seqs.closed, "tally-mismatch")


def test_a_malformed_line_after_the_checkpoints_fails_the_export_shape(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    report = verify_bytes(builder.export() + b'{"note":"hello"}\n')
    assert report.error is not None and report.error.code == "export-malformed" and report.error.seq is None
    assert "line 29 comes after the checkpoint lines" in report.error.message


def test_a_missing_final_line_feed_fails_the_export_shape(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    report = verify_bytes(builder.export()[:-1])
    assert report.error is not None and report.error.code == "export-malformed"
    assert "line 28 is not terminated by a line feed" in report.error.message


@pytest.mark.parametrize(
    "header",
    [
        b"",
        b"{}",
        b'{"format":"pb-ledger-export/v2","log":"commune-test","entries":25}',
        b'{"format":"pb-ledger-export/v1","log":"Commune","entries":25}',
        b'{"format":"pb-ledger-export/v1","log":"commune-test","entries":25.0}',
        b'{"format":"pb-ledger-export/v1","log":"commune-test","entries":true}',
    ],
    ids=["empty", "empty-object", "other-format", "bad-log-id", "float-count", "bool-count"],
)
def test_an_export_without_a_proper_header_fails_and_checks_nothing_else(
    verify_bytes: VerifyBytes, header: bytes
) -> None:
    builder, _ = standard_log()
    lines = builder.lines()
    lines[0] = header
    report = verify_bytes(join_lines(lines))
    assert report.error is not None and report.error.code == "export-malformed"
    assert statuses(report) == {"V1": "fail", **{f"V{n}": "not-checked" for n in range(2, 8)}}


def test_an_empty_file_fails(verify_bytes: VerifyBytes) -> None:
    report = verify_bytes(b"")
    assert report.error is not None and "header line is missing" in report.error.message


def test_an_export_of_no_entries_fails_for_lack_of_a_genesis(verify_bytes: VerifyBytes) -> None:
    report = verify_bytes(LogBuilder())
    assert report.error is not None and (report.error.seq, report.error.code) == (0, "genesis-invalid")


def test_an_entry_of_another_log_fails_even_when_signed(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    builder.log_id = "other-commune"
    builder.append("Note", {})
    builder.log_id = "commune-test"
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (25, "log-mismatch")


def test_an_entry_with_repeated_member_names_is_malformed(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    lines = builder.lines()
    lines[ENTRY_LINE + 16] = lines[ENTRY_LINE + 16].replace(b'"vote":', b'"vote":["p5"],"vote":')
    report = verify_bytes(join_lines(lines))
    assert report.error is not None and (report.error.seq, report.error.code) == (16, "export-malformed")
    assert "repeated member name 'vote'" in report.error.message


def test_the_checkpoint_line_is_json_as_written_by_the_builder() -> None:
    builder, _ = standard_log()
    note = json.loads(builder.lines()[-1])["checkpoint"]
    assert note.startswith("commune-test\n25\n")


def test_a_wrong_root_key_fails_at_the_genesis(verify_bytes: VerifyBytes) -> None:
    builder, _ = standard_log()
    report = verify_bytes(builder, root=STRANGER)
    assert report.error is not None and (report.error.seq, report.error.code) == (0, "root-key-mismatch")
    assert report.error.message == f"the genesis root key {ROOT.key_id} is not the trusted root key {STRANGER.key_id}"
    assert statuses(report) == {
        "V1": "pass",
        "V2": "pass",
        "V3": "pass",
        "V4": "fail",
        "V5": "not-checked",
        "V6": "not-checked",
        "V7": "not-checked",
    }


def test_a_log_rooted_in_another_key_fails_even_when_consistent_in_itself(verify_bytes: VerifyBytes) -> None:
    impostor = LogBuilder()
    impostor.genesis(root=STRANGER)
    add_cycle(impostor)
    report = verify_bytes(impostor)
    assert report.error is not None and (report.error.seq, report.error.code) == (0, "root-key-mismatch")
    assert verify_bytes(impostor, root=STRANGER).ok


def test_a_genesis_that_names_another_signing_key_than_its_root_fails(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    builder.entries.clear()
    payload = {
        "root_key": {"id": ROOT.key_id, "public": base64.b64encode(ROOT.public).decode()},
        "keys": [SERVICE.authorisation()],
    }
    builder.append("LogCreated", payload, role="root", signer=SERVICE)
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (0, "genesis-invalid")


def test_a_lone_surrogate_escape_in_an_entry_is_malformed(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    builder.append("Note", {"text": "HALF-A-PAIR"})
    report = verify_bytes(builder.export().replace(b"HALF-A-PAIR", b"\\ud800"))
    assert report.error is not None and (report.error.seq, report.error.code) == (1, "export-malformed")
    assert "lone surrogate" in report.error.message
