"""The trusted root key, which the auditor passes to the verifier out of band (never fetched from the log's server).

Accepted files: a PEM SubjectPublicKeyInfo Ed25519 public key, or just the raw 32-byte key in base64 or hex.
"""

from __future__ import annotations

import re
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key

from verifier.encoding import decode_base64

HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")


class KeyFileError(Exception):
    """The root key file cannot be read or holds no Ed25519 public key (a usage error, not a verification failure)."""


def load_root_key(path: Path) -> bytes:
    """The raw 32-byte Ed25519 public key held in the file at `path`; raises KeyFileError."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KeyFileError(f"cannot read root key file {path}: {error.strerror or error}") from None
    return parse_root_key(data, str(path))


def parse_root_key(data: bytes, source: str) -> bytes:
    """The raw public key in `data` (PEM SubjectPublicKeyInfo, base64 or hex); raises KeyFileError naming `source`."""
    if b"-----BEGIN" in data:
        return _pem_key(data, source)
    try:
        text = data.decode("ascii").strip()
    except UnicodeDecodeError:
        raise KeyFileError(f"{source} is not a PEM, base64 or hex Ed25519 public key") from None
    raw = bytes.fromhex(text) if HEX_KEY.fullmatch(text) else decode_base64(text)
    if raw is None or len(raw) != 32:
        raise KeyFileError(f"{source} is not a PEM, base64 or hex Ed25519 public key (32 bytes)")
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise KeyFileError(f"{source} does not hold a valid Ed25519 public key") from None
    return raw


def _pem_key(data: bytes, source: str) -> bytes:
    if b"PRIVATE KEY-----" in data:
        raise KeyFileError(f"{source} holds a private key; pass the root PUBLIC key")
    try:
        key = load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as error:
        raise KeyFileError(f"{source} is not a readable PEM public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{source} holds a {type(key).__name__}, not an Ed25519 public key")
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)
