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


KEY_FILES = ("root.key", "service.key")


def key_files_present(directory: Path) -> tuple[bool, ...]:
    return tuple((directory / name).exists() for name in KEY_FILES)


def load_keyring(directory: Path) -> KeyRing:
    """The keys of an existing log; raises KeyFileError when a file is missing or unusable."""
    missing = [name for name, present in zip(KEY_FILES, key_files_present(directory)) if not present]
    if missing:
        raise KeyFileError(f"{directory / missing[0]} is missing: restore the log's key files from their backup "
                           "(a new key would not be authorised by the log)")
    return KeyRing(root=Signer("root", _load(directory / "root.key")),
                   service=Signer("service", _load(directory / "service.key")))


def create_keyring(directory: Path) -> KeyRing:
    """New keys for a new log, written 0600 into `directory` (0700). If another process wrote them first (two
    processes creating the same log at once), theirs are used: the first writer wins, atomically."""
    _make_private_dir(directory)
    return KeyRing(root=Signer("root", _create(directory / "root.key")),
                   service=Signer("service", _create(directory / "service.key")))


def _make_private_dir(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)


def _create(path: Path) -> Ed25519PrivateKey:
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
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as e:
        raise KeyFileError(f"{path} is not a PEM private key ({e})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} is not an Ed25519 private key")
    return key
