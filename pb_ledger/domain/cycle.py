"""A participatory budgeting cycle: its state, the decisions that change it, and how events evolve it.

Pure domain code (no I/O). Each `decide_*` function checks a command against the current state and returns the
events to append, as (type, payload) pairs with JSON-native payloads; `evolve` applies one event to the state. The
payloads are exactly those of docs/log-format.md §5.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pb_ledger.domain.counting import count
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules, validate_ballot

Event = tuple[str, dict[str, Any]]

PREPARATION, VOTING, CLOSED, ANNOUNCED = "preparation", "voting", "closed", "announced"
IDEA_CHANNELS = ("online", "paper", "forum", "import")
BALLOT_CHANNELS = ("online", "paper")


@dataclass
class Idea:
    title: str
    status: str = "submitted"  # submitted | accepted | rejected
    project: str | None = None


@dataclass
class Cycle:
    id: str
    title: str = ""
    budget: dict[str, Any] = field(default_factory=dict)
    rules: Rules | None = None
    phase: str = PREPARATION
    ideas: dict[str, Idea] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)  # project id -> cost, once accepted
    ballots: int = 0
    winners: list[str] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.budget)


# --- decisions ---------------------------------------------------------------------------------------------------


def decide_create(title: str, amount: int, currency: str, exponent: int, source: dict[str, Any] | None) -> Event:
    _require_text(title, "title")
    if not isinstance(amount, int) or amount <= 0:
        raise DomainError("invalid_budget", "the budget must be a positive whole number of minor units")
    if not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        raise DomainError("invalid_currency", f"currency {currency!r} is not an ISO 4217 code such as MAD or EUR")
    if exponent not in (0, 2, 3):
        raise DomainError("invalid_currency", "the number of minor-unit digits must be 0, 2 or 3")
    budget = {"amount": amount, "currency": currency, "exponent": exponent}
    return "CycleCreated", {"title": title, "budget": budget, "source": source}


def decide_fix_rules(cycle: Cycle, rules: Rules) -> Event:
    _require_phase(cycle, PREPARATION, "rules_frozen", "the rules are fixed once voting has opened")
    rules.validate()  # raises InvalidRules, a DomainError
    return "RulesFixed", rules.to_payload()


def decide_submit_idea(cycle: Cycle, idea: str, title: str, description: str, channel: str,
                       district: str | None = None, category: str | None = None,
                       estimated_cost: int | None = None) -> Event:
    _require_phase(cycle, PREPARATION, "ideas_closed", "ideas can only be submitted before voting opens")
    _require_text(idea, "idea id")
    _require_text(title, "title")
    if idea in cycle.ideas:
        raise DomainError("duplicate_idea", f"an idea with id {idea!r} already exists in this cycle")
    if channel not in IDEA_CHANNELS:
        raise DomainError("invalid_channel", f"channel must be one of {', '.join(IDEA_CHANNELS)}")
    if estimated_cost is not None and (not isinstance(estimated_cost, int) or estimated_cost < 0):
        raise DomainError("invalid_cost", "an estimated cost is a whole, non-negative number of minor units")
    return "IdeaSubmitted", {"idea": idea, "title": title, "description": description, "channel": channel,
                             "district": district, "category": category, "estimated_cost": estimated_cost}


def decide_accept_idea(cycle: Cycle, idea: str, project: str, cost: int, reason: str = "") -> Event:
    _require_undecided_idea(cycle, idea)
    _require_text(project, "project id")
    if not isinstance(cost, int) or cost <= 0:
        raise DomainError("invalid_cost", "an accepted project needs a positive cost in minor units")
    if project in cycle.projects:
        raise DomainError("duplicate_project", f"project id {project!r} is already on the list")
    return "IdeaAccepted", {"idea": idea, "project": project, "cost": cost, "reason": reason}


def decide_reject_idea(cycle: Cycle, idea: str, reason: str, criterion: str) -> Event:
    _require_undecided_idea(cycle, idea)
    if not reason.strip():
        raise DomainError("reason_required", "a rejection must give a public reason")
    _require_text(criterion, "criterion")
    return "IdeaRejected", {"idea": idea, "reason": reason, "criterion": criterion}


def decide_open_voting(cycle: Cycle) -> Event:
    _require_phase(cycle, PREPARATION, "voting_already_opened", "voting has already been opened")
    if cycle.rules is None:
        raise DomainError("rules_missing", "fix the vote rules before opening the vote")
    if not cycle.projects:
        raise DomainError("no_projects", "accept at least one project before opening the vote")
    return "VotingOpened", {"projects": list(cycle.projects)}


def decide_cast_ballot(cycle: Cycle, channel: str, vote: list[str], points: list[int] | None) -> Event:
    if cycle.phase != VOTING:
        code = "voting_not_open" if cycle.phase == PREPARATION else "voting_closed"
        raise DomainError(code, "the vote is not open" if code == "voting_not_open" else "the vote is closed")
    if channel not in BALLOT_CHANNELS:
        raise DomainError("invalid_channel", f"channel must be one of {', '.join(BALLOT_CHANNELS)}")
    assert cycle.rules is not None
    validate_ballot(cycle.rules, vote, points, cycle.projects)  # raises InvalidBallot, a DomainError
    payload: dict[str, Any] = {"channel": channel, "vote": list(vote)}
    if cycle.rules.vote_type == "cumulative":
        payload["points"] = list(points or [])
    return "BallotCast", payload


def decide_close_voting(cycle: Cycle) -> Event:
    _require_phase(cycle, VOTING, "voting_not_open", "only an open vote can be closed")
    return "VotingClosed", {"ballots": cycle.ballots}


def decide_announce(cycle: Cycle, ballots: Iterable[tuple[list[str], list[int] | None]], closing_entry: str) -> Event:
    _require_phase(cycle, CLOSED, "voting_not_closed", "results are announced after the vote is closed")
    assert cycle.rules is not None
    result = count(cycle.rules, cycle.projects, ballots, cycle.budget["amount"], closing_entry)
    return "ResultsAnnounced", {"rule": cycle.rules.rule, "winners": result.winners, "scores": result.scores,
                                "spent": result.spent, "closing_entry": closing_entry}


# --- evolution ---------------------------------------------------------------------------------------------------


def evolve(cycle: Cycle, event_type: str, payload: dict[str, Any]) -> None:
    apply = _APPLY.get(event_type)
    if apply is not None:
        apply(cycle, payload)


def _created(c: Cycle, p: dict[str, Any]) -> None:
    c.title, c.budget = p["title"], p["budget"]


def _rules(c: Cycle, p: dict[str, Any]) -> None:
    c.rules = Rules(**p)


def _idea(c: Cycle, p: dict[str, Any]) -> None:
    c.ideas[p["idea"]] = Idea(title=p["title"])


def _accepted(c: Cycle, p: dict[str, Any]) -> None:
    idea = c.ideas[p["idea"]]
    idea.status, idea.project = "accepted", p["project"]
    c.projects[p["project"]] = p["cost"]


def _rejected(c: Cycle, p: dict[str, Any]) -> None:
    c.ideas[p["idea"]].status = "rejected"


def _opened(c: Cycle, p: dict[str, Any]) -> None:
    c.phase = VOTING


def _ballot(c: Cycle, p: dict[str, Any]) -> None:
    c.ballots += 1


def _closed(c: Cycle, p: dict[str, Any]) -> None:
    c.phase = CLOSED


def _announced(c: Cycle, p: dict[str, Any]) -> None:
    c.phase, c.winners = ANNOUNCED, p["winners"]


_APPLY = {
    "CycleCreated": _created, "RulesFixed": _rules, "IdeaSubmitted": _idea, "IdeaAccepted": _accepted,
    "IdeaRejected": _rejected, "VotingOpened": _opened, "BallotCast": _ballot, "VotingClosed": _closed,
    "ResultsAnnounced": _announced,
}


# --- guards ------------------------------------------------------------------------------------------------------


def _require_phase(cycle: Cycle, phase: str, code: str, message: str) -> None:
    if not cycle.exists:
        raise DomainError("unknown_cycle", f"cycle {cycle.id} does not exist")
    if cycle.phase != phase:
        raise DomainError(code, message)


def _require_undecided_idea(cycle: Cycle, idea: str) -> None:
    _require_phase(cycle, PREPARATION, "review_closed", "ideas are decided before voting opens")
    if idea not in cycle.ideas:
        raise DomainError("unknown_idea", f"no idea {idea!r} in this cycle")
    if cycle.ideas[idea].status != "submitted":
        raise DomainError("idea_already_decided", f"idea {idea!r} has already been {cycle.ideas[idea].status}")


def _require_text(value: str, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise DomainError("missing_text", f"the {what} must not be empty")
