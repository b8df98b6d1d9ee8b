"""Merkle proofs and receipts written straight from their definitions, for the verifier's tests.

PATH and SUBPROOF are RFC 9162 §2.1.3.1 and §2.1.4.1 read recursively; a receipt is log-format §12 put together from a
LogBuilder's entries. Nothing here comes from `verifier` or from the service.
"""

from __future__ import annotations

from .logbuilder import LogBuilder, Signer, b64, merkle_root


def _split(size: int) -> int:
    return 1 << ((size - 1).bit_length() - 1)


def reference_path(leaves: list[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]): the inclusion proof of leaf `index` among `leaves` (their data)."""
    if len(leaves) <= 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return reference_path(leaves[:k], index) + [merkle_root(leaves[k:])]
    return reference_path(leaves[k:], index - k) + [merkle_root(leaves[:k])]


def reference_subproof(leaves: list[bytes], m: int, whole: bool = True) -> list[bytes]:
    """SUBPROOF(m, D[n], b); with `whole` True it is PROOF(m, D[n]), the consistency proof from size m."""
    if m == len(leaves):
        return [] if whole else [merkle_root(leaves)]
    k = _split(len(leaves))
    if m <= k:
        return reference_subproof(leaves[:k], m, whole) + [merkle_root(leaves[k:])]
    return reference_subproof(leaves[k:], m - k, False) + [merkle_root(leaves[:k])]


def build_receipt(builder: LogBuilder, seq: int, signer: Signer | None = None, size: int | None = None) -> bytes:
    """A receipt for entry `seq` of `builder`'s log, with a checkpoint over its first `size` entries (default all)."""
    leaves = [entry.entry_bytes for entry in builder.entries]
    size = len(leaves) if size is None else size
    note = builder.checkpoint(size, signer=signer)
    builder.checkpoints.pop()
    lines = [builder.entries[0]] + ([builder.entries[seq]] if seq > 0 else [])
    extra = b"".join(entry.line() + b"\n" for entry in lines)
    proof = "".join(b64(value) + "\n" for value in reference_path(leaves[:size], seq))
    return f"c2sp.org/tlog-proof@v1\nextra {b64(extra)}\nindex {seq}\n{proof}\n{note}".encode()
