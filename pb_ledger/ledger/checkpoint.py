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


# --- witnesses' cosignatures (c2sp.org/tlog-cosignature, Ed25519, `cosignature/v1`; docs/log-format.md §14) ---------
COSIGNATURE_KEY_TYPE = b"\x04"
COSIGNATURE_BYTES = 4 + 8 + 64  # key hash, big-endian timestamp, Ed25519 signature


class CosignatureError(ValueError):
    """A cosignature line that is not in the shape of c2sp.org/tlog-cosignature."""

    code = "cosignature_malformed"


def is_key_name(name: str) -> bool:
    """A signed-note key name: not empty, no white space, no '+' (c2sp.org/signed-note)."""
    return bool(name) and len(name) <= 255 and "+" not in name and not any(c.isspace() for c in name)


def cosignature_key_hash(name: str, public_raw: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + COSIGNATURE_KEY_TYPE + public_raw).digest()[:4]


def witness_vkey(name: str, public_raw: bytes) -> str:
    """The witness's verifier key: `<name>+<key hash hex>+<base64(0x04 || public key)>`."""
    key = base64.b64encode(COSIGNATURE_KEY_TYPE + public_raw).decode()
    return f"{name}+{cosignature_key_hash(name, public_raw).hex()}+{key}"


def cosigned_message(note_text: str, timestamp: int) -> bytes:
    """What a witness signs: `cosignature/v1`, `time <timestamp>`, then the checkpoint's three lines."""
    return f"cosignature/v1\ntime {timestamp}\n".encode() + note_text.encode()


def note_text(note: str) -> str:
    """The signed text of a note: everything before its blank line, with the final line feed."""
    return note[: note.index("\n\n") + 1]


def parse_cosignature(line: str) -> tuple[str, bytes, int, bytes]:
    """(witness name, key hash, timestamp, signature) of one cosignature line `— <name> <base64>`."""
    prefix = "\u2014 "
    name, _, encoded = line.removesuffix("\n")[len(prefix):].partition(" ")
    if not line.startswith(prefix) or not is_key_name(name) or "\n" in line.removesuffix("\n"):
        raise CosignatureError("a cosignature is one line '\u2014 <witness name> <base64>'")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except ValueError:
        raise CosignatureError("the cosignature is not base64") from None
    if base64.b64encode(blob).decode() != encoded or len(blob) != COSIGNATURE_BYTES:
        raise CosignatureError(f"the cosignature is not {COSIGNATURE_BYTES} bytes in canonical base64 (key hash, "
                               "timestamp, Ed25519 signature)")
    return name, blob[:4], int.from_bytes(blob[4:12], "big"), blob[12:]

