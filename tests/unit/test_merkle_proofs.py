"""The service's Merkle proofs (RFC 9162 §2.1.3.1, §2.1.4.1) verify with the standalone verifier's functions at random
sizes, equal the proofs of the transparency-dev vectors on their reference tree, and read the leaves in one pass."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pb_ledger.ledger.merkle import (
    ProofRangeError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    prove_consistency,
    prove_inclusion,
)
from tests.conftest import shared_path
from verifier.merkle import tree_hash, verify_consistency, verify_inclusion


def leaves_of(size: int) -> list[bytes]:
    return [f'{{"seq":{n}}}'.encode() for n in range(size)]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_an_inclusion_proof_verifies_with_the_verifier(size_and_index: tuple[int, int]) -> None:
    size, index = size_and_index
    leaves = leaves_of(size)
    proof = prove_inclusion(index, size, map(leaf_hash, leaves))
    assert proof.root == tree_hash(leaves) and proof.leaf_hash == leaf_hash(leaves[index])
    verify_inclusion(index, size, leaf_hash(leaves[index]), proof.hashes, proof.root)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=300).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))))
def test_a_consistency_proof_verifies_with_the_verifier(sizes: tuple[int, int]) -> None:
    old, new = sizes
    leaves = leaves_of(new)
    proof = prove_consistency(old, new, map(leaf_hash, leaves))
    assert (proof.old_root, proof.new_root) == (tree_hash(leaves[:old]), tree_hash(leaves))
    verify_consistency(old, new, proof.old_root, proof.new_root, proof.hashes)


def test_a_proof_is_made_from_a_longer_stream_of_leaves_without_reading_past_what_it_needs() -> None:
    read: list[int] = []

    def stream() -> Iterator[bytes]:
        for n, leaf in enumerate(leaves_of(1000)):
            read.append(n)
            yield leaf_hash(leaf)

    proof = prove_inclusion(3, 20, stream())
    assert proof.root == tree_hash(leaves_of(20)) and max(read) == 19


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (inclusion_proof, (5, 5)),
        (inclusion_proof, (-1, 5)),
        (inclusion_proof, (0, 0)),
        (consistency_proof, (0, 5)),
        (consistency_proof, (6, 5)),
    ],
)
def test_a_proof_outside_the_tree_is_refused_with_its_code(call, args) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProofRangeError) as refused:
        call(*args, map(leaf_hash, leaves_of(5)))
    assert refused.value.code == "proof_out_of_range"


def test_a_proof_over_more_leaves_than_the_stream_holds_is_refused() -> None:
    with pytest.raises(ProofRangeError):
        prove_inclusion(1, 10, map(leaf_hash, leaves_of(4)))


def test_the_consistency_proof_between_equal_sizes_is_empty() -> None:
    proof = prove_consistency(7, 7, map(leaf_hash, leaves_of(7)))
    assert proof.hashes == [] and proof.old_root == proof.new_root


# --- the transparency-dev vectors: same proofs on the reference tree ------------------------------------------------


def _reference_leaves() -> list[bytes]:
    known = json.loads((shared_path("vectors", "rfc6962-merkle") / "known-answers.json").read_text(encoding="utf-8"))
    return [bytes.fromhex(leaf) for leaf in known["reference_tree"]["leaf_inputs_hex"]]


def _happy_paths(kind: str) -> list[dict[str, object]]:
    folder = shared_path("vectors", "rfc6962-merkle", "testdata", kind)
    cases = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*/happy-path.json"))]
    assert cases, f"no happy-path vectors under {folder}"
    return cases


def _b64(hashes: object) -> list[str]:
    assert hashes is None or isinstance(hashes, list)
    return [str(item) for item in hashes or []]


def test_our_inclusion_proofs_equal_the_happy_path_vectors() -> None:
    leaves = _reference_leaves()
    for case in _happy_paths("inclusion"):
        index, size = case["leafIdx"], case["treeSize"]
        assert isinstance(index, int) and isinstance(size, int)
        proof = prove_inclusion(index, size, map(leaf_hash, leaves))
        assert base64.b64encode(proof.leaf_hash).decode() == case["leafHash"]
        assert base64.b64encode(proof.root).decode() == case["root"]
        assert [base64.b64encode(h).decode() for h in proof.hashes] == _b64(case["proof"])


def test_our_consistency_proofs_equal_the_happy_path_vectors() -> None:
    leaves = _reference_leaves()
    for case in _happy_paths("consistency"):
        old, new = case["size1"], case["size2"]
        assert isinstance(old, int) and isinstance(new, int)
        proof = prove_consistency(old, new, map(leaf_hash, leaves))
        assert base64.b64encode(proof.old_root).decode() == case["root1"]
        assert base64.b64encode(proof.new_root).decode() == case["root2"]
        assert [base64.b64encode(h).decode() for h in proof.hashes] == _b64(case["proof"])

