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
from collections.abc import Callable
from typing import Protocol

import structlog

from pb_ledger.domain.errors import DomainError
from pb_ledger.sqlstore import ReadStore

log = structlog.get_logger()
CODE_LIFETIME = 600.0  # seconds
MAX_ATTEMPTS = 5  # wrong codes before a code is void
MAX_CODES = 3  # codes sent for one ballot token within CODES_WINDOW: 15 guesses an hour, one SMS every 20 minutes
CODES_WINDOW = 3600.0  # seconds


class CodeDelivery(Protocol):
    def deliver(self, token: str, contact: str | None, code: str) -> None: ...


class ServerLogDelivery:
    """Development backend: the code appears in the server log, tagged with the first characters of the token."""

    def deliver(self, token: str, contact: str | None, code: str) -> None:
        log.warning("one_time_code_issued", token=token[:8], code=code, backend="server-log (development only)")


CODES_SCHEMA = ["CREATE TABLE IF NOT EXISTS one_time_codes (log_id TEXT NOT NULL, token TEXT NOT NULL,"
                " digest TEXT NOT NULL, expires DOUBLE PRECISION NOT NULL, attempts INTEGER NOT NULL,"
                " PRIMARY KEY (log_id, token))",
                "CREATE TABLE IF NOT EXISTS one_time_code_requests (log_id TEXT NOT NULL, token TEXT NOT NULL,"
                " requested DOUBLE PRECISION NOT NULL)",
                "CREATE INDEX IF NOT EXISTS one_time_code_requests_by_token ON one_time_code_requests"
                " (log_id, token, requested)"]


class OneTimeCodes:
    """Codes pending for ballot tokens. With a store they are kept in the database, so the code asked for in one
    process (a request to the service, a CLI call) can be checked in another; without one, in memory (tests)."""

    def __init__(self, delivery: CodeDelivery, store: ReadStore | None = None, log_id: str = "",
                 clock: Callable[[], float] = time.time) -> None:
        self.delivery, self.store, self.log_id, self.clock = delivery, store, log_id, clock
        self._memory: dict[str, tuple[str, float, int]] = {}
        self._requests: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        if store is not None:
            store.create_tables(CODES_SCHEMA)

    def count_request(self, token: str) -> None:
        """Count a request for a code for `token` (whoever it names, registered or not); refused past MAX_CODES in
        CODES_WINDOW, so that a code cannot be guessed by asking for new ones, nor a resident flooded with them."""
        now = self.clock()
        with self._lock:
            if self.store is None:
                recent = [t for t in self._requests.get(token, []) if t > now - CODES_WINDOW]
                if len(recent) >= MAX_CODES:
                    raise _too_many()
                self._requests[token] = [*recent, now]
                return
            with self.store.transaction(write=True) as cur:
                cur.execute("DELETE FROM one_time_code_requests WHERE log_id=? AND token=? AND requested<=?",
                            (self.log_id, token, now - CODES_WINDOW))
                row = cur.execute("SELECT COUNT(*) AS n FROM one_time_code_requests WHERE log_id=? AND token=?",
                                  (self.log_id, token)).fetchone()
                if int(row["n"]) >= MAX_CODES:
                    raise _too_many()
                cur.execute("INSERT INTO one_time_code_requests (log_id, token, requested) VALUES (?,?,?)",
                            (self.log_id, token, now))

    def issue(self, token: str, contact: str | None) -> None:
        code = f"{secrets.randbelow(10**6):06d}"
        self._put(token, (_digest(code), self.clock() + CODE_LIFETIME, 0))
        self.delivery.deliver(token, contact, code)

    def check(self, token: str, code: str) -> None:
        """Consume the code; raises DomainError when it is wrong, expired or used up."""
        with self._lock:
            pending = self._get(token)
            if pending is None or pending[1] < self.clock():
                self._delete(token)
                raise DomainError("code_expired", "no valid one-time code for this voter: ask for a new one")
            digest, expires, attempts = pending
            if not hmac.compare_digest(digest, _digest(code.strip())):
                if attempts + 1 >= MAX_ATTEMPTS:
                    self._delete(token)
                else:
                    self._put(token, (digest, expires, attempts + 1))
                raise DomainError("wrong_code", "the one-time code is not the one that was sent")
            self._delete(token)

    def _get(self, token: str) -> tuple[str, float, int] | None:
        if self.store is None:
            return self._memory.get(token)
        with self.store.transaction() as cur:
            row = cur.execute("SELECT digest, expires, attempts FROM one_time_codes WHERE log_id=? AND token=?",
                              (self.log_id, token)).fetchone()
        return None if row is None else (row["digest"], float(row["expires"]), int(row["attempts"]))

    def _put(self, token: str, pending: tuple[str, float, int]) -> None:
        if self.store is None:
            self._memory[token] = pending
            return
        with self.store.transaction(write=True) as cur:
            cur.execute("DELETE FROM one_time_codes WHERE log_id=? AND token=?", (self.log_id, token))
            cur.execute("INSERT INTO one_time_codes (log_id, token, digest, expires, attempts) VALUES (?,?,?,?,?)",
                        (self.log_id, token, *pending))

    def _delete(self, token: str) -> None:
        if self.store is None:
            self._memory.pop(token, None)
            return
        with self.store.transaction(write=True) as cur:
            cur.execute("DELETE FROM one_time_codes WHERE log_id=? AND token=?", (self.log_id, token))


def _too_many() -> DomainError:
    minutes = int(CODES_WINDOW // 60)
    return DomainError("too_many_codes", f"at most {MAX_CODES} codes can be asked for in {minutes} minutes for one "
                                         "person: wait, then ask again")


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
