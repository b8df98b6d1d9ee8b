"""The fields of one entry (log-format §2), read from its entry bytes and checked for shape."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from verifier.errors import ExportMalformed
from verifier.fields import Fields
from verifier.strict_json import JsonRejected, parse_json_object

FORMAT_VERSION = 1
ZERO_HASH = "0" * 64
ENTRY_MEMBERS = frozenset(["v", "log", "seq", "prev", "type", "cycle", "time", "actor", "key", "payload"])
ACTOR_MEMBERS = frozenset(["role", "ref"])
HASH_HEX = re.compile(r"[0-9a-f]{64}")
KEY_ID = re.compile(r"[0-9a-f]{16}")
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


@dataclass(frozen=True)
class Entry:
    """An entry's members; `payload` is the event's data, not yet interpreted."""

    log: str
    seq: int
    prev: str
    type: str
    cycle: str | None
    time: str
    actor_role: str
    actor_ref: str
    key: str
    payload: dict[str, object]


def entry_hash(entry_bytes: bytes) -> str:
    """The entry hash: lowercase hex SHA-256 of the entry bytes."""
    return hashlib.sha256(entry_bytes).hexdigest()


def parse_entry(entry_bytes: bytes, position: int) -> Entry:
    """The entry encoded by `entry_bytes`, found at `position`; raises ExportMalformed when it is not in §2's shape."""
    try:
        value = parse_json_object(entry_bytes)
    except JsonRejected as error:
        raise ExportMalformed(f"the entry is not a JSON object of log-format §2: {error}", position) from None
    fields = Fields(value, "entry", ExportMalformed, position)
    fields.exactly(ENTRY_MEMBERS)
    fields.integer("v")
    if fields.members["v"] != FORMAT_VERSION:
        raise fields.fail(f"entry.v is {fields.members['v']}, this verifier reads version {FORMAT_VERSION}")
    actor = fields.nested("actor")
    actor.exactly(ACTOR_MEMBERS)
    payload = fields.nested("payload")
    return Entry(
        log=fields.text("log"),
        seq=fields.integer("seq"),
        prev=_matching(fields, "prev", HASH_HEX, "64 lowercase hex characters"),
        type=fields.text("type"),
        cycle=fields.optional_text("cycle"),
        time=_matching(fields, "time", TIME, "an RFC 3339 UTC time with six fractional digits"),
        actor_role=actor.text("role"),
        actor_ref=actor.text("ref"),
        key=_matching(fields, "key", KEY_ID, "a key id of 16 lowercase hex characters"),
        payload=payload.members,
    )


def _matching(fields: Fields, name: str, pattern: re.Pattern[str], meaning: str) -> str:
    value = fields.text(name)
    if pattern.fullmatch(value) is None:
        raise fields.fail(f"entry.{name} {value!r} is not {meaning}")
    return value
