"""Loading a cycle from the log and appending what the domain decides, with optimistic concurrency."""

from __future__ import annotations

import base64
import json
import random
import time
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID, uuid4

from pb_ledger.domain.cycle import Cycle, Event, evolve
from pb_ledger.domain.errors import DomainError
from pb_ledger.ledger.store import ConcurrentUpdate, Ledger, log_originator

Actor = tuple[str, str]  # (role, non-identifying reference)
RETRIES = 30  # on a concurrent append to the same cycle: reload, decide again, after a growing random pause


class CycleRepository:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def load(self, cycle_id: str) -> tuple[Cycle, int]:
        state, version = Cycle(id=cycle_id), 0
        for event in self.ledger.load(_uuid(cycle_id)):
            evolve(state, event.type, event.payload)
            version = event.originator_version
        if not state.exists:
            raise DomainError("unknown_cycle", f"cycle {cycle_id} does not exist")
        return state, version

    def create(self, events: list[Event], actor: Actor) -> str:
        cycle_id = str(uuid4())
        self.ledger.append(UUID(cycle_id), 0, events, cycle=cycle_id, actor=actor)
        return cycle_id

    def run(self, cycle_id: str, decide: Callable[[Cycle], list[Event]], actor: Actor) -> list[Event]:
        """Decide on the current state and append; atomic, retried when another writer got there first."""
        for attempt in range(RETRIES):
            state, version = self.load(cycle_id)
            events = decide(state)
            try:
                self.ledger.append(_uuid(cycle_id), version, events, cycle=cycle_id, actor=actor)
                return events
            except ConcurrentUpdate:
                time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 8)))
        raise DomainError("busy", "the cycle is changing too fast; try again")

    def append_decided(self, cycle_id: str, version: int, events: list[Event], actor: Actor) -> int:
        """Append events decided on a state the caller holds at `version` (bulk import)."""
        return self.ledger.append(_uuid(cycle_id), version, events, cycle=cycle_id, actor=actor)

    def closing_checkpoint(self, cycle_id: str) -> tuple[str, dict[str, Any]]:
        """The entry hash of the cycle's `VotingClosed`, and the checkpoint that covers the closed vote: the one the
        service signed at that entry (docs/log-format.md §7), `{"size", "root"}`."""
        for row in self.ledger.iter_cycle_entries(cycle_id, "VotingClosed"):
            checkpoint = self.ledger.checkpoint_at(row.seq + 1)
            if checkpoint is None:  # a log written before checkpoints were stored: signing one now fills them in
                self.ledger.checkpoint()
                checkpoint = self.ledger.checkpoint_at(row.seq + 1)
            assert checkpoint is not None, f"no checkpoint at the VotingClosed of cycle {cycle_id}"
            return row.entry_hash, {"size": checkpoint.size, "root": base64.b64encode(checkpoint.root).decode()}
        raise DomainError("not_found", f"no VotingClosed in cycle {cycle_id}")

    def ballots(self, cycle_id: str) -> Iterator[dict[str, Any]]:
        """The payloads of the cycle's `BallotCast` entries, in log order."""
        for row in self.ledger.iter_cycle_entries(cycle_id, "BallotCast"):
            yield json.loads(row.entry)["payload"]


def run_log_level(ledger: Ledger, decide: Callable[[], list[Event]], actor: Actor) -> list[tuple[int, str]]:
    """Decide and append log-level events (no cycle: key and witness entries) after the log's own stream, retried
    when another writer appended to it first; returns the (seq, entry hash) of each entry written."""
    originator = log_originator(ledger.log_id)
    for attempt in range(RETRIES):
        version = max((event.originator_version for event in ledger.load(originator)), default=0)
        events = decide()
        try:
            ledger.append(originator, version, events, cycle=None, actor=actor)
            return ledger.last_appended()
        except ConcurrentUpdate:
            time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 8)))
    raise DomainError("busy", "the log's keys or witnesses are changing too fast; try again")


def _uuid(cycle_id: str) -> UUID:
    try:
        return UUID(cycle_id)
    except ValueError:
        raise DomainError("unknown_cycle", f"{cycle_id!r} is not a cycle id") from None
