"""Vote rules and ballot validity (log-format §5.1)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from verifier.errors import InvalidBallot, RulesViolation
from verifier.fields import Fields

VOTE_TYPES = ("approval", "choose-1", "cumulative", "ordinal")
GREEDY_RULES = ("greedy", "greedy-no-skip", "greedy-threshold", "greedy-exclusive", "greedy-custom")
EQUAL_SHARES_RULES = ("equalshares", "equalshares/add1", "equalshares-comparison", "equalshares/add1-comparison")
COUNTING_RULES = GREEDY_RULES + EQUAL_SHARES_RULES
OPTIONAL_RULES_MEMBERS = ("exclusive", "voter_budget_increment", "revoting", "district_vote", "paper_double_entry")
REVOTING = ("last-ballot-counts",)
DISTRICT_VOTES = ("residence", "any")
TIE_BREAKS = ("lower-cost", "lexicographic", "lottery")
CHANNELS = ("online", "paper")
BALLOT_MEMBERS = frozenset(["channel", "vote"])


@dataclass(frozen=True)
class VoteRules:
    """The payload of the `RulesFixed` in force: how people vote and how the votes are counted."""

    vote_type: str
    min_length: int
    max_length: int | None
    max_sum_cost: int | None
    max_points: int | None
    min_sum_points: int | None
    max_sum_points: int | None
    rule: str
    threshold: int | None
    tie_break: str
    exclusive: tuple[frozenset[str], ...] = ()  # greedy-exclusive only
    voter_budget_increment: int | None = None  # the equalshares/add1 rules only
    revoting: str | None = None  # "last-ballot-counts": only the last ballot of each token counts
    district_vote: str | None = None  # "residence" or "any": a ballot per district, each district its own budget


@dataclass(frozen=True)
class Ballot:
    """A valid ballot: the projects voted for (in order of preference for ordinal votes) and, if cumulative, points."""

    vote: tuple[str, ...]
    points: tuple[int, ...] | None = None
    district: str | None = None


def parse_rules(payload: Mapping[str, object], seq: int) -> VoteRules:
    """The rules of a `RulesFixed` payload; raises RulesViolation when they are malformed or inconsistent."""
    fields = Fields(payload, "RulesFixed payload", RulesViolation, seq)
    fields.exactly(
        [
            "vote_type",
            "min_length",
            "max_length",
            "max_sum_cost",
            "max_points",
            "min_sum_points",
            "max_sum_points",
            "rule",
            "threshold",
            "tie_break",
        ],
        optional=OPTIONAL_RULES_MEMBERS,
    )
    rules = VoteRules(
        vote_type=fields.text("vote_type", VOTE_TYPES),
        min_length=fields.integer("min_length", minimum=0),
        max_length=fields.optional_integer("max_length", minimum=0),
        max_sum_cost=fields.optional_integer("max_sum_cost", minimum=0),
        max_points=fields.optional_integer("max_points", minimum=1),
        min_sum_points=fields.optional_integer("min_sum_points", minimum=0),
        max_sum_points=fields.optional_integer("max_sum_points", minimum=0),
        rule=fields.text("rule", COUNTING_RULES),
        threshold=fields.optional_integer("threshold", minimum=0),
        tie_break=fields.text("tie_break", TIE_BREAKS),
        exclusive=_exclusive_groups(fields) if fields.has("exclusive") else (),
        voter_budget_increment=_increment(fields),
        revoting=fields.text("revoting", REVOTING) if fields.has("revoting") else None,
        district_vote=fields.text("district_vote", DISTRICT_VOTES) if fields.has("district_vote") else None,
    )
    if fields.has("paper_double_entry") and fields.members["paper_double_entry"] is not True:
        raise RulesViolation("paper_double_entry is present but not true; it is left out when not used", seq)
    if rules.rule == "greedy-threshold" and rules.threshold is None:
        raise RulesViolation("rule greedy-threshold needs a threshold, and threshold is null", seq)
    if fields.has("exclusive") and rules.rule != "greedy-exclusive":
        raise RulesViolation(f"rule {rules.rule} takes no exclusive groups; only greedy-exclusive does", seq)
    adds_one = rules.rule in ("equalshares/add1", "equalshares/add1-comparison")
    if adds_one and rules.voter_budget_increment is None:
        raise RulesViolation(f"rule {rules.rule} needs a voter_budget_increment", seq)
    if not adds_one and rules.voter_budget_increment is not None:
        raise RulesViolation(f"rule {rules.rule} takes no voter_budget_increment", seq)
    if rules.rule in EQUAL_SHARES_RULES and rules.vote_type not in ("approval", "choose-1"):
        raise RulesViolation(f"rule {rules.rule} counts approvals; vote_type {rules.vote_type} has none", seq)
    if rules.max_length is not None and rules.max_length < rules.min_length:
        raise RulesViolation(f"max_length {rules.max_length} is less than min_length {rules.min_length}", seq)
    return rules


def _increment(fields: Fields) -> int | None:
    if not fields.has("voter_budget_increment"):
        return None
    return fields.integer("voter_budget_increment", minimum=1)


def _exclusive_groups(fields: Fields) -> tuple[frozenset[str], ...]:
    value = fields.members["exclusive"]
    if not isinstance(value, list):
        raise fields.fail("RulesFixed payload.exclusive is not a list of groups")
    groups = []
    for group in value:
        if not isinstance(group, list) or not all(isinstance(project, str) for project in group):
            raise fields.fail("RulesFixed payload.exclusive holds a group that is not a list of project ids")
        if len(group) < 2 or len(set(group)) != len(group):
            raise fields.fail(f"RulesFixed payload.exclusive group {group} does not name two or more distinct projects")
        groups.append(frozenset(group))
    return tuple(groups)


def read_ballot(payload: Mapping[str, object], rules: VoteRules, costs: Mapping[str, int], seq: int) -> Ballot:
    """The ballot of a `BallotCast` payload; raises InvalidBallot unless it is valid under `rules`.

    `costs` maps every project on the ballot paper (`VotingOpened`) to its cost.
    """
    fields = Fields(payload, "BallotCast payload", InvalidBallot, seq)
    fields.exactly(BALLOT_MEMBERS, optional=["points", "token", "district"])
    fields.text("channel", CHANNELS)
    vote = tuple(fields.texts("vote"))
    district = fields.text("district") if fields.has("district") else None
    _check_projects(vote, costs, seq)
    _check_length(vote, rules, seq)
    if rules.vote_type == "approval" and rules.max_sum_cost is not None:
        _check_total_cost(vote, rules.max_sum_cost, costs, seq)
    if rules.vote_type == "cumulative":
        if not fields.has("points"):
            raise InvalidBallot("a cumulative ballot has no points", seq)
        points = tuple(fields.integers("points"))
        _check_points(vote, points, rules, seq)
        return Ballot(vote, points, district)
    if fields.has("points") and fields.members["points"] != []:
        raise InvalidBallot(f"a {rules.vote_type} ballot carries points; only cumulative ballots do", seq)
    return Ballot(vote, None, district)


def _check_projects(vote: tuple[str, ...], costs: Mapping[str, int], seq: int) -> None:
    seen: set[str] = set()
    for project in vote:
        if project not in costs:
            raise InvalidBallot(f"the vote names {project!r}, which is not a project on the ballot", seq)
        if project in seen:
            raise InvalidBallot(f"the vote names {project!r} twice", seq)
        seen.add(project)


def _check_length(vote: tuple[str, ...], rules: VoteRules, seq: int) -> None:
    if rules.vote_type == "choose-1" and len(vote) != 1:
        raise InvalidBallot(f"a choose-1 ballot names {len(vote)} projects instead of 1", seq)
    if len(vote) < rules.min_length:
        raise InvalidBallot(f"the vote names {len(vote)} projects, fewer than min_length {rules.min_length}", seq)
    if rules.max_length is not None and len(vote) > rules.max_length:
        raise InvalidBallot(f"the vote names {len(vote)} projects, more than max_length {rules.max_length}", seq)


def _check_total_cost(vote: tuple[str, ...], max_sum_cost: int, costs: Mapping[str, int], seq: int) -> None:
    total = sum(costs[project] for project in vote)
    if total > max_sum_cost:
        raise InvalidBallot(f"the voted projects cost {total} in total, more than max_sum_cost {max_sum_cost}", seq)


def _check_points(vote: tuple[str, ...], points: tuple[int, ...], rules: VoteRules, seq: int) -> None:
    if len(points) != len(vote):
        raise InvalidBallot(f"the ballot gives {len(points)} points values for {len(vote)} projects", seq)
    for project, given in zip(vote, points, strict=True):
        if given < 1:
            raise InvalidBallot(f"{project!r} gets {given} points; each voted project gets at least 1", seq)
        if rules.max_points is not None and given > rules.max_points:
            raise InvalidBallot(f"{project!r} gets {given} points, more than max_points {rules.max_points}", seq)
    total = sum(points)
    if rules.min_sum_points is not None and total < rules.min_sum_points:
        raise InvalidBallot(f"the points sum to {total}, less than min_sum_points {rules.min_sum_points}", seq)
    if rules.max_sum_points is not None and total > rules.max_sum_points:
        raise InvalidBallot(f"the points sum to {total}, more than max_sum_points {rules.max_sum_points}", seq)
