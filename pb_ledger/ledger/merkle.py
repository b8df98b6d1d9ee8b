"""RFC 6962 / RFC 9162 Merkle tree hash, computed incrementally over a stream of entries, and the inclusion and
consistency proofs of RFC 9162 §2.1.3.1 and §2.1.4.1 (docs/log-format.md §10, §11).

A proof is a list of Merkle tree hashes of subtrees: ranges `[start, end)` of leaves. The ranges are worked out from
the sizes alone, then the leaves are streamed once and each range's hash is built in its own accumulator, so a proof
over millions of entries needs O(log n) memory and one pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

LeafRange = tuple[int, int]


class ProofRangeError(ValueError):
    """The index or sizes asked for do not make a proof: a leaf outside the tree, a size beyond the log, sizes out of
    order."""

    code = "proof_out_of_range"


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class MerkleAccumulator:
    """Keeps only the roots of the complete subtrees (one per set bit of the size): O(log n) memory."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[bytes] = []  # roots of complete subtrees, largest first

    def append(self, entry: bytes) -> None:
        self.append_leaf_hash(leaf_hash(entry))

    def append_leaf_hash(self, leaf: bytes) -> None:
        node, size = leaf, self.size
        while size & 1:
            node = node_hash(self._stack.pop(), node)
            size >>= 1
        self._stack.append(node)
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return hashlib.sha256(b"").digest()
        node = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node

    # The compact range [0, size) as stored beside the log's head: the subtree roots, 32 bytes each, largest first.
    def frontier(self) -> bytes:
        return b"".join(self._stack)

    @classmethod
    def from_frontier(cls, size: int, frontier: bytes) -> MerkleAccumulator:
        """The accumulator of a tree of `size` leaves from its stored frontier; raises ValueError when the frontier
        does not have one 32-byte root per set bit of `size`."""
        if size < 0 or len(frontier) != 32 * bin(size).count("1"):
            raise ValueError(f"a frontier of {len(frontier)} bytes does not fit a tree of {size} leaves")
        tree = cls()
        tree.size = size
        tree._stack = [frontier[i:i + 32] for i in range(0, len(frontier), 32)]
        return tree


def _split(size: int) -> int:
    """The largest power of two strictly less than `size` (> 1): where the tree splits."""
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_ranges(index: int, size: int) -> list[LeafRange]:
    """The leaf ranges whose hashes make PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), leaf's sibling first."""
    if not 0 <= index < size:
        raise ProofRangeError(f"leaf {index} is not in a tree of {size} leaves")
    ranges: list[LeafRange] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(old_size: int, new_size: int) -> list[LeafRange]:
    """The leaf ranges whose hashes make PROOF(old_size, D[0:new_size]) (RFC 9162 §2.1.4.1) for
    `0 < old_size <= new_size`; empty when the sizes are equal."""
    if not 0 < old_size <= new_size:
        raise ProofRangeError(f"no consistency proof from a tree of {old_size} leaves to one of {new_size}")
    ranges: list[LeafRange] = []
    start, end, m, whole = 0, new_size, old_size, True  # SUBPROOF(m, D[start:end], whole)
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        ranges.append((start, end))
    return ranges[::-1]


def range_hashes(ranges: list[LeafRange], leaf_hashes: Iterable[bytes]) -> list[bytes]:
    """The Merkle tree hash of each range (disjoint ranges, in any order), from the leaf hashes streamed once from
    leaf 0; stops reading after the last leaf it needs."""
    by_start = sorted(ranges)
    trees = {leaf_range: MerkleAccumulator() for leaf_range in by_start}
    last = max((end for _, end in by_start), default=0)
    current = 0
    for position, leaf in enumerate(leaf_hashes):
        if position >= last:
            break
        while by_start[current][1] <= position:
            current += 1
        if by_start[current][0] <= position:
            trees[by_start[current]].append_leaf_hash(leaf)
    if any(trees[leaf_range].size != leaf_range[1] - leaf_range[0] for leaf_range in by_start):
        raise ProofRangeError(f"fewer than {last} leaves to prove from")
    return [trees[leaf_range].root() for leaf_range in ranges]


def inclusion_proof(index: int, size: int, leaf_hashes: Iterable[bytes]) -> list[bytes]:
    """The inclusion proof of leaf `index` in the tree of the first `size` of `leaf_hashes` (RFC 9162 §2.1.3.1)."""
    return range_hashes(inclusion_ranges(index, size), leaf_hashes)


def consistency_proof(old_size: int, new_size: int, leaf_hashes: Iterable[bytes]) -> list[bytes]:
    """The consistency proof between the trees of the first `old_size` and `new_size` of `leaf_hashes`
    (RFC 9162 §2.1.4.1)."""
    return range_hashes(consistency_ranges(old_size, new_size), leaf_hashes)


@dataclass(frozen=True)
class InclusionProof:
    """Leaf `index` of the tree of `size` leaves: its leaf hash, the tree's root and the proof hashes."""

    index: int
    size: int
    leaf_hash: bytes
    root: bytes
    hashes: list[bytes]


@dataclass(frozen=True)
class ConsistencyProof:
    """The tree of `old_size` leaves is a prefix of the tree of `new_size` leaves: both roots and the proof hashes."""

    old_size: int
    new_size: int
    old_root: bytes
    new_root: bytes
    hashes: list[bytes]


class _PassingLeaves:
    """The first `size` leaf hashes, passed on once to a proof while the roots at `sizes` and the leaf at `keep` are
    taken on the way; `finish()` reads what the proof did not need and returns the roots."""

    def __init__(self, leaf_hashes: Iterable[bytes], size: int, sizes: set[int], keep: int = -1) -> None:
        self._leaves = iter(leaf_hashes)
        self._size, self._sizes, self._keep = size, sizes, keep
        self._tree = MerkleAccumulator()
        self.roots: dict[int, bytes] = {}
        self.kept = b""

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        if self._tree.size >= self._size:
            raise StopIteration
        leaf = next(self._leaves, None)
        if leaf is None:
            raise ProofRangeError(f"fewer than {self._size} leaves to prove from")
        if self._tree.size == self._keep:
            self.kept = leaf
        self._tree.append_leaf_hash(leaf)
        if self._tree.size in self._sizes:
            self.roots[self._tree.size] = self._tree.root()
        return leaf

    def finish(self) -> dict[int, bytes]:
        for _ in self:
            pass
        return self.roots


def prove_inclusion(index: int, size: int, leaf_hashes: Iterable[bytes]) -> InclusionProof:
    """The inclusion proof of leaf `index` in the tree of the first `size` leaf hashes, with that tree's root, in one
    pass over them."""
    ranges = inclusion_ranges(index, size)
    leaves = _PassingLeaves(leaf_hashes, size, {size}, keep=index)
    hashes = range_hashes(ranges, leaves)
    roots = leaves.finish()
    return InclusionProof(index, size, leaves.kept, roots[size], hashes)


def prove_consistency(old_size: int, new_size: int, leaf_hashes: Iterable[bytes]) -> ConsistencyProof:
    """The consistency proof between the trees of the first `old_size` and `new_size` leaf hashes, with both roots,
    in one pass over them."""
    ranges = consistency_ranges(old_size, new_size)
    leaves = _PassingLeaves(leaf_hashes, new_size, {old_size, new_size})
    hashes = range_hashes(ranges, leaves)
    roots = leaves.finish()
    return ConsistencyProof(old_size, new_size, roots[old_size], roots[new_size], hashes)

