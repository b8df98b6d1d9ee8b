"""Merkle tree hashing of RFC 6962 / RFC 9162 over entry bytes (log-format §7), kept as a compact accumulator.

The accumulator holds only the roots of the complete subtrees that make up the tree so far (at most one per bit of the
size), so the root of the first `size` leaves is known in O(log size) memory while the entries stream past.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


class MerkleAccumulator:
    """The stack of complete subtree roots of the leaves appended so far, largest (leftmost) first."""

    def __init__(self) -> None:
        self.size = 0
        self._subtrees: list[bytes] = []

    def append_leaf_hash(self, leaf: bytes) -> None:
        """Add the next leaf, merging equal-sized subtrees as a binary counter carries."""
        carry, size = leaf, self.size
        while size & 1:
            carry = node_hash(self._subtrees.pop(), carry)
            size >>= 1
        self._subtrees.append(carry)
        self.size += 1

    def append(self, data: bytes) -> None:
        self.append_leaf_hash(leaf_hash(data))

    def root(self) -> bytes:
        """The Merkle tree hash of the leaves so far: subtree roots folded from the right; SHA-256("") when empty."""
        if not self._subtrees:
            return EMPTY_ROOT
        root = self._subtrees[-1]
        for subtree in reversed(self._subtrees[:-1]):
            root = node_hash(subtree, root)
        return root


def tree_hash(leaves: Iterable[bytes]) -> bytes:
    """The Merkle tree hash of `leaves` (their data, not their hashes)."""
    accumulator = MerkleAccumulator()
    for data in leaves:
        accumulator.append(data)
    return accumulator.root()
