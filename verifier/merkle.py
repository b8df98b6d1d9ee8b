"""Merkle tree hashing of RFC 6962 / RFC 9162 over entry bytes (log-format §7), kept as a compact accumulator, and
the verification of inclusion and consistency proofs (RFC 9162 §2.1.3.2, §2.1.4.2; log-format §10, §11).

The accumulator holds only the roots of the complete subtrees that make up the tree so far (at most one per bit of the
size), so the root of the first `size` leaves is known in O(log size) memory while the entries stream past.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from verifier.errors import ConsistencyProofInvalid, InclusionProofInvalid, ProofInvalid

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


# --- proofs (RFC 9162 §2.1.3.2 and §2.1.4.2) -------------------------------------------------------------------------

HASH_SIZE = 32


def inclusion_proof_length(index: int, size: int) -> int:
    """The number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves (`index < size`).

    The path has one hash per level below the point where the leaf's path leaves the right border of the tree
    (`inner`), then one per left subtree that the border passes (`border`).
    """
    inner = (index ^ (size - 1)).bit_length()
    border = bin(index >> inner).count("1")
    return inner + border


def consistency_proof_length(first: int, second: int) -> int:
    """The number of hashes in the consistency proof between sizes `0 < first < second` (RFC 9162 §2.1.4.1)."""
    shift = (first & -first).bit_length() - 1  # the tree of `first` leaves ends in a complete subtree of 2^shift
    inner = ((first - 1) ^ (second - 1)).bit_length() - shift
    border = bin((first - 1) >> (inner + shift)).count("1")
    seed = 0 if first == 1 << shift else 1  # a power-of-two tree is its own first hash, not carried in the proof
    return seed + inner + border


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raise InclusionProofInvalid unless `proof` shows leaf hash `leaf` at `index` in the tree of `size` leaves
    whose Merkle tree hash is `root` (RFC 9162 §2.1.3.2, with the exact proof length checked first)."""
    if not 0 <= index < size:
        raise InclusionProofInvalid(f"leaf index {index} is not below the tree size {size}")
    _check_hash_sizes("the leaf hash", [leaf], InclusionProofInvalid)
    _check_hash_sizes("inclusion proof hash", proof, InclusionProofInvalid)
    expected = inclusion_proof_length(index, size)
    if len(proof) != expected:
        raise InclusionProofInvalid(
            f"the proof of leaf {index} in a tree of {size} holds {len(proof)} hashes, not {expected}"
        )
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise InclusionProofInvalid(f"the proof of leaf {index} does not lead to the root hash of the tree of {size}")


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that `proof` leads to from `leaf` at `index < size` (RFC 9162 §2.1.3.2 steps 2 to 5)."""
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise InclusionProofInvalid(f"the proof of leaf {index} in a tree of {size} is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InclusionProofInvalid(f"the proof of leaf {index} in a tree of {size} is too short")
    return r


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> None:
    """Raise ConsistencyProofInvalid unless `proof` shows that the tree of `first` leaves with root `first_root` is
    a prefix of the tree of `second` leaves with root `second_root` (RFC 9162 §2.1.4.2).

    `first == second` holds only with an empty proof and equal roots; a proof from the empty tree is refused (any
    tree extends it, so it proves nothing), as is `first > second`.
    """
    if first <= 0:
        raise ConsistencyProofInvalid(f"a consistency proof starts from a tree of at least one leaf, not {first}")
    if first > second:
        raise ConsistencyProofInvalid(f"the first tree size {first} is larger than the second {second}")
    if first == second:
        _check_same_tree(first, first_root, second_root, proof)
        return
    _check_hash_sizes("consistency proof hash", proof, ConsistencyProofInvalid)
    expected = consistency_proof_length(first, second)
    if len(proof) != expected:
        raise ConsistencyProofInvalid(
            f"the proof between sizes {first} and {second} holds {len(proof)} hashes, not {expected}"
        )
    roots = roots_from_consistency_proof(first, second, first_root, proof)
    if roots != (first_root, second_root):
        which = "first" if roots[0] != first_root else "second"
        raise ConsistencyProofInvalid(
            f"the proof between sizes {first} and {second} does not lead to the {which} root hash"
        )


def _check_same_tree(size: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> None:
    if proof:
        raise ConsistencyProofInvalid(f"the proof between two trees of size {size} must be empty")
    if first_root != second_root:
        raise ConsistencyProofInvalid(f"two trees of size {size} have different root hashes")


def roots_from_consistency_proof(
    first: int, second: int, first_root: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """The two roots that `proof` leads to for `0 < first < second` (RFC 9162 §2.1.4.2 steps 1 to 6)."""
    if not proof:
        raise ConsistencyProofInvalid(f"the proof between sizes {first} and {second} is empty")
    path = [first_root, *proof] if first & (first - 1) == 0 else list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ConsistencyProofInvalid(f"the proof between sizes {first} and {second} is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ConsistencyProofInvalid(f"the proof between sizes {first} and {second} is too short")
    return fr, sr


def _check_hash_sizes(what: str, hashes: Sequence[bytes], error: type[ProofInvalid]) -> None:
    for position, value in enumerate(hashes):
        if len(value) != HASH_SIZE:
            where = what if len(hashes) == 1 and what.startswith("the ") else f"{what} {position}"
            raise error(f"{where} is {len(value)} bytes, not {HASH_SIZE}")
