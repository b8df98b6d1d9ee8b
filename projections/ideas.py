"""Ideas and what the committee did with them: each idea's status, its public history (what its author sees with
the receipt), every committee decision with its reason, appeals and their answers, and the citizen forums."""

from __future__ import annotations

from typing import Any

from projections.model import Batch, Entry, Handler, Part, as_json

# events that belong to an idea's public history
IDEA_EVENTS = ("IdeaSubmitted", "IdeaAccepted", "IdeaRejected", "AppealLodged", "AppealAnswered", "AuthorDataErased")
PRIVATE_MEMBERS = ("author", "checks")  # the author's commitment and the criteria grid stay out of the history's text

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS proj_ideas (log_id TEXT NOT NULL, cycle TEXT NOT NULL, idea TEXT NOT NULL,"
    " seq BIGINT NOT NULL, time TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, channel TEXT NOT NULL,"
    " district TEXT, category TEXT, estimated_cost BIGINT, status TEXT NOT NULL, reason TEXT, criterion TEXT,"
    " project TEXT, cost BIGINT, decisions INTEGER NOT NULL, PRIMARY KEY (log_id, cycle, idea))",
    "CREATE INDEX IF NOT EXISTS proj_ideas_by_receipt ON proj_ideas (log_id, idea)",
    "CREATE TABLE IF NOT EXISTS proj_idea_history (log_id TEXT NOT NULL, cycle TEXT NOT NULL, idea TEXT NOT NULL,"
    " seq BIGINT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (log_id, seq, idea))",
    "CREATE INDEX IF NOT EXISTS proj_idea_history_by_idea ON proj_idea_history (log_id, idea, seq)",
    "CREATE TABLE IF NOT EXISTS proj_decisions (log_id TEXT NOT NULL, cycle TEXT NOT NULL, seq BIGINT NOT NULL,"
    " time TEXT NOT NULL, idea TEXT NOT NULL, decision TEXT NOT NULL, project TEXT, cost BIGINT,"
    " reason TEXT NOT NULL, criterion TEXT, checks TEXT NOT NULL, revises INTEGER NOT NULL, revision_reason TEXT,"
    " PRIMARY KEY (log_id, seq))",
    "CREATE TABLE IF NOT EXISTS proj_appeals (log_id TEXT NOT NULL, cycle TEXT NOT NULL, appeal TEXT NOT NULL,"
    " idea TEXT NOT NULL, seq BIGINT NOT NULL, time TEXT NOT NULL, statement TEXT NOT NULL, outcome TEXT,"
    " answer TEXT, answered_seq BIGINT, answered_time TEXT, PRIMARY KEY (log_id, cycle, appeal))",
    "CREATE TABLE IF NOT EXISTS proj_forums (log_id TEXT NOT NULL, cycle TEXT NOT NULL, forum TEXT NOT NULL,"
    " seq BIGINT NOT NULL, date TEXT NOT NULL, place TEXT NOT NULL, attendance BIGINT NOT NULL,"
    " PRIMARY KEY (log_id, cycle, forum))",
]


def history_detail(payload: dict[str, Any]) -> str:
    return as_json({k: v for k, v in payload.items() if k not in PRIVATE_MEMBERS})


