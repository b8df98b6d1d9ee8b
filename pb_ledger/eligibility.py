"""Who may vote: the commune's register of eligible residents, kept outside the log, and one ballot token each.

The register file (national ID number, optional district, optional contact for the one-time code) is never stored
as such. Each resident becomes a **ballot token**: HMAC-SHA256 under the log's voter key of the cycle and the
normalised ID number. The private store keeps the token, the district and (erasably) the contact; the log receives
only the count, the counts per district and the sorted tokens, which nobody can link to a person without the voter
key. A ballot carries its voter's token, so the service, the verifier and any observer can check one counted ballot
per eligible resident, across the online and paper channels, without the log naming anyone.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pb_ledger.domain.errors import DomainError
from pb_ledger.secret_keys import load_or_create_secret_key
from pb_ledger.sqlstore import ReadStore

TOKEN_DOMAIN = b"pb-ledger/ballot-token/v1\n"
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS voter_register (log_id TEXT NOT NULL, cycle TEXT NOT NULL, token TEXT NOT NULL,"
    " district TEXT, contact TEXT, PRIMARY KEY (log_id, cycle, token))",
]


def normalise_id(national_id: str) -> str:
    """Case, spaces, Unicode form and digit script do not make a second person: 'be 123456', 'ＢＥ１２３４５６' and
    'BE١٢٣٤٥٦' (Arabic-Indic digits, as a phone keyboard in Arabic types them) are all 'BE123456'."""
    text = "".join(unicodedata.normalize("NFKC", national_id).upper().split())
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def ballot_token(voter_key: bytes, cycle: str, national_id: str) -> str:
    message = TOKEN_DOMAIN + cycle.encode() + b"\n" + normalise_id(national_id).encode()
    return hmac.new(voter_key, message, hashlib.sha256).hexdigest()


def load_or_create_voter_key(keys_dir: Path) -> bytes:
    """The log's voter key (32 random bytes, owner-only), created atomically on first use."""
    return load_or_create_secret_key(keys_dir / "voter.key")


@dataclass(frozen=True)
class Resident:
    token: str
    district: str | None
    contact: str | None


@dataclass(frozen=True)
class RegisterRefused:
    line: int
    reason: str


def read_register(text: str, voter_key: bytes, cycle: str) -> tuple[list[Resident], list[RegisterRefused]]:
    """Parse the register file (`;`-separated, header `national_id[;district][;contact]`); every line is either a
    resident or a refusal with its reason (a duplicate ID, an empty ID), never silently dropped."""
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    header = [h.strip().lower() for h in next(rows, [])]
    if not header or header[0] != "national_id":
        raise DomainError("malformed_register", "the register's first line must be the header national_id;district")
    residents: dict[str, Resident] = {}
    refused: list[RegisterRefused] = []
    for number, row in enumerate(rows, start=2):
        record = dict(zip(header, (cell.strip() for cell in row)))
        national_id = normalise_id(record.get("national_id", ""))
        if not national_id:
            refused.append(RegisterRefused(number, "no national ID number"))
            continue
        token = ballot_token(voter_key, cycle, national_id)
        if token in residents:
            refused.append(RegisterRefused(number, "the same person appears twice"))
            continue
        residents[token] = Resident(token, record.get("district") or None, record.get("contact") or None)
    return list(residents.values()), refused


class RegisterStore:
    """The private side of the register: tokens, districts and contacts, per cycle."""

    def __init__(self, store: ReadStore, log_id: str) -> None:
        self.store, self.log_id = store, log_id
        store.create_tables(SCHEMA)

    def replace(self, cycle: str, residents: list[Resident]) -> None:
        with self.store.transaction(write=True) as cur:
            cur.execute("DELETE FROM voter_register WHERE log_id=? AND cycle=?", (self.log_id, cycle))
            cur.executemany("INSERT INTO voter_register (log_id, cycle, token, district, contact) VALUES (?,?,?,?,?)",
                            [(self.log_id, cycle, r.token, r.district, r.contact) for r in residents])

    def find(self, cycle: str, token: str) -> Resident | None:
        with self.store.transaction() as cur:
            row = cur.execute("SELECT token, district, contact FROM voter_register WHERE log_id=? AND cycle=?"
                              " AND token=?", (self.log_id, cycle, token)).fetchone()
        return None if row is None else Resident(row["token"], row["district"], row["contact"])

    def erase_contacts(self, cycle: str) -> None:
        with self.store.transaction(write=True) as cur:
            cur.execute("UPDATE voter_register SET contact=NULL WHERE log_id=? AND cycle=?", (self.log_id, cycle))
