"""Stages 3 and 4: the vote rules, opening the vote, ballots, closing, the count and the announcement of results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pb_ledger.domain.counting import Ballot, CountResult, count
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
    if rules.district_vote is not None and not cycle.envelopes:
        raise DomainError("envelopes_missing", "a vote by district needs the district envelopes: set them first")
    return "RulesFixed", rules.to_payload()


def decide_open(cycle: Cycle, role: str) -> Event:
    require_role(role, *STAFF)
    require_phase(cycle, REVIEW, "opening the vote")
    if cycle.rules is None:
        raise DomainError("rules_missing", "fix the vote rules before opening the vote")
    if not cycle.ballot:
        raise DomainError("ballot_not_published", "publish the list of projects put to the vote first")
    if cycle.rules.revoting is not None and cycle.register is None:
        raise DomainError("revoting_needs_register", "re-voting needs a register of eligible residents, to know "
                                                     "whose ballot a later one replaces")
    payload: dict[str, Any] = {"projects": list(cycle.ballot)}
    if cycle.rules.district_vote is not None:
        payload["districts"] = _project_districts(cycle)
        payload["budgets"] = dict(cycle.envelopes)
        if cycle.rules.district_vote == "residence" and not cycle.residence:
            raise DomainError("register_without_districts", "a vote in the district of residence needs a register "
                                                            "that gives each resident's district")
    return "VotingOpened", payload


def _project_districts(cycle: Cycle) -> dict[str, str]:
    """Each project on the ballot with its district: the district of the ideas it was accepted from."""
    districts: dict[str, str] = {}
    for project in cycle.ballot:
        found = {idea.district for idea in cycle.ideas.values() if idea.project == project and idea.status == "accepted"}
        if len(found) != 1 or None in found or next(iter(found)) not in cycle.envelopes:
            raise DomainError("project_without_district", f"project {project!r} must belong to exactly one district "
                                                          f"with an envelope, not {sorted(map(str, found))}")
        districts[project] = found.pop()  # type: ignore[assignment]
    return districts


def decide_cast(cycle: Cycle, channel: str, vote: list[str], points: list[int] | None, role: str,
                token: str | None = None, district: str | None = None) -> Event:
    if channel not in BALLOT_ROLES:
        raise DomainError("invalid_channel", f"channel must be one of {', '.join(BALLOT_ROLES)}")
    require_role(role, *BALLOT_ROLES[channel])
    require_exists(cycle)
    if district is not None and not isinstance(district, str):
        raise DomainError("invalid_ballot_shape", "a ballot's district is the name of a district")
    if cycle.phase != VOTE:
        code = "voting_not_open" if cycle.phase in BEFORE_VOTE else "voting_closed"
        raise DomainError(code, "the vote is not open yet" if code == "voting_not_open" else "the vote is closed")
    assert cycle.rules is not None
    ballot_projects = {p: cycle.projects[p] for p in cycle.ballot}
    _check_district(cycle, district, vote, token)
    validate_ballot(cycle.rules, vote, points, ballot_projects)  # raises InvalidBallot, a DomainError
    check_token(cycle, token)
    payload: dict[str, Any] = {"channel": channel, "vote": list(vote)}
    if token is not None:
        payload["token"] = token
    if district is not None:
        payload["district"] = district
    if cycle.rules.vote_type == "cumulative":
        payload["points"] = list(points or [])
    return "BallotCast", payload


def _check_district(cycle: Cycle, district: str | None, vote: list[str], token: str | None) -> None:
    """In a vote by district, the ballot names its district, and every project it chooses is of that district."""
    assert cycle.rules is not None
    if cycle.rules.district_vote is None:
        if district is not None:
            raise DomainError("no_district_vote", "this cycle votes on one budget: a ballot names no district")
        return
    if district is None:
        raise DomainError("district_required", "this cycle votes by district: say in which district the ballot is")
    if district not in cycle.district_budgets:
        raise DomainError("unknown_district", f"district {district!r} has no budget in this vote")
    for project in vote:
        if project in cycle.district_of and cycle.district_of[project] != district:
            raise DomainError("wrong_district", f"project {project!r} is in district {cycle.district_of[project]!r},"
                                                f" not in {district!r}")
    if cycle.rules.district_vote == "residence" and token is not None and cycle.residence.get(token) != district:
        raise DomainError("wrong_district", f"this person may vote only in their district of residence, "
                                            f"not in {district!r}")


def counted_ballots(rules: Rules, ballots: Iterable[Mapping[str, Any]]) -> dict[str | None, list[Ballot]]:
    """The ballots the count takes (log-format §5.2), by district (None when the vote has one budget): every
    `BallotCast` payload in log order, or under re-voting only the last ballot of each token."""
    if rules.revoting is not None:
        last: dict[str, Mapping[str, Any]] = {}
        for payload in ballots:
            last.pop(payload["token"], None)  # a replaced ballot leaves its place: order is that of the last one
            last[payload["token"]] = payload
        ballots = last.values()
    groups: dict[str | None, list[Ballot]] = {}
    for payload in ballots:
        groups.setdefault(payload.get("district"), []).append((payload["vote"], payload.get("points")))
    return groups


def decide_close(cycle: Cycle, role: str) -> Event:
    require_role(role, *STAFF)
    require_phase(cycle, VOTE, "closing the vote")
    return "VotingClosed", {"ballots": cycle.ballots}


def decide_announce(cycle: Cycle, ballots: Iterable[Mapping[str, Any]], closing_entry: str, role: str) -> Event:
    """Count the `BallotCast` payloads (in log order) and announce; a vote by district is counted district by
    district (in the UTF-8 order of their names), each on its own budget, and the winners are their concatenation."""
    require_role(role, *STAFF)
    require_phase(cycle, COUNTING, "announcing the results")
    rules = cycle.rules
    assert rules is not None
    projects = {p: cycle.projects[p] for p in cycle.ballot}
    groups = counted_ballots(rules, ballots)
    if rules.district_vote is None:
        result = count(rules, projects, groups.get(None, []), cycle.budget["amount"], closing_entry)
        payload: dict[str, Any] = {"rule": rules.rule, "winners": result.winners, "scores": result.scores,
                                   "spent": result.spent, "closing_entry": closing_entry, "trace": result.trace}
        if result.reserve:  # projects funded outside the budget (Poznań's 80% rule): never among the winners
            payload["reserve"] = result.reserve
        return "ResultsAnnounced", payload
    payload = {"rule": rules.rule, "winners": [], "scores": {}, "spent": 0, "closing_entry": closing_entry,
               "trace": [], "districts": {}}
    reserve: list[str] = []
    for district in sorted(cycle.district_budgets, key=lambda d: d.encode("utf-8")):
        own = {p: cost for p, cost in projects.items() if cycle.district_of[p] == district}
        budget = cycle.district_budgets[district]
        result = _count_district(rules, own, groups.get(district, []), budget, closing_entry)
        payload["winners"] += result.winners
        payload["scores"].update(result.scores)
        payload["spent"] += result.spent
        payload["trace"] += [f"{district}: {line}" for line in result.trace]
        payload["districts"][district] = {"budget": budget, "winners": result.winners, "spent": result.spent,
                                          "ballots": len(groups.get(district, []))}
        reserve += result.reserve
    if reserve:
        payload["reserve"] = reserve
    return "ResultsAnnounced", payload


def _count_district(rules: Rules, projects: dict[str, int], ballots: list[Ballot], budget: int,
                    closing_entry: str) -> CountResult:
    if not projects or not ballots:  # nothing to choose, or nobody chose: nothing is funded
        why = "no project on the ballot" if not projects else "no ballot cast"
        return CountResult([], dict.fromkeys(projects, 0), 0, [f"{why}: nothing funded"])
    return count(rules, projects, ballots, budget, closing_entry)


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
    c.district_of, c.district_budgets = dict(p.get("districts", {})), dict(p.get("budgets", {}))


@applies("BallotCast")
def _ballot(c: Cycle, p: dict[str, Any]) -> None:
    c.ballots += 1
    if "token" in p:
        c.voted.add(p["token"])


@applies("PaperBatchEntered")
def _batch(c: Cycle, p: dict[str, Any]) -> None:
    c.paper_batches.add((p["station"], p["batch"]))


@applies("VotingClosed")
def _closed(c: Cycle, p: dict[str, Any]) -> None:
    c.phase = COUNTING


@applies("ResultsAnnounced")
def _announced(c: Cycle, p: dict[str, Any]) -> None:
    c.phase, c.winners = RESULTS, list(p["winners"])
