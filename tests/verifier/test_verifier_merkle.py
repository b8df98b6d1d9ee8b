"""Merkle tree hashing (RFC 6962) against the known answers of transparency-dev/merkle and google/trillian."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from verifier.merkle import EMPTY_ROOT, MerkleAccumulator, leaf_hash, node_hash, tree_hash

from .logbuilder import merkle_root


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
