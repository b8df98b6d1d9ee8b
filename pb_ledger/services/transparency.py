"""The transparency layer over one log: its signed checkpoints, inclusion and consistency proofs, receipts, and the
witnesses who cosign its checkpoints (docs/log-format.md §7, §10 to §12, §14). The API and the CLI both go through
here."""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from dataclasses import dataclass
from typing import Any

import structlog
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.text import SENTENCE, clean_text
from pb_ledger.ledger.checkpoint import (
    COSIGNATURE_KEY_TYPE,
    cosignature_key_hash,
    cosigned_message,
    entry_line,
    is_key_name,
    note_text,
    parse_cosignature,
    witness_vkey,
)
from pb_ledger.ledger.merkle import ConsistencyProof, InclusionProof
from pb_ledger.ledger.recorder import CheckpointRow, CosignatureRow
from pb_ledger.ledger.store import Ledger
from pb_ledger.services.repository import Actor, run_log_level

log = structlog.get_logger()
WITNESS_ADDED, WITNESS_REMOVED = "WitnessAdded", "WitnessRemoved"
SERVICE: Actor = ("service", "")
MAX_CLOCK_SKEW = 600  # seconds: a cosignature from further in the future than this is refused
VKEY = re.compile(r"([^+\s]+)\+([0-9a-f]{8})\+(\S+)")  # c2sp.org/signed-note verifier key


@dataclass(frozen=True)
class Witness:
    """A witness the log accepts cosignatures from (a `WitnessAdded` entry not followed by its `WitnessRemoved`)."""

    name: str
    key: str  # base64 of the raw 32-byte Ed25519 public key
    added_at: int

    @property
    def public_raw(self) -> bytes:
        return base64.b64decode(self.key)

    @property
    def key_hash(self) -> bytes:
        return cosignature_key_hash(self.name, self.public_raw)

    @property
    def vkey(self) -> str:
        return witness_vkey(self.name, self.public_raw)


@dataclass(frozen=True)
class PublishedCheckpoint:
    """A stored checkpoint as published: its signed note followed by the witnesses' cosignatures."""

    stored: CheckpointRow
    note: str
    cosigned_by: list[str]

    @property
    def size(self) -> int:
        return self.stored.size

    @property
    def root(self) -> bytes:
        return self.stored.root

    @property
    def root_b64(self) -> str:
        return base64.b64encode(self.stored.root).decode()


