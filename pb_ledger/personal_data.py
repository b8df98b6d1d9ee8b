"""Personal data kept outside the log (DESIGN §5.1): the log holds a salted commitment, this store the data and the
salt. Erasing a row leaves the log untouched and verifiable, and the commitment then links to nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any

from pb_ledger.domain.errors import DomainError
from pb_ledger.ledger.canonical import canonical_json
from pb_ledger.sqlstore import ReadStore

SCHEMA = ("CREATE TABLE IF NOT EXISTS personal_data (log_id TEXT NOT NULL, subject TEXT NOT NULL, salt {blob} NOT NULL,"
          " data TEXT NOT NULL, PRIMARY KEY (log_id, subject))")


def commitment(salt: bytes, data: dict[str, Any]) -> str:
    return hmac.new(salt, canonical_json(data), hashlib.sha256).hexdigest()


class PersonalDataStore:
    def __init__(self, store: ReadStore, log_id: str) -> None:
        self.store, self.log_id = store, log_id
        store.create_tables([SCHEMA])

    def keep(self, subject: str, data: dict[str, Any]) -> str:
        """Store `data` for `subject`; returns the commitment to put in the log."""
        salt = os.urandom(32)
        with self.store.transaction(write=True) as cur:
            if cur.execute("SELECT 1 FROM personal_data WHERE log_id=? AND subject=?",
                           (self.log_id, subject)).fetchone():
                raise DomainError("duplicate_idea", f"{subject!r} already exists")
            cur.execute("INSERT INTO personal_data (log_id, subject, salt, data) VALUES (?, ?, ?, ?)",
                        (self.log_id, subject, salt, json.dumps(data, ensure_ascii=False)))
        return commitment(salt, data)

    def get(self, subject: str) -> dict[str, Any] | None:
        with self.store.transaction() as cur:
            row = cur.execute("SELECT data FROM personal_data WHERE log_id=? AND subject=?",
                              (self.log_id, subject)).fetchone()
        return None if row is None else dict(json.loads(row["data"]))

    def erase(self, subject: str) -> None:
        with self.store.transaction(write=True) as cur:
            cur.execute("DELETE FROM personal_data WHERE log_id=? AND subject=?", (self.log_id, subject))
