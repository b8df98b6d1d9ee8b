"""eventsourcing's own application-recorder contract tests, run unchanged against our recorders on both backends.

The library's tests insert opaque states (b"state1", …) rather than our event bodies, so the recorder is given a
chain writer that wraps each opaque state as the payload of an entry; everything else — the recorder, its
transaction, its lock, its tables — is the production code. The library version is pinned in pyproject.toml."""

from __future__ import annotations

import base64
import os
import tempfile
import uuid
from typing import Any

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import ApplicationRecorderTestCase

from pb_ledger.ledger.entry import ChainWriter, SealedEntry
from pb_ledger.ledger.key_schedule import KeySchedule
from pb_ledger.ledger.keys import KeyRing, Signer
from pb_ledger.ledger.recorder import PostgresLedgerRecorder, SQLiteLedgerRecorder
from tests.conftest import POSTGRES_ADMIN_URL


class OpaqueStateChain(ChainWriter):
    """Seals the library's opaque test states; the genesis rule does not apply to them, and with no genesis to name
    the service key, every entry is signed with the key ring's service key."""

    def seal_all(self, states: list[bytes], next_seq: int, head_hash: str,
                 schedule: KeySchedule | None = None) -> list[SealedEntry]:
        sealed = []
        for state in states:
            body = {"type": "Opaque", "cycle": None, "time": "2026-01-01T00:00:00.000000Z",
                    "actor": {"role": "test", "ref": ""}, "payload": {"state": base64.b64encode(state).decode()}}
            entry = self.seal(body, next_seq, head_hash, schedule)
            sealed.append(entry)
            next_seq, head_hash = next_seq + 1, entry.entry_hash
        return sealed

    def signer_for(self, event_type: str, seq: int, schedule: KeySchedule) -> Signer:
        return self.keys.service

    @staticmethod
    def _check_genesis_rule(event_type: str, seq: int) -> None:
        return None


def _chain() -> OpaqueStateChain:
    keys = KeyRing(Signer("root", Ed25519PrivateKey.generate()), Signer("service", Ed25519PrivateKey.generate()))
    return OpaqueStateChain("contract-test", keys)


class TestSQLiteLedgerRecorderContract(ApplicationRecorderTestCase[SQLiteLedgerRecorder]):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def create_recorder(self) -> SQLiteLedgerRecorder:
        recorder = SQLiteLedgerRecorder(SQLiteDatastore(db_name=os.path.join(self.tmp.name, "es.sqlite3")))
        recorder.chain = _chain()
        recorder.create_table()
        return recorder


class TestPostgresLedgerRecorderContract(ApplicationRecorderTestCase[PostgresLedgerRecorder]):
    def setUp(self) -> None:
        try:
            admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError:
            if os.environ.get("CI") == "true":
                raise
            pytest.skip("PostgreSQL is not reachable")
        self.dbname = f"pbl_contract_{uuid.uuid4().hex[:10]}"
        with admin:
            admin.execute(f'CREATE DATABASE "{self.dbname}"')
        self.datastores: list[PostgresDatastore] = []

    def tearDown(self) -> None:
        for datastore in self.datastores:
            datastore.close()
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')

    def create_recorder(self) -> PostgresLedgerRecorder:
        datastore = PostgresDatastore(dbname=self.dbname, host="127.0.0.1", port=5432, user="postgres", password="")
        self.datastores.append(datastore)
        recorder = PostgresLedgerRecorder(datastore)
        recorder.chain = _chain()
        recorder.create_table()
        return recorder
