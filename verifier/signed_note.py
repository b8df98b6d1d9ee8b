"""C2SP signed notes with Ed25519 signatures (c2sp.org/signed-note), as golang.org/x/mod/sumdb/note opens them.

A note is UTF-8 text ending in a line feed, one blank line, then signature lines `— <name> <base64(key hash ||
signature)>`. A signature line whose name and key hash match no known verifier is ignored; one that matches a known
verifier must verify; at least one must verify.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verifier.encoding import decode_base64
from verifier.errors import NoteInvalid
from verifier.keys import ed25519_verifies

SIGNATURE_PREFIX = "\u2014 "
ED25519_TYPE = b"\x01"
MAX_SIGNATURES = 100
KEY_HASH_HEX = re.compile(r"[0-9a-f]{8}")


def is_key_name(name: str) -> bool:
    """A key name is non-empty and holds no white space and no '+'."""
    return bool(name) and "+" not in name and not any(char.isspace() for char in name)


def key_hash(name: str, public: bytes) -> bytes:
    """The 4-byte key hash of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519_TYPE + public).digest()[:4]


@dataclass(frozen=True)
class NoteVerifier:
    """An Ed25519 key that may sign notes under `name`."""

    name: str
    key_hash: bytes
    public_key: Ed25519PublicKey

    @classmethod
    def for_ed25519(cls, name: str, public: bytes) -> NoteVerifier:
        return cls(name, key_hash(name, public), Ed25519PublicKey.from_public_bytes(public))

    def verify(self, text: bytes, signature: bytes) -> None:
        """Raise NoteInvalid unless `signature` is this key's signature of `text`."""
        if not ed25519_verifies(self.public_key, text, signature):
            raise NoteInvalid(f"the signature by {self.name}+{self.key_hash.hex()} does not verify")


def parse_verifier_key(vkey: str) -> NoteVerifier:
    """The verifier of a verifier key `<name>+<key hash hex>+<base64(0x01 || public key)>`; raises NoteInvalid."""
    name, _, rest = vkey.partition("+")
    hash_hex, _, key_text = rest.partition("+")
    key = decode_base64(key_text)
    if not is_key_name(name) or KEY_HASH_HEX.fullmatch(hash_hex) is None or not key:
        raise NoteInvalid(f"malformed verifier key {vkey!r}")
    if key[:1] != ED25519_TYPE:
        raise NoteInvalid(f"verifier key {vkey!r} has unknown signature type {key[0]:#04x}")
    if len(key) != 33:
        raise NoteInvalid(f"verifier key {vkey!r} does not hold a 32-byte Ed25519 key")
    verifier = NoteVerifier.for_ed25519(name, key[1:])
    if verifier.key_hash.hex() != hash_hex:
        raise NoteInvalid(f"verifier key {vkey!r} has key hash {hash_hex}, its key gives {verifier.key_hash.hex()}")
    return verifier


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_hash: bytes
    signature: bytes


@dataclass(frozen=True)
class Note:
    """A note whose signatures have been checked: its text and the names of the verifiers whose signature verified."""

    text: str
    verified_by: tuple[str, ...]


def split_note(note: str) -> tuple[str, list[NoteSignature]]:
    """The text of `note` and its signature lines, parsed; raises NoteInvalid when the note is malformed."""
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:
        raise NoteInvalid("the note is not valid Unicode text") from None
    if any(ord(char) < 0x20 and char != "\n" for char in note):
        raise NoteInvalid("the note holds a control character")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteInvalid("the note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise NoteInvalid("the note's signature block does not end with a line feed")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteInvalid(f"the note has more than {MAX_SIGNATURES} signature lines")
    return text, [_signature_line(line) for line in lines]


def _signature_line(line: str) -> NoteSignature:
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteInvalid(f"note line {line!r} is not a signature line ('\u2014 name signature')")
    name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    signature = decode_base64(encoded)
    if not is_key_name(name) or signature is None or len(signature) < 5:
        raise NoteInvalid(f"malformed signature line {line!r}")
    return NoteSignature(name, signature[:4], signature[4:])


def open_note(note: str, verifiers: Iterable[NoteVerifier]) -> Note:
    """The note, once at least one known verifier's signature verifies and no known verifier's fails."""
    text, signatures = split_note(note)
    known = {(verifier.name, verifier.key_hash): verifier for verifier in verifiers}
    verified: list[str] = []
    seen: set[tuple[str, bytes]] = set()
    for signature in signatures:
        identity = (signature.name, signature.key_hash)
        verifier = known.get(identity)
        if verifier is None:
            continue
        if identity in seen:
            raise NoteInvalid(f"the note is signed twice by {signature.name}+{signature.key_hash.hex()}")
        seen.add(identity)
        verifier.verify(text.encode("utf-8"), signature.signature)
        verified.append(f"{verifier.name}+{verifier.key_hash.hex()}")
    if not verified:
        raise NoteInvalid("no signature on the note is by a known key")
    return Note(text, tuple(verified))
