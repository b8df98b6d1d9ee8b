"""Stage 1, ideas: online, paper and forum submissions with receipts; merges; erasure of an author's data."""

from __future__ import annotations

import secrets
from typing import Any

import structlog

from pb_ledger.domain import ideas as domain
from pb_ledger.domain.errors import DomainError
from pb_ledger.ledger.canonical import nfc
from pb_ledger.personal_data import PersonalDataStore
from pb_ledger.services.repository import Actor, CycleRepository

log = structlog.get_logger()
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U to misread


def new_receipt(prefix: str) -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{prefix}-{code[:4]}-{code[4:]}"


class IdeaService:
    def __init__(self, repo: CycleRepository, personal: PersonalDataStore | None) -> None:
        self.repo, self.personal = repo, personal

    def submit_idea(self, cycle: str, title: str, description: str = "", channel: str = "online", *,
                    district: str | None = None, category: str | None = None, location: str | None = None,
                    estimated_cost: int | None = None, paper_form_number: str | None = None,
                    scan_sha256: str | None = None, forum: str | None = None,
                    author_contact: dict[str, str] | None = None, idea: str | None = None,
                    carried_from: dict[str, str] | None = None, actor: Actor = ("citizen", "")) -> str:
        """Submit an idea; returns its receipt code, which the author uses to look it up."""
        receipt = idea or new_receipt("I")
        commitment = self._keep_author(receipt, author_contact)
        paper = {"number": paper_form_number or "", "scan_sha256": scan_sha256 or ""} if channel == "paper" else None
        try:
            self.repo.run(cycle, lambda c: [domain.decide_submit(
                c, nfc(receipt), nfc(title), nfc(description), channel, actor[0], district=_nfc(district),
                category=_nfc(category), location=_nfc(location), estimated_cost=estimated_cost, paper_form=paper,
                forum=_nfc(forum), author_commitment=commitment, carried_from=carried_from)], actor)
        except BaseException:
            if commitment is not None and self.personal is not None:
                self.personal.erase(receipt)  # nothing half-written: no data without its idea
            raise
        log.info("idea_submitted", cycle=cycle, channel=channel)
        return receipt

    def record_forum(self, cycle: str, forum: str, date: str, place: str, attendance: int,
                     actor: Actor = ("pb-team", "")) -> None:
        """Record a citizen forum (date, place, attendance) whose ideas are then submitted with channel=forum."""
        self.repo.run(cycle, lambda c: [domain.decide_forum(c, nfc(forum), date, nfc(place), attendance, actor[0])],
                      actor)

    def merge_ideas(self, cycle: str, into: str, merged: list[str], reason: str,
                    actor: Actor = ("committee", "")) -> None:
        """Merge duplicate ideas into one, recording which ideas it came from."""
        self.repo.run(cycle, lambda c: [domain.decide_merge(c, into, merged, nfc(reason), actor[0])], actor)

    def erase_author(self, cycle: str, idea: str, actor: Actor = ("pb-team", "")) -> None:
        """Erase the personal data of an idea's author; the log stays verifiable."""
        self.repo.run(cycle, lambda c: [domain.decide_author_erased(c, idea, actor[0])], actor)
        if self.personal is not None:
            self.personal.erase(idea)
        log.info("author_data_erased", cycle=cycle)

    def author_contact(self, idea: str) -> dict[str, Any] | None:
        return None if self.personal is None else self.personal.get(idea)

    def _keep_author(self, receipt: str, contact: dict[str, str] | None) -> str | None:
        if not contact:
            return None
        if self.personal is None:
            raise DomainError("no_personal_store", "this service keeps no personal data: submit without contact")
        return self.personal.keep(receipt, {k: nfc(v) for k, v in contact.items()})


def _nfc(text: str | None) -> str | None:
    return None if text is None else nfc(text)
