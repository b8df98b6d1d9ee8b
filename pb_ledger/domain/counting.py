"""The count of a cycle (log-format §5.2): scores, order, the selection rule, and a readable trace.

Pure domain code: standard library only, no I/O, no floating point. Ballots are assumed valid (see
`rules.validate_ballot`); the count only refuses what it cannot score. The greedy family is here; the Method of
Equal Shares is in `equal_shares`, and its comparison step with greedy is here.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from pb_ledger.domain.equal_shares import EqualShares, Run
from pb_ledger.domain.rules import ADD1_RULES, COMPARISON_RULES, EQUAL_SHARES_RULES, InvalidBallot, Rules

Ballot = tuple[Sequence[str], Sequence[int] | None]
Profile = Counter[frozenset[str]]  # each distinct approval ballot and how many voters cast it

_ENTRY_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class CountResult:
    """`winners` in selection order, every project's score, the money spent, one trace line per project.

    `reserve` lists the projects funded outside the budget (greedy-custom), which are neither winners nor part of
    `spent`; `summary` holds lines about the count as a whole (the Add1 step kept, the comparison step).
    """

    winners: list[str]
    scores: dict[str, int]
    spent: int
    trace: list[str]
    reserve: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


def count(
    rules: Rules, projects: Mapping[str, int], ballots: Iterable[Ballot], budget: int, closing_entry_hash: str
) -> CountResult:
    """Count the ballots under `rules`; `projects` maps project id to cost, `budget` is the amount to spend.

    `closing_entry_hash` is the lowercase hex entry hash of the cycle's `VotingClosed`; only the lottery
    tie-break reads it.
    """
    rules.validate()
    if rules.rule not in EQUAL_SHARES_RULES:
        scores = score_projects(rules, projects, ballots)
        order = rank_projects(rules, projects, scores, closing_entry_hash)
        return _select(rules, projects, scores, order, budget)
    profile = approval_profile(projects, ballots)
    scores = dict.fromkeys(projects, 0)
    for ballot, voters in profile.items():
        for project in ballot:
            scores[project] += voters
    order = rank_projects(rules, projects, scores, closing_entry_hash)
    return _equal_shares(rules, projects, profile, scores, order, budget, closing_entry_hash)


def score_projects(rules: Rules, projects: Mapping[str, int], ballots: Iterable[Ballot]) -> dict[str, int]:
    """Every project's score (§5.2): approvals, points, or `len - index` for ordinal ballots."""
    scores = dict.fromkeys(projects, 0)
    for vote, points in ballots:
        for project, gained in zip(vote, _ballot_points(rules, vote, points), strict=True):
            if project not in scores:
                raise InvalidBallot("unknown_project", f"project {project!r} is not on the ballot")
            scores[project] += gained
    return scores


def approval_profile(projects: Mapping[str, int], ballots: Iterable[Ballot]) -> Profile:
    """The approval ballots merged: each distinct set of projects with the number of voters who chose it.

    Empty ballots are kept (as the empty set): they count as voters, who hold a share of the budget.
    """
    profile: Profile = Counter()
    for vote, points in ballots:
        if points:
            raise InvalidBallot("points_not_allowed", "an approval ballot carries no points")
        chosen = frozenset(vote)
        if len(chosen) != len(vote):
            raise InvalidBallot("duplicate_project", "a project is chosen more than once")
        profile[chosen] += 1
    for ballot in profile:
        for project in ballot:
            if project not in projects:
                raise InvalidBallot("unknown_project", f"project {project!r} is not on the ballot")
    return profile


def _ballot_points(rules: Rules, vote: Sequence[str], points: Sequence[int] | None) -> Sequence[int]:
    if rules.vote_type == "ordinal":
        return range(len(vote), 0, -1)
    if rules.vote_type != "cumulative":
        return [1] * len(vote)
    if points is None:
        raise InvalidBallot("points_required", "a cumulative ballot must give points")
    if len(points) != len(vote):
        raise InvalidBallot("points_mismatch", f"{len(points)} point value(s) for {len(vote)} project(s)")
    return points


def rank_projects(
    rules: Rules, projects: Mapping[str, int], scores: Mapping[str, int], closing_entry_hash: str
) -> list[str]:
    """The projects by score, highest first, ties broken by `rules.tie_break` (§5.2)."""
    tie_key = _tie_key(rules.tie_break, projects, closing_entry_hash)
    return sorted(projects, key=lambda project: (-scores[project], tie_key(project)))


