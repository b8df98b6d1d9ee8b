"""The Ledger: one log, its keys and its eventsourcing application; the only way entries are written."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Mapper

from pb_ledger.config import Settings, check_log_id
from pb_ledger.ledger.checkpoint import entry_line, receipt_text, sign_checkpoint
from pb_ledger.ledger.entry import GENESIS_TYPE, ChainRefused, ChainWriter
from pb_ledger.ledger.events import LedgerEvent, LedgerMapper
from pb_ledger.ledger.keys import KeyRing, Signer, create_keyring, key_files_present, load_keyring
from pb_ledger.ledger.merkle import (
    ConsistencyProof,
    InclusionProof,
    ProofRangeError,
    leaf_hash,
    prove_consistency,
    prove_inclusion,
)
from pb_ledger.ledger.recorder import EntryRow, LedgerRecorder, PostgresLedgerRecorder, last_sealed

NewEvent = tuple[str, dict[str, Any]]


class LedgerError(RuntimeError):
    code = "ledger_error"


class UnknownLog(LedgerError):
    code = "unknown_log"


class KeysDoNotMatchLog(LedgerError):
    code = "keys_do_not_match_log"


class ConcurrentUpdate(LedgerError):
    """Someone else appended to the same cycle first; the command can be retried on the new state."""

    code = "concurrent_update"


class LedgerApplication(Application[UUID]):
    name = "pbledger"

    def __init__(self, env: dict[str, Any], chain: ChainWriter) -> None:
        self._chain = chain
        super().__init__(env=env)

    def construct_mapper(self) -> Mapper[UUID]:
        return LedgerMapper()

    def construct_recorder(self) -> ApplicationRecorder:
        recorder = super().construct_recorder()
        recorder.chain = self._chain  # type: ignore[attr-defined]
        return recorder


SCHEMA_OBJECTS = ("pbledger_events", "ledger_entries", "ledger_heads", "ledger_entries_by_cycle")


def migrate(recorder: LedgerRecorder) -> None:
    """Create the tables once. On PostgreSQL this is skipped when the schema is there (even `IF NOT EXISTS` DDL takes
    locks that can deadlock with a concurrent append), and otherwise runs under a session advisory lock, so that
    processes starting at the same time do not race."""
    if not isinstance(recorder, PostgresLedgerRecorder):
        recorder.create_table()
        return
    with recorder.datastore.get_connection() as conn:
        if _schema_present(conn):
            return
        conn.execute("SELECT pg_advisory_lock(hashtextextended('pb-ledger/migrate', 0))")
        try:
            if not _schema_present(conn):
                recorder.create_table()
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtextextended('pb-ledger/migrate', 0))")


def _schema_present(conn: Any) -> bool:
    row = conn.execute("SELECT " + ", ".join(f"to_regclass('{name}')" for name in SCHEMA_OBJECTS)).fetchone()
    values = row.values() if isinstance(row, dict) else row
    return all(value is not None for value in values)


def _unsaved_keyring() -> KeyRing:
    return KeyRing(Signer("root", Ed25519PrivateKey.generate()), Signer("service", Ed25519PrivateKey.generate()))


def log_originator(log_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"pb-ledger:log:{log_id}")


class Ledger:
    """One log. Opening it creates its keys and genesis entry when it is new."""

    def __init__(self, settings: Settings, log_id: str, *, create: bool = True) -> None:
        self.log_id = check_log_id(log_id)
        settings.check_database()
        self.keys_dir = keys_dir = settings.keys_dir(log_id)
        present = key_files_present(keys_dir)
        if not create and not any(present):
            raise UnknownLog(f"no keys for log {log_id!r} in {settings.data_dir}: import or create something first")
        # Until we know whether the log exists, keys that are not on disk stay in memory: a log must never be
        # given keys it did not authorise, and a missing key file must not be silently replaced.
        self.keys: KeyRing = load_keyring(keys_dir) if any(present) else _unsaved_keyring()
        self.app = LedgerApplication(settings.eventsourcing_env(), ChainWriter(self.log_id, self.keys))
        self.recorder: LedgerRecorder = self.app.recorder  # type: ignore[assignment]
        migrate(self.recorder)
        if not any(present):
            self._adopt_new_keys(keys_dir)
        self._ensure_genesis()

    def _adopt_new_keys(self, keys_dir: Any) -> None:
        if self.recorder.select_head(self.log_id) is not None:
            if all(key_files_present(keys_dir)):  # another process created this log a moment ago, keys and all
                self.keys = load_keyring(keys_dir)
                self.recorder.chain = ChainWriter(self.log_id, self.keys)
                return
            raise KeysDoNotMatchLog(f"log {self.log_id!r} exists in the database but its key files are not in "
                                    f"{keys_dir}: restore them from their backup")
        self.keys = create_keyring(keys_dir)
        self.recorder.chain = ChainWriter(self.log_id, self.keys)

    def close(self) -> None:
        self.app.close()

    # writing
    def append(
        self, originator: UUID, version: int, events: list[NewEvent], *, cycle: str | None, actor: tuple[str, str]
    ) -> int:
        """Append `events` after `version` of `originator`; returns the new version. Atomic: all or nothing."""
        stamp = LedgerEvent.create_timestamp()
        envelope = [
            LedgerEvent(
                originator_id=originator,
                originator_version=version + i + 1,
                timestamp=stamp,
                type=event_type,
                cycle=cycle,
                actor_role=actor[0],
                actor_ref=actor[1],
                payload=payload,
            )
            for i, (event_type, payload) in enumerate(events)
        ]
        try:
            self.app.events.put(envelope)
        except IntegrityError as e:
            raise ConcurrentUpdate(f"{originator} changed since version {version}") from e
        return version + len(events)

    @staticmethod
    def last_appended() -> list[tuple[int, str]]:
        """(seq, entry hash) of each entry the calling thread's last append wrote."""
        return list(getattr(last_sealed, "entries", []))

    def _ensure_genesis(self) -> None:
        if self.recorder.select_head(self.log_id) is None:
            try:
                self.append(log_originator(self.log_id), 0, [(GENESIS_TYPE, self._genesis_payload())],
                            cycle=None, actor=("root", ""))
            except (ConcurrentUpdate, ChainRefused):
                if self.recorder.select_head(self.log_id) is None:
                    raise
                # another process wrote the genesis first (its keys too: key files are first-writer-wins)
        self._check_genesis_keys()

    def _genesis_payload(self) -> dict[str, Any]:
        root, service = self.keys.root, self.keys.service
        return {
            "root_key": {"id": root.id, "public": root.public_b64},
            "keys": [{"id": service.id, "public": service.public_b64, "role": "service", "from_seq": 1}],
        }

    def _check_genesis_keys(self) -> None:
        payload = json.loads(self.recorder.select_entries(self.log_id, 0, 1)[0].entry)["payload"]
        if base64.b64decode(payload["root_key"]["public"]) != self.keys.root.public_raw:
            raise KeysDoNotMatchLog(f"log {self.log_id!r} was created with another root key than the one in the data dir")
        authorised = {base64.b64decode(k["public"]) for k in payload["keys"] if k["role"] == "service"}
        if self.keys.service.public_raw not in authorised:
            raise KeysDoNotMatchLog(f"the service key in the data dir is not authorised by log {self.log_id!r}: "
                                    "restore the log's service.key from its backup")

    # reading
    def load(self, originator: UUID) -> list[LedgerEvent]:
        return list(self.app.events.get(originator))  # type: ignore[arg-type]

    def head(self) -> tuple[int, str]:
        head = self.recorder.select_head(self.log_id)
        assert head is not None
        return head

    def entries(self, start: int = 0, limit: int = 1000) -> list[EntryRow]:
        return self.recorder.select_entries(self.log_id, start, limit)

    def iter_entries(self, start: int = 0, page: int = 5000) -> Iterator[EntryRow]:
        while rows := self.entries(start, page):
            yield from rows
            start = rows[-1].seq + 1

    def iter_type_entries(self, type_: str, page: int = 5000) -> Iterator[EntryRow]:
        """Every entry of one type, in seq order, across the cycles."""
        start = 0
        while rows := self.recorder.select_type_entries(self.log_id, type_, start, page):
            yield from rows
            start = rows[-1].seq + 1

    def iter_cycle_entries(self, cycle: str, type_: str, page: int = 5000) -> Iterator[EntryRow]:
        start = 0
        while rows := self.recorder.select_cycle_entries(self.log_id, cycle, type_, start, page):
            yield from rows
            start = rows[-1].seq + 1

    # proofs (docs/log-format.md §10 to §12): the Merkle leaves are the exact entry bytes, as in the checkpoints
    def leaf_hashes(self, size: int) -> Iterator[bytes]:
        """The Merkle leaf hashes of the first `size` entries, streamed page by page (never the whole log at once)."""
        for row in self.iter_entries():
            if row.seq >= size:
                return
            yield leaf_hash(row.entry)

    def _tree_size(self, size: int | None) -> int:
        head, _ = self.head()
        if size is None:
            return head
        if not 0 < size <= head:
            raise ProofRangeError(f"log {self.log_id!r} has {head} entries: no tree of size {size}")
        return size

    def inclusion_proof(self, seq: int, size: int | None = None) -> InclusionProof:
        """The inclusion proof of entry `seq` in the tree of the first `size` entries (default: all of them)."""
        tree_size = self._tree_size(size)
        return prove_inclusion(seq, tree_size, self.leaf_hashes(tree_size))

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> ConsistencyProof:
        """The proof that the first `old_size` entries are a prefix of the first `new_size` (default: all of them)."""
        tree_size = self._tree_size(new_size)
        return prove_consistency(old_size, tree_size, self.leaf_hashes(tree_size))

    def receipt(self, seq: int) -> str:
        """A receipt for entry `seq` (docs/log-format.md §12): its inclusion proof in a checkpoint over the whole log,
        signed now with the service key as `export` signs its checkpoint, and the entry and genesis lines."""
        proof = self.inclusion_proof(seq)
        note = sign_checkpoint(self.log_id, proof.size, proof.root, self.keys.service)
        rows = self.entries(0, 1) + (self.entries(seq, 1) if seq > 0 else [])
        return receipt_text(seq, proof.hashes, note, [entry_line(row.entry, row.sig) for row in rows])
