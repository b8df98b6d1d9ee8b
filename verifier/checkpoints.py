"""Checkpoints (log-format §7): signed notes that commit to the Merkle tree hash of the first `size` entries."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from verifier.encoding import decode_base64
from verifier.errors import CheckpointInvalid, NoteInvalid
from verifier.keys import SigningKey
from verifier.signed_note import NoteSignature, NoteVerifier, open_note, split_note

DECIMAL = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class CheckpointNote:
    """A checkpoint as found in the export: its signed note and the line it is on."""

    line_number: int
    note: str


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint whose signature verified: the tree size and root hash it commits to."""

    line_number: int
    size: int
    root: bytes
    signers: tuple[str, ...]


def open_checkpoint(found: CheckpointNote, log: str, keys: Iterable[SigningKey], entries: int) -> Checkpoint:
    """The checkpoint once its note verifies under a key of the log that may sign a checkpoint of its size (the root
    key, or a service key authorised among the first `size` entries and not retired before `size`); raises
    CheckpointInvalid."""
    where = "the checkpoint" if found.line_number == 0 else f"checkpoint on line {found.line_number}"
    try:
        text, signatures = split_note(found.note)
    except NoteInvalid as error:
        raise CheckpointInvalid(f"{where}: {error.message}") from None
    lines = text.split("\n")
    if len(lines) != 4:
        raise CheckpointInvalid(f"{where}: the note text is not 3 lines (origin, size, root hash)")
    origin, size_text, root_text, _ = lines
    if origin != log:
        raise CheckpointInvalid(f"{where}: origin {origin!r} is not the log id {log!r}")
    root = decode_base64(root_text)
    if DECIMAL.fullmatch(size_text) is None or root is None or len(root) != 32:
        raise CheckpointInvalid(f"{where}: malformed size or root hash line")
    size = int(size_text)
    keys = list(keys)
    allowed = [key for key in keys if key.may_sign_checkpoint(size)]
    try:
        note = open_note(found.note, [NoteVerifier.for_ed25519(log, key.public) for key in allowed])
    except NoteInvalid as error:
        raise CheckpointInvalid(f"{where}: {_outside_window(error, signatures, keys, allowed, log, size)}") from None
    if size > entries:
        raise CheckpointInvalid(f"{where}: size {size} is more than the {entries} entries exported", entries)
    return Checkpoint(found.line_number, size, root, note.verified_by)


def _outside_window(
    error: NoteInvalid,
    signatures: Sequence[NoteSignature],
    keys: Sequence[SigningKey],
    allowed: Sequence[SigningKey],
    log: str,
    size: int,
) -> str:
    """The reason a note did not open: when it is signed only by a key of the log that may not sign a checkpoint of
    this size (retired before it, or authorised after it), say so rather than call the key unknown."""
    signed = {(signature.name, signature.key_hash) for signature in signatures}
    for key in keys:
        if key not in allowed and (log, NoteVerifier.for_ed25519(log, key.public).key_hash) in signed:
            return (f"signed by key {key.id} ({key.window()}, authorised at seq {key.authorised_at}), which may not "
                    f"sign a checkpoint of size {size}")
    return error.message


def verify_checkpoints(
    found: Sequence[CheckpointNote],
    log: str,
    keys: Sequence[SigningKey],
    entries: int,
    roots_at: Callable[[set[int]], dict[int, bytes]],
) -> list[Checkpoint]:
    """Every checkpoint, verified in file order; raises the first CheckpointInvalid.

    `roots_at(sizes)` gives the Merkle tree hash of the first `size` exported entries for each size asked for.
    """
    opened: list[Checkpoint | CheckpointInvalid] = []
    for note in found:
        try:
            opened.append(open_checkpoint(note, log, keys, entries))
        except CheckpointInvalid as error:
            opened.append(error)
    checkpoints = [item for item in opened if isinstance(item, Checkpoint)]
    roots = roots_at({checkpoint.size for checkpoint in checkpoints})
    for item in opened:
        if isinstance(item, CheckpointInvalid):
            raise item
        if roots[item.size] != item.root:
            raise CheckpointInvalid(
                f"checkpoint on line {item.line_number}: its root hash is not the Merkle tree hash of the first "
                f"{item.size} entries"
            )
    if not any(checkpoint.size == entries for checkpoint in checkpoints):
        raise CheckpointInvalid(
            f"no checkpoint covers all {entries} entries: entries cut off the end of the log would go unnoticed"
        )
    return checkpoints
