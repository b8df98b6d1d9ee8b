"""Identity proofing before an online ballot: a pluggable one-time-code interface.

`OneTimeCodes` issues a 6-digit code for a ballot token and checks it once. Delivery is a port: production plugs an
SMS or e-mail gateway in; `ServerLogDelivery`, the development backend, writes the code to the server's log (never the
contact, never the ID number)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Protocol

import structlog

from pb_ledger.domain.errors import DomainError

log = structlog.get_logger()
CODE_LIFETIME = 600.0  # seconds
MAX_ATTEMPTS = 5


class CodeDelivery(Protocol):
    def deliver(self, token: str, contact: str | None, code: str) -> None: ...


class ServerLogDelivery:
    """Development backend: the code appears in the server log, tagged with the first characters of the token."""

    def deliver(self, token: str, contact: str | None, code: str) -> None:
        log.warning("one_time_code_issued", token=token[:8], code=code, backend="server-log (development only)")


@dataclass
class _Pending:
    digest: bytes
    expires: float
    attempts: int = 0


@dataclass
class OneTimeCodes:
    delivery: CodeDelivery
    clock: object = time.monotonic
    _pending: dict[str, _Pending] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, token: str, contact: str | None) -> None:
        code = f"{secrets.randbelow(10**6):06d}"
        with self._lock:
            self._pending[token] = _Pending(hashlib.sha256(code.encode()).digest(), self._now() + CODE_LIFETIME)
        self.delivery.deliver(token, contact, code)

    def check(self, token: str, code: str) -> None:
        """Consume the code; raises DomainError when it is wrong, expired or used."""
        with self._lock:
            pending = self._pending.get(token)
            if pending is None or pending.expires < self._now():
                self._pending.pop(token, None)
                raise DomainError("code_expired", "no valid one-time code for this voter: ask for a new one")
            pending.attempts += 1
            if not hmac.compare_digest(pending.digest, hashlib.sha256(code.strip().encode()).digest()):
                if pending.attempts >= MAX_ATTEMPTS:
                    del self._pending[token]
                raise DomainError("wrong_code", "the one-time code is not the one that was sent")
            del self._pending[token]

    def _now(self) -> float:
        return float(self.clock())  # type: ignore[operator]
