"""A plain fold of a log's entries into the rows every read model must hold: one pass, dicts in memory, nothing
shared with projections/ (its read of the log is the specification the read models are checked against)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

PHASE_OF = {"CycleCreated": "launch", "VotingOpened": "vote", "VotingClosed": "counting", "ResultsAnnounced": "results"}
FACTS = {"CouncilDecisionRecorded": ("council", None), "DistrictEnvelopesSet": ("envelopes", None),
         "TimelineSet": ("timeline", None), "EligibilityCriteriaSet": ("criteria", None), "RulesFixed": ("rules", None),
         "VoterRegisterPublished": ("register", None), "BallotPublished": ("ballot", None),
         "VotingOpened": ("voting_opened", None), "VotingClosed": ("voting_closed", None),
         "ResultsAnnounced": ("results", None), "ParticipationSummaryPublished": ("participation", None),
         "PaperBatchFirstEntry": ("batch_first", "batch"), "PaperBatchMismatch": ("batch_mismatch", "batch"),
         "PaperBatchEntered": ("batch", "batch"), "StationReconciled": ("reconciled", "station"),
         "ForumHeld": ("forum", "forum"), "AttachmentAdded": ("attachment", "sha256"),
         "SiteVisitScheduled": ("visit", "visit"), "EvaluationReportPublished": ("report", None)}
HISTORY = ("IdeaSubmitted", "IdeaAccepted", "IdeaRejected", "AppealLodged", "AppealAnswered", "AuthorDataErased")


def text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Fold:
    def __init__(self, log: str) -> None:
        self.log = log
        self.t: dict[str, dict[Any, dict[str, Any]]] = defaultdict(dict)
        self.residence: dict[str, dict[str, str]] = {}  # cycle -> token -> district of residence

    def row(self, table: str, key: Any, **values: Any) -> None:
        self.t[table][key] = {"log_id": self.log, **values}

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        return {table: list(rows.values()) for table, rows in self.t.items()}

    def apply(self, e: dict[str, Any], entry_hash: str) -> None:
        c, p, seq, kind = e["cycle"], e["payload"], e["seq"], e["type"]
        if kind in FACTS and c is not None:
            self.fact(e, entry_hash)
        cycles, ideas, projects = self.t["proj_cycles"], self.t["proj_ideas"], self.t["proj_projects"]
        if kind in PHASE_OF or kind == "PhaseStarted":
            phase = p["phase"] if kind == "PhaseStarted" else PHASE_OF[kind]
            self.row("proj_phases", seq, cycle=c, seq=seq, time=e["time"], phase=phase)
            if kind != "CycleCreated":
                cycles[c]["phase"] = phase
        if kind in HISTORY:
            self.history(e, [p["idea"]])
        if kind == "CycleCreated":
            self.row("proj_cycles", c, cycle=c, seq=seq, time=e["time"], title=p["title"],
                     amount=p["budget"]["amount"], currency=p["budget"]["currency"],
                     exponent=p["budget"]["exponent"], phase="launch", vote_type=None, rule=None, tie_break=None,
                     threshold=None, district_vote=None, revoting=None, ballots=0, spent=None, closing_entry=None,
                     source=text(p.get("source")), warning=None, previous_cycle=p.get("previous_cycle"),
                     council_reference=None, council_date=None, report_summary=None, report_document=None)
        elif kind == "RulesFixed":
            cycles[c].update(vote_type=p["vote_type"], rule=p["rule"], tie_break=p["tie_break"],
                             threshold=p["threshold"], district_vote=p.get("district_vote"),
                             revoting=p.get("revoting"))
            self.row("proj_vote_settings", c, cycle=c, revoting=int("revoting" in p))
        elif kind == "ResultsAnnounced":
            cycles[c].update(spent=p["spent"], closing_entry=p["closing_entry"])
            order = sorted(p["scores"], key=lambda pid: -p["scores"][pid])
            for pid, score in p["scores"].items():
                if (c, pid) in projects:
                    projects[(c, pid)].update(score=score, rank=order.index(pid) + 1, selected=int(pid in p["winners"]),
                                              reserve=int(pid in p.get("reserve", [])))
            for d, r in p.get("districts", {}).items():
                self.row("proj_district_results", (c, d), cycle=c, district=d, budget=r["budget"], spent=r["spent"],
                         ballots=r["ballots"], winners=text(r["winners"]))
        elif kind == "BallotCast":
            cycles[c]["ballots"] += 1
            self.ballot(c, p)
        elif kind == "ResourcesWarning":
            cycles[c]["warning"] = p["kind"]
        elif kind == "CouncilDecisionRecorded":
            cycles[c].update(council_reference=p["reference"], council_date=p["date"])
        elif kind == "EvaluationReportPublished":
            cycles[c].update(report_summary=p["summary"], report_document=p["document"])
        elif kind == "TimelineSet":
            self.replace("proj_timeline", c, {(c, r["phase"]): {"cycle": c, "phase": r["phase"],
                                                               "start_date": r["start"], "end_date": r["end"]}
                                              for r in p["phases"]})
        elif kind == "DistrictEnvelopesSet":
            self.replace("proj_envelopes", c, {(c, d): {"cycle": c, "district": d, "amount": a}
                                               for d, a in p["envelopes"].items()})
        elif kind == "EligibilityCriteriaSet":
            self.replace("proj_criteria", c, {(c, r["id"]): {"cycle": c, "criterion": r["id"], "label": r["label"]}
                                              for r in p["criteria"]})
        elif kind == "IdeaSubmitted":
            self.row("proj_ideas", (c, p["idea"]), cycle=c, idea=p["idea"], seq=seq, time=e["time"],
                     title=p["title"], description=p["description"], channel=p["channel"], district=p["district"],
                     category=p["category"], estimated_cost=p["estimated_cost"], status="submitted", reason=None,
                     criterion=None, project=None, cost=None, decisions=0)
        elif kind in ("IdeaAccepted", "IdeaRejected"):
            self.decision(e)
        elif kind == "IdeasMerged":
            self.history(e, [*p["merged"], p["into"]])
            for idea in p["merged"]:
                ideas[(c, idea)].update(status="merged", project=p["into"])
        elif kind == "AppealLodged":
            self.row("proj_appeals", (c, p["appeal"]), cycle=c, appeal=p["appeal"], idea=p["idea"], seq=seq,
                     time=e["time"], statement=p["statement"], outcome=None, answer=None, answered_seq=None,
                     answered_time=None)
        elif kind == "AppealAnswered":
            self.t["proj_appeals"][(c, p["appeal"])].update(outcome=p["outcome"], answer=p["answer"],
                                                           answered_seq=seq, answered_time=e["time"])
        elif kind == "ForumHeld":
            self.row("proj_forums", (c, p["forum"]), cycle=c, forum=p["forum"], seq=seq, date=p["date"],
                     place=p["place"], attendance=p["attendance"])
        elif kind == "VotingOpened":
            for pid in p["projects"]:
                if (c, pid) in projects:
                    projects[(c, pid)]["on_ballot"] = 1
                    projects[(c, pid)]["district"] = p.get("districts", {}).get(pid, projects[(c, pid)]["district"])
        elif kind == "MilestoneRecorded":
            self.row("proj_milestones", seq, cycle=c, seq=seq, time=e["time"], project=p["project"], kind=p["kind"],
                     date=p["date"], percent=p.get("percent"), reason=p.get("reason"), note=p.get("note"))
        elif kind == "AttachmentAdded":
            self.row("proj_attachments", seq, cycle=c, seq=seq, project=p["project"], sha256=p["sha256"],
                     media_type=p["media_type"], title=p["title"])
        elif kind == "SiteVisitScheduled":
            self.row("proj_site_visits", (c, p["visit"]), cycle=c, visit=p["visit"], project=p["project"], seq=seq,
                     date=p["date"], place=p["place"], held_seq=None, attendance=None, note=None)
        elif kind == "SiteVisitHeld":
            self.t["proj_site_visits"][(c, p["visit"])].update(held_seq=seq, attendance=p["attendance"],
                                                              note=p.get("note"))
        elif kind == "SurveyResultsRecorded":
            self.row("proj_surveys", seq, cycle=c, survey=p["survey"], seq=seq, responses=p["responses"],
                     questions=text(p["questions"]))
        elif kind == "LessonRecorded":
            self.row("proj_lessons", seq, cycle=c, seq=seq, lesson=p["lesson"])
        elif kind == "VoterRegisterPublished":
            self.replace("proj_register", c, {(c, d): {"cycle": c, "district": d, "eligible": n}
                                              for d, n in p["districts"].items()})
            self.row("proj_eligible", c, cycle=c, eligible=p["count"], refused_lines=p["refused_lines"])
            self.residence[c] = {}
        elif kind == "BallotTokensPublished" and "district" in p:
            self.residence[c].update(dict.fromkeys(p["tokens"], p["district"]))

    def fact(self, e: dict[str, Any], entry_hash: str) -> None:
        (kind, member), p, c = FACTS[e["type"]], e["payload"], e["cycle"]
        key = "" if member is None else f"{p['station']}\x1f{p['batch']}" if member == "batch" else str(p[member])
        facts = self.t["proj_cycle_facts"]
        if e["type"] == "PaperBatchEntered":
            for settled in ("batch_first", "batch_mismatch"):
                facts.pop((c, settled, key), None)
        self.row("proj_cycle_facts", (c, kind, key), cycle=c, kind=kind, fkey=key, seq=e["seq"],
                 entry_hash=entry_hash, payload=json.dumps(p, ensure_ascii=False))

    def replace(self, table: str, cycle: str, rows: dict[Any, dict[str, Any]]) -> None:
        self.t[table] = {k: v for k, v in self.t[table].items() if v["cycle"] != cycle}
        for key, values in rows.items():
            self.row(table, key, **values)

    def history(self, e: dict[str, Any], ideas: list[str]) -> None:
        detail = text({k: v for k, v in e["payload"].items() if k not in ("author", "checks")})
        for idea in ideas:
            self.row("proj_idea_history", (e["seq"], idea), cycle=e["cycle"], idea=idea, seq=e["seq"],
                     event=e["type"], detail=detail)

    def decision(self, e: dict[str, Any]) -> None:
        c, p, accepted = e["cycle"], e["payload"], e["type"] == "IdeaAccepted"
        idea = self.t["proj_ideas"][(c, p["idea"])]
        idea.update(status="accepted" if accepted else "rejected", reason=p["reason"],
                    criterion=None if accepted else p["criterion"], project=p["project"] if accepted else None,
                    cost=p["cost"] if accepted else None, decisions=idea["decisions"] + 1)
        self.row("proj_decisions", e["seq"], cycle=c, seq=e["seq"], time=e["time"], idea=p["idea"],
                 decision=idea["status"], project=idea["project"], cost=idea["cost"], reason=p["reason"],
                 criterion=idea["criterion"], checks=text(p.get("checks", [])), revises=int(bool(p.get("revises"))),
                 revision_reason=p.get("revision_reason"))
        projects = self.t["proj_projects"]
        for key in [k for k, v in projects.items() if v["cycle"] == c and v["idea"] == p["idea"]]:
            del projects[key]
        if accepted:
            self.row("proj_projects", (c, p["project"]), cycle=c, project=p["project"], idea=p["idea"],
                     seq=e["seq"], title=idea["title"], cost=p["cost"], district=idea["district"],
                     category=idea["category"], on_ballot=0, score=None, rank=None, selected=None, reserve=None)

    def ballot(self, c: str, p: dict[str, Any]) -> None:
        token = p.get("token")
        district = p.get("district")
        if district is None:
            district = self.residence.get(c, {}).get(token, "")
        key = (c, p["channel"], district)
        counts = self.t["proj_participation"].setdefault(key, {"log_id": self.log, "cycle": c, "channel": p["channel"],
                                                               "district": district, "ballots": 0, "counted": 0})
        counts["ballots"] += 1
        counts["counted"] += 1
        if not self.t["proj_vote_settings"][c]["revoting"] or token is None:
            return
        last = self.t["proj_last_ballots"].get((c, token))
        if last is not None:
            self.t["proj_participation"][(c, last["channel"], last["district"])]["counted"] -= 1
        self.row("proj_last_ballots", (c, token), cycle=c, token=token, channel=p["channel"], district=district)


def expected_rows(log: str, entries: list[bytes]) -> dict[str, list[dict[str, Any]]]:
    fold = Fold(log)
    for entry in entries:
        fold.apply(json.loads(entry), hashlib.sha256(entry).hexdigest())
    return fold.rows()
