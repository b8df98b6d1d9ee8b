"""Stage 5, follow-up of the works."""

from __future__ import annotations

from pb_ledger.domain import followup as domain
from pb_ledger.ledger.canonical import nfc
from pb_ledger.services.repository import Actor, CycleRepository

TEAM: Actor = ("pb-team", "")


class FollowUpService:
    def __init__(self, repo: CycleRepository) -> None:
        self.repo = repo

    def record_milestone(self, cycle: str, project: str, kind: str, date: str, *, percent: int | None = None,
                         reason: str | None = None, note: str = "", actor: Actor = TEAM) -> None:
        """Record a milestone of a funded project (planned, procurement, works-started, progress with percent,
        delayed with reason, completed, cancelled with reason)."""
        self.repo.run(cycle, lambda c: [domain.decide_milestone(
            c, project, kind, date, actor[0], percent=percent, reason=None if reason is None else nfc(reason),
            note=nfc(note))], actor)

    def add_attachment(self, cycle: str, project: str, sha256: str, media_type: str, title: str,
                       actor: Actor = TEAM) -> None:
        """Attach a photo or document to a funded project, by the SHA-256 of its bytes."""
        self.repo.run(cycle, lambda c: [domain.decide_attachment(c, project, sha256, media_type, nfc(title),
                                                                 actor[0])], actor)

    def schedule_visit(self, cycle: str, visit: str, project: str, date: str, place: str,
                       actor: Actor = TEAM) -> None:
        """Schedule a site visit open to the project's proposers and citizens."""
        self.repo.run(cycle, lambda c: [domain.decide_visit(c, nfc(visit), project, date, nfc(place), actor[0])],
                      actor)

    def record_visit_held(self, cycle: str, visit: str, attendance: int, note: str = "", actor: Actor = TEAM) -> None:
        """Record that a site visit took place, with its attendance."""
        self.repo.run(cycle, lambda c: [domain.decide_visit_held(c, visit, attendance, actor[0], nfc(note))], actor)