def _tie_key(tie_break: str, projects: Mapping[str, int], closing_entry_hash: str) -> Callable[[str], Any]:
    if tie_break == "lower-cost":
        return lambda project: (projects[project], project.encode("utf-8"))
    if tie_break == "lexicographic":
        return lambda project: project.encode("utf-8")
    if not _ENTRY_HASH.fullmatch(closing_entry_hash):
        raise ValueError(f"closing_entry_hash must be 64 lowercase hex characters, not {closing_entry_hash!r}")
    return lambda project: lottery_ticket(closing_entry_hash, project)


def lottery_ticket(closing_entry_hash: str, project: str) -> bytes:
    """`SHA-256(closing_entry_hash_hex || "\\n" || project_id)`: lower tickets win lottery ties."""
    return hashlib.sha256(f"{closing_entry_hash}\n{project}".encode()).digest()


def _select(
    rules: Rules, projects: Mapping[str, int], scores: Mapping[str, int], order: list[str], budget: int
) -> CountResult:
    """The greedy family: walk `order` and select what fits, each rule with its own way of skipping or stopping."""
    remaining = budget
    winners: list[str] = []
    reserve: list[str] = []
    trace: list[str] = []
    stopped_at: str | None = None
    rivals = _exclusive_rivals(rules, projects)
    for project in order:
        cost, score = projects[project], scores[project]
        head = f"{project}: score {score}, cost {cost}, "
        excluded_by = next((winner for winner in winners if winner in rivals.get(project, ())), None)
        if stopped_at is not None:
            trace.append(head + f"not reached: {rules.rule} stopped at {stopped_at}")
        elif rules.threshold is not None and score < rules.threshold:
            trace.append(head + f"skipped: below threshold {rules.threshold}")
        elif excluded_by is not None:
            trace.append(head + f"skipped: excluded by {excluded_by}, selected before it in the same exclusive group")
        elif cost <= remaining:
            remaining -= cost
            winners.append(project)
            trace.append(head + f"selected (remaining {remaining})")
        elif rules.rule == "greedy-no-skip":
            stopped_at = project
            trace.append(head + f"stopped: cost {cost} exceeds remaining {remaining}")
        elif rules.rule == "greedy-custom":
            stopped_at = project
            if 5 * remaining >= 4 * cost:
                reserve.append(project)
                trace.append(
                    head + f"stopped: cost {cost} exceeds remaining {remaining}, which covers at least 80 % of it: "
                    "funded from the reserve, outside the budget"
                )
            else:
                trace.append(
                    head + f"stopped: cost {cost} exceeds remaining {remaining}, which covers less than 80 % of it"
                )
        else:
            trace.append(head + f"skipped: cost {cost} exceeds remaining {remaining}")
    return CountResult(winners, dict(scores), sum(projects[project] for project in winners), trace, reserve)


def _exclusive_rivals(rules: Rules, projects: Mapping[str, int]) -> dict[str, set[str]]:
    """For greedy-exclusive: each project's partners in its exclusive groups (ids not on the ballot are ignored)."""
    rivals: dict[str, set[str]] = {}
    if rules.rule != "greedy-exclusive":
        return rivals
    for group in rules.exclusive:
        for project in group:
            if project in projects:
                rivals.setdefault(project, set()).update(other for other in group if other != project)
    return rivals


# --- the Method of Equal Shares -----------------------------------------------------------------------------------


def _equal_shares(
    rules: Rules,
    projects: Mapping[str, int],
    profile: Profile,
    scores: Mapping[str, int],
    order: list[str],
    budget: int,
    closing_entry_hash: str,
) -> CountResult:
    lowest = max(rules.threshold or 0, 1)
    candidates = [project for project in order if scores[project] >= lowest and projects[project] > 0]
    tie_key = _tie_key(rules.tie_break, projects, closing_entry_hash)
    tie_rank = {project: rank for rank, project in enumerate(sorted(candidates, key=tie_key))}
    election = EqualShares(candidates, projects, profile, tie_rank)
    summary: list[str] = []
    if rules.rule in ADD1_RULES and sum(projects[project] for project in candidates) <= budget:
        winners = list(candidates)
        summary.append(
            f"the {len(candidates)} candidate(s) cost {sum(projects[p] for p in winners)} together, "
            f"within the budget {budget}: all are selected, in the order of scores"
        )
        trace = _fit_trace(projects, scores, order, candidates, rules)
    else:
        if rules.rule in ADD1_RULES:
            assert rules.voter_budget_increment is not None
            outcome = election.add1(budget, rules.voter_budget_increment)
            run = outcome.run
            summary.append(
                _add1_line(outcome.steps, run.voter_budget, rules.voter_budget_increment, outcome.next_spent, budget)
            )
        else:
            run = election.run(Fraction(budget, election.voters)) if election.voters else Run(Fraction(0), [], [])
            summary.append(
                f"equal shares: every one of the {election.voters} voters starts with "
                f"{_amount(run.voter_budget)} (budget {budget} / {election.voters})"
            )
        winners = run.winners
        trace = _run_trace(projects, scores, order, run, rules)
    if rules.rule in COMPARISON_RULES:
        greedy = _select(replace(rules, rule="greedy", voter_budget_increment=None), projects, scores, order, budget)
        kept_greedy, line = _compare(profile, winners, greedy.winners)
        summary.append(line)
        if kept_greedy:
            return replace(greedy, summary=summary)
    return CountResult(winners, dict(scores), sum(projects[project] for project in winners), trace, [], summary)


