"""Stage 2, the committee's study of the ideas."""

from __future__ import annotations

import structlog

from pb_ledger.domain import review as domain
from pb_ledger.ledger.canonical import nfc
from pb_ledger.services.ideas import new_receipt
from pb_ledger.services.repository import Actor, CycleRepository

log = structlog.get_logger()
COMMITTEE: Actor = ("committee", "")


class ReviewService:
    def __init__(self, repo: CycleRepository) -> None:
        self.repo = repo

    def add_committee_member(self, cycle: str, member: str, name: str, kind: str,
                             actor: Actor = ("pb-team", "")) -> None:
        """Add a member of the selection committee (kind: staff or citizen)."""
        self.repo.run(cycle, lambda c: [domain.decide_committee_member(c, nfc(member), nfc(name), kind, actor[0])],
                      actor)

    def accept_idea(self, cycle: str, idea: str, project: str, cost: int, reason: str = "", *,
                    checks: dict[str, bool] | None = None, revision_reason: str | None = None,
                    actor: Actor = COMMITTEE) -> None:
        """Judge an idea eligible and feasible: it becomes a project at `cost` (minor units)."""
        self.repo.run(cycle, lambda c: [domain.decide_accept(
            c, idea, nfc(project), cost, nfc(reason), actor[0], checks=checks,
            revision_reason=_nfc(revision_reason))], actor)

    def reject_idea(self, cycle: str, idea: str, reason: str, criterion: str, *,
                    checks: dict[str, bool] | None = None, revision_reason: str | None = None,
                    actor: Actor = COMMITTEE) -> None:
        """Reject an idea with a public reason naming the failed criterion."""
        self.repo.run(cycle, lambda c: [domain.decide_reject(
            c, idea, nfc(reason), nfc(criterion), actor[0], checks=checks,
            revision_reason=_nfc(revision_reason))], actor)

    def lodge_appeal(self, cycle: str, idea: str, statement: str, actor: Actor = ("citizen", "")) -> str:
        """Contest a rejection; returns the appeal's reference."""
        appeal = new_receipt("A")
        self.repo.run(cycle, lambda c: [domain.decide_appeal(c, idea, appeal, nfc(statement), actor[0])], actor)
        return appeal

    def answer_appeal(self, cycle: str, appeal: str, outcome: str, answer: str, actor: Actor = COMMITTEE) -> None:
        """Answer an appeal: upheld (then record the revised decision) or dismissed."""
        self.repo.run(cycle, lambda c: [domain.decide_answer_appeal(c, appeal, outcome, nfc(answer), actor[0])],
                      actor)

    def publish_ballot(self, cycle: str, actor: Actor = ("pb-team", "")) -> list[str]:
        """Publish the projects put to the vote (and the resources warning when it applies)."""
        events = self.repo.run(cycle, lambda c: domain.decide_publish_ballot(c, actor[0]), actor)
        if len(events) > 1:
            log.warning("resources_warning", cycle=cycle, kind=events[1][1]["kind"])
        return [row["project"] for row in events[0][1]["projects"]]


def _nfc(text: str | None) -> str | None:
    return None if text is None else nfc(text)
