"""Inclusion and consistency proofs and receipts made from a real log (SQLite and PostgreSQL through `settings`),
checked with the standalone verifier: they commit to the same Merkle leaves (the exact entry bytes) as the export's
checkpoint."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from uuid import uuid4

import pytest

from pb_ledger.config import Settings
from pb_ledger.ledger.export import export_log
from pb_ledger.ledger.merkle import ProofRangeError, leaf_hash
from pb_ledger.ledger.store import Ledger
from verifier.encoding import decode_base64
from verifier.merkle import verify_consistency, verify_inclusion
from verifier.receipt import verify_receipt

LOG = "commune-proofs"


def append_notes(ledger: Ledger, count: int) -> None:
    cycle = uuid4()
    version = 0
    for n in range(count):
        version = ledger.append(cycle, version, [("Note", {"n": n})], cycle=str(cycle), actor=("pb-team", ""))


@pytest.fixture
def ledger(settings: Settings) -> Ledger:
    ledger = Ledger(settings, LOG)
    append_notes(ledger, 20)  # 21 entries with the genesis
    # pages of 4 entries, so that every proof streams the log over several pages
    ledger.iter_entries = functools.partial(Ledger.iter_entries, ledger, page=4)  # type: ignore[method-assign]
    return ledger


def checkpoint_root(ledger: Ledger, tmp_path: Path) -> tuple[int, bytes]:
    """The size and root hash of the checkpoint that `export` writes."""
    out = tmp_path / "export.jsonl"
    export_log(ledger, out)
    note = json.loads(out.read_bytes().splitlines()[-1])["checkpoint"]
    _, size, root = note.split("\n")[:3]
    decoded = decode_base64(root)
    assert decoded is not None
    return int(size), decoded


def test_every_entrys_inclusion_proof_verifies_against_the_exports_checkpoint(ledger: Ledger, tmp_path: Path) -> None:
    size, root = checkpoint_root(ledger, tmp_path)
    assert size == 21
    for row in ledger.entries(0, 100):
        proof = ledger.inclusion_proof(row.seq)
        assert (proof.size, proof.root, proof.leaf_hash) == (size, root, leaf_hash(row.entry))
        verify_inclusion(row.seq, size, leaf_hash(row.entry), proof.hashes, root)


def test_an_inclusion_proof_in_an_older_tree_verifies_against_that_trees_root(ledger: Ledger) -> None:
    older = ledger.inclusion_proof(7, size=8)
    assert older.root != ledger.inclusion_proof(7).root
    verify_inclusion(7, 8, older.leaf_hash, older.hashes, older.root)


def test_a_consistency_proof_ties_an_old_checkpoint_to_the_grown_log(ledger: Ledger, tmp_path: Path) -> None:
    old_size, old_root = checkpoint_root(ledger, tmp_path)
    append_notes(ledger, 13)
    new_size, new_root = checkpoint_root(ledger, tmp_path)
    proof = ledger.consistency_proof(old_size)
    assert (proof.old_size, proof.new_size, proof.old_root, proof.new_root) == (old_size, new_size, old_root, new_root)
    verify_consistency(old_size, new_size, old_root, new_root, proof.hashes)
    for old in range(1, new_size - 2):
        between = ledger.consistency_proof(old, new_size - 3)
        verify_consistency(old, new_size - 3, between.old_root, between.new_root, between.hashes)


@pytest.mark.parametrize("seq", [0, 1, 12, 20])
def test_a_receipt_verifies_offline_against_the_root_key_alone(ledger: Ledger, seq: int) -> None:
    report = verify_receipt(ledger.receipt(seq).encode(), ledger.keys.root.public_raw)
    assert report.ok, report.error
    assert report.receipt is not None and report.receipt.entry.entry.seq == seq
    assert report.checkpoint is not None and report.checkpoint.size == 21


def test_a_receipt_still_verifies_after_the_log_grows_and_its_checkpoint_is_consistent_with_the_new_one(
    ledger: Ledger,
) -> None:
    receipt = ledger.receipt(12).encode()
    append_notes(ledger, 5)
    report = verify_receipt(receipt, ledger.keys.root.public_raw)
    assert report.ok and report.checkpoint is not None
    proof = ledger.consistency_proof(report.checkpoint.size)
    verify_consistency(report.checkpoint.size, 26, report.checkpoint.root, proof.new_root, proof.hashes)


def test_a_receipt_does_not_verify_under_another_root_key(ledger: Ledger) -> None:
    report = verify_receipt(ledger.receipt(3).encode(), ledger.keys.service.public_raw)
    assert report.error is not None and report.error.code == "root-key-mismatch"


@pytest.mark.parametrize(
    "ask",
    [
        lambda ledger: ledger.inclusion_proof(21),
        lambda ledger: ledger.inclusion_proof(-1),
        lambda ledger: ledger.inclusion_proof(3, size=22),
        lambda ledger: ledger.inclusion_proof(3, size=3),
        lambda ledger: ledger.inclusion_proof(0, size=0),
        lambda ledger: ledger.consistency_proof(0),
        lambda ledger: ledger.consistency_proof(5, 4),
        lambda ledger: ledger.consistency_proof(5, 22),
        lambda ledger: ledger.receipt(21),
    ],
)
def test_a_proof_beyond_the_log_is_refused_with_a_code(ledger: Ledger, ask) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProofRangeError) as refused:
        ask(ledger)
    assert refused.value.code == "proof_out_of_range"


def test_proofs_read_the_log_page_by_page(settings: Settings) -> None:
    """Memory stays bounded: the entries are read in pages, never all at once."""
    ledger = Ledger(settings, LOG)
    append_notes(ledger, 30)
    limits: list[int] = []
    select = ledger.recorder.select_entries

    def spy(log_id: str, start: int, limit: int):  # type: ignore[no-untyped-def]
        limits.append(limit)
        return select(log_id, start, limit)

    ledger.recorder.select_entries = spy  # type: ignore[method-assign]
    ledger.iter_entries = functools.partial(Ledger.iter_entries, ledger, page=8)  # type: ignore[method-assign]
    ledger.consistency_proof(10)
    assert len(limits) >= 4 and max(limits) == 8
