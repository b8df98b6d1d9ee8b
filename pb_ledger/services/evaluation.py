"""Stage 6, evaluation, and opening the next cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pb_ledger.domain import evaluation as domain
from pb_ledger.ledger.canonical import nfc
from pb_ledger.services.repository import Actor, CycleRepository

if TYPE_CHECKING:
    from pb_ledger.services.ideas import IdeaService
    from pb_ledger.services.launch import LaunchService

TEAM: Actor = ("pb-team", "")


class EvaluationService:
    def __init__(self, repo: CycleRepository, launch: LaunchService, ideas: IdeaService) -> None:
        self.repo, self.launch, self.ideas = repo, launch, ideas

    def record_survey(self, cycle: str, survey: str, responses: int, questions: dict[str, dict[str, int]],
                      actor: Actor = TEAM) -> None:
        """Record a survey's results in aggregate: {question: {answer: count}}."""
        self.repo.run(cycle, lambda c: [domain.decide_survey(c, nfc(survey), responses, questions, actor[0])], actor)

    def record_lesson(self, cycle: str, lesson: str, actor: Actor = TEAM) -> None:
        """Record a lesson learnt by the PB team."""
        self.repo.run(cycle, lambda c: [domain.decide_lesson(c, nfc(lesson), actor[0])], actor)

    def publish_report(self, cycle: str, summary: str, document_sha256: str | None = None,
                       actor: Actor = TEAM) -> None:
        """Publish the evaluation report (its summary, and the SHA-256 of the full document if any)."""
        self.repo.run(cycle, lambda c: [domain.decide_report(c, nfc(summary), document_sha256, actor[0])], actor)

    def open_next_cycle(self, previous: str, title: str, amount: int, currency: str, exponent: int | None = None,
                        carry_forward: bool = True, actor: Actor = TEAM) -> str:
        """Open the next cycle from this one; eligible unfunded ideas are carried forward if asked."""
        state, _ = self.repo.load(previous)
        carried = domain.carried_ideas(state)
        cycle = self.launch.create_cycle(title, amount, currency, exponent, None, actor, previous_cycle=previous)
        if carry_forward and carried:
            self.launch.start_phase(cycle, "ideas", actor)
            for idea, idea_title in carried:
                self.ideas.submit_idea(cycle, idea_title, channel="carried", idea=idea,
                                       carried_from={"cycle": previous, "idea": idea}, actor=actor)
        return cycle
