"""A participatory budgeting cycle: its state, its phases, and how events evolve it.

Pure domain code (no I/O). The decisions of each stage of the guide live beside this module (`launch`, `ideas`,
`review`, `voting`, `followup`, `evaluation`); each `decide_*` function checks a command against the state and returns
the events to append as (type, payload) pairs with JSON-native payloads (docs/log-format.md §5), and each event type
has one `apply` function registered here through `applies`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pb_ledger.domain import text
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules

Event = tuple[str, dict[str, Any]]
Apply = Callable[["Cycle", dict[str, Any]], None]

# The phases of the guide, in order. `vote`, `counting` and `results` are entered only by their own commands.
LAUNCH, IDEAS, REVIEW, VOTE, COUNTING, RESULTS, IMPLEMENTATION, EVALUATION, CLOSED = PHASES = (
    "launch", "ideas", "review", "vote", "counting", "results", "implementation", "evaluation", "closed")
BEFORE_VOTE = (LAUNCH, IDEAS, REVIEW)


@dataclass
class Idea:
    title: str
    channel: str
    district: str | None = None
    status: str = "submitted"  # submitted | accepted | rejected | merged
    project: str | None = None
    cost: int | None = None
    decisions: int = 0
    appeal: str | None = None  # id of an appeal awaiting its answer
    has_author: bool = False
    must_revise: bool = False  # an appeal was upheld and the new decision is not recorded yet


@dataclass
class Cycle:
    id: str
    title: str = ""
    budget: dict[str, Any] = field(default_factory=dict)
    envelopes: dict[str, int] = field(default_factory=dict)
    rules: Rules | None = None
    phase: str = LAUNCH
    previous_cycle: str | None = None
    team: dict[str, str] = field(default_factory=dict)  # member ref -> role
    committee: dict[str, str] = field(default_factory=dict)  # member ref -> "staff" | "citizen"
    criteria: dict[str, str] = field(default_factory=dict)  # criterion id -> label
    forums: set[str] = field(default_factory=set)
    ideas: dict[str, Idea] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)  # accepted project id -> cost
    ballot: list[str] = field(default_factory=list)  # projects published for the vote
    district_of: dict[str, str] = field(default_factory=dict)  # project on the ballot -> district (district votes)
    district_budgets: dict[str, int] = field(default_factory=dict)  # district -> budget, fixed when the vote opens
    appeals: dict[str, str] = field(default_factory=dict)  # appeal id -> idea
    ballots: int = 0
    register: set[str] | None = None  # ballot tokens of the eligible residents, once a register is published
    voted: set[str] = field(default_factory=set)  # tokens that have cast a ballot
    paper_batches: set[tuple[str, str]] = field(default_factory=set)  # (station, batch) entered
    residence: dict[str, str] = field(default_factory=dict)  # token -> district of residence, when the register has them
    winners: list[str] = field(default_factory=list)
    progress: dict[str, str] = field(default_factory=dict)  # funded project -> last milestone kind
    visits: dict[str, str] = field(default_factory=dict)  # visit id -> project
    evaluated: bool = False

    @property
    def exists(self) -> bool:
        return bool(self.budget)


_APPLY: dict[str, Apply] = {}


def applies(event_type: str) -> Callable[[Apply], Apply]:
    """Register the function that applies `event_type` to a cycle."""

    def register(apply: Apply) -> Apply:
        _APPLY[event_type] = apply
        return apply

    return register


def evolve(cycle: Cycle, event_type: str, payload: dict[str, Any]) -> None:
    _load_stage_modules()
    apply = _APPLY.get(event_type)
    if apply is not None:
        apply(cycle, payload)


def fold(cycle_id: str, events: list[Event]) -> Cycle:
    state = Cycle(id=cycle_id)
    for event_type, payload in events:
        evolve(state, event_type, payload)
    return state


def _load_stage_modules() -> None:
    # the stage modules register their `apply` functions on import
    from pb_ledger.domain import eligibility, evaluation, followup, ideas, launch, review, voting  # noqa: F401


# --- guards shared by the stages --------------------------------------------------------------------------------


def require_exists(cycle: Cycle) -> None:
    if not cycle.exists:
        raise DomainError("unknown_cycle", f"cycle {cycle.id} does not exist")


def require_phase(cycle: Cycle, phases: tuple[str, ...] | str, what: str) -> None:
    require_exists(cycle)
    allowed = (phases,) if isinstance(phases, str) else phases
    if cycle.phase not in allowed:
        raise DomainError("wrong_phase", f"{what} is possible during {' or '.join(allowed)}, not during {cycle.phase}")


def require_role(role: str, *allowed: str) -> None:
    if role not in allowed:
        raise DomainError("forbidden_role", f"this action is for {' or '.join(allowed)}, not for {role or 'anonymous'}")


def require_text(value: Any, what: str, limit: int = text.NAME, *, multiline: bool = False) -> str:
    """`value`, required text, as it is signed (see domain/text.py)."""
    cleaned = text.clean_text(value, what, limit, multiline=multiline)
    assert cleaned is not None
    return cleaned


def optional_text(value: Any, what: str, limit: int = text.NAME, *, multiline: bool = False) -> str | None:
    """`value`, optional text, as it is signed; None when absent or blank."""
    return text.clean_text(value, what, limit, required=False, multiline=multiline)


# the largest integer every JSON reader holds exactly (RFC 8785, I-JSON): 9,007,199,254,740,991
MAX_AMOUNT = 2**53 - 1


def require_amount(value: Any, what: str, *, positive: bool = True) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < (1 if positive else 0):
        kind = "positive" if positive else "non-negative"
        raise DomainError("invalid_amount", f"the {what} must be a {kind} whole number of minor units")
    if value > MAX_AMOUNT:
        raise DomainError("amount_too_large", f"the {what} ({value}) is larger than {MAX_AMOUNT}, the largest "
                                              "amount a log entry can hold exactly")
    return value


def require_date(value: Any, what: str) -> str:
    try:
        datetime.date.fromisoformat(require_text(value, what))
    except ValueError:
        raise DomainError("invalid_date", f"the {what} must be a date written YYYY-MM-DD, not {value!r}") from None
    return str(value)


def require_idea(cycle: Cycle, idea: str) -> Idea:
    found = cycle.ideas.get(idea)
    if found is None:
        raise DomainError("unknown_idea", f"no idea {idea!r} in this cycle")
    return found
