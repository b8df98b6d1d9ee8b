"""Ed25519 keys of a log: generated on first use into owner-only files, never logged."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def key_id(public_raw: bytes) -> str:
    """docs/log-format.md §3: first 16 hex characters of SHA-256(raw public key)."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class Signer:
    """A private key with its id; `repr` never shows the key."""

    role: str
    private: Ed25519PrivateKey

    @property
    def public_raw(self) -> bytes:
        return raw_public(self.private.public_key())

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode()

    @property
    def id(self) -> str:
        return key_id(self.public_raw)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def __repr__(self) -> str:
        return f"Signer(role={self.role!r}, id={self.id!r})"


@dataclass(frozen=True)
class KeyRing:
    """The root (council) key and the service key of one log."""

    root: Signer
    service: Signer

    def public_pem(self) -> bytes:
        return self.root.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


class KeyFileError(RuntimeError):
    """A key file that exists but cannot be used (wrong permissions, not an Ed25519 key)."""

    code = "unusable_key_file"


def load_or_create_keyring(directory: Path) -> KeyRing:
    """Keys of one log in `directory` (created 0700); each key file is written 0600 on first use."""
    _make_private_dir(directory)
    return KeyRing(
        root=Signer("root", _load_or_create(directory / "root.key")),
        service=Signer("service", _load_or_create(directory / "service.key")),
    )


def keyring_exists(directory: Path) -> bool:
    return (directory / "root.key").exists() and (directory / "service.key").exists()


def _make_private_dir(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)


def _load_or_create(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        return _load(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    try:
        os.link(tmp, path)  # atomic: never a half-written key file, and the first writer wins
    except FileExistsError:
        return _load(path)
    finally:
        tmp.unlink()
    return key


def _load(path: Path) -> Ed25519PrivateKey:
    if path.stat().st_mode & 0o077:
        raise KeyFileError(f"{path} is readable by others; run: chmod 600 {path}")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} is not an Ed25519 private key")
    return key
