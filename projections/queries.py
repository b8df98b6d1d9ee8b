"""Reads of the cycles read model, as plain dicts for the API and the pages."""

from __future__ import annotations

import json
from typing import Any

from pb_ledger.sqlstore import ReadStore


class CycleQueries:
    def __init__(self, store: ReadStore, log_id: str) -> None:
        self.store, self.log_id = store, log_id

    def cycles(self) -> list[dict[str, Any]]:
        with self.store.transaction() as cur:
            return cur.execute("SELECT * FROM proj_cycles WHERE log_id=? ORDER BY seq DESC", (self.log_id,)).fetchall()

    def cycle(self, cycle: str) -> dict[str, Any] | None:
        with self.store.transaction() as cur:
            return cur.execute("SELECT * FROM proj_cycles WHERE log_id=? AND cycle=?", (self.log_id, cycle)).fetchone()

    def projects(self, cycle: str) -> list[dict[str, Any]]:
        with self.store.transaction() as cur:
            return cur.execute(
                "SELECT * FROM proj_projects WHERE log_id=? AND cycle=? ORDER BY COALESCE(rank, 1000000000), seq",
                (self.log_id, cycle)).fetchall()

    def milestones(self, cycle: str) -> list[dict[str, Any]]:
        with self.store.transaction() as cur:
            return cur.execute("SELECT * FROM proj_milestones WHERE log_id=? AND cycle=? ORDER BY seq",
                               (self.log_id, cycle)).fetchall()

    def idea(self, idea: str) -> dict[str, Any] | None:
        with self.store.transaction() as cur:
            return cur.execute("SELECT * FROM proj_ideas WHERE log_id=? AND idea=?", (self.log_id, idea)).fetchone()

    def idea_history(self, idea: str) -> list[dict[str, Any]]:
        with self.store.transaction() as cur:
            rows = cur.execute("SELECT * FROM proj_idea_history WHERE log_id=? AND idea=? ORDER BY seq",
                               (self.log_id, idea)).fetchall()
        return [{**row, "detail": json.loads(row["detail"])} for row in rows]

    def ideas(self, cycle: str) -> list[dict[str, Any]]:
        with self.store.transaction() as cur:
            return cur.execute("SELECT * FROM proj_ideas WHERE log_id=? AND cycle=? ORDER BY seq",
                               (self.log_id, cycle)).fetchall()
