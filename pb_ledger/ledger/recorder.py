"""eventsourcing application recorders that extend the hash chain inside the insert transaction.

The recorder is the one place that sees the global order of a log: in the same transaction that inserts the stored
events it takes the log's lock, reads the head, seals each event as the next entry (seq, prev hash, signature) and
writes the entries and the new head. Concurrent writers, in any number of processes, therefore queue on the lock and
can never fork the chain or leave a gap; unique constraints on (log_id, seq) and (log_id, prev_hash) back this up.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from psycopg.sql import SQL

from pb_ledger.ledger.checkpoint import sign_checkpoint
from pb_ledger.ledger.entry import GENESIS_PREV, ChainWriter, SealedEntry
from pb_ledger.ledger.events import format_time
from pb_ledger.ledger.key_schedule import SCHEDULE_TYPES, KeySchedule
from pb_ledger.ledger.merkle import MerkleAccumulator


@dataclass(frozen=True)
class EntryRow:
    seq: int
    entry_hash: str
    entry: bytes
    sig: bytes
    type: str


LEDGER_TABLES = [
    "CREATE TABLE IF NOT EXISTS ledger_heads ("
    " log_id TEXT PRIMARY KEY, next_seq BIGINT NOT NULL, head_hash TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ledger_entries ("
    " log_id TEXT NOT NULL, seq BIGINT NOT NULL, prev_hash TEXT NOT NULL, entry_hash TEXT NOT NULL,"
    " entry {blob} NOT NULL, sig {blob} NOT NULL, type TEXT NOT NULL, cycle TEXT,"
    " PRIMARY KEY (log_id, seq), UNIQUE (log_id, prev_hash))",
    "CREATE INDEX IF NOT EXISTS ledger_entries_by_cycle ON ledger_entries (log_id, cycle, type, seq)",
    # the Merkle tree over the entries as its compact range (one subtree root per set bit of `size`), kept in step
    # with the head in the append transaction, so a checkpoint never re-hashes the log
    "CREATE TABLE IF NOT EXISTS ledger_trees (log_id TEXT PRIMARY KEY, size BIGINT NOT NULL, frontier {blob} NOT NULL)",
    # every checkpoint the service signed (docs/log-format.md §7); `reason` is the entry type that called for it,
    # or `on-demand`
    "CREATE TABLE IF NOT EXISTS ledger_checkpoints ("
    " log_id TEXT NOT NULL, size BIGINT NOT NULL, root {blob} NOT NULL, note TEXT NOT NULL, key_id TEXT NOT NULL,"
    " reason TEXT NOT NULL, signed_at TEXT NOT NULL, PRIMARY KEY (log_id, size))",
    # witnesses' cosignatures of those checkpoints (c2sp.org/tlog-cosignature), the latest per witness key
    "CREATE TABLE IF NOT EXISTS ledger_cosignatures ("
    " log_id TEXT NOT NULL, size BIGINT NOT NULL, witness TEXT NOT NULL, key_hash TEXT NOT NULL,"
    " timestamp BIGINT NOT NULL, line TEXT NOT NULL, received_at TEXT NOT NULL,"
    " PRIMARY KEY (log_id, size, witness, key_hash))",
]

_SELECT_PAGE = (  # seq is gapless: a bounded range, so that no planner (stale statistics after a bulk import) scans
    "SELECT seq, entry_hash, entry, sig, type FROM ledger_entries WHERE log_id={p} AND seq>={p} AND seq<{p}"
    " ORDER BY seq"
)
_SELECT_CYCLE = (
    "SELECT seq, entry_hash, entry, sig, type FROM ledger_entries"
    " WHERE log_id={p} AND cycle={p} AND type={p} AND seq>={p} ORDER BY seq LIMIT {p}"
)
_SELECT_TYPE = (  # rare reads (the cycles of a log): a scan of the log's rows is acceptable
    "SELECT seq, entry_hash, entry, sig, type FROM ledger_entries WHERE log_id={p} AND type={p} AND seq>={p}"
    " ORDER BY seq LIMIT {p}"
)
_SELECT_HEAD = "SELECT next_seq, head_hash FROM ledger_heads WHERE log_id={p}"
_INSERT_HEAD = "INSERT INTO ledger_heads (log_id, next_seq, head_hash) VALUES ({p}, 0, {p}) ON CONFLICT (log_id) DO NOTHING"
_UPDATE_HEAD = "UPDATE ledger_heads SET next_seq={p}, head_hash={p} WHERE log_id={p}"
_INSERT_ENTRY = "INSERT INTO ledger_entries VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
_INSERT_ENTRIES_UNNEST = (
    "INSERT INTO ledger_entries SELECT * FROM unnest("
    "%s::text[], %s::bigint[], %s::text[], %s::text[], %s::bytea[], %s::bytea[], %s::text[], %s::text[])"
)


# one index seek per type on (log_id, cycle, type, seq): with `type IN (…)` SQLite walks the primary key from `seq`
# instead, which is a scan of the rest of the log at every append
_SELECT_LOG_LEVEL_TYPE = (
    "SELECT seq, entry_hash, entry, sig, type FROM ledger_entries"
    " WHERE log_id={p} AND cycle IS NULL AND type='{type}' AND seq>={p}"
)
_SELECT_LEAVES = (
    "SELECT seq, entry, type FROM ledger_entries WHERE log_id={p} AND seq>={p} AND seq<{p} ORDER BY seq LIMIT {p}"
)
_SELECT_TREE = "SELECT size, frontier FROM ledger_trees WHERE log_id={p}"
_SAVE_TREE = (
    "INSERT INTO ledger_trees (log_id, size, frontier) VALUES ({p}, {p}, {p})"
    " ON CONFLICT (log_id) DO UPDATE SET size=excluded.size, frontier=excluded.frontier"
)
_CHECKPOINT_COLUMNS = "size, root, note, key_id, reason, signed_at"
_INSERT_CHECKPOINT = (
    f"INSERT INTO ledger_checkpoints (log_id, {_CHECKPOINT_COLUMNS})"
    " VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}) ON CONFLICT (log_id, size) DO NOTHING"
)
_SELECT_CHECKPOINT = f"SELECT {_CHECKPOINT_COLUMNS} FROM ledger_checkpoints WHERE log_id={{p}} AND size={{p}}"
_SELECT_CHECKPOINTS = (
    f"SELECT {_CHECKPOINT_COLUMNS} FROM ledger_checkpoints WHERE log_id={{p}} AND size>={{p}} AND size<={{p}}"
    " ORDER BY size LIMIT {p}"
)
_SELECT_LATEST_CHECKPOINT = (
    f"SELECT {_CHECKPOINT_COLUMNS} FROM ledger_checkpoints WHERE log_id={{p}} ORDER BY size DESC LIMIT 1"
)
_SAVE_COSIGNATURE = (
    "INSERT INTO ledger_cosignatures (log_id, size, witness, key_hash, timestamp, line, received_at)"
    " VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}) ON CONFLICT (log_id, size, witness, key_hash) DO UPDATE"
    " SET timestamp=excluded.timestamp, line=excluded.line, received_at=excluded.received_at"
    " WHERE excluded.timestamp > ledger_cosignatures.timestamp"
)
_FIRST_COSIGNED = "SELECT MIN(size) AS size FROM ledger_cosignatures WHERE log_id={p} AND size>={p}"
_SELECT_COSIGNATURES = (
    "SELECT witness, key_hash, timestamp, line FROM ledger_cosignatures WHERE log_id={p} AND size={p}"
    " ORDER BY witness, key_hash"
)

# Entries whose position the service signs a checkpoint at (docs/log-format.md §7), inside their append transaction
CHECKPOINT_TYPES = frozenset({"PhaseStarted", "VotingOpened", "VotingClosed"})
ON_DEMAND = "on-demand"
PAGE = 5000


@dataclass(frozen=True)
class CheckpointRow:
    """A checkpoint the service signed: the tree size and root hash, the signed note, the key that signed it, why
    it was signed (an entry type, or `on-demand`) and when."""

    size: int
    root: bytes
    note: str
    key_id: str
    reason: str
    signed_at: str


@dataclass(frozen=True)
class CosignatureRow:
    witness: str
    key_hash: str
    timestamp: int
    line: str


class NoLogYet(RuntimeError):
    code = "unknown_log"


# the entries sealed by the last insert of this thread: the caller of an append reads its seqs and hashes here
# (eventsourcing returns notification ids, which are not our seq)
last_sealed = threading.local()


def _remember(sealed: list[SealedEntry]) -> None:
    last_sealed.entries = [(s.seq, s.entry_hash) for s in sealed]


def _rows(log_id: str, sealed: list[SealedEntry]) -> list[tuple[Any, ...]]:
    return [(log_id, s.seq, s.prev_hash, s.entry_hash, s.entry, s.sig, s.type, s.cycle) for s in sealed]


def _entry_row(row: Any) -> EntryRow:
    return EntryRow(int(row["seq"]), row["entry_hash"], bytes(row["entry"]), bytes(row["sig"]), row["type"])


def _checkpoint_row(row: Any) -> CheckpointRow:
    return CheckpointRow(int(row["size"]), bytes(row["root"]), row["note"], row["key_id"], row["reason"],
                         row["signed_at"])


class _Transparency:
    """What both recorders do the same way, in the append transaction and beside it: keep the key schedule and the
    Merkle tree in step with the head, sign and store checkpoints, keep witnesses' cosignatures. Subclasses give
    the placeholder, the datastore and how to take the log's lock."""

    chain: ChainWriter
    P: str
    datastore: Any

    def _q(self, sql: str, **extra: str) -> str:
        return sql.format(p=self.P, **extra)

    def _lock_head(self, c: Any) -> tuple[int, str] | None:
        """Take the log's write lock and read its head (None when the log has no entry)."""
        raise NotImplementedError

    # --- inside the append transaction ----------------------------------------------------------------------------
    def _refresh_keys(self, c: Any) -> None:
        """Apply the genesis and key entries committed since the chain writer last looked (maybe by another
        process): the next entry must be signed by the key valid at its seq."""
        c.execute(*self._log_level(self.chain.log_id, SCHEDULE_TYPES, self.chain.schedule.last_seq + 1))
        for row in c.fetchall():
            self.chain.schedule.apply(row["type"], json.loads(bytes(row["entry"]))["payload"], int(row["seq"]))

    def _grow_tree(self, c: Any, next_seq: int, sealed: list[SealedEntry], schedule: KeySchedule) -> None:
        """Append the sealed entries' leaves to the stored tree and sign a checkpoint at each entry that calls for
        one, with the keys as they stand after that entry."""
        tree, checkpoints = self._tree_at(c, next_seq)
        for entry in sealed:
            tree.append(entry.entry)
            if entry.type in CHECKPOINT_TYPES:
                checkpoints.append(self._sign(tree, entry.type, schedule))
        self._save(c, tree, checkpoints)

    def _tree_at(self, c: Any, size: int) -> tuple[MerkleAccumulator, list[CheckpointRow]]:
        """The stored tree, caught up to `size` entries from the entries themselves when it is behind (a log written
        before the tree was kept), with the checkpoints due on the way."""
        c.execute(self._q(_SELECT_TREE), (self.chain.log_id,))
        row = c.fetchone()
        tree = MerkleAccumulator() if row is None else MerkleAccumulator.from_frontier(int(row["size"]),
                                                                                       bytes(row["frontier"]))
        if tree.size > size:
            raise RuntimeError(f"the stored Merkle tree of log {self.chain.log_id!r} has {tree.size} leaves, "
                               f"more than the {size} entries of the log")
        checkpoints = []
        while tree.size < size:
            c.execute(self._q(_SELECT_LEAVES), (self.chain.log_id, tree.size, size, PAGE))
            for leaf in c.fetchall():
                tree.append(bytes(leaf["entry"]))
                if leaf["type"] in CHECKPOINT_TYPES:
                    checkpoints.append(self._sign(tree, leaf["type"], self.chain.schedule))
        return tree, checkpoints

    def _sign(self, tree: MerkleAccumulator, reason: str, schedule: KeySchedule) -> CheckpointRow:
        return self._sign_root(tree.size, tree.root(), reason, schedule)

    def _sign_root(self, size: int, root: bytes, reason: str, schedule: KeySchedule) -> CheckpointRow:
        signer = self.chain.checkpoint_signer(size, schedule)
        note = sign_checkpoint(self.chain.log_id, size, root, signer)
        return CheckpointRow(size, root, note, signer.id, reason, format_time(datetime.now(UTC)))

    def _save(self, c: Any, tree: MerkleAccumulator, checkpoints: list[CheckpointRow]) -> None:
        log_id = self.chain.log_id
        c.execute(self._q(_SAVE_TREE), (log_id, tree.size, tree.frontier()))
        for row in checkpoints:
            c.execute(self._q(_INSERT_CHECKPOINT),
                      (log_id, row.size, row.root, row.note, row.key_id, row.reason, row.signed_at))

    # --- checkpoints on demand ------------------------------------------------------------------------------------
    def sign_checkpoint_now(self, reason: str = ON_DEMAND) -> CheckpointRow:
        """A checkpoint over every entry of the log, signed now unless one of that size is stored already;
        under the log's lock, so the tree and the head agree."""
        log_id = self.chain.log_id
        with self.datastore.transaction(commit=True) as c:
            head = self._lock_head(c)
            if head is None:
                raise NoLogYet(f"log {log_id!r} has no entries")
            self._refresh_keys(c)
            tree, checkpoints = self._tree_at(c, head[0])
            c.execute(self._q(_SELECT_CHECKPOINT), (log_id, head[0]))
            row = c.fetchone()
            found = _checkpoint_row(row) if row is not None else None
            if found is None:
                found = self._sign(tree, reason, self.chain.schedule)
                checkpoints.append(found)
            self._save(c, tree, checkpoints)
            return found

    def sign_checkpoint_at(self, size: int, root: bytes, reason: str = ON_DEMAND) -> CheckpointRow:
        """A checkpoint of an earlier size whose root the caller computed from the entries (the tree is kept at the
        head only): the stored one when there is one, else signed now with a key that may sign that size."""
        log_id = self.chain.log_id
        with self.datastore.transaction(commit=True) as c:
            head = self._lock_head(c)
            if head is None or not 0 < size <= head[0]:
                raise NoLogYet(f"log {log_id!r} has no {size} entries to sign a checkpoint of")
            self._refresh_keys(c)
            c.execute(self._q(_SELECT_CHECKPOINT), (log_id, size))
            row = c.fetchone()
            if row is not None:
                return _checkpoint_row(row)
            signed = self._sign_root(size, root, reason, self.chain.schedule)
            c.execute(self._q(_INSERT_CHECKPOINT),
                      (log_id, signed.size, signed.root, signed.note, signed.key_id, signed.reason, signed.signed_at))
            return signed

    # --- reading --------------------------------------------------------------------------------------------------
    def select_checkpoint(self, log_id: str, size: int) -> CheckpointRow | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._q(_SELECT_CHECKPOINT), (log_id, size))
            row = c.fetchone()
            return None if row is None else _checkpoint_row(row)

    def select_checkpoints(self, log_id: str, min_size: int, max_size: int, limit: int) -> list[CheckpointRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._q(_SELECT_CHECKPOINTS), (log_id, min_size, max_size, limit))
            return [_checkpoint_row(row) for row in c.fetchall()]

    def select_latest_checkpoint(self, log_id: str) -> CheckpointRow | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._q(_SELECT_LATEST_CHECKPOINT), (log_id,))
            row = c.fetchone()
            return None if row is None else _checkpoint_row(row)

    def select_log_level(self, log_id: str, types: Sequence[str], start: int = 0) -> list[EntryRow]:
        """The log-level entries (no cycle) of `types` from seq `start` (key entries, witnesses): a few rows."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(*self._log_level(log_id, types, start))
            return [_entry_row(row) for row in c.fetchall()]

    def _log_level(self, log_id: str, types: Sequence[str], start: int) -> tuple[str, tuple[Any, ...]]:
        """The query of the log-level entries of `types` from seq `start`, in seq order, and its parameters."""
        assert all(t.isidentifier() for t in types), types  # our constant type names, never user input
        parts = [self._q(_SELECT_LOG_LEVEL_TYPE, type=t) for t in types]
        return " UNION ALL ".join(parts) + " ORDER BY seq", (log_id, start) * len(types)

    # --- cosignatures ---------------------------------------------------------------------------------------------
    def save_cosignature(self, log_id: str, size: int, cosignature: CosignatureRow) -> None:
        """Keep a witness's cosignature of checkpoint `size`; a later one by the same key replaces an older one."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(self._q(_SAVE_COSIGNATURE), (log_id, size, cosignature.witness, cosignature.key_hash,
                                                   cosignature.timestamp, cosignature.line,
                                                   format_time(datetime.now(UTC))))

    def first_cosigned(self, log_id: str, min_size: int) -> int | None:
        """The smallest size from `min_size` on of a checkpoint some witness cosigned."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._q(_FIRST_COSIGNED), (log_id, min_size))
            row = c.fetchone()
            return None if row is None or row["size"] is None else int(row["size"])

    def select_cosignatures(self, log_id: str, size: int) -> list[CosignatureRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._q(_SELECT_COSIGNATURES), (log_id, size))
            return [CosignatureRow(r["witness"], r["key_hash"], int(r["timestamp"]), r["line"]) for r in c.fetchall()]


class SQLiteLedgerRecorder(_Transparency, SQLiteApplicationRecorder):
    """SQLite: the first statement of the write transaction is a write, so SQLite's single writer lock is taken
    before the head is read (a deferred read-then-write could otherwise act on a stale head)."""

    chain: ChainWriter
    P = "?"

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + [t.format(blob="BLOB") for t in LEDGER_TABLES]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        if stored_events:
            self._extend_chain(c, stored_events)
        return super()._insert_events(c, stored_events, **kwargs)

    def _extend_chain(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> None:
        log_id = self.chain.log_id
        c.execute(_INSERT_HEAD.format(p="?"), (log_id, GENESIS_PREV))
        c.execute(_SELECT_HEAD.format(p="?"), (log_id,))
        next_seq, head_hash = c.fetchone()
        self._refresh_keys(c)
        schedule = self.chain.schedule.copy()
        sealed = self.chain.seal_all([s.state for s in stored_events], int(next_seq), head_hash, schedule)
        _remember(sealed)
        c.executemany(_INSERT_ENTRY.format(p="?"), _rows(log_id, sealed))
        c.execute(_UPDATE_HEAD.format(p="?"), (sealed[-1].seq + 1, sealed[-1].entry_hash, log_id))
        self._grow_tree(c, int(next_seq), sealed, schedule)

    def _lock_head(self, c: Any) -> tuple[int, str] | None:
        c.execute("UPDATE ledger_heads SET next_seq=next_seq WHERE log_id=?", (self.chain.log_id,))  # the write lock
        c.execute(_SELECT_HEAD.format(p="?"), (self.chain.log_id,))
        row = c.fetchone()
        return None if row is None else (int(row["next_seq"]), row["head_hash"])

    def select_entries(self, log_id: str, start: int, limit: int) -> list[EntryRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(_SELECT_PAGE.format(p="?"), (log_id, start, start + limit))
            return [_entry_row(r) for r in c.fetchall()]

    def select_cycle_entries(self, log_id: str, cycle: str, type_: str, start: int, limit: int) -> list[EntryRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(_SELECT_CYCLE.format(p="?"), (log_id, cycle, type_, start, limit))
            return [_entry_row(r) for r in c.fetchall()]

    def select_type_entries(self, log_id: str, type_: str, start: int, limit: int) -> list[EntryRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(_SELECT_TYPE.format(p="?"), (log_id, type_, start, limit))
            return [_entry_row(r) for r in c.fetchall()]

    def select_head(self, log_id: str) -> tuple[int, str] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(_SELECT_HEAD.format(p="?"), (log_id,))
            row = c.fetchone()
            return None if row is None else (int(row[0]), row[1])


class PostgresLedgerRecorder(_Transparency, PostgresApplicationRecorder):
    """PostgreSQL: a transaction-scoped advisory lock per log (it exists before any row does) serialises writers of
    one log; different logs do not wait for each other's signing."""

    chain: ChainWriter
    P = "%s"

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.sql_create_statements.extend(SQL(t.format(blob="BYTEA")) for t in LEDGER_TABLES)  # type: ignore[arg-type]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """As the library's, in one transaction, but without psycopg's pipeline mode: with a large batch (a whole
        90,000-ballot election imported atomically) the pipelined send stalled, client and server each waiting to
        read. The statements and their order are the library's: our chain first, then its table lock and insert."""
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return []
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    def _insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        if stored_events:
            self._extend_chain(curs, stored_events)

    def _extend_chain(self, curs: Any, stored_events: Sequence[StoredEvent]) -> None:
        log_id = self.chain.log_id
        curs.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 7))", (log_id,))
        curs.execute(_INSERT_HEAD.format(p="%s"), (log_id, GENESIS_PREV))
        curs.execute(_SELECT_HEAD.format(p="%s") + " FOR UPDATE", (log_id,))
        row = curs.fetchone()
        self._refresh_keys(curs)
        schedule = self.chain.schedule.copy()
        sealed = self.chain.seal_all([s.state for s in stored_events], int(row["next_seq"]), row["head_hash"],
                                     schedule)
        _remember(sealed)
        # One statement for the whole batch: in psycopg's pipeline mode, tens of thousands of queued single-row
        # INSERT results can fill both socket buffers and stall the connection (seen with a 90,000-ballot import).
        columns = [list(column) for column in zip(*_rows(log_id, sealed))]
        curs.execute(_INSERT_ENTRIES_UNNEST, columns)
        curs.execute(_UPDATE_HEAD.format(p="%s"), (sealed[-1].seq + 1, sealed[-1].entry_hash, log_id))
        self._grow_tree(curs, int(row["next_seq"]), sealed, schedule)

    def _lock_head(self, c: Any) -> tuple[int, str] | None:
        c.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 7))", (self.chain.log_id,))
        c.execute(_SELECT_HEAD.format(p="%s") + " FOR UPDATE", (self.chain.log_id,))
        row = c.fetchone()
        return None if row is None else (int(row["next_seq"]), row["head_hash"])

    def select_entries(self, log_id: str, start: int, limit: int) -> list[EntryRow]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(_SELECT_PAGE.format(p="%s"), (log_id, start, start + limit))
            return [_entry_row(r) for r in curs.fetchall()]

    def select_cycle_entries(self, log_id: str, cycle: str, type_: str, start: int, limit: int) -> list[EntryRow]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(_SELECT_CYCLE.format(p="%s"), (log_id, cycle, type_, start, limit))
            return [_entry_row(r) for r in curs.fetchall()]

    def select_type_entries(self, log_id: str, type_: str, start: int, limit: int) -> list[EntryRow]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(_SELECT_TYPE.format(p="%s"), (log_id, type_, start, limit))
            return [_entry_row(r) for r in curs.fetchall()]

    def select_head(self, log_id: str) -> tuple[int, str] | None:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(_SELECT_HEAD.format(p="%s"), (log_id,))
            row = curs.fetchone()
            return None if row is None else (int(row["next_seq"]), row["head_hash"])


LedgerRecorder = SQLiteLedgerRecorder | PostgresLedgerRecorder
