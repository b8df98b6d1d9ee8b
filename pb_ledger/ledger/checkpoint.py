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


TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1"


def entry_line(entry: bytes, sig: bytes) -> bytes:
    """An entry line of the export file (docs/log-format.md §4), with its line feed."""
    return b'{"sig":"' + base64.b64encode(sig) + b'","entry":' + entry + b"}\n"


def receipt_text(index: int, hashes: list[bytes], note: str, entry_lines: list[bytes]) -> str:
    """A receipt (docs/log-format.md §12): a c2sp.org/tlog-proof whose extra data is the export lines of the genesis
    entry and of entry `index` (only the genesis line when `index` is 0)."""
    extra = base64.b64encode(b"".join(entry_lines)).decode()
    proof = "".join(f"{base64.b64encode(h).decode()}\n" for h in hashes)
    return f"{TLOG_PROOF_HEADER}\nextra {extra}\nindex {index}\n{proof}\n{note}"
