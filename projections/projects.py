"""Projects: every accepted idea's project, which of them are on the ballot, and the announced results (score, rank,
selection, the reserve of Poznań's rule, and each district's share in a vote by district)."""

from __future__ import annotations

from projections.model import Batch, Entry, Handler, Part, as_json

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS proj_projects (log_id TEXT NOT NULL, cycle TEXT NOT NULL, project TEXT NOT NULL,"
    " idea TEXT NOT NULL, seq BIGINT NOT NULL, title TEXT NOT NULL, cost BIGINT NOT NULL, district TEXT,"
    " category TEXT, on_ballot INTEGER NOT NULL, score BIGINT, rank INTEGER, selected INTEGER, reserve INTEGER,"
    " PRIMARY KEY (log_id, cycle, project))",
    "CREATE TABLE IF NOT EXISTS proj_district_results (log_id TEXT NOT NULL, cycle TEXT NOT NULL,"
    " district TEXT NOT NULL, budget BIGINT NOT NULL, spent BIGINT NOT NULL, ballots BIGINT NOT NULL,"
    " winners TEXT NOT NULL, PRIMARY KEY (log_id, cycle, district))",
]


def ranks(scores: dict[str, int]) -> dict[str, int]:
    """Rank 1 for the highest score; equal scores keep the order of the announcement (the rule's own tie-break)."""
    return {project: i + 1 for i, project in enumerate(sorted(scores, key=lambda p: -scores[p]))}


class ProjectsPart(Part):
    schema = SCHEMA
    tables = ("proj_projects", "proj_district_results")

    def handlers(self) -> dict[str, Handler]:
        return {"IdeaAccepted": self.accepted, "IdeaRejected": self.withdrawn, "VotingOpened": self.on_ballot,
                "ResultsAnnounced": self.results}

    def withdrawn(self, b: Batch, e: Entry) -> None:
        b.cur.execute("DELETE FROM proj_projects WHERE log_id=? AND cycle=? AND idea=?",
                      (b.log, e.cycle, e.payload["idea"]))

    def accepted(self, b: Batch, e: Entry) -> None:
        self.withdrawn(b, e)
        p = e.payload
        idea = b.cur.execute("SELECT title, district, category FROM proj_ideas WHERE log_id=? AND cycle=? AND idea=?",
                             (b.log, e.cycle, p["idea"])).fetchone() or {"title": "", "district": None,
                                                                         "category": None}
        b.cur.execute("INSERT INTO proj_projects (log_id, cycle, project, idea, seq, title, cost, district, category,"
                      " on_ballot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                      (b.log, e.cycle, p["project"], p["idea"], e.seq, idea["title"], p["cost"], idea["district"],
                       idea["category"]))

    def on_ballot(self, b: Batch, e: Entry) -> None:
        districts = e.payload.get("districts", {})
        for project in e.payload["projects"]:
            b.cur.execute("UPDATE proj_projects SET on_ballot=1, district=COALESCE(?, district)"
                          " WHERE log_id=? AND cycle=? AND project=?",
                          (districts.get(project), b.log, e.cycle, project))

    def results(self, b: Batch, e: Entry) -> None:
        p = e.payload
        rank, winners, reserve = ranks(p["scores"]), set(p["winners"]), set(p.get("reserve", []))
        b.cur.executemany("UPDATE proj_projects SET score=?, rank=?, selected=?, reserve=?"
                          " WHERE log_id=? AND cycle=? AND project=?",
                          [(score, rank[pid], int(pid in winners), int(pid in reserve), b.log, e.cycle, pid)
                           for pid, score in p["scores"].items()])
        b.cur.executemany("INSERT INTO proj_district_results (log_id, cycle, district, budget, spent, ballots, winners)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          [(b.log, e.cycle, d, r["budget"], r["spent"], r["ballots"], as_json(r["winners"]))
                           for d, r in p.get("districts", {}).items()])
