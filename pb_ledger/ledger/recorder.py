"""eventsourcing application recorders that extend the hash chain inside the insert transaction.

The recorder is the one place that sees the global order of a log: in the same transaction that inserts the stored
events it takes the log's lock, reads the head, seals each event as the next entry (seq, prev hash, signature) and
writes the entries and the new head. Concurrent writers, in any number of processes, therefore queue on the lock and
can never fork the chain or leave a gap; unique constraints on (log_id, seq) and (log_id, prev_hash) back this up.
"""

from __future__ import annotations

from collections.abc import Sequence
import threading
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from psycopg.sql import SQL

from pb_ledger.ledger.entry import GENESIS_PREV, ChainWriter, SealedEntry


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
]

_SELECT_PAGE = (
    "SELECT seq, entry_hash, entry, sig, type FROM ledger_entries WHERE log_id={p} AND seq>={p} ORDER BY seq LIMIT {p}"
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


# the entries sealed by the last insert of this thread: the caller of an append reads its seqs and hashes here
# (eventsourcing returns notification ids, which are not our seq)
last_sealed = threading.local()


def _remember(sealed: list[SealedEntry]) -> None:
    last_sealed.entries = [(s.seq, s.entry_hash) for s in sealed]


def _rows(log_id: str, sealed: list[SealedEntry]) -> list[tuple[Any, ...]]:
    return [(log_id, s.seq, s.prev_hash, s.entry_hash, s.entry, s.sig, s.type, s.cycle) for s in sealed]


def _entry_row(row: Any) -> EntryRow:
    return EntryRow(int(row["seq"]), row["entry_hash"], bytes(row["entry"]), bytes(row["sig"]), row["type"])


class SQLiteLedgerRecorder(SQLiteApplicationRecorder):
    """SQLite: the first statement of the write transaction is a write, so SQLite's single writer lock is taken
    before the head is read (a deferred read-then-write could otherwise act on a stale head)."""

    chain: ChainWriter

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
        sealed = self.chain.seal_all([s.state for s in stored_events], int(next_seq), head_hash)
        _remember(sealed)
        c.executemany(_INSERT_ENTRY.format(p="?"), _rows(log_id, sealed))
        c.execute(_UPDATE_HEAD.format(p="?"), (sealed[-1].seq + 1, sealed[-1].entry_hash, log_id))

    def select_entries(self, log_id: str, start: int, limit: int) -> list[EntryRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(_SELECT_PAGE.format(p="?"), (log_id, start, limit))
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


class PostgresLedgerRecorder(PostgresApplicationRecorder):
    """PostgreSQL: a transaction-scoped advisory lock per log (it exists before any row does) serialises writers of
    one log; different logs do not wait for each other's signing."""

    chain: ChainWriter

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
        sealed = self.chain.seal_all([s.state for s in stored_events], int(row["next_seq"]), row["head_hash"])
        _remember(sealed)
        # One statement for the whole batch: in psycopg's pipeline mode, tens of thousands of queued single-row
        # INSERT results can fill both socket buffers and stall the connection (seen with a 90,000-ballot import).
        columns = [list(column) for column in zip(*_rows(log_id, sealed))]
        curs.execute(_INSERT_ENTRIES_UNNEST, columns)
        curs.execute(_UPDATE_HEAD.format(p="%s"), (sealed[-1].seq + 1, sealed[-1].entry_hash, log_id))

    def select_entries(self, log_id: str, start: int, limit: int) -> list[EntryRow]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(_SELECT_PAGE.format(p="%s"), (log_id, start, limit))
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
