"""The cycles read model: cycles, ideas with their decisions, projects, results — what the pages and the API show."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from pb_ledger.sqlstore import Cursor, ReadStore

NAME = "cycles/v4"
# events that belong to an idea's public history (what its author sees with the receipt)
IDEA_EVENTS = ("IdeaSubmitted", "IdeaAccepted", "IdeaRejected", "AppealLodged", "AppealAnswered",
               "AuthorDataErased")
BATCH = 5000

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS proj_positions (log_id TEXT NOT NULL, name TEXT NOT NULL, position BIGINT NOT NULL,"
    " PRIMARY KEY (log_id, name))",
    "CREATE TABLE IF NOT EXISTS proj_cycles (log_id TEXT NOT NULL, cycle TEXT NOT NULL, seq BIGINT NOT NULL,"
    " title TEXT NOT NULL, amount BIGINT NOT NULL, currency TEXT NOT NULL, exponent INTEGER NOT NULL,"
    " phase TEXT NOT NULL, vote_type TEXT, rule TEXT, tie_break TEXT, threshold BIGINT, ballots BIGINT NOT NULL,"
    " spent BIGINT, closing_entry TEXT, source TEXT, warning TEXT, PRIMARY KEY (log_id, cycle))",
    "CREATE TABLE IF NOT EXISTS proj_idea_history (log_id TEXT NOT NULL, cycle TEXT NOT NULL, idea TEXT NOT NULL,"
    " seq BIGINT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (log_id, seq, idea))",
    "CREATE TABLE IF NOT EXISTS proj_milestones (log_id TEXT NOT NULL, cycle TEXT NOT NULL, seq BIGINT NOT NULL,"
    " project TEXT NOT NULL, kind TEXT NOT NULL, date TEXT NOT NULL, percent INTEGER, reason TEXT, note TEXT,"
    " PRIMARY KEY (log_id, seq))",
    "CREATE TABLE IF NOT EXISTS proj_ideas (log_id TEXT NOT NULL, cycle TEXT NOT NULL, idea TEXT NOT NULL,"
    " seq BIGINT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, channel TEXT NOT NULL, district TEXT,"
    " category TEXT, status TEXT NOT NULL, reason TEXT, criterion TEXT, project TEXT,"
    " PRIMARY KEY (log_id, cycle, idea))",
    "CREATE TABLE IF NOT EXISTS proj_projects (log_id TEXT NOT NULL, cycle TEXT NOT NULL, project TEXT NOT NULL,"
    " idea TEXT NOT NULL, seq BIGINT NOT NULL, title TEXT NOT NULL, cost BIGINT NOT NULL, score BIGINT,"
    " rank INTEGER, selected INTEGER, PRIMARY KEY (log_id, cycle, project))",
]


TABLES = ("proj_positions", "proj_cycles", "proj_ideas", "proj_idea_history", "proj_milestones", "proj_projects")


class CyclesProjection:
    def __init__(self, store: ReadStore, log_id: str) -> None:
        self.store, self.log_id = store, log_id
        self._ballots: Counter[str] = Counter()
        self._handlers: dict[str, Callable[[Cursor, int, dict[str, Any]], None]] = {
            "CycleCreated": self._cycle_created, "RulesFixed": self._rules_fixed,
            "IdeaSubmitted": self._idea_submitted, "IdeaAccepted": self._idea_accepted,
            "IdeaRejected": self._idea_rejected, "VotingOpened": self._phase("vote"),
            "BallotCast": self._ballot_cast, "VotingClosed": self._phase("counting"),
            "ResultsAnnounced": self._results_announced, "PhaseStarted": self._phase_started,
            "IdeasMerged": self._ideas_merged, "ResourcesWarning": self._resources_warning,
            "MilestoneRecorded": self._milestone,
        }

    def migrate(self) -> None:
        """Create the tables; when this version of the read model has not been built for the log yet (a new
        install, or a change of NAME), clear the log's rows so that it is rebuilt from the first entry."""
        self.store.create_tables(SCHEMA)
        with self.store.transaction(write=True) as cur:
            if cur.execute("SELECT 1 FROM proj_positions WHERE log_id=? AND name=?", (self.log_id, NAME)).fetchone():
                return
            for table in TABLES:
                cur.execute(f"DELETE FROM {table} WHERE log_id=?", (self.log_id,))  # noqa: S608 - fixed names

    def position(self) -> int:
        with self.store.transaction() as cur:
            return self._position(cur)

    def _position(self, cur: Cursor) -> int:
        row = cur.execute("SELECT position FROM proj_positions WHERE log_id=? AND name=?", (self.log_id, NAME)).fetchone()
        return 0 if row is None else int(row["position"])

    def catch_up(self, until: int | None = None) -> int:
        """Apply entries in batches until the head (or `until`); returns the position reached."""
        while True:
            with self.store.transaction(write=True) as cur:
                position = self._position(cur)
                if until is not None and position >= until:
                    return position
                rows = cur.execute(
                    "SELECT seq, entry FROM ledger_entries WHERE log_id=? AND seq>=? ORDER BY seq LIMIT ?",
                    (self.log_id, position, BATCH)).fetchall()
                if not rows:
                    return position
                self._apply_batch(cur, rows)
                cur.execute("INSERT INTO proj_positions (log_id, name, position) VALUES (?, ?, ?) "
                            "ON CONFLICT (log_id, name) DO UPDATE SET position=excluded.position",
                            (self.log_id, NAME, int(rows[-1]["seq"]) + 1))

    def _apply_batch(self, cur: Cursor, rows: list[dict[str, Any]]) -> None:
        self._ballots.clear()
        for row in rows:
            entry = json.loads(bytes(row["entry"]))
            handler = self._handlers.get(entry["type"])
            if handler is not None:
                handler(cur, entry["seq"], {**entry["payload"], "_cycle": entry["cycle"]})
            self._history(cur, entry)
        self._flush_ballots(cur)

    def _history(self, cur: Cursor, entry: dict[str, Any]) -> None:
        p = entry["payload"]
        if entry["type"] in IDEA_EVENTS:
            ideas = [p["idea"]]
        elif entry["type"] == "IdeasMerged":
            ideas = [*p["merged"], p["into"]]
        else:
            return
        detail = json.dumps({k: v for k, v in p.items() if k not in ("author", "checks")}, ensure_ascii=False)
        for idea in ideas:
            cur.execute("INSERT INTO proj_idea_history (log_id, cycle, idea, seq, event, detail)"
                        " VALUES (?, ?, ?, ?, ?, ?)", (self.log_id, entry["cycle"], idea, entry["seq"],
                                                       entry["type"], detail))

    # handlers
    def _cycle_created(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        b = p["budget"]
        cur.execute("INSERT INTO proj_cycles (log_id, cycle, seq, title, amount, currency, exponent, phase, ballots,"
                    " source) VALUES (?, ?, ?, ?, ?, ?, ?, 'launch', 0, ?)",
                    (self.log_id, p["_cycle"], seq, p["title"], b["amount"], b["currency"], b["exponent"],
                     json.dumps(p.get("source"), ensure_ascii=False)))

    def _rules_fixed(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        cur.execute("UPDATE proj_cycles SET vote_type=?, rule=?, tie_break=?, threshold=? WHERE log_id=? AND cycle=?",
                    (p["vote_type"], p["rule"], p["tie_break"], p["threshold"], self.log_id, p["_cycle"]))

    def _idea_submitted(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        cur.execute("INSERT INTO proj_ideas (log_id, cycle, idea, seq, title, description, channel, district,"
                    " category, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted')",
                    (self.log_id, p["_cycle"], p["idea"], seq, p["title"], p["description"], p["channel"],
                     p["district"], p["category"]))

    def _idea_accepted(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        cur.execute("DELETE FROM proj_projects WHERE log_id=? AND cycle=? AND idea=?", (self.log_id, p["_cycle"],
                                                                                        p["idea"]))
        cur.execute("UPDATE proj_ideas SET status='accepted', reason=?, project=? WHERE log_id=? AND cycle=? AND idea=?",
                    (p["reason"], p["project"], self.log_id, p["_cycle"], p["idea"]))
        title = cur.execute("SELECT title FROM proj_ideas WHERE log_id=? AND cycle=? AND idea=?",
                            (self.log_id, p["_cycle"], p["idea"])).fetchone()
        cur.execute("INSERT INTO proj_projects (log_id, cycle, project, idea, seq, title, cost) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (self.log_id, p["_cycle"], p["project"], p["idea"], seq, title["title"] if title else "",
                     p["cost"]))

    def _idea_rejected(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        cur.execute("DELETE FROM proj_projects WHERE log_id=? AND cycle=? AND idea=?", (self.log_id, p["_cycle"],
                                                                                        p["idea"]))
        cur.execute("UPDATE proj_ideas SET status='rejected', reason=?, criterion=?, project=NULL "
                    "WHERE log_id=? AND cycle=? AND idea=?",
                    (p["reason"], p["criterion"], self.log_id, p["_cycle"], p["idea"]))

    def _phase(self, phase: str) -> Callable[[Cursor, int, dict[str, Any]], None]:
        def apply(cur: Cursor, seq: int, p: dict[str, Any]) -> None:
            self._flush_ballots(cur)
            cur.execute("UPDATE proj_cycles SET phase=? WHERE log_id=? AND cycle=?", (phase, self.log_id, p["_cycle"]))
        return apply

    def _phase_started(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        self._phase(p["phase"])(cur, seq, p)

    def _ideas_merged(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        for idea in p["merged"]:
            cur.execute("UPDATE proj_ideas SET status='merged', project=? WHERE log_id=? AND cycle=? AND idea=?",
                        (p["into"], self.log_id, p["_cycle"], idea))

    def _resources_warning(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        cur.execute("UPDATE proj_cycles SET warning=? WHERE log_id=? AND cycle=?",
                    (p["kind"], self.log_id, p["_cycle"]))

    def _milestone(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        cur.execute("INSERT INTO proj_milestones (log_id, cycle, seq, project, kind, date, percent, reason, note)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (self.log_id, p["_cycle"], seq, p["project"], p["kind"],
                                                           p["date"], p.get("percent"), p.get("reason"),
                                                           p.get("note")))

    def _ballot_cast(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        self._ballots[p["_cycle"]] += 1

    def _flush_ballots(self, cur: Cursor) -> None:
        for cycle, n in self._ballots.items():
            cur.execute("UPDATE proj_cycles SET ballots=ballots+? WHERE log_id=? AND cycle=?", (n, self.log_id, cycle))
        self._ballots.clear()

    def _results_announced(self, cur: Cursor, seq: int, p: dict[str, Any]) -> None:
        cycle = p["_cycle"]
        cur.execute("UPDATE proj_cycles SET phase='results', spent=?, closing_entry=? WHERE log_id=? AND cycle=?",
                    (p["spent"], p["closing_entry"], self.log_id, cycle))
        ranked = sorted(p["scores"], key=lambda pid: -p["scores"][pid])
        rank = {pid: i + 1 for i, pid in enumerate(ranked)}
        winners = set(p["winners"])
        cur.executemany("UPDATE proj_projects SET score=?, rank=?, selected=? WHERE log_id=? AND cycle=? AND project=?",
                        [(score, rank[pid], int(pid in winners), self.log_id, cycle, pid)
                         for pid, score in p["scores"].items()])
