"""Application services: one method per command. Each loads the cycle, lets the domain decide, and appends the
resulting events atomically (all of them or none). The API, the CLI and the pages all go through here."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from uuid import UUID, uuid4

import structlog

from pb_ledger.domain import cycle as domain
from pb_ledger.domain.cycle import Cycle, Event
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules
from pb_ledger.ledger.canonical import nfc
from pb_ledger.ledger.store import ConcurrentUpdate, Ledger

log = structlog.get_logger()
Actor = tuple[str, str]
STAFF: Actor = ("pb-team", "")
RETRIES = 30  # optimistic concurrency: reload and decide again, with a growing random pause


class CycleService:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    # reading the aggregate
    def load(self, cycle_id: str) -> tuple[Cycle, int]:
        state = Cycle(id=cycle_id)
        version = 0
        for event in self.ledger.load(_uuid(cycle_id)):
            domain.evolve(state, event.type, event.payload)
            version = event.originator_version
        if not state.exists:
            raise DomainError("unknown_cycle", f"cycle {cycle_id} does not exist")
        return state, version

    # commands
    def create_cycle(self, title: str, amount: int, currency: str, exponent: int = 2,
                     source: dict[str, Any] | None = None, actor: Actor = STAFF) -> str:
        event = domain.decide_create(nfc(title), amount, currency, exponent, source)
        cycle_id = str(uuid4())
        self.ledger.append(UUID(cycle_id), 0, [event], cycle=cycle_id, actor=actor)
        log.info("cycle_created", cycle=cycle_id)
        return cycle_id

    def fix_rules(self, cycle_id: str, rules: Rules, actor: Actor = STAFF) -> None:
        self._command(cycle_id, lambda c: [domain.decide_fix_rules(c, rules)], actor)

    def submit_idea(self, cycle_id: str, idea: str, title: str, description: str = "", channel: str = "online",
                    district: str | None = None, category: str | None = None, estimated_cost: int | None = None,
                    actor: Actor = ("citizen", "")) -> None:
        self._command(cycle_id, lambda c: [domain.decide_submit_idea(
            c, nfc(idea), nfc(title), nfc(description), channel, _nfc_or_none(district), _nfc_or_none(category),
            estimated_cost)], actor)

    def accept_idea(self, cycle_id: str, idea: str, project: str, cost: int, reason: str = "",
                    actor: Actor = ("committee", "")) -> None:
        self._command(cycle_id, lambda c: [domain.decide_accept_idea(c, idea, nfc(project), cost, nfc(reason))], actor)

    def reject_idea(self, cycle_id: str, idea: str, reason: str, criterion: str,
                    actor: Actor = ("committee", "")) -> None:
        self._command(cycle_id, lambda c: [domain.decide_reject_idea(c, idea, nfc(reason), nfc(criterion))], actor)

    def open_voting(self, cycle_id: str, actor: Actor = STAFF) -> None:
        self._command(cycle_id, lambda c: [domain.decide_open_voting(c)], actor)

    def cast_ballot(self, cycle_id: str, channel: str, vote: list[str], points: list[int] | None = None,
                    actor: Actor = ("voter", "")) -> None:
        self._command(cycle_id, lambda c: [domain.decide_cast_ballot(c, channel, vote, points)], actor)

    def close_voting(self, cycle_id: str, actor: Actor = STAFF) -> None:
        self._command(cycle_id, lambda c: [domain.decide_close_voting(c)], actor)
        log.info("voting_closed", cycle=cycle_id)

    def announce_results(self, cycle_id: str, actor: Actor = STAFF) -> list[str]:
        def decide(c: Cycle) -> list[Event]:
            closing = self.closing_entry_hash(cycle_id) if c.phase == domain.CLOSED else ""
            return [domain.decide_announce(c, self.ballots(cycle_id), closing)]

        events = self._command(cycle_id, decide, actor)
        winners: list[str] = events[0][1]["winners"]
        log.info("results_announced", cycle=cycle_id, winners=len(winners))
        return winners

    def append_decided(self, cycle_id: str, version: int, events: list[Event], actor: Actor) -> int:
        """Append events that the caller decided on a state it holds at `version` (bulk import)."""
        return self.ledger.append(_uuid(cycle_id), version, events, cycle=cycle_id, actor=actor)

    # reading entries of the cycle
    def closing_entry_hash(self, cycle_id: str) -> str:
        for row in self.ledger.iter_cycle_entries(cycle_id, "VotingClosed"):
            return row.entry_hash
        raise DomainError("voting_not_closed", "the vote of this cycle has not been closed")

    def ballots(self, cycle_id: str) -> Iterator[tuple[list[str], list[int] | None]]:
        for row in self.ledger.iter_cycle_entries(cycle_id, "BallotCast"):
            payload = json.loads(row.entry)["payload"]
            yield payload["vote"], payload.get("points")

    def _command(self, cycle_id: str, decide: Callable[[Cycle], list[Event]], actor: Actor) -> list[Event]:
        for attempt in range(RETRIES):
            state, version = self.load(cycle_id)
            events = decide(state)
            try:
                self.ledger.append(_uuid(cycle_id), version, events, cycle=cycle_id, actor=actor)
                return events
            except ConcurrentUpdate:
                time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 8)))
        raise DomainError("busy", "the cycle is changing too fast; try again")


def _uuid(cycle_id: str) -> UUID:
    try:
        return UUID(cycle_id)
    except ValueError:
        raise DomainError("unknown_cycle", f"{cycle_id!r} is not a cycle id") from None


def _nfc_or_none(text: str | None) -> str | None:
    return None if text is None else nfc(text)


def fold(cycle_id: str, events: Iterable[Event]) -> Cycle:
    state = Cycle(id=cycle_id)
    for event_type, payload in events:
        domain.evolve(state, event_type, payload)
    return state
