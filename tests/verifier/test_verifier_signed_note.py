"""Signed notes (c2sp.org/signed-note): the published examples verify, and broken notes do not."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from verifier.errors import NoteInvalid
from verifier.signed_note import NoteVerifier, key_hash, open_note, parse_verifier_key

from .logbuilder import SERVICE, note_key_hash


@pytest.fixture
def examples(shared_vectors: Callable[[str], Path]) -> dict[str, list[dict[str, str]]]:
    path = shared_vectors("signed-note") / "examples.json"
    loaded: dict[str, list[dict[str, str]]] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_every_published_example_verifies_with_its_verifier_key(examples: dict[str, list[dict[str, str]]]) -> None:
    for example in examples["examples"]:
        verifier = parse_verifier_key(example["verifier_key"])
        assert verifier.name == example["key_name"]
        assert verifier.key_hash.hex() == example["key_id_hex"]
        note = open_note(example["signed_note"], [verifier])
        assert note.text == example["note_text"]
        assert note.verified_by == (f"{example['key_name']}+{example['key_id_hex']}",)


def test_the_key_hash_is_computed_from_the_name_and_the_raw_key(examples: dict[str, list[dict[str, str]]]) -> None:
    for example in examples["examples"]:
        public = bytes.fromhex(example["ed25519_public_key_hex"])
        assert key_hash(example["key_name"], public).hex() == example["key_id_hex"]


def test_invalid_verifier_keys_are_rejected(examples: dict[str, list[dict[str, str]]]) -> None:
    for case in examples["invalid_verifier_keys"]:
        with pytest.raises(NoteInvalid):
            parse_verifier_key(case["verifier_key"])


def test_a_note_signed_by_another_key_of_the_same_name_is_not_verified(
    examples: dict[str, list[dict[str, str]]],
) -> None:
    by_name = {example["id"]: example for example in examples["examples"]}
    peter = parse_verifier_key(by_name["golang-mod-PeterNeumann"]["verifier_key"])
    with pytest.raises(NoteInvalid, match="no signature on the note is by a known key"):
        open_note(by_name["golang-mod-EnochRoot"]["signed_note"], [peter])


def test_a_note_signed_by_two_keys_verifies_with_either(examples: dict[str, list[dict[str, str]]]) -> None:
    by_name = {example["id"]: example for example in examples["examples"]}
    peter, enoch = by_name["golang-mod-PeterNeumann"], by_name["golang-mod-EnochRoot"]
    both = peter["signed_note"] + enoch["signed_note"].split("\n\n")[1]
    for example in (peter, enoch):
        assert open_note(both, [parse_verifier_key(example["verifier_key"])]).text == peter["note_text"]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda note: note.replace("example message", "example massage"),
        lambda note: note.replace("\n\n", "\n"),
        lambda note: note[:-1],
        lambda note: note.replace("\u2014 ", "- "),
        lambda note: note.replace("Uw2QOkn8", "Uw2QOkn9"),
        lambda note: note.replace("This", "Th\tis"),
    ],
    ids=[
        "text-changed",
        "no-blank-line",
        "no-final-newline",
        "hyphen-not-em-dash",
        "signature-changed",
        "control-character",
    ],
)
def test_a_broken_note_is_rejected(examples: dict[str, list[dict[str, str]]], mutate: Callable[[str], str]) -> None:
    example = examples["examples"][0]
    with pytest.raises(NoteInvalid):
        open_note(mutate(example["signed_note"]), [parse_verifier_key(example["verifier_key"])])


def test_the_test_builder_and_the_verifier_agree_on_the_key_hash() -> None:
    assert NoteVerifier.for_ed25519("commune-test", SERVICE.public).key_hash == note_key_hash(
        "commune-test", SERVICE.public
    )
