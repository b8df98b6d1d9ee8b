"""The life of the log's signing keys (docs/log-format.md §3.1): authorise a new service key, rotate to a new one,
retire one. Each is an entry signed by the root key; the new private key is written owner-only beside the others
(`service-<key id>.key`), never logged and never shown. The service signs with the new key from the entry after
the key entry (the recorder sets `from_seq` when it seals it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog

from pb_ledger.domain.cycle import Event
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.text import SENTENCE, clean_text
from pb_ledger.ledger.key_schedule import KEY_AUTHORISED, KEY_RETIRED, KEY_ROTATED, KeySchedule, KeyWindow
from pb_ledger.ledger.keys import Signer, create_service_key, service_key_path
from pb_ledger.ledger.store import Ledger
from pb_ledger.services.repository import Actor, run_log_level

log = structlog.get_logger()
ROOT: Actor = ("root", "")


@dataclass(frozen=True)
class ServiceKey:
    """A service key as the log tells it, and whether this service holds its private key."""

    id: str
    public: str
    from_seq: int
    until_seq: int | None
    authorised_at: int
    in_use: bool
    private_key_here: bool


@dataclass(frozen=True)
class KeyChange:
    """What a key command wrote: the key entry's seq, the key it concerns, and the seq from which it holds."""

    seq: int
    key: str
    effective_from: int


class KeyService:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def keys(self) -> list[ServiceKey]:
        """Every service key the log authorised, oldest first."""
        schedule, (head, _) = self.ledger.key_schedule(), self.ledger.head()
        in_use = {key.id for key in schedule.current(head)}
        return [ServiceKey(k.id, k.public, k.from_seq, k.until_seq, k.authorised_at, k.id in in_use,
                           self.ledger.keys.signer(k.id) is not None)
                for k in sorted(schedule.keys.values(), key=lambda k: k.authorised_at)]

    def authorise(self, reason: str = "") -> KeyChange:
        """Authorise a new service key alongside the ones in use; the service signs with it from the next entry."""
        reason = clean_text(reason, "reason", SENTENCE, required=False) or ""
        new = create_service_key(self.ledger.keys_dir)
        return self._append_for(new, lambda schedule: (KEY_AUTHORISED, {"key": _new_key(new), "reason": reason}))

    def rotate(self, reason: str, old: str | None = None) -> KeyChange:
        """Replace service key `old` (default: the one the service signs with now) by a new key, in one entry: the
        old key signs nothing after it, the new one signs from the next entry."""
        reason = _public_reason(reason)

        def decide(schedule: KeySchedule) -> Event:
            replaced = self._in_use(schedule, old) if old is not None else self._signing_now(schedule)
            return KEY_ROTATED, {"old": replaced.id, "new": _new_key(new), "reason": reason}

        new = create_service_key(self.ledger.keys_dir)
        return self._append_for(new, decide)

    def retire(self, key: str, reason: str) -> KeyChange:
        """Retire service key `key`: from the next entry on it signs neither entries nor checkpoints."""
        reason = _public_reason(reason)

        def decide(schedule: KeySchedule) -> list[Event]:
            retired = self._in_use(schedule, key)
            if [k.id for k in schedule.current(self.ledger.head()[0])] == [retired.id]:
                raise DomainError("last_service_key", f"key {key} is the only service key in use: authorise or "
                                  "rotate to a new key before retiring it")
            return [(KEY_RETIRED, {"key": retired.id, "reason": reason})]

        [(seq, _)] = run_log_level(self.ledger, lambda: decide(self.ledger.key_schedule()), ROOT)
        log.info("service_key_retired", key=key, seq=seq)
        return KeyChange(seq, key, seq + 1)

    def _append_for(self, new: Signer, decide: Callable[[KeySchedule], Event]) -> KeyChange:
        """Append the key entry that `decide(schedule)` makes for the new key `new`; its file goes if nothing is
        appended, so that no key the log never authorised is left beside the others."""
        try:
            [(seq, _)] = run_log_level(self.ledger, lambda: [decide(self.ledger.key_schedule())], ROOT)
        except BaseException:
            service_key_path(self.ledger.keys_dir, new.id).unlink(missing_ok=True)
            raise
        log.info("service_key_authorised", key=new.id, seq=seq)
        return KeyChange(seq, new.id, seq + 1)

    def _in_use(self, schedule: KeySchedule, key: str) -> KeyWindow:
        window = schedule.keys.get(key)
        if window is None:
            raise DomainError("unknown_service_key", f"{key!r} is not a service key of log {self.ledger.log_id!r} "
                              "(pb-ledger keys list shows them)")
        if window.retired:
            raise DomainError("key_already_retired", f"key {key} was retired from seq {window.until_seq}")
        return window

    def _signing_now(self, schedule: KeySchedule) -> KeyWindow:
        head, _ = self.ledger.head()
        held = [k for k in schedule.current(head) if self.ledger.keys.signer(k.id) is not None]
        if not held:
            raise DomainError("unknown_service_key", "no service key in use is in the keys folder: name the key to "
                              "rotate with --old")
        return held[0]


def _new_key(signer: Signer) -> dict[str, Any]:
    """The new key as the caller gives it; the recorder adds `from_seq` when it seals the entry."""
    return {"id": signer.id, "public": signer.public_b64, "role": "service"}


def _public_reason(reason: str) -> str:
    cleaned = clean_text(reason, "reason", SENTENCE, required=False)
    if cleaned is None:
        raise DomainError("key_reason_required", "rotating or retiring a key needs a public reason (--reason)")
    return cleaned
