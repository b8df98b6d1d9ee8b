"""The first typing of a paper ballot batch under double entry, kept privately until a second clerk types the same
batch: it holds the lines as typed (national ids included), so it never goes into the public log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pb_ledger.sqlstore import ReadStore

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS paper_batch_drafts (log_id TEXT NOT NULL, cycle TEXT NOT NULL, station TEXT NOT NULL,"
    " batch TEXT NOT NULL, clerk TEXT NOT NULL, lines TEXT NOT NULL, PRIMARY KEY (log_id, cycle, station, batch))",
]


@dataclass(frozen=True)
class Draft:
    clerk: str
    lines: list[dict[str, Any]]


class PaperDrafts:
    def __init__(self, store: ReadStore, log_id: str) -> None:
        self.store, self.log_id = store, log_id
        store.create_tables(SCHEMA)

    def find(self, cycle: str, station: str, batch: str) -> Draft | None:
        with self.store.transaction() as cur:
            row = cur.execute("SELECT clerk, lines FROM paper_batch_drafts WHERE log_id=? AND cycle=? AND station=?"
                              " AND batch=?", (self.log_id, cycle, station, batch)).fetchone()
        return None if row is None else Draft(row["clerk"], json.loads(row["lines"]))

    def keep(self, cycle: str, station: str, batch: str, clerk: str, lines: list[dict[str, Any]]) -> bool:
        """Keep the first typing; False when another first typing of the batch got there first."""
        text = json.dumps(lines, ensure_ascii=False, sort_keys=True)
        with self.store.transaction(write=True) as cur:
            cur.execute("INSERT INTO paper_batch_drafts (log_id, cycle, station, batch, clerk, lines)"
                        " VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                        (self.log_id, cycle, station, batch, clerk, text))
            row = cur.execute("SELECT clerk, lines FROM paper_batch_drafts WHERE log_id=? AND cycle=? AND station=?"
                              " AND batch=?", (self.log_id, cycle, station, batch)).fetchone()
        return row is not None and row["clerk"] == clerk and row["lines"] == text

    def discard(self, cycle: str, station: str, batch: str) -> None:
        with self.store.transaction(write=True) as cur:
            cur.execute("DELETE FROM paper_batch_drafts WHERE log_id=? AND cycle=? AND station=? AND batch=?",
                        (self.log_id, cycle, station, batch))