class TransparencyService:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    # --- checkpoints ----------------------------------------------------------------------------------------------
    def latest(self) -> PublishedCheckpoint:
        """The checkpoint over every entry of the log (signed now if the log grew since the last one)."""
        return self._published(self.ledger.checkpoint())

    def at(self, size: int) -> PublishedCheckpoint:
        """The checkpoint of `size` entries the service signed; DomainError `no_checkpoint` when there is none."""
        found = self.ledger.checkpoint_at(size)
        if found is None:
            raise DomainError("no_checkpoint", f"the service signed no checkpoint of size {size} "
                              "(the list of checkpoints gives the sizes it signed)")
        return self._published(found)

    def results_checkpoint(self, cycle: str) -> tuple[PublishedCheckpoint, PublishedCheckpoint | None] | None:
        """The checkpoint a cycle's `ResultsAnnounced` names (the tree the count was made from), as published, and
        the first checkpoint from it on that a witness cosigned (itself, or a later one a consistency proof ties to
        it); None before the results or when the announcement names none."""
        for row in self.ledger.iter_cycle_entries(cycle, "ResultsAnnounced"):
            named = _payload(row.entry).get("checkpoint")
            stored = None if named is None else self.ledger.checkpoint_at(int(named["size"]))
            if stored is None:
                return None
            cosigned = self.ledger.recorder.first_cosigned(self.ledger.log_id, stored.size)
            return self._published(stored), None if cosigned is None else self.at(cosigned)
        return None

    def checkpoints(self, min_size: int = 1, limit: int = 100) -> list[CheckpointRow]:
        """The stored checkpoints from `min_size` on, in increasing size (without their cosignatures)."""
        return self.ledger.checkpoints(min_size, None, limit)

    def _published(self, row: CheckpointRow) -> PublishedCheckpoint:
        cosignatures = self.ledger.cosignatures(row.size)
        note = row.note + "".join(c.line + "\n" for c in cosignatures)
        return PublishedCheckpoint(row, note, [c.witness for c in cosignatures])

    # --- proofs and receipts --------------------------------------------------------------------------------------
    def inclusion(self, seq: int, size: int | None = None) -> InclusionProof:
        return self.ledger.inclusion_proof(seq, size)

    def consistency(self, old_size: int, new_size: int | None = None) -> ConsistencyProof:
        return self.ledger.consistency_proof(old_size, new_size)

    def receipt(self, seq: int) -> str:
        return self.ledger.receipt(seq)

    def key_history(self) -> bytes:
        """The export lines (§4) of the genesis and of every key entry, in seq order: what a witness or an auditor
        needs, with the root public key, to know which key may sign which checkpoint."""
        return b"".join(entry_line(row.entry, row.sig) for row in self.ledger.key_entries())

    # --- witnesses ------------------------------------------------------------------------------------------------
    def witnesses(self) -> list[Witness]:
        found: dict[str, Witness] = {}
        for row in self.ledger.log_level_entries((WITNESS_ADDED, WITNESS_REMOVED)):
            payload = _payload(row.entry)
            if row.type == WITNESS_ADDED:
                found[payload["name"]] = Witness(payload["name"], payload["key"], row.seq)
            else:
                found.pop(payload["name"], None)
        return sorted(found.values(), key=lambda w: w.name)

    def add_witness(self, name: str, key: str, reason: str = "") -> Witness:
        """Accept cosignatures from witness `name` with Ed25519 public key `key` (its verifier key
        `name+hash+base64(0x04 || key)`, or the raw key in base64): appends a `WitnessAdded` entry."""
        public = _witness_key(name, key)
        reason = clean_text(reason, "reason", SENTENCE, required=False) or ""

        def decide() -> list[tuple[str, dict[str, Any]]]:
            if any(w.name == name for w in self.witnesses()):
                raise DomainError("witness_already_added", f"witness {name!r} is already configured: remove it "
                                  "first to change its key")
            return [(WITNESS_ADDED, {"name": name, "key": base64.b64encode(public).decode(), "reason": reason})]

        [(seq, _)] = run_log_level(self.ledger, decide, SERVICE)
        log.info("witness_added", witness=name, seq=seq)
        return Witness(name, base64.b64encode(public).decode(), seq)

    def remove_witness(self, name: str, reason: str) -> int:
        """Stop accepting cosignatures from witness `name` (those already published stay); returns the entry's seq."""
        cleaned = clean_text(reason, "reason", SENTENCE, required=False)
        if cleaned is None:
            raise DomainError("witness_reason_required", "removing a witness needs a public reason (--reason)")

        def decide() -> list[tuple[str, dict[str, Any]]]:
            self._witness(name)
            return [(WITNESS_REMOVED, {"name": name, "reason": cleaned})]

        [(seq, _)] = run_log_level(self.ledger, decide, SERVICE)
        log.info("witness_removed", witness=name, seq=seq)
        return seq

    def _witness(self, name: str) -> Witness:
        for witness in self.witnesses():
            if witness.name == name:
                return witness
        raise DomainError("unknown_witness", f"no witness named {name!r} is configured for log "
                          f"{self.ledger.log_id!r}")

    def add_cosignature(self, size: int, line: str) -> PublishedCheckpoint:
        """Check a witness's cosignature of checkpoint `size` (c2sp.org/tlog-cosignature) and publish it with the
        checkpoint; a later cosignature by the same witness key replaces an earlier one."""
        try:
            name, key_hash, timestamp, signature = parse_cosignature(line)
        except ValueError as e:
            raise DomainError("cosignature_malformed", str(e)) from None
        witness = self._witness(name)
        if witness.key_hash != key_hash:
            raise DomainError("unknown_witness", f"the cosignature names key {key_hash.hex()} of witness {name!r}; "
                              f"the log knows its key {witness.key_hash.hex()}")
        checkpoint = self.at(size)
        if timestamp > time.time() + MAX_CLOCK_SKEW:
            raise DomainError("cosignature_invalid", f"the cosignature is dated {timestamp}, in the future")
        message = cosigned_message(note_text(checkpoint.note), timestamp)
        try:
            Ed25519PublicKey.from_public_bytes(witness.public_raw).verify(signature, message)
        except InvalidSignature:
            raise DomainError("cosignature_invalid", f"the cosignature by {name!r} does not verify over checkpoint "
                              f"{size}") from None
        self.ledger.recorder.save_cosignature(self.ledger.log_id, size, CosignatureRow(
            name, key_hash.hex(), timestamp, line.removesuffix("\n")))
        log.info("checkpoint_cosigned", witness=name, size=size)
        return self.at(size)


def _payload(entry: bytes) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(entry)["payload"]
    return payload


def _witness_key(name: str, key: str) -> bytes:
    """The raw public key of witness `name` from its verifier key or its base64 key; DomainError otherwise."""
    if not is_key_name(name):
        raise DomainError("invalid_witness_name", f"{name!r} is not a witness name: no spaces and no '+' (a "
                          "schema-less URL such as witness.example.org/w1)")
    text = key.strip()
    vkey = VKEY.fullmatch(text)
    if vkey is not None:
        vkey_name, hash_hex, encoded = vkey.groups()
        if vkey_name != name:
            raise DomainError("invalid_witness_key", f"the verifier key is for witness {vkey_name!r}, not {name!r}")
        raw = _decode(encoded)
        if raw is None or raw[:1] != COSIGNATURE_KEY_TYPE or len(raw) != 33:
            raise DomainError("invalid_witness_key", "the verifier key does not hold an Ed25519 cosignature key "
                              "(type 0x04, 32 bytes)")
        if cosignature_key_hash(vkey_name, raw[1:]).hex() != hash_hex:
            raise DomainError("invalid_witness_key", "the verifier key's hash does not match its name and key")
        public = raw[1:]
    else:
        decoded = _decode(text)
        if decoded is None or len(decoded) != 32:
            raise DomainError("invalid_witness_key", f"give the witness's verifier key ({name}+<hash>+<key>) or "
                              "its 32-byte Ed25519 public key in base64")
        public = decoded
    try:
        Ed25519PublicKey.from_public_bytes(public)
    except ValueError:
        raise DomainError("invalid_witness_key", "not an Ed25519 public key") from None
    return public


def _decode(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
