"""The cycles themselves: budget, rules, phase and its history, the planned timeline, district envelopes, criteria,
the count of ballots cast and the announced totals — what the cycle pages show at the top."""

from __future__ import annotations

from collections import Counter

from projections.model import Batch, BulkHandler, Entry, Handler, Part, as_json

# what each entry type makes the cycle's phase (PhaseStarted names its own)
PHASE_OF = {"CycleCreated": "launch", "VotingOpened": "vote", "VotingClosed": "counting", "ResultsAnnounced": "results"}

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS proj_cycles (log_id TEXT NOT NULL, cycle TEXT NOT NULL, seq BIGINT NOT NULL,"
    " time TEXT NOT NULL, title TEXT NOT NULL, amount BIGINT NOT NULL, currency TEXT NOT NULL,"
    " exponent INTEGER NOT NULL, phase TEXT NOT NULL, vote_type TEXT, rule TEXT, tie_break TEXT, threshold BIGINT,"
    " district_vote TEXT, revoting TEXT, ballots BIGINT NOT NULL, spent BIGINT, closing_entry TEXT, source TEXT,"
    " warning TEXT, previous_cycle TEXT, council_reference TEXT, council_date TEXT, report_summary TEXT,"
    " report_document TEXT, PRIMARY KEY (log_id, cycle))",
    "CREATE TABLE IF NOT EXISTS proj_phases (log_id TEXT NOT NULL, cycle TEXT NOT NULL, seq BIGINT NOT NULL,"
    " time TEXT NOT NULL, phase TEXT NOT NULL, PRIMARY KEY (log_id, seq))",
    "CREATE TABLE IF NOT EXISTS proj_timeline (log_id TEXT NOT NULL, cycle TEXT NOT NULL, phase TEXT NOT NULL,"
    " start_date TEXT NOT NULL, end_date TEXT NOT NULL, PRIMARY KEY (log_id, cycle, phase))",
    "CREATE TABLE IF NOT EXISTS proj_envelopes (log_id TEXT NOT NULL, cycle TEXT NOT NULL, district TEXT NOT NULL,"
    " amount BIGINT NOT NULL, PRIMARY KEY (log_id, cycle, district))",
    "CREATE TABLE IF NOT EXISTS proj_criteria (log_id TEXT NOT NULL, cycle TEXT NOT NULL, criterion TEXT NOT NULL,"
    " label TEXT NOT NULL, PRIMARY KEY (log_id, cycle, criterion))",
]


class CyclesPart(Part):
    schema = SCHEMA
    tables = ("proj_cycles", "proj_phases", "proj_timeline", "proj_envelopes", "proj_criteria")

    def handlers(self) -> dict[str, Handler]:
        return {"CycleCreated": self.created, "RulesFixed": self.rules, "PhaseStarted": self.phase,
                "VotingOpened": self.phase, "VotingClosed": self.phase, "ResultsAnnounced": self.results,
                "ResourcesWarning": self.warning, "TimelineSet": self.timeline,
                "DistrictEnvelopesSet": self.envelopes, "EligibilityCriteriaSet": self.criteria,
                "CouncilDecisionRecorded": self.council, "EvaluationReportPublished": self.report}

    def created(self, b: Batch, e: Entry) -> None:
        p, budget = e.payload, e.payload["budget"]
        b.cur.execute("INSERT INTO proj_cycles (log_id, cycle, seq, time, title, amount, currency, exponent, phase,"
                      " ballots, source, previous_cycle) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'launch', 0, ?, ?)",
                      (b.log, e.cycle, e.seq, e.time, p["title"], budget["amount"], budget["currency"],
                       budget["exponent"], as_json(p.get("source")), p.get("previous_cycle")))
        self._phase_row(b, e, "launch")

    def rules(self, b: Batch, e: Entry) -> None:
        p = e.payload
        b.cur.execute("UPDATE proj_cycles SET vote_type=?, rule=?, tie_break=?, threshold=?, district_vote=?,"
                      " revoting=? WHERE log_id=? AND cycle=?",
                      (p["vote_type"], p["rule"], p["tie_break"], p["threshold"], p.get("district_vote"),
                       p.get("revoting"), b.log, e.cycle))

    def phase(self, b: Batch, e: Entry) -> None:
        phase = e.payload["phase"] if e.type == "PhaseStarted" else PHASE_OF[e.type]
        b.cur.execute("UPDATE proj_cycles SET phase=? WHERE log_id=? AND cycle=?", (phase, b.log, e.cycle))
        self._phase_row(b, e, phase)

    def _phase_row(self, b: Batch, e: Entry, phase: str) -> None:
        b.cur.execute("INSERT INTO proj_phases (log_id, cycle, seq, time, phase) VALUES (?, ?, ?, ?, ?)",
                      (b.log, e.cycle, e.seq, e.time, phase))

    def results(self, b: Batch, e: Entry) -> None:
        self.phase(b, e)
        b.cur.execute("UPDATE proj_cycles SET spent=?, closing_entry=? WHERE log_id=? AND cycle=?",
                      (e.payload["spent"], e.payload["closing_entry"], b.log, e.cycle))

    def bulk_handlers(self) -> dict[str, BulkHandler]:
        return {"BallotCast": self.ballots}

    def ballots(self, b: Batch, run: list[Entry]) -> None:
        for cycle, n in Counter(e.cycle for e in run).items():
            b.cur.execute("UPDATE proj_cycles SET ballots=ballots+? WHERE log_id=? AND cycle=?", (n, b.log, cycle))

    def warning(self, b: Batch, e: Entry) -> None:
        b.cur.execute("UPDATE proj_cycles SET warning=? WHERE log_id=? AND cycle=?",
                      (e.payload["kind"], b.log, e.cycle))

    def council(self, b: Batch, e: Entry) -> None:
        b.cur.execute("UPDATE proj_cycles SET council_reference=?, council_date=? WHERE log_id=? AND cycle=?",
                      (e.payload["reference"], e.payload["date"], b.log, e.cycle))

    def report(self, b: Batch, e: Entry) -> None:
        b.cur.execute("UPDATE proj_cycles SET report_summary=?, report_document=? WHERE log_id=? AND cycle=?",
                      (e.payload["summary"], e.payload["document"], b.log, e.cycle))

    def timeline(self, b: Batch, e: Entry) -> None:
        b.cur.execute("DELETE FROM proj_timeline WHERE log_id=? AND cycle=?", (b.log, e.cycle))
        b.cur.executemany("INSERT INTO proj_timeline (log_id, cycle, phase, start_date, end_date) VALUES (?, ?, ?, ?, ?)",
                          [(b.log, e.cycle, r["phase"], r["start"], r["end"]) for r in e.payload["phases"]])

    def envelopes(self, b: Batch, e: Entry) -> None:
        b.cur.execute("DELETE FROM proj_envelopes WHERE log_id=? AND cycle=?", (b.log, e.cycle))
        b.cur.executemany("INSERT INTO proj_envelopes (log_id, cycle, district, amount) VALUES (?, ?, ?, ?)",
                          [(b.log, e.cycle, d, amount) for d, amount in e.payload["envelopes"].items()])

    def criteria(self, b: Batch, e: Entry) -> None:
        b.cur.execute("DELETE FROM proj_criteria WHERE log_id=? AND cycle=?", (b.log, e.cycle))
        b.cur.executemany("INSERT INTO proj_criteria (log_id, cycle, criterion, label) VALUES (?, ?, ?, ?)",
                          [(b.log, e.cycle, c["id"], c["label"]) for c in e.payload["criteria"]])
