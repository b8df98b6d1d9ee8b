"""Merkle tree hashing (RFC 6962) against the known answers of transparency-dev/merkle and google/trillian, and
inclusion and consistency proof verification (RFC 9162 §2.1.3.2, §2.1.4.2) against every transparency-dev proof
vector: each passes or fails as it declares."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from verifier.errors import ConsistencyProofInvalid, InclusionProofInvalid
from verifier.merkle import (
    EMPTY_ROOT,
    MerkleAccumulator,
    consistency_proof_length,
    inclusion_proof_length,
    leaf_hash,
    node_hash,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)

from .logbuilder import merkle_root
from .proofs import reference_path, reference_subproof
from .verifying import SHARED

PROOF_VECTORS = SHARED / "vectors" / "rfc6962-merkle" / "testdata"


@pytest.fixture
def known_answers(shared_vectors: Callable[[str], Path]) -> dict[str, object]:
    path = shared_vectors("rfc6962-merkle") / "known-answers.json"
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_the_empty_tree_hash_is_sha256_of_nothing(known_answers: dict[str, object]) -> None:
    assert EMPTY_ROOT.hex() == known_answers["hasher"]["empty_tree_root_hex"]  # type: ignore[index]
    assert MerkleAccumulator().root() == EMPTY_ROOT


def test_leaf_and_node_hashes_match_the_known_answers(known_answers: dict[str, object]) -> None:
    hasher = known_answers["hasher"]
    for case in hasher["hash_leaf"]:  # type: ignore[index]
        assert leaf_hash(bytes.fromhex(case["input_hex"])).hex() == case["want_hex"]
    for case in hasher["hash_children"]:  # type: ignore[index]
        assert node_hash(bytes.fromhex(case["left_hex"]), bytes.fromhex(case["right_hex"])).hex() == case["want_hex"]


def test_the_accumulator_gives_the_root_of_the_reference_tree_at_every_size(known_answers: dict[str, object]) -> None:
    tree = known_answers["reference_tree"]
    leaves = [bytes.fromhex(leaf) for leaf in tree["leaf_inputs_hex"]]  # type: ignore[index]
    accumulator = MerkleAccumulator()
    roots = {0: accumulator.root().hex()}
    for leaf in leaves:
        accumulator.append(leaf)
        roots[accumulator.size] = accumulator.root().hex()
    assert roots == {int(size): root for size, root in tree["root_by_tree_size_hex"].items()}  # type: ignore[index]


def test_the_reference_trees_complete_subtrees_match_their_known_hashes(known_answers: dict[str, object]) -> None:
    tree = known_answers["reference_tree"]
    leaves = [bytes.fromhex(leaf) for leaf in tree["leaf_inputs_hex"]]  # type: ignore[index]
    levels = tree["node_hashes_by_level_hex"]  # type: ignore[index]
    for level in range(4):
        width = 1 << level
        expected = levels[f"level{level}"]
        assert [tree_hash(leaves[i : i + width]).hex() for i in range(0, 8, width)] == expected


@pytest.mark.parametrize("size", [0, 1, 2, 3, 5, 7, 8, 9, 31, 32, 33, 100])
def test_the_accumulator_agrees_with_a_recursive_reading_of_the_definition(size: int) -> None:
    leaves = [f"leaf {n}".encode() for n in range(size)]
    assert tree_hash(leaves) == merkle_root(leaves)


# --- proof vectors (transparency-dev/merkle testdata) ---------------------------------------------------------------


def _vector_ids(kind: str) -> list[str]:
    """The vector files of `kind` (inclusion or consistency), as paths relative to its folder; collected without
    skipping, so that a missing ../shared shows as one skipped (or, under CI, failed) test per kind."""
    folder = PROOF_VECTORS / kind
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*.json")) or ["(vectors missing)"]


def _load_vector(shared_vectors: Callable[[str], Path], kind: str, name: str) -> dict[str, object]:
    folder = shared_vectors("rfc6962-merkle") / "testdata" / kind
    path = folder / name
    if not path.is_file():
        pytest.fail(f"no proof vectors under {folder}")
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _hashes(value: object) -> list[bytes]:
    """A vector's proof: null is the empty proof."""
    assert value is None or isinstance(value, list)
    return [base64.b64decode(item) for item in value or []]


def _b64(value: object) -> bytes:
    assert isinstance(value, str)
    return base64.b64decode(value)


