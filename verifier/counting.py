"""Counting (log-format §5.2): scores from ballots, the order of projects with its tie-break, and the selection.

Written from the document, independently of the service's tally. The greedy family is here; the Method of Equal
Shares is in `verifier.equal_shares`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace

from verifier.ballots import EQUAL_SHARES_RULES, Ballot, VoteRules
from verifier.equal_shares import COMPARISON, Profile, equal_shares, greedy_is_preferred

TieKey = Callable[[str], tuple[int | bytes, ...]]


@dataclass(frozen=True)
class Outcome:
    """The selected projects in selection order, what they cost together, and the projects funded from a reserve."""

    winners: tuple[str, ...]
    spent: int
    reserve: tuple[str, ...] = ()


def ballot_points(ballot: Ballot, vote_type: str) -> Iterator[tuple[str, int]]:
    """What a valid ballot adds to each project's score: 1 per approval/choice, the points given, or k-i by rank."""
    if vote_type == "cumulative":
        assert ballot.points is not None, "a valid cumulative ballot has points"
        yield from zip(ballot.vote, ballot.points, strict=True)
    elif vote_type == "ordinal":
        length = len(ballot.vote)
        yield from ((project, length - rank) for rank, project in enumerate(ballot.vote))
    else:
        yield from ((project, 1) for project in ballot.vote)


def add_ballot(scores: MutableMapping[str, int], ballot: Ballot, vote_type: str) -> None:
    """Add a valid ballot to the running `scores`."""
    for project, points in ballot_points(ballot, vote_type):
        scores[project] += points


def tie_break_key(tie_break: str, costs: Mapping[str, int], closing_entry: str) -> TieKey:
    """How projects of equal score are ordered: ascending by the returned key."""
    if tie_break == "lower-cost":
        return lambda project: (costs[project], project.encode("utf-8"))
    if tie_break == "lexicographic":
        return lambda project: (project.encode("utf-8"),)
    if tie_break == "lottery":
        return lambda project: (lottery_ticket(closing_entry, project), project.encode("utf-8"))
    raise ValueError(f"unknown tie_break {tie_break!r}")


def lottery_ticket(closing_entry: str, project: str) -> bytes:
    """SHA-256(closing_entry_hash_hex || "\\n" || project_id): the lottery orders projects by it, ascending."""
    return hashlib.sha256(f"{closing_entry}\n{project}".encode()).digest()


def order_projects(
    scores: Mapping[str, int], costs: Mapping[str, int], tie_break: str, closing_entry: str
) -> list[str]:
    """The projects by score, highest first, ties broken by `tie_break`."""
    tie_key = tie_break_key(tie_break, costs, closing_entry)
    return sorted(scores, key=lambda project: (-scores[project], tie_key(project)))


def select_projects(
    order: Sequence[str],
    scores: Mapping[str, int],
    costs: Mapping[str, int],
    budget: int,
    rules: VoteRules,
) -> Outcome:
    """Walk `order` and select what fits `budget` under a greedy rule, skipping projects below the threshold."""
    remaining, winners, reserve = budget, [], []
    excluded: set[str] = set()  # greedy-exclusive: the partners of the projects selected so far
    for project in order:
        if rules.threshold is not None and scores[project] < rules.threshold:
            continue
        if project in excluded:
            continue
        if costs[project] <= remaining:
            winners.append(project)
            remaining -= costs[project]
            if rules.rule == "greedy-exclusive":
                for group in rules.exclusive:
                    if project in group:
                        excluded.update(group)
        elif rules.rule == "greedy-no-skip":
            break
        elif rules.rule == "greedy-custom":
            if remaining * 5 >= costs[project] * 4:  # what remains covers at least 80 % of it
                reserve.append(project)
            break
    return Outcome(tuple(winners), budget - remaining, tuple(reserve))


def count(
    scores: Mapping[str, int],
    costs: Mapping[str, int],
    budget: int,
    rules: VoteRules,
    closing_entry: str,
    profile: Profile | None = None,
) -> Outcome:
    """The winners of a closed vote with final `scores`, whose `VotingClosed` entry hash is `closing_entry`.

    The equal-shares rules also need `profile`: every distinct ballot (as a frozenset) and how many cast it.
    """
    order = order_projects(scores, costs, rules.tie_break, closing_entry)
    if rules.rule not in EQUAL_SHARES_RULES:
        return select_projects(order, scores, costs, budget, rules)
    if profile is None:
        raise ValueError(f"the rule {rules.rule} counts the ballots themselves, not only the scores")
    tie_key = tie_break_key(rules.tie_break, costs, closing_entry)
    winners = equal_shares(
        rules.rule, costs, scores, profile, budget, rules.threshold, rules.voter_budget_increment, tie_key
    )
    if rules.rule in COMPARISON:
        greedy = select_projects(
            order, scores, costs, budget, replace(rules, rule="greedy", voter_budget_increment=None)
        )
        if greedy_is_preferred(profile, winners, greedy.winners):
            return greedy
    return Outcome(winners, sum(costs[project] for project in winners))
