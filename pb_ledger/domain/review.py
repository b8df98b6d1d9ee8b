"""Stage 2, study of the ideas: the selection committee, criteria checked one by one, decisions with public reasons,
revisions (a new decision with its reason; history kept), appeals, and the list of projects put to the vote.

Watch points of the guide: every rejection names a failed criterion and gives a public reason; publishing the
ballot records a warning when the accepted projects' total cost is far below or above the budget."""

from __future__ import annotations

from typing import Any

from pb_ledger.domain.cycle import REVIEW, Cycle, Event, Idea, applies, require_amount, require_exists, require_idea
from pb_ledger.domain.cycle import optional_text, require_phase, require_role, require_text
from pb_ledger.domain.text import SENTENCE
from pb_ledger.domain.errors import DomainError

DECIDERS = ("committee", "importer")
COMMITTEE_KINDS = ("staff", "citizen")
# the watch point on resources: accepted projects worth less than the budget, or more than three times it
FAR_BELOW, FAR_ABOVE = 1.0, 3.0


def decide_committee_member(cycle: Cycle, member: str, name: str, kind: str, role: str) -> Event:
    require_role(role, "pb-team")
    require_exists(cycle)
    if kind not in COMMITTEE_KINDS:
        raise DomainError("invalid_member_kind", "a committee member is staff or citizen")
    return "CommitteeMemberAdded", {"member": require_text(member, "member reference"),
                                    "name": require_text(name, "member name"), "kind": kind}


def _checks(cycle: Cycle, checks: dict[str, bool] | None) -> list[dict[str, Any]]:
    rows = []
    for criterion, met in (checks or {}).items():
        if cycle.criteria and criterion not in cycle.criteria:
            raise DomainError("unknown_criterion", f"{criterion!r} is not one of this cycle's criteria")
        rows.append({"criterion": criterion, "met": bool(met)})
    return rows


def _revision(idea_status: str, decisions: int, revision_reason: str | None) -> dict[str, Any]:
    if decisions == 0:
        return {}
    revision_reason = optional_text(revision_reason, "reason for revising the decision", SENTENCE, multiline=True)
    if revision_reason is None:
        raise DomainError("revision_reason_required",
                          f"this idea was already {idea_status}: a new decision must give the reason for revising it")
    return {"revises": True, "revision_reason": revision_reason}


def _idea_to_decide(cycle: Cycle, idea: str, role: str) -> Idea:
    require_role(role, *DECIDERS)
    require_phase(cycle, REVIEW, "deciding on an idea")
    found = require_idea(cycle, idea)
    if found.status == "merged":
        raise DomainError("idea_merged", f"idea {idea!r} was merged into another idea")
    return found


def decide_accept(cycle: Cycle, idea: str, project: str, cost: int, reason: str, role: str, *,
                  checks: dict[str, bool] | None = None, revision_reason: str | None = None) -> Event:
    found = _idea_to_decide(cycle, idea, role)
    project = require_text(project, "project id")
    reason = optional_text(reason, "reason", SENTENCE, multiline=True) or ""
    require_amount(cost, "cost")
    owner = next((i for i, x in cycle.ideas.items() if x.project == project and x.status == "accepted"), None)
    if owner is not None and owner != idea:
        raise DomainError("project_id_taken", f"project id {project!r} is already the project of idea {owner!r}")
    rows = _checks(cycle, checks)
    if any(not row["met"] for row in rows):
        raise DomainError("criteria_not_met", "an idea that fails a criterion cannot be accepted")
    payload = {"idea": idea, "project": project, "cost": cost, "reason": reason, "checks": rows}
    return "IdeaAccepted", {**payload, **_revision(found.status, found.decisions, revision_reason)}


def decide_reject(cycle: Cycle, idea: str, reason: str, criterion: str, role: str, *,
                  checks: dict[str, bool] | None = None, revision_reason: str | None = None) -> Event:
    found = _idea_to_decide(cycle, idea, role)
    reason = optional_text(reason, "reason", SENTENCE, multiline=True)  # type: ignore[assignment]
    if reason is None:
        raise DomainError("reason_required", "a rejection must give a public reason")
    criterion = require_text(criterion, "failed criterion")
    if cycle.criteria and criterion not in cycle.criteria:
        raise DomainError("unknown_criterion", f"{criterion!r} is not one of this cycle's criteria")
    rows = _checks(cycle, checks)
    payload = {"idea": idea, "reason": reason, "criterion": criterion, "checks": rows}
    return "IdeaRejected", {**payload, **_revision(found.status, found.decisions, revision_reason)}


