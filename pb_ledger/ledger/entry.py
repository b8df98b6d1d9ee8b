"""Sealing an entry: its canonical bytes, its hash, its signature (docs/log-format.md §2–§3)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pb_ledger.ledger.canonical import canonical_json
from pb_ledger.ledger.keys import KeyRing

FORMAT_VERSION = 1
SIGNING_DOMAIN = b"pb-ledger/entry/v1\n"
GENESIS_PREV = "0" * 64
GENESIS_TYPE = "LogCreated"


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


@dataclass(frozen=True)
class ChainWriter:
    """Turns an event body into the next signed entry of one log."""

    log_id: str
    keys: KeyRing

    def seal(self, body: dict[str, Any], seq: int, prev_hash: str) -> SealedEntry:
        self._check_genesis_rule(body["type"], seq)
        signer = self.keys.root if seq == 0 else self.keys.service
        entry = canonical_json(
            {**body, "v": FORMAT_VERSION, "log": self.log_id, "seq": seq, "prev": prev_hash, "key": signer.id}
        )
        return SealedEntry(
            seq=seq,
            prev_hash=prev_hash,
            entry_hash=entry_hash(entry),
            entry=entry,
            sig=signer.sign(SIGNING_DOMAIN + entry),
            type=body["type"],
            cycle=body.get("cycle"),
        )

    def seal_all(self, states: list[bytes], next_seq: int, head_hash: str) -> list[SealedEntry]:
        sealed = []
        for state in states:
            entry = self.seal(json.loads(state), next_seq, head_hash)
            sealed.append(entry)
            next_seq, head_hash = next_seq + 1, entry.entry_hash
        return sealed

    @staticmethod
    def _check_genesis_rule(event_type: str, seq: int) -> None:
        if seq == 0 and event_type != GENESIS_TYPE:
            raise ChainRefused(f"the first entry of a log must be {GENESIS_TYPE}, not {event_type}")
        if seq != 0 and event_type == GENESIS_TYPE:
            raise ChainRefused(f"{GENESIS_TYPE} may only be entry 0")
