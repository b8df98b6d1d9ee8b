"""Eligibility in the log: the register's counts and its ballot tokens (never who the residents are)."""

from __future__ import annotations

import re
from typing import Any

from pb_ledger.domain.cycle import BEFORE_VOTE, Cycle, Event, applies, require_phase, require_role
from pb_ledger.domain.errors import DomainError

TOKEN = re.compile(r"^[0-9a-f]{64}$")
TOKENS_PER_ENTRY = 5000


def decide_publish_register(cycle: Cycle, tokens: list[str], districts: dict[str, int], refused: int,
                            role: str, residence: dict[str, str] | None = None) -> list[Event]:
    """The register of eligible residents as the log keeps it: counts, then the sorted tokens in chunks.

    With `residence` (token -> district), the tokens are published district by district, each chunk naming its
    district, so that a vote by district of residence can be checked by anyone (log-format §5.3)."""
    require_role(role, "pb-team")
    require_phase(cycle, BEFORE_VOTE, "publishing the register of eligible residents")
    if not tokens:
        raise DomainError("empty_register", "the register holds no eligible resident")
    if any(not TOKEN.match(t) for t in tokens) or len(set(tokens)) != len(tokens):
        raise DomainError("invalid_tokens", "ballot tokens are distinct 64-character lowercase hex strings")
    events: list[Event] = [("VoterRegisterPublished", {"count": len(tokens), "districts": dict(districts),
                                                       "refused_lines": refused})]
    if residence is None:
        groups: dict[str | None, list[str]] = {None: tokens}
    else:
        if not set(residence) <= set(tokens) or not all(isinstance(d, str) and d for d in residence.values()):
            raise DomainError("invalid_tokens", "a district of residence is given for an unknown token, or is empty")
        groups = {}
        for token in tokens:  # residents without a district are published apart, in chunks naming none
            groups.setdefault(residence.get(token), []).append(token)
    for district in sorted(groups, key=lambda d: (d or "").encode("utf-8")):
        ordered = sorted(groups[district])  # sorted, so the order reveals nothing about the register file
        for start in range(0, len(ordered), TOKENS_PER_ENTRY):
            chunk: dict[str, Any] = {"tokens": ordered[start:start + TOKENS_PER_ENTRY]}
            if district is not None:
                chunk["district"] = district
            events.append(("BallotTokensPublished", chunk))
    return events


def check_token(cycle: Cycle, token: str | None) -> None:
    """One ballot per eligible resident (unless the rules let a later ballot replace it), when the cycle has a
    register; no token when it has none."""
    if cycle.register is None:
        if token is not None:
            raise DomainError("no_register", "this cycle has no register of eligible residents")
        return
    if token is None or token not in cycle.register:
        raise DomainError("not_eligible", "this person is not on the register of eligible residents")
    if token in cycle.voted and (cycle.rules is None or cycle.rules.revoting is None):
        raise DomainError("already_voted", "this person has already voted in this cycle (online or on paper)")


@applies("VoterRegisterPublished")
def _register(c: Cycle, p: dict[str, Any]) -> None:
    c.register = set()


@applies("BallotTokensPublished")
def _tokens(c: Cycle, p: dict[str, Any]) -> None:
    assert c.register is not None
    c.register.update(p["tokens"])
    if "district" in p:
        c.residence.update(dict.fromkeys(p["tokens"], p["district"]))
