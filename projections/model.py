"""What a read model is: tables folded from the log's entries, one batch of entries at a time.

A read model reads nothing but the entries it is given and its own tables (never another model's, which may stand at
another position), so that it can be rebuilt alone and still end with the same rows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

import orjson

from pb_ledger.sqlstore import Cursor


class Entry(NamedTuple):
    """The members of an entry a read model needs (docs/log-format.md §2), parsed once per batch (a named tuple:
    rebuilding a million entries makes a million of them)."""

    seq: int
    type: str
    cycle: str | None
    time: str
    payload: dict[str, Any]
    hash: str  # the entry hash (hex SHA-256 of the entry bytes), for the types a part asks it for ('' otherwise)


def parse_entry(seq: int, data: bytes | memoryview, hashed: frozenset[str] = frozenset()) -> Entry:
    """The entry at `seq`; its hash (SHA-256 of the bytes, log-format §2) only for the types in `hashed`."""
    entry = orjson.loads(data)
    kind = entry["type"]
    return Entry(seq, kind, entry["cycle"], entry["time"], entry["payload"],
                 hashlib.sha256(data).hexdigest() if kind in hashed else "")


def as_json(value: Any) -> str:
    """JSON text for a column that keeps a structured value (reasons' checks, survey answers …)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass
class Batch:
    """One transaction's worth of entries being applied: the cursor, the log, and what handlers gather in memory
    to write once per batch (ballots waiting for their districts)."""

    cur: Cursor
    log: str
    pending: dict[Any, Any] = field(default_factory=dict)


Handler = Callable[[Batch, Entry], None]
BulkHandler = Callable[[Batch, list[Entry]], None]


class Part:
    """A group of tables of a read model and the handlers that write them (one module each, to keep them small)."""

    schema: Sequence[str] = ()
    tables: Sequence[str] = ()
    hashed: frozenset[str] = frozenset()  # the entry types whose entries it needs with their hash

    def handlers(self) -> dict[str, Handler]:
        return {}

    def bulk_handlers(self) -> dict[str, BulkHandler]:
        """Handlers given a whole run of consecutive entries of one type at once (ballots, by the thousand)."""
        return {}

    def flush(self, batch: Batch) -> None:
        """Write what the batch added up in memory; called at the end of every batch."""


class ReadModel:
    """A named, versioned read model. A new `version` drops its tables and rebuilds them from the first entry."""

    name: str = ""
    version: int = 0

    def __init__(self, parts: Iterable[Part]) -> None:
        self.parts = tuple(parts)
        self.dispatch: dict[str, list[tuple[bool, Any]]] = {}
        for part in self.parts:
            for event_type, handler in part.handlers().items():
                self.dispatch.setdefault(event_type, []).append((False, handler))
            for event_type, bulk in part.bulk_handlers().items():
                self.dispatch.setdefault(event_type, []).append((True, bulk))

    @property
    def hashed(self) -> frozenset[str]:
        return frozenset().union(*(part.hashed for part in self.parts))

    @property
    def schema(self) -> list[str]:
        return [statement for part in self.parts for statement in part.schema]

    @property
    def tables(self) -> list[str]:
        return [table for part in self.parts for table in part.tables]

    def apply(self, cur: Cursor, log: str, entries: Sequence[Entry]) -> None:
        """Apply `entries` in order; a run of consecutive entries of one type goes to a bulk handler at once."""
        batch = Batch(cur, log)
        for event_type, group in groupby(entries, key=itemgetter(1)):
            handlers = self.dispatch.get(event_type)
            if not handlers:
                continue
            run = list(group)
            for bulk, handler in handlers:
                if bulk:
                    handler(batch, run)
                else:
                    for entry in run:
                        handler(batch, entry)
        for part in self.parts:
            part.flush(batch)
