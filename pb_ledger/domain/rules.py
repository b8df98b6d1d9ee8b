"""The vote rules of a cycle (log-format §5.1) and the validity of one ballot against them.

Pure domain code: standard library only, no I/O. Amounts are integers in minor units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from pb_ledger.domain.errors import DomainError

VOTE_TYPES = ("approval", "choose-1", "cumulative", "ordinal")
GREEDY_RULES = ("greedy", "greedy-no-skip", "greedy-threshold", "greedy-exclusive", "greedy-custom")
EQUAL_SHARES_RULES = ("equalshares", "equalshares/add1", "equalshares-comparison", "equalshares/add1-comparison")
ADD1_RULES = ("equalshares/add1", "equalshares/add1-comparison")
COMPARISON_RULES = ("equalshares-comparison", "equalshares/add1-comparison")
RULES = GREEDY_RULES + EQUAL_SHARES_RULES
EQUAL_SHARES_VOTE_TYPES = ("approval", "choose-1")  # the Method of Equal Shares counts approvals only
TIE_BREAKS = ("lower-cost", "lexicographic", "lottery")
REVOTING = ("last-ballot-counts",)  # a resident may vote again; only the last ballot of each token is counted
DISTRICT_VOTES = ("residence", "any")  # per-district budgets: vote in one's own district, or in any one district

_OPTIONAL_INT_FIELDS = ("max_length", "max_sum_cost", "max_points", "min_sum_points", "max_sum_points", "threshold")
_POINTS_FIELDS = ("max_points", "min_sum_points", "max_sum_points")
# §5.1: absent from the payload when not used
_OPTIONAL_MEMBERS = ("exclusive", "voter_budget_increment", "revoting", "district_vote", "paper_double_entry")


class InvalidRules(DomainError):
    """The rules are malformed or contradict themselves; `code` is stable, `message` is for people."""


class InvalidBallot(DomainError):
    """A ballot breaks the rules in force (§5.1); `code` is stable, `message` is for people."""


@dataclass(frozen=True)
class Rules:
    """The `RulesFixed` payload of log-format §5.1, field for field."""

    vote_type: str
    min_length: int = 1
    max_length: int | None = None
    max_sum_cost: int | None = None
    max_points: int | None = None
    min_sum_points: int | None = None
    max_sum_points: int | None = None
    rule: str = "greedy"
    threshold: int | None = None
    tie_break: str = "lower-cost"
    exclusive: tuple[tuple[str, ...], ...] = ()  # greedy-exclusive: groups of mutually exclusive projects
    voter_budget_increment: int | None = None  # the add1 rules: per-voter step, in minor units
    revoting: str | None = None  # "last-ballot-counts": a second ballot replaces the first (needs a register)
    district_vote: str | None = None  # per-district budgets (the envelopes): "residence" or "any"
    paper_double_entry: bool = False  # every paper batch is typed twice, by two clerks, and compared

    def to_payload(self) -> dict[str, Any]:
        """The JSON-native payload, keys exactly as in §5.1; the optional members only when they are used."""
        payload = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _OPTIONAL_MEMBERS}
        if self.exclusive:
            payload["exclusive"] = [list(group) for group in self.exclusive]
        for name in ("voter_budget_increment", "revoting", "district_vote"):
            if getattr(self, name) is not None:
                payload[name] = getattr(self, name)
        if self.paper_double_entry:
            payload["paper_double_entry"] = True
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Rules:
        """Read a §5.1 payload, refusing missing or extra members, then `validate()` it (types included)."""
        _check_payload_shape(payload)
        values = {name: payload[name] for name in _FIELD_NAMES if name in payload}
        if "exclusive" in values:
            values["exclusive"] = _exclusive_groups(values["exclusive"])
        rules = cls(**values)
        rules.validate()
        return rules

    def validate(self) -> None:
        """Raise `InvalidRules` when the rules cannot be applied as written."""
        _check_names(self)
        _check_bounds(self)
        _check_fields_fit_vote_type(self)


_FIELD_NAMES = tuple(f.name for f in fields(Rules))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _exclusive_groups(value: object) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or not all(isinstance(group, list) for group in value):
        raise InvalidRules("wrong_field_type", f"exclusive must be a list of lists of project ids, not {value!r}")
    return tuple(tuple(group) for group in value)


def _check_payload_shape(payload: Mapping[str, Any]) -> None:
    missing = [name for name in _FIELD_NAMES if name not in payload and name not in _OPTIONAL_MEMBERS]
    if missing:
        raise InvalidRules("missing_field", f"the rules lack the field(s) {', '.join(missing)}")
    extra = sorted(str(name) for name in payload if name not in _FIELD_NAMES)
    if extra:
        raise InvalidRules("unexpected_field", f"the rules have unknown field(s) {', '.join(extra)}")
    for name in ("vote_type", "rule", "tie_break"):
        if not isinstance(payload[name], str):
            raise InvalidRules("wrong_field_type", f"{name} must be a string, not {payload[name]!r}")
    for name in _OPTIONAL_MEMBERS:  # present means used: never null (or false), and only with their rule (§5.1)
        if name in payload and (payload[name] is None or payload[name] is False):
            raise InvalidRules("wrong_field_type", f"{name} must not be {payload[name]!r}; leave it out instead")
    if "exclusive" in payload and payload["rule"] != "greedy-exclusive":
        raise InvalidRules("unexpected_field", "exclusive groups apply only to the rule greedy-exclusive")


def _check_names(rules: Rules) -> None:
    for name, allowed, code in (
        ("vote_type", VOTE_TYPES, "unknown_vote_type"),
        ("rule", RULES, "unknown_rule"),
        ("tie_break", TIE_BREAKS, "unknown_tie_break"),
    ):
        value = getattr(rules, name)
        if value not in allowed:
            raise InvalidRules(code, f"{name} {value!r} is not one of {', '.join(allowed)}")
    if rules.rule == "greedy-threshold" and rules.threshold is None:
        raise InvalidRules("threshold_required", "the rule greedy-threshold needs a threshold")
    if rules.rule in EQUAL_SHARES_RULES and rules.vote_type not in EQUAL_SHARES_VOTE_TYPES:
        raise InvalidRules(
            "unknown_rule", f"the rule {rules.rule} counts approval or choose-1 ballots, not {rules.vote_type}"
        )
    _check_exclusive(rules)
    _check_increment(rules)
    _check_vote_options(rules)


def _check_vote_options(rules: Rules) -> None:
    if rules.revoting is not None and rules.revoting not in REVOTING:
        raise InvalidRules("unknown_revoting", f"revoting {rules.revoting!r} is not one of {', '.join(REVOTING)}")
    if rules.district_vote is not None and rules.district_vote not in DISTRICT_VOTES:
        raise InvalidRules(
            "unknown_district_vote", f"district_vote {rules.district_vote!r} is not one of {', '.join(DISTRICT_VOTES)}"
        )
    if not isinstance(rules.paper_double_entry, bool):
        raise InvalidRules(
            "wrong_field_type", f"paper_double_entry must be true or false, not {rules.paper_double_entry!r}"
        )


def _check_exclusive(rules: Rules) -> None:
    if rules.exclusive and rules.rule != "greedy-exclusive":
        raise InvalidRules("unexpected_field", "exclusive groups apply only to the rule greedy-exclusive")
    if not isinstance(rules.exclusive, tuple):
        raise InvalidRules("wrong_field_type", "exclusive must be a tuple of groups of project ids")
    for group in rules.exclusive:
        if not isinstance(group, tuple) or not all(isinstance(project, str) for project in group):
            raise InvalidRules("wrong_field_type", f"an exclusive group must list project ids, not {group!r}")
        if len(group) < 2 or len(set(group)) != len(group):
            raise InvalidRules(
                "wrong_field_type", f"an exclusive group names at least two distinct projects, not {list(group)}"
            )


def _check_increment(rules: Rules) -> None:
    increment = rules.voter_budget_increment
    if rules.rule not in ADD1_RULES:
        if increment is not None:
            raise InvalidRules("unexpected_field", "voter_budget_increment applies only to the equalshares/add1 rules")
        return
    if increment is None:
        raise InvalidRules("missing_field", f"the rule {rules.rule} needs a voter_budget_increment")
    if not _is_int(increment) or increment < 1:
        raise InvalidRules("wrong_field_type", f"voter_budget_increment must be a positive integer, not {increment!r}")


def _check_bounds(rules: Rules) -> None:
    for name in ("min_length", *_OPTIONAL_INT_FIELDS):
        value = getattr(rules, name)
        if value is None and name != "min_length":
            continue
        if not _is_int(value):
            kind = "an integer" if name == "min_length" else "an integer or null"
            raise InvalidRules("wrong_field_type", f"{name} must be {kind}, not {value!r}")
        if value < 0:
            raise InvalidRules("negative_value", f"{name} must not be negative ({value})")
    if rules.max_length is not None and rules.min_length > rules.max_length:
        raise InvalidRules(
            "min_length_above_max_length", f"min_length {rules.min_length} exceeds max_length {rules.max_length}"
        )
    if rules.vote_type == "choose-1" and (rules.min_length > 1 or rules.max_length == 0):
        raise InvalidRules(
            "lengths_exclude_one", "a choose-1 ballot holds exactly one project, which the lengths forbid"
        )
    low, high = rules.min_sum_points, rules.max_sum_points
    if low is not None and high is not None and low > high:
        raise InvalidRules("min_sum_points_above_max_sum_points", f"min_sum_points {low} exceeds max_sum_points {high}")


def _check_fields_fit_vote_type(rules: Rules) -> None:
    if rules.vote_type != "cumulative":
        for name in _POINTS_FIELDS:
            if getattr(rules, name) is not None:
                raise InvalidRules("points_rule_not_allowed", f"{name} applies only to cumulative votes")
    if rules.vote_type != "approval" and rules.max_sum_cost is not None:
        raise InvalidRules("cost_limit_not_allowed", "max_sum_cost applies only to approval votes")


def validate_ballot(
    rules: Rules, vote: Sequence[str], points: Sequence[int] | None, projects: Mapping[str, int]
) -> None:
    """Raise `InvalidBallot` unless the ballot is valid under §5.1.

    `projects` maps each project id of `VotingOpened` to its cost in minor units. `points` is required for
    cumulative ballots and must be `None` or empty otherwise.
    """
    _check_shape(vote, points)
    _check_projects(vote, projects)
    _check_length(rules, vote)
    _check_cost(rules, vote, projects)
    if rules.vote_type == "cumulative":
        _check_points(rules, vote, points)
    elif points:
        raise InvalidBallot("points_not_allowed", f"a {rules.vote_type} ballot carries no points")


def _check_shape(vote: object, points: object) -> None:
    """A vote is a list of project ids and points a list of whole numbers: a text is not split into characters."""
    if not isinstance(vote, (list, tuple)) or not all(isinstance(project, str) for project in vote):
        raise InvalidBallot("invalid_ballot_shape", "a vote is a list of project ids, e.g. [\"P-1\", \"P-4\"]")
    if points is not None and (not isinstance(points, (list, tuple)) or
                               not all(isinstance(p, int) and not isinstance(p, bool) for p in points)):
        raise InvalidBallot("invalid_ballot_shape", "points are a list of whole numbers, one per chosen project")


def _check_projects(vote: Sequence[str], projects: Mapping[str, int]) -> None:
    seen: set[str] = set()
    for project in vote:
        if project not in projects:
            raise InvalidBallot("unknown_project", f"project {project!r} is not on the ballot")
        if project in seen:
            raise InvalidBallot("duplicate_project", f"project {project!r} is chosen more than once")
        seen.add(project)


def _check_length(rules: Rules, vote: Sequence[str]) -> None:
    low = max(rules.min_length, 1) if rules.vote_type == "choose-1" else rules.min_length
    high = 1 if rules.vote_type == "choose-1" else rules.max_length
    if len(vote) < low:
        raise InvalidBallot("too_few_choices", f"the ballot chooses {len(vote)} project(s); at least {low} needed")
    if high is not None and len(vote) > high:
        raise InvalidBallot("too_many_choices", f"the ballot chooses {len(vote)} project(s); at most {high} allowed")


def _check_cost(rules: Rules, vote: Sequence[str], projects: Mapping[str, int]) -> None:
    if rules.vote_type != "approval" or rules.max_sum_cost is None:
        return
    total = sum(projects[project] for project in vote)
    if total > rules.max_sum_cost:
        raise InvalidBallot(
            "over_cost_limit", f"the chosen projects cost {total} in total; the limit is {rules.max_sum_cost}"
        )


def _check_points(rules: Rules, vote: Sequence[str], points: Sequence[int] | None) -> None:
    if points is None:
        raise InvalidBallot("points_required", "a cumulative ballot must give points")
    if len(points) != len(vote):
        raise InvalidBallot("points_mismatch", f"{len(points)} point value(s) for {len(vote)} project(s)")
    for project, value in zip(vote, points, strict=True):
        if not _is_int(value) or value < 1 or (rules.max_points is not None and value > rules.max_points):
            allowed = "at least 1" if rules.max_points is None else f"from 1 to {rules.max_points}"
            raise InvalidBallot("points_out_of_range", f"project {project!r} gets {value!r} points; allowed: {allowed}")
    _check_points_sum(rules, sum(points))


def _check_points_sum(rules: Rules, total: int) -> None:
    low, high = rules.min_sum_points, rules.max_sum_points
    if low is not None and total < low:
        raise InvalidBallot("points_sum_out_of_range", f"the points add up to {total}; at least {low} needed")
    if high is not None and total > high:
        raise InvalidBallot("points_sum_out_of_range", f"the points add up to {total}; at most {high} allowed")
