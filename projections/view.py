"""The materialised view of one log: the read models' tables, kept by an eventsourcing tracking recorder.

**The tracking position is the log's `seq`, not eventsourcing's notification id.** Each read model records, in the
library's tracking table and in the same transaction as its rows, a `Tracking(application_name="<log> <model>",
notification_id=<seq of the last entry applied>)`. Why `seq`:
- read models are built from the log, and `seq` is the log's own order: gapless, per log, the position a citizen, the
  verifier and a receipt name. Notification ids are ordered but have gaps, interleave the logs that share one events
  table, and are not part of the signed entries (a log restored from its export gets other ones);
- so the lag in entries is exact (head − position), and read-your-writes is "wait until the position passes the seq
  the append returned";
- the library's single-row tracking insert refuses a position that does not advance, so an entry applied twice would
  fail its transaction instead of counting twice — the exactly-once guard, from the library.
Notification ids are used where they belong: to know that something new was committed (the follower's
subscription, `projections/follow.py`).

Entries are applied in batches; each batch's rows and positions are one transaction, taken under a per-log lock
(PostgreSQL: a transaction advisory lock; SQLite: a first write, which takes the single writer lock), so any number of
appliers — a worker, the service catching up before a read, a rebuild — never apply an entry twice."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import structlog
from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder

from pb_ledger.sqlstore import Cursor
from projections.model import Entry, ReadModel, parse_entry
from projections.registry import MODELS

log = structlog.get_logger()
BATCH = 5000
UPSTREAM = "pbledger"  # the name of the log's eventsourcing application (pb_ledger.ledger.store.LedgerApplication)

MODELS_TABLE = ("CREATE TABLE IF NOT EXISTS proj_models (model TEXT PRIMARY KEY, version INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS proj_locks (log_id TEXT PRIMARY KEY)")
# tables no read model keeps any more: the cycles read model's own positions (before the tracking table), the
# register's tokens (participation 1; now read from the log, projections/residence.py)
LEGACY_TABLES = ("proj_positions", "proj_register_tokens")


@dataclass(frozen=True)
class Applied:
    first: int
    last: int
    count: int


@dataclass(frozen=True)
class ModelLag:
    model: str
    position: int  # entries applied (the seq of the next entry to apply)
    head: int  # entries in the log
    seconds: float  # age of the oldest entry not yet applied (0 when none)

    @property
    def entries(self) -> int:
        return self.head - self.position


class ReadModelsView(TrackingRecorder):
    """The read models of the log `log_id` (set on a subclass by `view_class`), over one database."""

    log_id: ClassVar[str] = ""
    models: ClassVar[tuple[ReadModel, ...]] = MODELS
    interrupt: ClassVar[threading.Event | None] = None  # set to stop a long catch-up between two batches
    _without_rowid: ClassVar[str] = ""  # SQLite: keep large lookup tables clustered on their key
    _horizon: int | None = None  # notification id up to which every event's entry is applied (this process)
    datastore: Any  # the backend recorder's (SQLiteDatastore, PostgresDatastore)

    if TYPE_CHECKING:
        def create_table(self) -> None: ...  # the backend recorder's: the library's tracking table

    def close(self) -> None:
        self.datastore.close()

    # --- backend specifics ------------------------------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[tuple[Cursor, Any]]:
        """A write transaction: our cursor, and the library's cursor for its tracking statements."""
        raise NotImplementedError

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        raise NotImplementedError

    def _take_lock(self, cur: Cursor) -> None:
        raise NotImplementedError

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        yield

    def _tracking_table(self) -> str:
        raise NotImplementedError

    def _max_notification_id(self) -> int:
        raise NotImplementedError

    # --- names ------------------------------------------------------------------------------------------------------
    def tracking_name(self, model: ReadModel) -> str:
        return f"{self.log_id} {model.name}"

    # --- schema -----------------------------------------------------------------------------------------------------
    def migrate(self) -> None:
        """Create the tracking table and the read models' tables; a model whose version changed has its tables
        dropped and every log's position in it forgotten, so that it is rebuilt from the first entry."""
        with self._migration_lock():
            self.create_table()
            with self._write() as (cur, _):
                for statement in MODELS_TABLE:
                    cur.execute(statement)
                for table in LEGACY_TABLES:
                    cur.execute(f"DROP TABLE IF EXISTS {table}")
                for model in self.models:
                    self._migrate_model(cur, model)

    def _migrate_model(self, cur: Cursor, model: ReadModel) -> None:
        row = cur.execute("SELECT version FROM proj_models WHERE model=?", (model.name,)).fetchone()
        if row is None or row["version"] != model.version:
            for table in model.tables:
                cur.execute(f"DROP TABLE IF EXISTS {table}")  # noqa: S608 - the model's own table names
            cur.execute(f"DELETE FROM {self._tracking_table()} WHERE application_name LIKE ?",  # noqa: S608
                        (f"% {model.name}",))
            cur.execute("DELETE FROM proj_models WHERE model=?", (model.name,))
            cur.execute("INSERT INTO proj_models (model, version) VALUES (?, ?)", (model.name, model.version))
        for statement in model.schema:
            cur.execute(statement.format(without_rowid=self._without_rowid))

    def reset(self, models: tuple[ReadModel, ...] | None = None) -> None:
        """Forget this log's rows and positions in `models` (default: all), to rebuild them from the first entry."""
        with self._write() as (cur, _):
            self._take_lock(cur)
            for model in models or self.models:
                for table in model.tables:
                    cur.execute(f"DELETE FROM {table} WHERE log_id=?", (self.log_id,))  # noqa: S608
                cur.execute(f"DELETE FROM {self._tracking_table()} WHERE application_name=?",  # noqa: S608
                            (self.tracking_name(model),))

    # --- applying ---------------------------------------------------------------------------------------------------
    def apply_batch(self, until: int | None = None, size: int = BATCH) -> Applied | None:
        """Apply the next entries (at most `size`, none at or past `until`) to every model that has not applied them,
        with the models' new positions, in one transaction. None when there is nothing to apply."""
        with self._write() as (cur, raw):
            self._take_lock(cur)
            done = {m.name: self._last_applied(raw, m) for m in self.models}
            start = min(done.values()) + 1
            limit = size if until is None else min(size, until - start)
            if limit <= 0:
                return None
            # a bounded range (seq is gapless): the plan stays an index range scan even when the table's statistics
            # are stale after a bulk import, where `seq >= ? … LIMIT` can make PostgreSQL sort half the log
            rows = cur.execute("SELECT seq, entry FROM ledger_entries WHERE log_id=? AND seq>=? AND seq<? ORDER BY seq",
                               (self.log_id, start, start + limit)).fetchtuples()
            if not rows:
                return None
            hashed = frozenset().union(*(m.hashed for m in self.models))
            entries = [parse_entry(seq, entry, hashed) for seq, entry in rows]
            applied = Applied(entries[0].seq, entries[-1].seq, len(entries))
            log.debug("projection_batch_started", log=self.log_id, first=applied.first, last=applied.last)
            for model in self.models:
                self._apply(cur, raw, model, [e for e in entries if e.seq > done[model.name]])
        log.debug("projection_batch_committed", log=self.log_id, first=applied.first, last=applied.last)
        return applied

    def _last_applied(self, raw: Any, model: ReadModel) -> int:
        found = self._max_tracking_id(self.tracking_name(model), raw)  # type: ignore[attr-defined]
        return -1 if found is None else int(found)

    def _apply(self, cur: Cursor, raw: Any, model: ReadModel, entries: list[Entry]) -> None:
        if entries:
            model.apply(cur, self.log_id, entries)
            self._insert_tracking(raw, Tracking(self.tracking_name(model), entries[-1].seq))  # type: ignore[attr-defined]

    def catch_up(self, until: int | None = None, size: int = BATCH,
                 on_batch: Callable[[Applied], None] | None = None) -> int:
        """Apply batches until every model has applied the entries before `until` (default: the log's head, looked
        at again once reached, so that entries appended meanwhile are applied too); returns the position reached.
        Finding nothing to do takes no lock: a follower that polls never holds up the log's writers."""
        while True:
            target = self.head() if until is None else until
            if self.position() >= target:
                return self.position()
            while not self._interrupted() and (applied := self.apply_batch(target, size)) is not None:
                if on_batch is not None:
                    on_batch(applied)
            if until is not None or self._interrupted():
                return self.position()

    def _interrupted(self) -> bool:
        return self.interrupt is not None and self.interrupt.is_set()

    # --- reading positions ------------------------------------------------------------------------------------------
    def positions(self) -> dict[str, int]:
        """Entries applied by each model (the seq of the next entry it will apply)."""
        found = {}
        for model in self.models:
            last = self.max_tracking_id(self.tracking_name(model))
            found[model.name] = 0 if last is None else int(last) + 1
        return found

    def position(self) -> int:
        return min(self.positions().values())

    def head(self) -> int:
        with self._read() as cur:
            row = cur.execute("SELECT next_seq FROM ledger_heads WHERE log_id=?", (self.log_id,)).fetchone()
        return 0 if row is None else int(row["next_seq"])

    def lag(self) -> list[ModelLag]:
        head, now = self.head(), datetime.now(UTC)
        return [ModelLag(name, position, head, self._age(position, head, now))
                for name, position in self.positions().items()]

    def _age(self, position: int, head: int, now: datetime) -> float:
        if position >= head:
            return 0.0
        with self._read() as cur:
            row = cur.execute("SELECT entry FROM ledger_entries WHERE log_id=? AND seq=?",
                              (self.log_id, position)).fetchone()
        if row is None:
            return 0.0
        written = datetime.strptime(json.loads(bytes(row["entry"]))["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
        return max(0.0, (now - written.replace(tzinfo=UTC)).total_seconds())

    def wait_for(self, position: int, timeout: float) -> None:
        """Block until every model has applied the entries before `position` (TimeoutError after `timeout`)."""
        deadline = time.monotonic() + timeout
        for model in self.models:
            if position > 0:
                self.wait(self.tracking_name(model), position - 1, max(0.0, deadline - time.monotonic()))

    # --- following the log (projections/follow.py) ------------------------------------------------------------------
    def follow(self, notification_id: int) -> None:
        """An event was committed: apply everything up to the head, unless an earlier catch-up already covered it."""
        if self._horizon is not None and notification_id <= self._horizon:
            return
        horizon = self._max_notification_id()  # every event up to here is committed with its entry …
        self.catch_up()  # … so it is applied once the log has been read to its head after this point
        self._horizon = max(horizon, notification_id)

    def max_tracking_id(self, application_name: str) -> int | None:
        """For the log's application (the follower's subscription asks where to start), the notification id up to
        which everything is applied: the first answer catches up first. For a read model, its last applied seq."""
        if application_name == UPSTREAM:
            if self._horizon is None:
                horizon = self._max_notification_id()
                self.catch_up()
                self._horizon = horizon
            return self._horizon
        return super().max_tracking_id(application_name)  # type: ignore[safe-super]


class SQLiteReadModels(ReadModelsView, SQLiteTrackingRecorder):
    _without_rowid = " WITHOUT ROWID"

    @contextmanager
    def _write(self) -> Iterator[tuple[Cursor, Any]]:
        """A write transaction with `synchronous=NORMAL` (WAL): a commit is not waited to disk, so a power cut may
        lose the last batches — rows and position together, to be applied again — but never half of one. Read models
        can afford it; a rebuild commits 200 batches per million entries, each of which would otherwise wait for an
        fsync. (The log's own writes keep the library's setting.)"""
        with self.datastore.get_connection(commit=True) as conn:
            conn.cursor().execute("PRAGMA synchronous=NORMAL")  # not allowed inside a transaction
            with conn.transaction(commit=True) as c:
                yield Cursor(c, postgres=False), c

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=False) as c:
            yield Cursor(c, postgres=False)

    def _take_lock(self, cur: Cursor) -> None:
        # a write first: SQLite's writer lock is taken before the positions are read (as the log's recorder does)
        cur.execute("INSERT INTO proj_locks (log_id) VALUES (?) ON CONFLICT (log_id) DO NOTHING", (self.log_id,))

    def _tracking_table(self) -> str:
        return "tracking"

    def _max_notification_id(self) -> int:
        with self._read() as cur:
            row = cur.execute("SELECT MAX(rowid) AS n FROM stored_events").fetchone()
        return int(row["n"] or 0) if row else 0


class PostgresReadModels(ReadModelsView, PostgresTrackingRecorder):
    @contextmanager
    def _write(self) -> Iterator[tuple[Cursor, Any]]:
        with self.datastore.transaction(commit=True) as curs:
            yield Cursor(curs, postgres=True), curs

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=False) as curs:
            yield Cursor(curs, postgres=True)

    def _take_lock(self, cur: Cursor) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 11))", (f"pb-ledger/projections/{self.log_id}",))

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """The lock every migration step of pb-ledger takes (pb_ledger/ledger/store.py), held for the session."""
        with self.datastore.get_connection() as conn:
            conn.execute("SELECT pg_advisory_lock(hashtextextended('pb-ledger/migrate', 0))")
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(hashtextextended('pb-ledger/migrate', 0))")

    def _tracking_table(self) -> str:
        return f'"{self.datastore.schema}"."{self.tracking_table_name}"'

    def _max_notification_id(self) -> int:
        with self._read() as cur:
            row = cur.execute(f"SELECT MAX(notification_id) AS n FROM {UPSTREAM}_events").fetchone()  # noqa: S608
        return int(row["n"] or 0) if row else 0
