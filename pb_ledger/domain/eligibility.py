"""Eligibility in the log: the register's counts and its ballot tokens (never who the residents are)."""

from __future__ import annotations

import re
from typing import Any

from pb_ledger.domain.cycle import BEFORE_VOTE, Cycle, Event, applies, require_phase, require_role
from pb_ledger.domain.errors import DomainError

TOKEN = re.compile(r"^[0-9a-f]{64}$")
TOKENS_PER_ENTRY = 5000


def decide_publish_register(cycle: Cycle, tokens: list[str], districts: dict[str, int], refused: int,
                            role: str) -> list[Event]:
    """The register of eligible residents as the log keeps it: counts, then the sorted tokens in chunks."""
    require_role(role, "pb-team")
    require_phase(cycle, BEFORE_VOTE, "publishing the register of eligible residents")
    if not tokens:
        raise DomainError("empty_register", "the register holds no eligible resident")
    if any(not TOKEN.match(t) for t in tokens) or len(set(tokens)) != len(tokens):
        raise DomainError("invalid_tokens", "ballot tokens are distinct 64-character lowercase hex strings")
    ordered = sorted(tokens)  # sorted, so the order reveals nothing about the register file
    events: list[Event] = [("VoterRegisterPublished", {"count": len(ordered), "districts": dict(districts),
                                                       "refused_lines": refused})]
    for start in range(0, len(ordered), TOKENS_PER_ENTRY):
        events.append(("BallotTokensPublished", {"tokens": ordered[start:start + TOKENS_PER_ENTRY]}))
    return events


def check_token(cycle: Cycle, token: str | None) -> None:
    """One ballot per eligible resident, when the cycle has a register; no token when it has none."""
    if cycle.register is None:
        if token is not None:
            raise DomainError("no_register", "this cycle has no register of eligible residents")
        return
    if token is None or token not in cycle.register:
        raise DomainError("not_eligible", "this person is not on the register of eligible residents")
    if token in cycle.voted and not (cycle.rules is not None and getattr(cycle.rules, "revoting", False)):
        raise DomainError("already_voted", "this person has already voted in this cycle (online or on paper)")


@applies("VoterRegisterPublished")
def _register(c: Cycle, p: dict[str, Any]) -> None:
    c.register = set()


@applies("BallotTokensPublished")
def _tokens(c: Cycle, p: dict[str, Any]) -> None:
    assert c.register is not None
    c.register.update(p["tokens"])
