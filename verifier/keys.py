"""Keys and entry signatures (log-format §3, §3.1): key ids, Ed25519 verification, the keys the genesis and the key
entries authorise, and who may sign which entry and which checkpoint."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verifier.encoding import decode_base64
from verifier.entry import Entry
from verifier.errors import (
    BadSignature,
    GenesisInvalid,
    RootKeyMismatch,
    UnauthorisedKey,
    UnknownKey,
    VerificationError,
)
from verifier.fields import Fields

ENTRY_SIGNING_CONTEXT = b"pb-ledger/entry/v1\n"
GENESIS_TYPE = "LogCreated"
SERVICE_ROLE = "service"
KEY_AUTHORISED, KEY_ROTATED, KEY_RETIRED = "KeyAuthorised", "KeyRotated", "KeyRetired"
KEY_TYPES = frozenset({KEY_AUTHORISED, KEY_ROTATED, KEY_RETIRED})
# the order of the Ed25519 group (RFC 8032 §5.1): a signature's S must be below it
GROUP_ORDER = 2**252 + 27742317777372353535851937790883648493


class KeyEntryInvalid(VerificationError):
    """A key entry (`KeyAuthorised`, `KeyRotated`, `KeyRetired`) breaks a rule of log-format §3.1."""

    code = "key-entry-invalid"
    check = "V4"


def ed25519_verifies(public_key: Ed25519PublicKey, message: bytes, signature: bytes) -> bool:
    """True exactly when `signature` is a valid RFC 8032 Ed25519 signature of `message` under `public_key`: 64 bytes,
    `S` below the group order (no malleable second form), and the verification equation holds."""
    if len(signature) != 64 or int.from_bytes(signature[32:], "little") >= GROUP_ORDER:
        return False
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


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
    authorised_at: int = 0  # the seq of the entry that authorised it (0: the genesis)

    def covers(self, seq: int) -> bool:
        return self.from_seq <= seq and (self.until_seq is None or seq < self.until_seq)

    def may_sign_checkpoint(self, size: int) -> bool:
        """log-format §7: the root key always; a service key authorised by the genesis or by an entry among the first
        `size` entries and, when it is retired, with `until_seq >= size`."""
        if self.role == "root":
            return True
        return (self.role == SERVICE_ROLE and (self.authorised_at == 0 or self.authorised_at < size)
                and (self.until_seq is None or self.until_seq >= size))

    def window(self) -> str:
        until = "" if self.until_seq is None else f" until seq {self.until_seq}"
        return f"authorised from seq {self.from_seq}{until}"


def verify_signature(key: SigningKey, entry_bytes: bytes, signature: bytes, seq: int) -> None:
    """Raise BadSignature unless `signature` is `key`'s Ed25519 signature of the entry's signing message."""
    if not ed25519_verifies(key.verifier, ENTRY_SIGNING_CONTEXT + entry_bytes, signature):
        raise BadSignature(f"the signature does not verify under key {key.id}", seq)


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
        """The key that entry `seq` (> 0) must verify under; raises when the entry names a key that may not sign it.

        A key entry (§3.1) is signed by the root key, and changes the keys from its position on: it is checked and
        taken into account here, so the entries after it are judged with the keys it authorises or retires."""
        if entry.type == GENESIS_TYPE:
            raise GenesisInvalid(f"only entry 0 may be of type {GENESIS_TYPE}", seq)
        if entry.type in KEY_TYPES:
            if entry.key != self.root.id:
                raise UnauthorisedKey(f"{entry.type} is signed by key {entry.key}; key entries are signed by the "
                                      f"root key {self.root.id}", seq)
            self.apply_key_entry(entry, seq)
            return self.root
        key = self.keys.get(entry.key)
        if key is None:
            if entry.key == self.root.id:
                raise UnauthorisedKey("the root key signs only the genesis and the key entries", seq)
            raise UnknownKey(f"key {entry.key} is not authorised by the log", seq)
        if key.role != SERVICE_ROLE:
            raise UnauthorisedKey(f"key {key.id} has role {key.role!r}; entries are signed by service keys", seq)
        if not key.covers(seq):
            raise UnauthorisedKey(f"key {key.id} is not valid at seq {seq} ({key.window()})", seq)
        return key

    def checkpoint_keys(self) -> list[SigningKey]:
        """Every key that may sign some checkpoint: the root key and every service key; which of them may sign a
        checkpoint of a given size is `SigningKey.may_sign_checkpoint` (log-format §7)."""
        return [self.root] + [key for key in self.keys.values() if key.role == SERVICE_ROLE]

    def apply_key_entry(self, entry: Entry, seq: int) -> None:
        """Check key entry `seq` against log-format §3.1 and apply it; raises KeyEntryInvalid."""
        if entry.cycle is not None:
            raise KeyEntryInvalid(f"{entry.type} belongs to a cycle; key entries are log-level entries", seq)
        payload = Fields(entry.payload, f"{entry.type} payload", KeyEntryInvalid, seq)
        if entry.type == KEY_AUTHORISED:
            payload.exactly(["key", "reason"])
            payload.text("reason")
            self._add(self._new_key(payload.nested("key"), seq))
        elif entry.type == KEY_ROTATED:
            payload.exactly(["old", "new", "reason"])
            _public_reason(payload, entry.type, seq)
            old = self._key_in_use(payload.text("old"), seq)
            new = self._new_key(payload.nested("new"), seq)
            self._retire(old, new.from_seq, seq)
            self._add(new)
        else:
            payload.exactly(["key", "until_seq", "reason"])
            _public_reason(payload, entry.type, seq)
            self._retire(self._key_in_use(payload.text("key"), seq), payload.integer("until_seq"), seq)

    def _new_key(self, fields: Fields, seq: int) -> SigningKey:
        fields.exactly(["id", "public", "role", "from_seq"])
        identifier, public, verifier = _public_key(fields)
        if identifier == self.root.id or identifier in self.keys:
            raise KeyEntryInvalid(f"key {identifier} is already known to the log", seq)
        role = fields.text("role")
        if role != SERVICE_ROLE:
            raise KeyEntryInvalid(f"a key entry authorises service keys, not role {role!r}", seq)
        from_seq = fields.integer("from_seq")
        if from_seq <= seq:
            raise KeyEntryInvalid(f"key {identifier} is authorised from seq {from_seq}, not after the entry", seq)
        return SigningKey(identifier, public, role, from_seq, None, verifier, authorised_at=seq)

    def _key_in_use(self, identifier: str, seq: int) -> SigningKey:
        key = self.keys.get(identifier)
        if key is None:
            raise KeyEntryInvalid(f"key {identifier} is not a service key authorised before seq {seq}", seq)
        if key.until_seq is not None:
            raise KeyEntryInvalid(f"key {identifier} is already retired (until seq {key.until_seq})", seq)
        return key

    def _retire(self, key: SigningKey, until_seq: int, seq: int) -> None:
        if until_seq <= seq or until_seq < key.from_seq:
            raise KeyEntryInvalid(f"key {key.id} cannot be retired from seq {until_seq}: a retirement takes effect "
                                  f"after its entry and not before the key's first seq {key.from_seq}", seq)
        self.keys[key.id] = dataclasses.replace(key, until_seq=until_seq)

    def _add(self, key: SigningKey) -> None:
        self.keys[key.id] = key


def _public_reason(payload: Fields, entry_type: str, seq: int) -> None:
    if not payload.text("reason").strip():
        raise KeyEntryInvalid(f"{entry_type} gives no public reason", seq)


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