def decide_appeal(cycle: Cycle, idea: str, appeal: str, statement: str, role: str) -> Event:
    require_role(role, "citizen")
    require_phase(cycle, REVIEW, "appealing a rejection")
    found = require_idea(cycle, idea)
    if found.status != "rejected":
        raise DomainError("not_rejected", "only a rejected idea can be appealed")
    if found.appeal is not None:
        raise DomainError("appeal_pending", "this idea already has an appeal awaiting an answer")
    if appeal in cycle.appeals:
        raise DomainError("duplicate_appeal", f"appeal {appeal!r} already exists")
    return "AppealLodged", {"idea": idea, "appeal": require_text(appeal, "appeal id"),
                            "statement": require_text(statement, "statement", SENTENCE, multiline=True)}


def decide_answer_appeal(cycle: Cycle, appeal: str, outcome: str, answer: str, role: str) -> Event:
    require_role(role, "committee")
    require_phase(cycle, REVIEW, "answering an appeal")
    idea = cycle.appeals.get(appeal)
    if idea is None or cycle.ideas[idea].appeal != appeal:
        raise DomainError("unknown_appeal", f"no appeal {appeal!r} awaits an answer")
    if outcome not in ("upheld", "dismissed"):
        raise DomainError("invalid_outcome", "an appeal is upheld or dismissed")
    return "AppealAnswered", {"appeal": appeal, "idea": idea, "outcome": outcome,
                              "answer": require_text(answer, "answer", SENTENCE, multiline=True)}


def decide_publish_ballot(cycle: Cycle, role: str) -> list[Event]:
    """The list of projects put to the vote, and the resources watch point."""
    require_role(role, "pb-team", "importer")
    require_phase(cycle, REVIEW, "publishing the projects put to the vote")
    pending = [i for i, x in cycle.ideas.items() if x.status == "submitted"]
    if pending:
        raise DomainError("ideas_undecided", f"{len(pending)} idea(s) still await a decision, e.g. {pending[0]!r}")
    waiting = [a for a, i in cycle.appeals.items() if cycle.ideas[i].appeal == a]
    if waiting:
        raise DomainError("appeals_pending", f"appeal {waiting[0]!r} awaits the committee's answer")
    unrevised = [i for i, x in cycle.ideas.items() if x.must_revise]
    if unrevised:
        raise DomainError("revision_pending", f"an appeal on idea {unrevised[0]!r} was upheld: record the new decision")
    if not cycle.projects:
        raise DomainError("no_projects", "no idea was accepted: there is nothing to vote on")
    events: list[Event] = [("BallotPublished", {"projects": [
        {"project": p, "idea": i, "title": x.title, "cost": cycle.projects[p]}
        for i, x in cycle.ideas.items() if x.status == "accepted" and (p := x.project) is not None]})]
    warning = resources_warning(sum(cycle.projects.values()), cycle.budget["amount"])
    if warning:
        events.append(("ResourcesWarning", warning))
    return events


def resources_warning(total: int, budget: int) -> dict[str, Any] | None:
    if total < FAR_BELOW * budget:
        return {"kind": "far-below", "accepted_total": total, "budget": budget,
                "message": "the accepted projects cost less than the budget: part of it cannot be spent"}
    if total > FAR_ABOVE * budget:
        return {"kind": "far-above", "accepted_total": total, "budget": budget,
                "message": "the accepted projects cost more than three times the budget: most cannot be funded"}
    return None


@applies("IdeaAccepted")
def _accepted(c: Cycle, p: dict[str, Any]) -> None:
    idea = c.ideas[p["idea"]]
    if idea.project is not None:
        c.projects.pop(idea.project, None)
    idea.status, idea.project, idea.cost = "accepted", p["project"], p["cost"]
    idea.decisions, idea.must_revise, c.ballot = idea.decisions + 1, False, []
    c.projects[p["project"]] = p["cost"]


@applies("IdeaRejected")
def _rejected(c: Cycle, p: dict[str, Any]) -> None:
    idea = c.ideas[p["idea"]]
    if idea.project is not None:
        c.projects.pop(idea.project, None)
    idea.status, idea.project, idea.cost = "rejected", None, None
    idea.decisions, idea.must_revise, c.ballot = idea.decisions + 1, False, []


@applies("AppealLodged")
def _appeal(c: Cycle, p: dict[str, Any]) -> None:
    c.appeals[p["appeal"]] = p["idea"]
    c.ideas[p["idea"]].appeal = p["appeal"]


@applies("AppealAnswered")
def _answered(c: Cycle, p: dict[str, Any]) -> None:
    c.ideas[p["idea"]].appeal = None
    c.ideas[p["idea"]].must_revise = p["outcome"] == "upheld"


@applies("BallotPublished")
def _published(c: Cycle, p: dict[str, Any]) -> None:
    c.ballot = [row["project"] for row in p["projects"]]