def _compare(profile: Profile, equal_shares: list[str], greedy: list[str]) -> tuple[bool, str]:
    """The comparison step: is the greedy outcome preferred by more voters than the equal-shares outcome?"""
    ours, theirs = set(equal_shares), set(greedy)
    prefer_ours = prefer_theirs = 0
    for ballot, voters in profile.items():
        mine, other = len(ballot & ours), len(ballot & theirs)
        if mine > other:
            prefer_ours += voters
        elif other > mine:
            prefer_theirs += voters
    kept_greedy = prefer_theirs > prefer_ours
    verdict = "the greedy outcome replaces it" if kept_greedy else "the equal-shares outcome stands"
    return kept_greedy, (
        f"comparison step: {prefer_ours} voter(s) have more approved projects funded by equal shares, "
        f"{prefer_theirs} by greedy; {verdict}"
    )


def _add1_line(steps: int, voter_budget: Fraction, increment: int, next_spent: int | None, budget: int) -> str:
    if steps == 0:
        kept = f"no increment kept: every voter starts with {_amount(voter_budget)} (budget / voters)"
    else:
        kept = f"kept step {steps}: every voter starts with {_amount(voter_budget)} (increment {increment})"
    if next_spent is None:
        return f"add1: {kept}; it selects every candidate"
    return f"add1: {kept}; the next step would spend {next_spent}, more than the budget {budget}"


def _run_trace(
    projects: Mapping[str, int], scores: Mapping[str, int], order: list[str], run: Run, rules: Rules
) -> list[str]:
    bought = {purchase.project: purchase for purchase in run.purchases}
    short = {shortfall.project: shortfall for shortfall in run.shortfalls}
    trace = []
    for project in order:
        head = f"{project}: score {scores[project]}, cost {projects[project]}, "
        if project in bought:
            purchase = bought[project]
            trace.append(
                head + f"selected in round {purchase.round}: each of its {purchase.supporters} supporters paid at "
                f"most {_amount(purchase.price)} (equal shares of the cost, or all they had left)"
            )
        elif project in short:
            shortfall = short[project]
            trace.append(
                head + f"not selected: in round {shortfall.round} its supporters had {_amount(shortfall.money)} left "
                "in total, less than its cost"
            )
        else:
            trace.append(head + _not_a_candidate(projects[project], scores[project], rules))
    return trace


def _fit_trace(
    projects: Mapping[str, int], scores: Mapping[str, int], order: list[str], candidates: list[str], rules: Rules
) -> list[str]:
    chosen = set(candidates)
    return [
        f"{project}: score {scores[project]}, cost {projects[project]}, "
        + (
            "selected: all candidates fit the budget"
            if project in chosen
            else _not_a_candidate(projects[project], scores[project], rules)
        )
        for project in order
    ]


def _not_a_candidate(cost: int, score: int, rules: Rules) -> str:
    if rules.threshold is not None and score < rules.threshold:
        return f"skipped: below threshold {rules.threshold}"
    if cost <= 0:
        return "not a candidate: it costs nothing"
    return "not selected: no voter approves it"


def _amount(value: Fraction) -> str:
    """A rational amount for people: exact when whole, else rounded to two decimals (and marked with ~)."""
    if value.denominator == 1:
        return str(value.numerator)
    hundredths = (value.numerator * 100 * 2 + value.denominator) // (2 * value.denominator)
    return f"~{hundredths // 100}.{hundredths % 100:02d}"
