"""Keys and entry signatures (log-format §3): key ids, the keys the genesis authorises, and who may sign which entry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verifier.encoding import decode_base64
from verifier.entry import Entry
from verifier.errors import BadSignature, GenesisInvalid, RootKeyMismatch, UnauthorisedKey, UnknownKey
from verifier.fields import Fields

ENTRY_SIGNING_CONTEXT = b"pb-ledger/entry/v1\n"
GENESIS_TYPE = "LogCreated"
SERVICE_ROLE = "service"


def key_id(public: bytes) -> str:
    """The key id of a raw 32-byte public key: the first 16 lowercase hex characters of its SHA-256."""
    return hashlib.sha256(public).hexdigest()[:16]


@dataclass(frozen=True)
class SigningKey:
    """A key the log authorised: it may sign entries `from_seq <= seq < until_seq` (no end when `until_seq` is None)."""

    id: str
    public: bytes
    role: str
    from_seq: int
    until_seq: int | None
    verifier: Ed25519PublicKey

    def covers(self, seq: int) -> bool:
        return self.from_seq <= seq and (self.until_seq is None or seq < self.until_seq)


def verify_signature(key: SigningKey, entry_bytes: bytes, signature: bytes, seq: int) -> None:
    """Raise BadSignature unless `signature` is `key`'s Ed25519 signature of the entry's signing message."""
    try:
        key.verifier.verify(signature, ENTRY_SIGNING_CONTEXT + entry_bytes)
    except InvalidSignature:
        raise BadSignature(f"the signature does not verify under key {key.id}", seq) from None


class KeyRing:
    """The root key and the signing keys authorised by a verified genesis entry."""

    def __init__(self, root: SigningKey, keys: dict[str, SigningKey]) -> None:
        self.root = root
        self.keys = keys

    @classmethod
    def from_genesis(cls, entry: Entry, entry_bytes: bytes, signature: bytes, trusted_root: bytes) -> KeyRing:
        """The keys of genesis `entry` once it is shown to be a LogCreated signed by the trusted root key."""
        if entry.type != GENESIS_TYPE:
            raise GenesisInvalid(f"entry 0 is of type {entry.type!r}, not {GENESIS_TYPE!r}", 0)
        payload = Fields(entry.payload, "LogCreated payload", GenesisInvalid, 0)
        payload.exactly(["root_key", "keys"])
        root = _root_key(payload.nested("root_key"))
        if root.public != trusted_root:
            raise RootKeyMismatch(
                f"the genesis root key {root.id} is not the trusted root key {key_id(trusted_root)}", 0
            )
        if entry.key != root.id:
            raise GenesisInvalid(f"the genesis names signing key {entry.key}, not the root key {root.id}", 0)
        verify_signature(root, entry_bytes, signature, 0)
        if entry.cycle is not None:
            raise GenesisInvalid("the genesis entry belongs to a cycle; LogCreated is a log-level event", 0)
        return cls(root, _authorised_keys(payload))

    def authorise(self, entry: Entry, seq: int) -> SigningKey:
        """The key that entry `seq` (> 0) names, once it is shown to be a service key valid at `seq`; raises."""
        if entry.type == GENESIS_TYPE:
            raise GenesisInvalid(f"only entry 0 may be of type {GENESIS_TYPE}", seq)
        key = self.keys.get(entry.key)
        if key is None:
            if entry.key == self.root.id:
                raise UnauthorisedKey("the root key signs only the genesis entry", seq)
            raise UnknownKey(f"key {entry.key} is not authorised by the log", seq)
        if key.role != SERVICE_ROLE:
            raise UnauthorisedKey(f"key {key.id} has role {key.role!r}; entries are signed by service keys", seq)
        if not key.covers(seq):
            raise UnauthorisedKey(f"key {key.id} is not valid at seq {seq} ({_validity(key)})", seq)
        return key

    def checkpoint_keys(self) -> list[SigningKey]:
        """The keys that may sign a checkpoint: the root key and every service key (log-format §7)."""
        return [self.root] + [key for key in self.keys.values() if key.role == SERVICE_ROLE]


def _validity(key: SigningKey) -> str:
    until = "" if key.until_seq is None else f" until seq {key.until_seq}"
    return f"authorised from seq {key.from_seq}{until}"


def _public_key(fields: Fields) -> tuple[str, bytes, Ed25519PublicKey]:
    identifier = fields.text("id")
    public = decode_base64(fields.text("public"))
    if public is None or len(public) != 32:
        raise fields.fail(f"{fields.what}.public is not a 32-byte key in canonical base64")
    if identifier != key_id(public):
        raise fields.fail(f"{fields.what}.id {identifier!r} is not the key id of its public key ({key_id(public)})")
    try:
        verifier = Ed25519PublicKey.from_public_bytes(public)
    except ValueError:
        raise fields.fail(f"{fields.what}.public is not an Ed25519 public key") from None
    return identifier, public, verifier


def _root_key(fields: Fields) -> SigningKey:
    fields.exactly(["id", "public"])
    identifier, public, verifier = _public_key(fields)
    return SigningKey(identifier, public, "root", 0, 1, verifier)


def _authorised_keys(payload: Fields) -> dict[str, SigningKey]:
    entries = payload.members["keys"]
    if not isinstance(entries, list):
        raise payload.fail("LogCreated payload.keys is not a list")
    keys: dict[str, SigningKey] = {}
    for index, value in enumerate(entries):
        key = _signing_key(Fields(value, f"LogCreated payload.keys[{index}]", GenesisInvalid, 0))
        if key.id in keys:
            raise GenesisInvalid(f"key {key.id} is authorised twice", 0)
        keys[key.id] = key
    return keys


def _signing_key(fields: Fields) -> SigningKey:
    fields.exactly(["id", "public", "role", "from_seq"], optional=["until_seq"])
    identifier, public, verifier = _public_key(fields)
    from_seq = fields.integer("from_seq", minimum=1)
    until_seq = fields.optional_integer("until_seq", minimum=from_seq + 1) if fields.has("until_seq") else None
    return SigningKey(identifier, public, fields.text("role"), from_seq, until_seq, verifier)
