"""Stages 3 and 4: the vote rules, opening the vote, ballots, closing, the count and the announcement of results."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pb_ledger.domain.counting import count
from pb_ledger.domain.cycle import BEFORE_VOTE, COUNTING, RESULTS, REVIEW, VOTE, Cycle, Event, applies
from pb_ledger.domain.cycle import require_exists, require_phase, require_role
from pb_ledger.domain.eligibility import check_token
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules, validate_ballot

BALLOT_ROLES = {"online": ("voter",), "paper": ("clerk", "importer")}
STAFF = ("pb-team", "importer")


def decide_fix_rules(cycle: Cycle, rules: Rules, role: str) -> Event:
    require_role(role, *STAFF)
    require_exists(cycle)
    if cycle.phase not in BEFORE_VOTE:
        raise DomainError("rules_frozen", "the rules are fixed once voting has opened")
    rules.validate()  # raises InvalidRules, a DomainError
    return "RulesFixed", rules.to_payload()


def decide_open(cycle: Cycle, role: str) -> Event:
    require_role(role, *STAFF)
    require_phase(cycle, REVIEW, "opening the vote")
    if cycle.rules is None:
        raise DomainError("rules_missing", "fix the vote rules before opening the vote")
    if not cycle.ballot:
        raise DomainError("ballot_not_published", "publish the list of projects put to the vote first")
    return "VotingOpened", {"projects": list(cycle.ballot)}


def decide_cast(cycle: Cycle, channel: str, vote: list[str], points: list[int] | None, role: str,
                token: str | None = None) -> Event:
    if channel not in BALLOT_ROLES:
        raise DomainError("invalid_channel", f"channel must be one of {', '.join(BALLOT_ROLES)}")
    require_role(role, *BALLOT_ROLES[channel])
    require_exists(cycle)
    if cycle.phase != VOTE:
        code = "voting_not_open" if cycle.phase in BEFORE_VOTE else "voting_closed"
        raise DomainError(code, "the vote is not open yet" if code == "voting_not_open" else "the vote is closed")
    assert cycle.rules is not None
    ballot_projects = {p: cycle.projects[p] for p in cycle.ballot}
    validate_ballot(cycle.rules, vote, points, ballot_projects)  # raises InvalidBallot, a DomainError
    check_token(cycle, token)
    payload: dict[str, Any] = {"channel": channel, "vote": list(vote)}
    if token is not None:
        payload["token"] = token
    if cycle.rules.vote_type == "cumulative":
        payload["points"] = list(points or [])
    return "BallotCast", payload


def decide_close(cycle: Cycle, role: str) -> Event:
    require_role(role, *STAFF)
    require_phase(cycle, VOTE, "closing the vote")
    return "VotingClosed", {"ballots": cycle.ballots}


def decide_announce(cycle: Cycle, ballots: Iterable[tuple[list[str], list[int] | None]], closing_entry: str,
                    role: str) -> Event:
    require_role(role, *STAFF)
    require_phase(cycle, COUNTING, "announcing the results")
    assert cycle.rules is not None
    projects = {p: cycle.projects[p] for p in cycle.ballot}
    result = count(cycle.rules, projects, ballots, cycle.budget["amount"], closing_entry)
    payload = {"rule": cycle.rules.rule, "winners": result.winners, "scores": result.scores, "spent": result.spent,
               "closing_entry": closing_entry, "trace": result.trace}
    if result.reserve:  # projects funded outside the budget (Poznań's 80% rule): never among the winners
        payload["reserve"] = result.reserve
    return "ResultsAnnounced", payload


def decide_participation_summary(cycle: Cycle, thanks: str, by_channel: dict[str, int], role: str) -> Event:
    require_role(role, "pb-team")
    require_phase(cycle, (RESULTS, "implementation"), "publishing the participation summary")
    if sum(by_channel.values()) != cycle.ballots:
        raise DomainError("summary_mismatch", f"the ballots by channel must add up to {cycle.ballots}")
    ideas = {s: sum(1 for i in cycle.ideas.values() if i.status == s) for s in ("accepted", "rejected", "merged")}
    return "ParticipationSummaryPublished", {"thanks": thanks, "ballots": cycle.ballots, "by_channel": by_channel,
                                             "ideas": len(cycle.ideas), "ideas_by_status": ideas}


@applies("RulesFixed")
def _rules(c: Cycle, p: dict[str, Any]) -> None:
    c.rules = Rules(**p)


@applies("VotingOpened")
def _opened(c: Cycle, p: dict[str, Any]) -> None:
    c.phase, c.ballot = VOTE, list(p["projects"])


@applies("BallotCast")
def _ballot(c: Cycle, p: dict[str, Any]) -> None:
    c.ballots += 1
    if "token" in p:
        c.voted.add(p["token"])


@applies("VotingClosed")
def _closed(c: Cycle, p: dict[str, Any]) -> None:
    c.phase = COUNTING


@applies("ResultsAnnounced")
def _announced(c: Cycle, p: dict[str, Any]) -> None:
    c.phase, c.winners = RESULTS, list(p["winners"])
