"""Receipts checked on the pages: an idea's or a ballot's entry, its inclusion proof (docs/log-format.md §10) and the
latest checkpoint (§7), checked the way a verifier does it — the root recomputed from the entry's own bytes and the
proof hashes (RFC 9162 §2.1.3.2) must be the checkpoint's root.

The latest checkpoint is, until the service keeps the checkpoints it signs, one signed now over the whole log with the
service key (as `pb-ledger export` and `pb-ledger receipt` do); it is cached per log size."""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass

from pb_ledger.ledger.checkpoint import sign_checkpoint
from pb_ledger.ledger.merkle import MerkleAccumulator, leaf_hash, node_hash
from pb_ledger.ledger.store import Ledger


@dataclass(frozen=True)
class Checkpoint:
    size: int
    root: bytes
    note: str  # the signed note, verbatim

    @property
    def root_b64(self) -> str:
        return base64.b64encode(self.root).decode()


@dataclass(frozen=True)
class InclusionCheck:
    seq: int
    entry_hash: str
    leaf_hash: str  # base64
    proof: list[str]  # base64 hashes
    checkpoint: Checkpoint
    holds: bool  # the recomputed root is the checkpoint's root


class ProofError(ValueError):
    pass


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes:
    """The tree root an inclusion proof leads to (RFC 9162 §2.1.3.2); raises ProofError on a malformed proof."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size}")
    fn, sn, root = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            raise ProofError("the proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            root = node_hash(sibling, root)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            root = node_hash(root, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is deep")
    return root


class Checkpoints:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._latest: Checkpoint | None = None
        self._lock = threading.Lock()

    def latest(self) -> Checkpoint:
        size, _ = self.ledger.head()
        with self._lock:
            if self._latest is None or self._latest.size != size:
                tree = MerkleAccumulator()
                for leaf in self.ledger.leaf_hashes(size):
                    tree.append_leaf_hash(leaf)
                note = sign_checkpoint(self.ledger.log_id, size, tree.root(), self.ledger.keys.service)
                self._latest = Checkpoint(size, tree.root(), note)
            return self._latest

    def check(self, seq: int) -> InclusionCheck:
        """The inclusion of entry `seq` in the latest checkpoint, recomputed from the entry's stored bytes."""
        checkpoint = self.latest()
        [row] = self.ledger.entries(seq, 1)
        proof = self.ledger.inclusion_proof(seq, checkpoint.size)
        try:
            holds = root_from_inclusion(seq, checkpoint.size, leaf_hash(row.entry), proof.hashes) == checkpoint.root
        except ProofError:
            holds = False
        return InclusionCheck(seq, row.entry_hash, _b64(leaf_hash(row.entry)), [_b64(h) for h in proof.hashes],
                              checkpoint, holds)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
