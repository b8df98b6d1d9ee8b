"""Staff accounts (issue 6): who may act for the commune. Kept in the database beside the log, never in it.

- Passwords are hashed with Argon2id (argon2-cffi's RFC 9106 profile); a hash made with weaker parameters is
  replaced at the next successful login.
- A session is a random bearer token; only its SHA-256 is stored, with an expiry. Disabling an account ends its
  sessions.
- The log never names a staff member. Each action carries the account's role and its **actor reference**: an
  HMAC-SHA256 of the account's random id (not its username) under the log's staff key (`staff.key`, owner-only,
  beside the log's other keys). The reference is stable per account, so an auditor holding the account list can
  tell which account acted, and meaningless to anyone else.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pb_ledger.domain.errors import DomainError
from pb_ledger.secret_keys import load_or_create_secret_key
from pb_ledger.sqlstore import ReadStore

# the staff roles; pb-team, committee and clerk are also the roles the domain's commands name (require_role)
ROLES = ("pb-team", "committee", "clerk", "auditor", "admin")
SESSION_LIFETIME = 8 * 3600.0  # seconds: one working day
MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
REF_DOMAIN = b"pb-ledger/actor-ref/v1\n"
MAX_FAILED_LOGINS = 5  # wrong passwords for one user name within LOCKOUT seconds before logins are refused
LOCKOUT = 900.0  # seconds

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS staff_accounts (log_id TEXT NOT NULL, account TEXT NOT NULL, username TEXT NOT NULL,"
    " role TEXT NOT NULL, password_hash TEXT NOT NULL, disabled INTEGER NOT NULL, created DOUBLE PRECISION NOT NULL,"
    " PRIMARY KEY (log_id, account), UNIQUE (log_id, username))",
    "CREATE TABLE IF NOT EXISTS staff_sessions (digest TEXT PRIMARY KEY, log_id TEXT NOT NULL, account TEXT NOT NULL,"
    " expires DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS staff_failed_logins (log_id TEXT NOT NULL, username TEXT NOT NULL,"
    " failed DOUBLE PRECISION NOT NULL)",
]


@dataclass(frozen=True)
class Account:
    account: str  # random id, never shown in the log
    username: str
    role: str
    disabled: bool
    ref: str  # the non-identifying reference written into the log with each action

    @property
    def actor(self) -> tuple[str, str]:
        return self.role, self.ref


@dataclass(frozen=True)
class Session:
    token: str  # handed to the client once; the store keeps only its SHA-256
    account: Account
    expires: float


class StaffAccounts:
    """The staff accounts and sessions of one log."""

    def __init__(self, store: ReadStore, log_id: str, keys_dir: Path, *, hasher: PasswordHasher | None = None,
                 clock: Callable[[], float] = time.time, lifetime: float = SESSION_LIFETIME) -> None:
        self.store, self.log_id, self.clock, self.lifetime = store, log_id, clock, lifetime
        self.hasher = hasher or PasswordHasher()
        self._keys_dir = keys_dir
        self._key: bytes | None = None
        self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))  # so an unknown name costs a hash too
        store.create_tables(SCHEMA)

    # --- accounts ---------------------------------------------------------------------------------------------------

    def add(self, username: str, role: str, password: str) -> Account:
        username = _check_username(username)
        _check_role(role)
        _check_password(password)
        account = uuid.uuid4().hex
        with self.store.transaction(write=True) as cur:
            if cur.execute("SELECT 1 FROM staff_accounts WHERE log_id=? AND username=?",
                           (self.log_id, username)).fetchone():
                raise DomainError("duplicate_username", f"an account named {username!r} already exists")
            cur.execute("INSERT INTO staff_accounts (log_id, account, username, role, password_hash, disabled,"
                        " created) VALUES (?,?,?,?,?,?,?)",
                        (self.log_id, account, username, role, self.hasher.hash(password), 0, self.clock()))
        return Account(account, username, role, False, self.ref(account))

    def accounts(self, start: int = 0, limit: int = 1000) -> list[Account]:
        with self.store.transaction() as cur:
            rows = cur.execute("SELECT account, username, role, disabled FROM staff_accounts WHERE log_id=?"
                               " ORDER BY username LIMIT ? OFFSET ?", (self.log_id, limit, start)).fetchall()
        return [self._account(row) for row in rows]

    def get(self, username: str) -> Account:
        with self.store.transaction() as cur:
            row = cur.execute("SELECT account, username, role, disabled FROM staff_accounts WHERE log_id=?"
                              " AND username=?", (self.log_id, username.strip().lower())).fetchone()
        if row is None:
            raise DomainError("unknown_account", f"no staff account named {username!r}")
        return self._account(row)

    def disable(self, username: str) -> Account:
        """Disable an account and end its sessions; the last enabled admin cannot be disabled."""
        account = self.get(username)
        with self.store.transaction(write=True) as cur:
            if account.role == "admin" and not account.disabled:
                admins = cur.execute("SELECT COUNT(*) AS n FROM staff_accounts WHERE log_id=? AND role='admin'"
                                     " AND disabled=0", (self.log_id,)).fetchone()
                if admins is not None and int(admins["n"]) <= 1:
                    raise DomainError("last_admin", "this is the last enabled admin account; add another first")
            cur.execute("UPDATE staff_accounts SET disabled=1 WHERE log_id=? AND account=?",
                        (self.log_id, account.account))
            cur.execute("DELETE FROM staff_sessions WHERE log_id=? AND account=?", (self.log_id, account.account))
        return Account(account.account, account.username, account.role, True, account.ref)

    def ref(self, account: str) -> str:
        """The account's reference in the log: a keyed hash of its id, stable, naming nobody."""
        return hmac.new(self._staff_key(), REF_DOMAIN + account.encode(), hashlib.sha256).hexdigest()[:32]

    # --- sessions ---------------------------------------------------------------------------------------------------

    def login(self, username: str, password: str) -> Session:
        self._refuse_when_locked(username)
        row = self._credentials(username)
        if row is None:
            self._verify(self._dummy_hash, password)
            self._count_failure(username)
            raise DomainError("bad_credentials", "the user name or the password is wrong")
        if not self._verify(row["password_hash"], password) or row["disabled"]:
            self._count_failure(username)
            raise DomainError("bad_credentials", "the user name or the password is wrong, or the account is disabled")
        with self.store.transaction(write=True) as cur:
            cur.execute("DELETE FROM staff_failed_logins WHERE log_id=? AND username=?", (self.log_id, username))
        self._rehash_if_needed(row["account"], row["password_hash"], password)
        token = secrets.token_urlsafe(32)
        expires = self.clock() + self.lifetime
        with self.store.transaction(write=True) as cur:
            cur.execute("DELETE FROM staff_sessions WHERE log_id=? AND expires<?", (self.log_id, self.clock()))
            cur.execute("INSERT INTO staff_sessions (digest, log_id, account, expires) VALUES (?,?,?,?)",
                        (_digest(token), self.log_id, row["account"], expires))
        return Session(token, self._account(row), expires)

    def _refuse_when_locked(self, username: str) -> None:
        """After MAX_FAILED_LOGINS wrong passwords for a user name (existing or not) within LOCKOUT seconds, logins
        under that name are refused until LOCKOUT seconds after the last failure: passwords cannot be guessed fast."""
        with self.store.transaction(write=True) as cur:
            cur.execute("DELETE FROM staff_failed_logins WHERE log_id=? AND failed<?",
                        (self.log_id, self.clock() - LOCKOUT))
            row = cur.execute("SELECT COUNT(*) AS n FROM staff_failed_logins WHERE log_id=? AND username=?",
                              (self.log_id, username)).fetchone()
        if int(row["n"]) >= MAX_FAILED_LOGINS:
            raise DomainError("too_many_attempts", f"too many wrong passwords for this user name: wait "
                                                   f"{int(LOCKOUT // 60)} minutes, or ask an admin")

    def _count_failure(self, username: str) -> None:
        with self.store.transaction(write=True) as cur:
            cur.execute("INSERT INTO staff_failed_logins (log_id, username, failed) VALUES (?,?,?)",
                        (self.log_id, username, self.clock()))

    def authenticate(self, token: str) -> Account:
        """The account behind a bearer token; raises when the session is unknown, ended or expired."""
        with self.store.transaction() as cur:
            row = cur.execute("SELECT a.account, a.username, a.role, a.disabled, s.expires FROM staff_sessions s"
                              " JOIN staff_accounts a ON a.log_id=s.log_id AND a.account=s.account"
                              " WHERE s.digest=? AND s.log_id=?", (_digest(token), self.log_id)).fetchone()
        if row is None or row["disabled"]:
            raise DomainError("invalid_session", "this session does not exist or has ended: log in again")
        if float(row["expires"]) < self.clock():
            self.logout(token)
            raise DomainError("session_expired", "this session has expired: log in again")
        return self._account(row)

    def logout(self, token: str) -> None:
        with self.store.transaction(write=True) as cur:
            cur.execute("DELETE FROM staff_sessions WHERE digest=? AND log_id=?", (_digest(token), self.log_id))

    # --- private ----------------------------------------------------------------------------------------------------

    def _credentials(self, username: str) -> dict[str, Any] | None:
        with self.store.transaction() as cur:
            return cur.execute("SELECT account, username, role, disabled, password_hash FROM staff_accounts"
                               " WHERE log_id=? AND username=?", (self.log_id, username.strip().lower())).fetchone()

    def _verify(self, password_hash: object, password: str) -> bool:
        try:
            return self.hasher.verify(str(password_hash), password)
        except (VerificationError, InvalidHashError):
            return False

    def _rehash_if_needed(self, account: object, password_hash: object, password: str) -> None:
        if self.hasher.check_needs_rehash(str(password_hash)):
            with self.store.transaction(write=True) as cur:
                cur.execute("UPDATE staff_accounts SET password_hash=? WHERE log_id=? AND account=?",
                            (self.hasher.hash(password), self.log_id, account))

    def _account(self, row: dict[str, Any]) -> Account:
        account = str(row["account"])
        return Account(account, str(row["username"]), str(row["role"]), bool(row["disabled"]), self.ref(account))

    def _staff_key(self) -> bytes:
        if self._key is None:
            self._key = load_or_create_secret_key(self._keys_dir / "staff.key")
        return self._key


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise DomainError("invalid_username", "a user name is 2 to 64 characters of a-z 0-9 . _ -, starting with a "
                                              "letter or digit")
    return name


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise DomainError("unknown_role", f"the role must be one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError("weak_password", f"a password has at least {MIN_PASSWORD_LENGTH} characters")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