@pytest.mark.parametrize("name", _vector_ids("inclusion"))
def test_every_inclusion_vector_passes_or_fails_as_it_declares(
    shared_vectors: Callable[[str], Path], name: str
) -> None:
    case = _load_vector(shared_vectors, "inclusion", name)
    index, size = case["leafIdx"], case["treeSize"]
    assert isinstance(index, int) and isinstance(size, int)

    def verify() -> None:
        verify_inclusion(index, size, _b64(case["leafHash"]), _hashes(case["proof"]), _b64(case["root"]))

    if case["wantErr"]:
        with pytest.raises(InclusionProofInvalid):
            verify()
    else:
        verify()


@pytest.mark.parametrize("name", _vector_ids("consistency"))
def test_every_consistency_vector_passes_or_fails_as_it_declares(
    shared_vectors: Callable[[str], Path], name: str
) -> None:
    case = _load_vector(shared_vectors, "consistency", name)
    first, second = case["size1"], case["size2"]
    assert isinstance(first, int) and isinstance(second, int)

    def verify() -> None:
        verify_consistency(first, second, _b64(case["root1"]), _b64(case["root2"]), _hashes(case["proof"]))

    if case["wantErr"]:
        with pytest.raises(ConsistencyProofInvalid):
            verify()
    else:
        verify()


def test_the_vectors_are_all_there(shared_vectors: Callable[[str], Path]) -> None:
    """The README counts 98 of each kind, 6 valid and 92 invalid: a lost file would silently shrink the tests."""
    folder = shared_vectors("rfc6962-merkle") / "testdata"
    for kind in ("inclusion", "consistency"):
        cases = [json.loads(path.read_text(encoding="utf-8")) for path in (folder / kind).rglob("*.json")]
        assert (len(cases), sum(not case["wantErr"] for case in cases)) == (98, 6), kind


# --- proof rules, spelled out ---------------------------------------------------------------------------------------


LEAVES = [f"entry {n}".encode() for n in range(40)]


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 40])
def test_every_proof_of_the_definition_verifies_and_has_the_computed_length(size: int) -> None:
    leaves = LEAVES[:size]
    root = merkle_root(leaves)
    for index in range(size):
        proof = reference_path(leaves, index)
        assert len(proof) == inclusion_proof_length(index, size)
        verify_inclusion(index, size, leaf_hash(leaves[index]), proof, root)
    for first in range(1, size):
        proof = reference_subproof(leaves, first, True)
        assert len(proof) == consistency_proof_length(first, size)
        verify_consistency(first, size, merkle_root(leaves[:first]), root, proof)


def test_an_inclusion_proof_is_refused_for_another_leaf_index_or_size() -> None:
    """(A size whose tree has the same shape along the path, 10 or 12 here, gives the same root: the size is bound to
    the root by the signed checkpoint, not by the proof.)"""
    leaves = LEAVES[:11]
    root, proof = merkle_root(leaves), reference_path(leaves, 6)
    verify_inclusion(6, 11, leaf_hash(leaves[6]), proof, root)
    for index, size in [(5, 11), (7, 11), (6, 8), (6, 7), (11, 11), (-1, 11), (0, 0)]:
        with pytest.raises(InclusionProofInvalid):
            verify_inclusion(index, size, leaf_hash(leaves[6]), proof, root)
    with pytest.raises(InclusionProofInvalid, match="not 32"):
        verify_inclusion(6, 11, leaf_hash(leaves[6]), [*proof[:-1], proof[-1] + b"\x00"], root)
    with pytest.raises(InclusionProofInvalid, match="holds 5 hashes, not 4"):
        verify_inclusion(6, 11, leaf_hash(leaves[6]), [*proof, root], root)


def test_a_consistency_proof_is_refused_from_the_empty_tree_backwards_or_between_equal_sizes_with_hashes() -> None:
    leaves = LEAVES[:9]
    first, second = merkle_root(leaves[:4]), merkle_root(leaves)
    proof = reference_subproof(leaves, 4, True)
    verify_consistency(4, 9, first, second, proof)
    verify_consistency(9, 9, second, second, [])
    refused = [
        (0, 9, EMPTY_ROOT, second, proof),
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, []),
        (9, 4, second, first, proof),
        (9, 9, second, second, proof),
        (9, 9, second, first, []),
        (4, 9, first, second, []),
        (4, 9, second, first, proof),
    ]
    for case in refused:
        with pytest.raises(ConsistencyProofInvalid):
            verify_consistency(*case)
