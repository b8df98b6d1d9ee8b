"""Sealing an entry: its canonical bytes, its hash, its signature (docs/log-format.md §2–§3)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from pb_ledger.ledger.canonical import canonical_json
from pb_ledger.ledger.key_schedule import GENESIS_TYPE, KEY_TYPES, KeySchedule, NoServiceKey
from pb_ledger.ledger.keys import KeyRing, Signer

FORMAT_VERSION = 1
SIGNING_DOMAIN = b"pb-ledger/entry/v1\n"
GENESIS_PREV = "0" * 64


class ChainRefused(RuntimeError):
    """The recorder refuses to write an entry that would break the format (never a user error)."""


@dataclass(frozen=True)
class SealedEntry:
    seq: int
    prev_hash: str
    entry_hash: str
    entry: bytes
    sig: bytes
    type: str
    cycle: str | None


def entry_hash(entry: bytes) -> str:
    return hashlib.sha256(entry).hexdigest()


@dataclass
class ChainWriter:
    """Turns an event body into the next signed entry of one log.

    `schedule` is the log's key schedule as of the last key entry committed; the recorder refreshes it inside each
    append transaction (another process may have rotated a key) and seals a batch on a copy of it, so that a batch
    that is rolled back leaves it untouched."""

    log_id: str
    keys: KeyRing
    schedule: KeySchedule = field(default_factory=KeySchedule)

    def seal(self, body: dict[str, Any], seq: int, prev_hash: str, schedule: KeySchedule | None = None) -> SealedEntry:
        schedule = self.schedule if schedule is None else schedule
        event_type = body["type"]
        self._check_genesis_rule(event_type, seq)
        if event_type in KEY_TYPES:
            body = {**body, "payload": schedule.complete(event_type, body["payload"], seq)}
        signer = self.signer_for(event_type, seq, schedule)
        entry = canonical_json(
            {**body, "v": FORMAT_VERSION, "log": self.log_id, "seq": seq, "prev": prev_hash, "key": signer.id}
        )
        schedule.apply(event_type, body["payload"], seq)
        return SealedEntry(
            seq=seq,
            prev_hash=prev_hash,
            entry_hash=entry_hash(entry),
            entry=entry,
            sig=signer.sign(SIGNING_DOMAIN + entry),
            type=event_type,
            cycle=body.get("cycle"),
        )

    def signer_for(self, event_type: str, seq: int, schedule: KeySchedule) -> Signer:
        """The root key for the genesis and the key entries; otherwise the most recently authorised service key
        valid at `seq` whose private key this process holds (docs/log-format.md §3)."""
        if seq == 0 or event_type in KEY_TYPES:
            return self.keys.root
        for window in schedule.signing_keys(seq):
            signer = self.keys.signer(window.id)
            if signer is not None:
                return signer
        valid = ", ".join(k.id for k in schedule.signing_keys(seq)) or "none"
        raise NoServiceKey(f"no service key of log {self.log_id!r} valid at seq {seq} is in the keys folder "
                           f"(keys valid there: {valid}): restore its file, or authorise a new key")

    def checkpoint_signer(self, size: int, schedule: KeySchedule) -> Signer:
        """A key that may sign a checkpoint of `size` entries (§7): the most recently authorised service key allowed
        whose private key this process holds, else the root key."""
        for window in schedule.checkpoint_keys(size):
            signer = self.keys.signer(window.id)
            if signer is not None:
                return signer
        return self.keys.root

    def seal_all(self, states: list[bytes], next_seq: int, head_hash: str,
                 schedule: KeySchedule | None = None) -> list[SealedEntry]:
        schedule = self.schedule.copy() if schedule is None else schedule
        sealed = []
        for state in states:
            entry = self.seal(json.loads(state), next_seq, head_hash, schedule)
            sealed.append(entry)
            next_seq, head_hash = next_seq + 1, entry.entry_hash
        return sealed

    @staticmethod
    def _check_genesis_rule(event_type: str, seq: int) -> None:
        if seq == 0 and event_type != GENESIS_TYPE:
            raise ChainRefused(f"the first entry of a log must be {GENESIS_TYPE}, not {event_type}")
        if seq != 0 and event_type == GENESIS_TYPE:
            raise ChainRefused(f"{GENESIS_TYPE} may only be entry 0")
