"""Checkpoints as C2SP signed notes (c2sp.org/tlog-checkpoint, c2sp.org/signed-note); docs/log-format.md §7."""

from __future__ import annotations

import base64
import hashlib

from pb_ledger.ledger.keys import Signer


def note_key_hash(name: str, public_raw: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + b"\x01" + public_raw).digest()[:4]


def checkpoint_text(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign_checkpoint(origin: str, size: int, root: bytes, signer: Signer) -> str:
    text = checkpoint_text(origin, size, root)
    signature = signer.sign(text.encode())
    blob = base64.b64encode(note_key_hash(origin, signer.public_raw) + signature).decode()
    return f"{text}\n\u2014 {origin} {blob}\n"
