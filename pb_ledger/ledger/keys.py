"""Ed25519 keys of a log: generated on first use into owner-only files, never logged."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field
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


class RootKeyOffline(RuntimeError):
    code = "root_key_offline"


@dataclass(frozen=True)
class OfflineRoot:
    """The council's root key when its private half is kept off the server (docs/operations.md): its public key,
    from the log's genesis, for what reads it; signing (key entries only) asks for the key file."""

    public: bytes
    role: str = "root"

    @property
    def public_raw(self) -> bytes:
        return self.public

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public).decode()

    @property
    def id(self) -> str:
        return key_id(self.public)

    def sign(self, message: bytes) -> bytes:
        raise RootKeyOffline("this needs the council's root key, which is not on this server: run the command with "
                             "--root-key FILE (the root.key kept offline)")


@dataclass(frozen=True)
class KeyRing:
    """The root (council) key of one log, the service key its genesis authorised (`service.key`), and the service
    keys authorised later by key entries (`service-<key id>.key`, docs/log-format.md §3.1), found in `directory`."""

    root: Signer | OfflineRoot
    service: Signer
    directory: Path | None = None
    later: dict[str, Signer] = field(default_factory=dict, compare=False)

    def public_pem(self) -> bytes:
        return Ed25519PublicKey.from_public_bytes(self.root.public_raw).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def signer(self, key_id: str) -> Signer | None:
        """The private service key with id `key_id`; the folder is read again on a miss, since another process
        (`pb-ledger keys rotate`) may have written it since this one started."""
        if key_id == self.service.id:
            return self.service
        if key_id not in self.later and self.directory is not None:
            self.later.update(_later_service_keys(self.directory))
        return self.later.get(key_id)


SERVICE_KEY_PATTERN = "service-*.key"


def service_key_path(directory: Path, key_id: str) -> Path:
    return directory / f"service-{key_id}.key"


def _later_service_keys(directory: Path) -> dict[str, Signer]:
    found = {}
    for path in sorted(directory.glob(SERVICE_KEY_PATTERN)):
        signer = Signer("service", _load(path))
        expected = service_key_path(directory, signer.id)
        if path != expected:
            raise KeyFileError(f"{path} holds key {signer.id}: its name must be {expected.name}")
        found[signer.id] = signer
    return found


def create_service_key(directory: Path) -> Signer:
    """A new service key written owner-only to `service-<key id>.key` in `directory` (never logged, never shown)."""
    _make_private_dir(directory)
    key = Ed25519PrivateKey.generate()
    signer = Signer("service", key)
    _write_new(service_key_path(directory, signer.id), key)
    return signer


class KeyFileError(RuntimeError):
    """A key file that exists but cannot be used (wrong permissions, not an Ed25519 key)."""

    code = "unusable_key_file"


KEY_FILES = ("root.key", "service.key")


def key_files_present(directory: Path) -> tuple[bool, ...]:
    return tuple((directory / name).exists() for name in KEY_FILES)


def load_keyring(directory: Path, root_public: bytes | None = None, root_file: Path | None = None) -> KeyRing:
    """The keys of an existing log; raises KeyFileError when a file is missing or unusable. The root key is read
    from `root_file` when given, else from the folder's root.key; without either, and given the log's
    `root_public`, the root key is offline: everything but the key entries works."""
    missing = [name for name, present in zip(KEY_FILES, key_files_present(directory)) if not present]
    root_offline = "root.key" in missing and root_file is None
    if "service.key" in missing or (root_offline and root_public is None):
        raise KeyFileError(f"{directory / missing[-1]} is missing: restore the log's key files from their backup "
                           "(a new key would not be authorised by the log)")
    root: Signer | OfflineRoot
    if root_file is not None:
        root = Signer("root", _load(root_file))
    elif root_offline:
        assert root_public is not None
        root = OfflineRoot(root_public)
    else:
        root = Signer("root", _load(directory / "root.key"))
    return KeyRing(root=root, service=Signer("service", _load(directory / "service.key")), directory=directory)


def create_keyring(directory: Path) -> KeyRing:
    """New keys for a new log, written 0600 into `directory` (0700). If another process wrote them first (two
    processes creating the same log at once), theirs are used: the first writer wins, atomically."""
    _make_private_dir(directory)
    return KeyRing(root=Signer("root", _create(directory / "root.key")),
                   service=Signer("service", _create(directory / "service.key")), directory=directory)


def _make_private_dir(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)


def _create(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        return _load(path)
    key = Ed25519PrivateKey.generate()
    try:
        _write_new(path, key)
    except FileExistsError:
        return _load(path)
    return key


def _write_new(path: Path, key: Ed25519PrivateKey) -> None:
    """Write `key` as PEM to `path` (0600); raises FileExistsError when the file is already there."""
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    try:
        os.link(tmp, path)  # atomic: never a half-written key file, and the first writer wins
    finally:
        tmp.unlink()


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