class IdeasPart(Part):
    schema = SCHEMA
    tables = ("proj_ideas", "proj_idea_history", "proj_decisions", "proj_appeals", "proj_forums")

    def handlers(self) -> dict[str, Handler]:
        handlers: dict[str, Handler] = dict.fromkeys(IDEA_EVENTS, self.history)
        handlers.update({"IdeaSubmitted": self.submitted, "IdeaAccepted": self.accepted,
                         "IdeaRejected": self.rejected, "IdeasMerged": self.merged, "AppealLodged": self.appeal,
                         "AppealAnswered": self.answer, "ForumHeld": self.forum})
        return handlers

    def history(self, b: Batch, e: Entry) -> None:
        self._history_rows(b, e, [e.payload["idea"]])

    def _history_rows(self, b: Batch, e: Entry, ideas: list[str]) -> None:
        detail = history_detail(e.payload)
        b.cur.executemany("INSERT INTO proj_idea_history (log_id, cycle, idea, seq, event, detail)"
                          " VALUES (?, ?, ?, ?, ?, ?)", [(b.log, e.cycle, idea, e.seq, e.type, detail) for idea in ideas])

    def submitted(self, b: Batch, e: Entry) -> None:
        self.history(b, e)
        p = e.payload
        b.cur.execute("INSERT INTO proj_ideas (log_id, cycle, idea, seq, time, title, description, channel, district,"
                      " category, estimated_cost, status, decisions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                      " 'submitted', 0)", (b.log, e.cycle, p["idea"], e.seq, e.time, p["title"], p["description"],
                                           p["channel"], p["district"], p["category"], p["estimated_cost"]))

    def accepted(self, b: Batch, e: Entry) -> None:
        self.history(b, e)
        p = e.payload
        b.cur.execute("UPDATE proj_ideas SET status='accepted', reason=?, criterion=NULL, project=?, cost=?,"
                      " decisions=decisions+1 WHERE log_id=? AND cycle=? AND idea=?",
                      (p["reason"], p["project"], p["cost"], b.log, e.cycle, p["idea"]))
        self._decision(b, e, "accepted", p["project"], p["cost"], None)

    def rejected(self, b: Batch, e: Entry) -> None:
        self.history(b, e)
        p = e.payload
        b.cur.execute("UPDATE proj_ideas SET status='rejected', reason=?, criterion=?, project=NULL, cost=NULL,"
                      " decisions=decisions+1 WHERE log_id=? AND cycle=? AND idea=?",
                      (p["reason"], p["criterion"], b.log, e.cycle, p["idea"]))
        self._decision(b, e, "rejected", None, None, p["criterion"])

    def _decision(self, b: Batch, e: Entry, decision: str, project: str | None, cost: int | None,
                  criterion: str | None) -> None:
        p = e.payload
        b.cur.execute("INSERT INTO proj_decisions (log_id, cycle, seq, time, idea, decision, project, cost, reason,"
                      " criterion, checks, revises, revision_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (b.log, e.cycle, e.seq, e.time, p["idea"], decision, project, cost, p["reason"], criterion,
                       as_json(p.get("checks", [])), int(bool(p.get("revises"))), p.get("revision_reason")))

    def merged(self, b: Batch, e: Entry) -> None:
        p = e.payload
        self._history_rows(b, e, [*p["merged"], p["into"]])
        b.cur.executemany("UPDATE proj_ideas SET status='merged', project=? WHERE log_id=? AND cycle=? AND idea=?",
                          [(p["into"], b.log, e.cycle, idea) for idea in p["merged"]])

    def appeal(self, b: Batch, e: Entry) -> None:
        self.history(b, e)
        p = e.payload
        b.cur.execute("INSERT INTO proj_appeals (log_id, cycle, appeal, idea, seq, time, statement)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)", (b.log, e.cycle, p["appeal"], p["idea"], e.seq, e.time,
                                                        p["statement"]))

    def answer(self, b: Batch, e: Entry) -> None:
        self.history(b, e)
        p = e.payload
        b.cur.execute("UPDATE proj_appeals SET outcome=?, answer=?, answered_seq=?, answered_time=?"
                      " WHERE log_id=? AND cycle=? AND appeal=?",
                      (p["outcome"], p["answer"], e.seq, e.time, b.log, e.cycle, p["appeal"]))

    def forum(self, b: Batch, e: Entry) -> None:
        p = e.payload
        b.cur.execute("INSERT INTO proj_forums (log_id, cycle, forum, seq, date, place, attendance)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)", (b.log, e.cycle, p["forum"], e.seq, p["date"], p["place"],
                                                        p["attendance"]))
