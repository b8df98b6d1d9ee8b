"""After the vote: the works' milestones (the implementation tracker is read from them), documents attached by hash,
site visits with the proposers, and the evaluation's surveys and lessons."""

from __future__ import annotations

from projections.model import Batch, Entry, Handler, Part, as_json

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS proj_milestones (log_id TEXT NOT NULL, cycle TEXT NOT NULL, seq BIGINT NOT NULL,"
    " time TEXT NOT NULL, project TEXT NOT NULL, kind TEXT NOT NULL, date TEXT NOT NULL, percent INTEGER,"
    " reason TEXT, note TEXT, PRIMARY KEY (log_id, seq))",
    "CREATE TABLE IF NOT EXISTS proj_attachments (log_id TEXT NOT NULL, cycle TEXT NOT NULL, seq BIGINT NOT NULL,"
    " project TEXT NOT NULL, sha256 TEXT NOT NULL, media_type TEXT NOT NULL, title TEXT NOT NULL,"
    " PRIMARY KEY (log_id, seq))",
    "CREATE TABLE IF NOT EXISTS proj_site_visits (log_id TEXT NOT NULL, cycle TEXT NOT NULL, visit TEXT NOT NULL,"
    " project TEXT NOT NULL, seq BIGINT NOT NULL, date TEXT NOT NULL, place TEXT NOT NULL, held_seq BIGINT,"
    " attendance BIGINT, note TEXT, PRIMARY KEY (log_id, cycle, visit))",
    "CREATE TABLE IF NOT EXISTS proj_surveys (log_id TEXT NOT NULL, cycle TEXT NOT NULL, survey TEXT NOT NULL,"
    " seq BIGINT NOT NULL, responses BIGINT NOT NULL, questions TEXT NOT NULL, PRIMARY KEY (log_id, seq))",
    "CREATE TABLE IF NOT EXISTS proj_lessons (log_id TEXT NOT NULL, cycle TEXT NOT NULL, seq BIGINT NOT NULL,"
    " lesson TEXT NOT NULL, PRIMARY KEY (log_id, seq))",
]


class FollowUpPart(Part):
    schema = SCHEMA
    tables = ("proj_milestones", "proj_attachments", "proj_site_visits", "proj_surveys", "proj_lessons")

    def handlers(self) -> dict[str, Handler]:
        return {"MilestoneRecorded": self.milestone, "AttachmentAdded": self.attachment,
                "SiteVisitScheduled": self.visit, "SiteVisitHeld": self.visit_held,
                "SurveyResultsRecorded": self.survey, "LessonRecorded": self.lesson}

    def milestone(self, b: Batch, e: Entry) -> None:
        p = e.payload
        b.cur.execute("INSERT INTO proj_milestones (log_id, cycle, seq, time, project, kind, date, percent, reason,"
                      " note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (b.log, e.cycle, e.seq, e.time, p["project"], p["kind"], p["date"], p.get("percent"),
                       p.get("reason"), p.get("note")))

    def attachment(self, b: Batch, e: Entry) -> None:
        p = e.payload
        b.cur.execute("INSERT INTO proj_attachments (log_id, cycle, seq, project, sha256, media_type, title)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (b.log, e.cycle, e.seq, p["project"], p["sha256"], p["media_type"], p["title"]))

    def visit(self, b: Batch, e: Entry) -> None:
        p = e.payload
        b.cur.execute("INSERT INTO proj_site_visits (log_id, cycle, visit, project, seq, date, place)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (b.log, e.cycle, p["visit"], p["project"], e.seq, p["date"], p["place"]))

    def visit_held(self, b: Batch, e: Entry) -> None:
        p = e.payload
        b.cur.execute("UPDATE proj_site_visits SET held_seq=?, attendance=?, note=? WHERE log_id=? AND cycle=?"
                      " AND visit=?", (e.seq, p["attendance"], p.get("note"), b.log, e.cycle, p["visit"]))

    def survey(self, b: Batch, e: Entry) -> None:
        p = e.payload
        b.cur.execute("INSERT INTO proj_surveys (log_id, cycle, survey, seq, responses, questions)"
                      " VALUES (?, ?, ?, ?, ?, ?)",
                      (b.log, e.cycle, p["survey"], e.seq, p["responses"], as_json(p["questions"])))

    def lesson(self, b: Batch, e: Entry) -> None:
        b.cur.execute("INSERT INTO proj_lessons (log_id, cycle, seq, lesson) VALUES (?, ?, ?, ?)",
                      (b.log, e.cycle, e.seq, e.payload["lesson"]))
