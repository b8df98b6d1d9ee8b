"""Reads of the cycles read model, as plain dicts for the API and the pages."""

from __future__ import annotations

import json
from typing import Any

from pb_ledger.sqlstore import ReadStore


class CycleQueries:
    def __init__(self, store: ReadStore, log_id: str) -> None:
        self.store, self.log_id = store, log_id

    def _cycle_rows(self, table: str, cycle: str) -> list[dict[str, Any]]:
        """A cycle's rows of one read-model table, in log order."""
        with self.store.transaction() as cur:
            return cur.execute(f"SELECT * FROM {table} WHERE log_id=? AND cycle=? ORDER BY seq",  # noqa: S608
                               (self.log_id, cycle)).fetchall()

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
        return self._cycle_rows("proj_milestones", cycle)

    def idea(self, idea: str) -> dict[str, Any] | None:
        with self.store.transaction() as cur:
            return cur.execute("SELECT * FROM proj_ideas WHERE log_id=? AND idea=?", (self.log_id, idea)).fetchone()

    def idea_history(self, idea: str) -> list[dict[str, Any]]:
        with self.store.transaction() as cur:
            rows = cur.execute("SELECT * FROM proj_idea_history WHERE log_id=? AND idea=? ORDER BY seq",
                               (self.log_id, idea)).fetchall()
        return [{**row, "detail": json.loads(row["detail"])} for row in rows]

    def ideas(self, cycle: str) -> list[dict[str, Any]]:
        return self._cycle_rows("proj_ideas", cycle)

    # --- committee, appeals, phases ---------------------------------------------------------------------------------
    def decisions(self, cycle: str) -> list[dict[str, Any]]:
        """Every committee decision, revisions included, with its public reason and the criteria it checked."""
        with self.store.transaction() as cur:
            rows = cur.execute("SELECT d.*, i.title FROM proj_decisions d LEFT JOIN proj_ideas i ON i.log_id=d.log_id"
                               " AND i.cycle=d.cycle AND i.idea=d.idea WHERE d.log_id=? AND d.cycle=? ORDER BY d.seq",
                               (self.log_id, cycle)).fetchall()
        return [{**row, "checks": json.loads(row["checks"]), "revises": bool(row["revises"])} for row in rows]

    def appeals(self, cycle: str) -> list[dict[str, Any]]:
        return self._cycle_rows("proj_appeals", cycle)

    def criteria(self, cycle: str) -> dict[str, str]:
        with self.store.transaction() as cur:
            rows = cur.execute("SELECT criterion, label FROM proj_criteria WHERE log_id=? AND cycle=?",
                               (self.log_id, cycle)).fetchall()
        return {row["criterion"]: row["label"] for row in rows}

    def phases(self, cycle: str) -> list[dict[str, Any]]:
        """The phases the cycle went through, each with the entry and time that started it."""
        with self.store.transaction() as cur:
            return cur.execute("SELECT seq, time, phase FROM proj_phases WHERE log_id=? AND cycle=? ORDER BY seq",
                               (self.log_id, cycle)).fetchall()

    def timeline(self, cycle: str) -> list[dict[str, Any]]:
        with self.store.transaction() as cur:
            return cur.execute("SELECT phase, start_date, end_date FROM proj_timeline WHERE log_id=? AND cycle=?"
                               " ORDER BY start_date", (self.log_id, cycle)).fetchall()

    def envelopes(self, cycle: str) -> dict[str, int]:
        with self.store.transaction() as cur:
            rows = cur.execute("SELECT district, amount FROM proj_envelopes WHERE log_id=? AND cycle=?",
                               (self.log_id, cycle)).fetchall()
        return {row["district"]: int(row["amount"]) for row in rows}

    def forums(self, cycle: str) -> list[dict[str, Any]]:
        return self._cycle_rows("proj_forums", cycle)

    # --- the ballot and the results ---------------------------------------------------------------------------------
    def ballot(self, cycle: str) -> list[dict[str, Any]]:
        """The projects put to the vote (once the vote has opened)."""
        return [p for p in self.projects(cycle) if p["on_ballot"]]

    def district_results(self, cycle: str) -> list[dict[str, Any]]:
        with self.store.transaction() as cur:
            rows = cur.execute("SELECT * FROM proj_district_results WHERE log_id=? AND cycle=? ORDER BY district",
                               (self.log_id, cycle)).fetchall()
        return [{**row, "winners": json.loads(row["winners"])} for row in rows]

    # --- live participation (never votes per project before the results) -------------------------------------------
    def participation(self, cycle: str) -> list[dict[str, Any]]:
        """Ballots cast so far, and ballots that count (re-voting), by channel and district ('' for none)."""
        with self.store.transaction() as cur:
            return cur.execute("SELECT channel, district, ballots, counted FROM proj_participation WHERE log_id=? AND"
                               " cycle=? ORDER BY channel, district", (self.log_id, cycle)).fetchall()

    def register(self, cycle: str) -> dict[str, int]:
        """Eligible residents by district, as the register gives them ('': residents without a district)."""
        with self.store.transaction() as cur:
            rows = cur.execute("SELECT district, eligible FROM proj_register WHERE log_id=? AND cycle=?",
                               (self.log_id, cycle)).fetchall()
        return {row["district"]: int(row["eligible"]) for row in rows}

    def eligible(self, cycle: str) -> int | None:
        """How many residents the register makes eligible (None: the cycle published no register)."""
        with self.store.transaction() as cur:
            row = cur.execute("SELECT eligible FROM proj_eligible WHERE log_id=? AND cycle=?",
                              (self.log_id, cycle)).fetchone()
        return None if row is None else int(row["eligible"])

    # --- follow-up --------------------------------------------------------------------------------------------------
    def implementation(self, cycle: str) -> list[dict[str, Any]]:
        """The implementation tracker: each funded project with its latest milestone, its progress, when works
        started and ended, and how often (and last why) it was delayed."""
        tracker = []
        milestones = self.milestones(cycle)
        for project in (p for p in self.projects(cycle) if p["selected"] or p["reserve"]):
            own = [m for m in milestones if m["project"] == project["project"]]
            tracker.append({**_progress(own), "project": project["project"], "title": project["title"],
                            "cost": project["cost"], "district": project["district"],
                            "category": project["category"]})
        return tracker

    def site_visits(self, cycle: str) -> list[dict[str, Any]]:
        return self._cycle_rows("proj_site_visits", cycle)

    def attachments(self, cycle: str) -> list[dict[str, Any]]:
        return self._cycle_rows("proj_attachments", cycle)

    def surveys(self, cycle: str) -> list[dict[str, Any]]:
        rows = self._cycle_rows("proj_surveys", cycle)
        return [{**row, "questions": json.loads(row["questions"])} for row in rows]

    def lessons(self, cycle: str) -> list[str]:
        with self.store.transaction() as cur:
            rows = cur.execute("SELECT lesson FROM proj_lessons WHERE log_id=? AND cycle=? ORDER BY seq",
                               (self.log_id, cycle)).fetchall()
        return [row["lesson"] for row in rows]


def _progress(milestones: list[dict[str, Any]]) -> dict[str, Any]:
    latest = milestones[-1] if milestones else None
    percents = [m["percent"] for m in milestones if m["percent"] is not None]
    started = next((m["date"] for m in milestones if m["kind"] == "works-started"), None)
    ended = next((m["date"] for m in milestones if m["kind"] in ("completed", "cancelled")), None)
    delays = [m for m in milestones if m["kind"] == "delayed"]
    status = latest["kind"] if latest else "not-started"
    percent = 100 if status == "completed" else (percents[-1] if percents else 0)
    return {"status": status, "percent": percent, "last_date": latest["date"] if latest else None,
            "works_started": started, "ended": ended, "delays": len(delays),
            "last_delay_reason": delays[-1]["reason"] if delays else None, "milestones": len(milestones)}
