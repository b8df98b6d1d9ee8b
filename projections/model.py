"""What a read model is: tables folded from the log's entries, one batch of entries at a time.

A read model reads nothing but the entries it is given and its own tables (never another model's, which may stand at
another position), so that it can be rebuilt alone and still end with the same rows."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from pb_ledger.sqlstore import Cursor


@dataclass(frozen=True, slots=True)
class Entry:
    """The members of an entry a read model needs (docs/log-format.md §2), parsed once per batch."""

    seq: int
    type: str
    cycle: str | None
    time: str
    payload: dict[str, Any]


def parse_entry(seq: int, data: bytes) -> Entry:
    entry = orjson.loads(data)
    return Entry(seq, entry["type"], entry["cycle"], entry["time"], entry["payload"])


def as_json(value: Any) -> str:
    """JSON text for a column that keeps a structured value (reasons' checks, survey answers …)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass
class Batch:
    """One transaction's worth of entries being applied: the cursor, the log, and what handlers gather in memory
    to write once per batch (ballot counters, ballots waiting for their districts)."""

    cur: Cursor
    log: str
    counters: dict[Any, int] = field(default_factory=dict)
    pending: dict[Any, list[Any]] = field(default_factory=dict)

    def count(self, key: Any, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n


Handler = Callable[[Batch, Entry], None]


class Part:
    """A group of tables of a read model and the handlers that write them (one module each, to keep them small)."""

    schema: Sequence[str] = ()
    tables: Sequence[str] = ()

    def handlers(self) -> dict[str, Handler]:
        return {}

    def flush(self, batch: Batch) -> None:
        """Write what the batch added up in memory; called at the end of every batch."""


class ReadModel:
    """A named, versioned read model. A new `version` drops its tables and rebuilds them from the first entry."""

    name: str = ""
    version: int = 0

    def __init__(self, parts: Iterable[Part]) -> None:
        self.parts = tuple(parts)
        self.dispatch: dict[str, list[Handler]] = {}
        for part in self.parts:
            for event_type, handler in part.handlers().items():
                self.dispatch.setdefault(event_type, []).append(handler)

    @property
    def schema(self) -> list[str]:
        return [statement for part in self.parts for statement in part.schema]

    @property
    def tables(self) -> list[str]:
        return [table for part in self.parts for table in part.tables]

    def apply(self, cur: Cursor, log: str, entries: Sequence[Entry]) -> None:
        batch = Batch(cur, log)
        dispatch = self.dispatch
        for entry in entries:
            for handler in dispatch.get(entry.type, ()):
                handler(batch, entry)
        for part in self.parts:
            part.flush(batch)
