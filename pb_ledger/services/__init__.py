"""Application services: one method per command of the guide's stages. Each validates its input through the domain
and either appends its events atomically or raises a DomainError with a stable code, appending nothing. The API, the
CLI and the pages all go through here."""

from __future__ import annotations

from pb_ledger.eligibility import RegisterStore
from pb_ledger.ledger.store import Ledger
from pb_ledger.personal_data import PersonalDataStore
from pb_ledger.services.ballots import BallotBox
from pb_ledger.services.evaluation import EvaluationService
from pb_ledger.services.followup import FollowUpService
from pb_ledger.services.ideas import IdeaService
from pb_ledger.services.keys import KeyService
from pb_ledger.services.launch import LaunchService
from pb_ledger.services.repository import Actor, CycleRepository
from pb_ledger.services.review import ReviewService
from pb_ledger.services.transparency import TransparencyService
from pb_ledger.services.voting import VotingService

__all__ = ["Actor", "Services"]


class Services:
    """Every stage's service over one log (the composition root for the CLI, the API and the importer)."""

    def __init__(self, ledger: Ledger, personal: PersonalDataStore | None = None,
                 register: RegisterStore | None = None) -> None:
        self.ledger = ledger
        self.repo = CycleRepository(ledger)
        self.launch = LaunchService(self.repo)
        self.ideas = IdeaService(self.repo, personal)
        self.review = ReviewService(self.repo)
        self.voting = VotingService(self.repo)
        self.ballots = BallotBox(self.repo, register)
        self.followup = FollowUpService(self.repo)
        self.evaluation = EvaluationService(self.repo, self.launch, self.ideas)
        self.keys = KeyService(ledger)  # the log's signing keys (not a stage of the guide)
        self.transparency = TransparencyService(ledger)  # checkpoints, proofs, receipts, witnesses

    @property
    def stages(self) -> dict[str, object]:
        return {"launch": self.launch, "ideas": self.ideas, "review": self.review, "voting": self.voting, "ballots": self.ballots,
                "followup": self.followup, "evaluation": self.evaluation}
