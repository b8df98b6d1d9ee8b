"""Which key signs which entry and which checkpoint (docs/log-format.md §3, §3.1, §7), as the service keeps track.

The schedule is read from the log itself: the genesis and the key entries (`KeyAuthorised`, `KeyRotated`,
`KeyRetired`). The recorder completes a key entry when it seals it — the new key takes effect at the very next entry
(`from_seq = seq + 1`), a retired one stops there (`until_seq = seq + 1`) — because only the recorder knows the
entry's `seq`; and it refuses a key entry that breaks a rule of §3.1 even if the caller checked it before, since
another process may have changed the keys in between.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pb_ledger.ledger.keys import key_id

GENESIS_TYPE = "LogCreated"
KEY_AUTHORISED, KEY_ROTATED, KEY_RETIRED = "KeyAuthorised", "KeyRotated", "KeyRetired"
KEY_TYPES = (KEY_AUTHORISED, KEY_ROTATED, KEY_RETIRED)
SCHEDULE_TYPES = (GENESIS_TYPE, *KEY_TYPES)
SERVICE_ROLE = "service"


class KeyEntryRefused(RuntimeError):
    """A key entry that would break a rule of docs/log-format.md §3.1 at the position it would take."""

    code = "key_entry_refused"


class NoServiceKey(RuntimeError):
    """No service key whose private key this process holds may sign the next entry."""

    code = "no_service_key"


@dataclass
class KeyWindow:
    """A service key the log authorised: it signs entries `from_seq <= seq < until_seq` and checkpoints of the sizes
    §7 allows; `authorised_at` is the seq of the entry that authorised it (0 for the genesis)."""

    id: str
    public: str
    from_seq: int
    until_seq: int | None
    authorised_at: int

    def covers(self, seq: int) -> bool:
        return self.from_seq <= seq and (self.until_seq is None or seq < self.until_seq)

    def may_sign_checkpoint(self, size: int) -> bool:
        authorised_before = self.authorised_at == 0 or self.authorised_at < size
        return authorised_before and (self.until_seq is None or self.until_seq >= size)

    @property
    def retired(self) -> bool:
        return self.until_seq is not None


class KeySchedule:
    """The root key id and every service key's window, from the genesis and key entries applied in seq order."""

    def __init__(self) -> None:
        self.root_id: str | None = None
        self.keys: dict[str, KeyWindow] = {}
        self.last_seq = -1  # the seq of the last genesis or key entry applied

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[int, str, dict[str, Any]]]) -> KeySchedule:
        """The schedule after the (seq, type, payload) of the genesis and the key entries, in seq order."""
        schedule = cls()
        for seq, event_type, payload in entries:
            schedule.apply(event_type, payload, seq)
        return schedule

    def copy(self) -> KeySchedule:
        return copy.deepcopy(self)

    # --- reading ------------------------------------------------------------------------------------------------
    def signing_keys(self, seq: int) -> list[KeyWindow]:
        """The service keys that may sign entry `seq`, the most recently authorised first."""
        return sorted((k for k in self.keys.values() if k.covers(seq)), key=lambda k: -k.authorised_at)

    def checkpoint_keys(self, size: int) -> list[KeyWindow]:
        """The service keys that may sign a checkpoint of `size` entries (§7), the most recently authorised first."""
        return sorted((k for k in self.keys.values() if k.may_sign_checkpoint(size)), key=lambda k: -k.authorised_at)

    def current(self, seq: int) -> list[KeyWindow]:
        """The keys in use from entry `seq` on: valid at `seq` and not retired."""
        return [k for k in self.signing_keys(seq) if not k.retired]

    # --- applying sealed entries --------------------------------------------------------------------------------
    def apply(self, event_type: str, payload: dict[str, Any], seq: int) -> None:
        """Take a sealed genesis or key entry into account (its payload complete, as in the log)."""
        if event_type == GENESIS_TYPE:
            self.root_id = payload["root_key"]["id"]
            for key in payload["keys"]:
                if key["role"] == SERVICE_ROLE:
                    self.keys[key["id"]] = KeyWindow(key["id"], key["public"], key["from_seq"],
                                                     key.get("until_seq"), 0)
        elif event_type == KEY_AUTHORISED:
            self._authorise(payload["key"], seq)
        elif event_type == KEY_ROTATED:
            self.keys[payload["old"]].until_seq = payload["new"]["from_seq"]
            self._authorise(payload["new"], seq)
        elif event_type == KEY_RETIRED:
            self.keys[payload["key"]].until_seq = payload["until_seq"]
        else:
            return
        self.last_seq = seq

    def _authorise(self, key: dict[str, Any], seq: int) -> None:
        self.keys[key["id"]] = KeyWindow(key["id"], key["public"], key["from_seq"], None, seq)

    # --- completing a key entry at sealing time -----------------------------------------------------------------
    def complete(self, event_type: str, payload: dict[str, Any], seq: int) -> dict[str, Any]:
        """The payload of key entry `seq` with its `from_seq` / `until_seq` set to `seq + 1`; raises
        KeyEntryRefused when the entry breaks a rule of §3.1 at `seq`."""
        if self.root_id is None:
            raise KeyEntryRefused("a key entry needs the genesis before it")
        reason = payload.get("reason")
        if not isinstance(reason, str) or (event_type != KEY_AUTHORISED and not reason.strip()):
            raise KeyEntryRefused(f"{event_type} needs a public reason")
        if event_type == KEY_AUTHORISED:
            return {"key": self._new_key(payload["key"], seq), "reason": reason}
        if event_type == KEY_ROTATED:
            self._check_in_use(payload["old"], seq)
            return {"old": payload["old"], "new": self._new_key(payload["new"], seq), "reason": reason}
        self._check_in_use(payload["key"], seq)
        return {"key": payload["key"], "until_seq": seq + 1, "reason": reason}

    def _new_key(self, key: dict[str, Any], seq: int) -> dict[str, Any]:
        public = base64.b64decode(key["public"], validate=True)
        identifier = key_id(public)
        if key.get("id") != identifier or len(public) != 32:
            raise KeyEntryRefused(f"key id {key.get('id')!r} is not the id of its public key")
        if key.get("role") != SERVICE_ROLE:
            raise KeyEntryRefused(f"a key entry authorises service keys, not {key.get('role')!r}")
        if identifier == self.root_id or identifier in self.keys:
            raise KeyEntryRefused(f"key {identifier} is already known to the log")
        return {"id": identifier, "public": key["public"], "role": SERVICE_ROLE, "from_seq": seq + 1}

    def _check_in_use(self, identifier: str, seq: int) -> None:
        key = self.keys.get(identifier)
        if key is None:
            raise KeyEntryRefused(f"key {identifier} is not a service key of the log")
        if key.retired:
            raise KeyEntryRefused(f"key {identifier} is already retired (until seq {key.until_seq})")
        if key.from_seq > seq + 1:
            raise KeyEntryRefused(f"key {identifier} is valid only from seq {key.from_seq}")
