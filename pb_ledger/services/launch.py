"""Stage 1, launch."""

from __future__ import annotations

from typing import Any

import structlog
from babel.numbers import get_currency_precision, list_currencies

from pb_ledger.domain import launch as domain
from pb_ledger.domain.errors import DomainError
from pb_ledger.ledger.canonical import nfc
from pb_ledger.services.repository import Actor, CycleRepository

log = structlog.get_logger()
TEAM: Actor = ("pb-team", "")


def currency_exponent(currency: str, exponent: int | None) -> int:
    """The number of minor-unit digits of an ISO 4217 currency (2 for MAD, 0 for JPY, 3 for TND); a given
    `exponent` must agree with it, so that amounts in minor units mean what they say."""
    if not isinstance(currency, str) or currency not in list_currencies():
        raise DomainError("invalid_currency", f"currency {currency!r} is not an ISO 4217 code such as MAD or EUR")
    digits = int(get_currency_precision(currency))
    if exponent is not None and exponent != digits:
        raise DomainError("invalid_currency", f"{currency} amounts have {digits} minor-unit digit(s), not {exponent}")
    return digits


class LaunchService:
    def __init__(self, repo: CycleRepository) -> None:
        self.repo = repo

    def create_cycle(self, title: str, amount: int, currency: str, exponent: int | None = None,
                     source: dict[str, Any] | None = None, actor: Actor = TEAM,
                     previous_cycle: str | None = None) -> str:
        """Create a cycle with its budget (amount in minor units of the ISO 4217 currency); returns the cycle id."""
        exponent = currency_exponent(currency, exponent)
        event = domain.decide_create(nfc(title), amount, currency, exponent, source, actor[0], previous_cycle)
        cycle = self.repo.create([event], actor)
        log.info("cycle_created", cycle=cycle)
        return cycle

    def record_council_decision(self, cycle: str, reference: str, date: str, summary: str = "",
                                actor: Actor = TEAM) -> None:
        """Record the council's deliberation to join the process (reference, date YYYY-MM-DD)."""
        self.repo.run(cycle, lambda c: [domain.decide_council_decision(c, nfc(reference), date, nfc(summary),
                                                                       actor[0])], actor)

    def set_envelopes(self, cycle: str, envelopes: dict[str, int], actor: Actor = TEAM) -> None:
        """Set per-district envelopes (minor units), within the budget."""
        clean = {nfc(k): v for k, v in envelopes.items()}
        self.repo.run(cycle, lambda c: [domain.decide_envelopes(c, clean, actor[0])], actor)

    def add_team_member(self, cycle: str, member: str, name: str, team_role: str, actor: Actor = TEAM) -> None:
        """Add a member of the participatory budgeting team with a role."""
        self.repo.run(cycle, lambda c: [domain.decide_team_member(c, nfc(member), nfc(name), team_role, actor[0])],
                      actor)

    def set_timeline(self, cycle: str, phases: dict[str, tuple[str, str]], actor: Actor = TEAM) -> None:
        """Set the dates of the phases: {phase: (start, end)}."""
        self.repo.run(cycle, lambda c: [domain.decide_timeline(c, phases, actor[0])], actor)

    def start_phase(self, cycle: str, phase: str, actor: Actor = TEAM) -> None:
        """Move the cycle to its next phase (ideas, review, implementation, evaluation, closed)."""
        self.repo.run(cycle, lambda c: [domain.decide_start_phase(c, phase, actor[0])], actor)
        log.info("phase_started", cycle=cycle, phase=phase)

    def set_criteria(self, cycle: str, criteria: dict[str, str], actor: Actor = TEAM) -> None:
        """Set the eligibility criteria the committee will apply: {id: label}."""
        clean = {nfc(k): nfc(v) for k, v in criteria.items()}
        self.repo.run(cycle, lambda c: [domain.decide_criteria(c, clean, actor[0])], actor)

    def record_campaign(self, cycle: str, channel: str, start: str, end: str, description: str = "",
                        actor: Actor = TEAM) -> None:
        """Record an action of the communication campaign (channel and dates)."""
        self.repo.run(cycle, lambda c: [domain.decide_campaign(c, nfc(channel), start, end, nfc(description),
                                                               actor[0])], actor)
