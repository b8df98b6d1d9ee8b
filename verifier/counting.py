"""Counting (log-format §5.2): scores from ballots, the order of projects with its tie-break, and greedy selection.

Written from the document, independently of the service's tally.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass

from verifier.ballots import Ballot, VoteRules

TieKey = Callable[[str], tuple[int | bytes, ...]]


@dataclass(frozen=True)
class Outcome:
    """The selected projects in selection order and what they cost together."""

    winners: tuple[str, ...]
    spent: int


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
    """Walk `order` and select what fits `budget` under the greedy rule, skipping projects below the threshold."""
    remaining, winners = budget, []
    for project in order:
        if rules.threshold is not None and scores[project] < rules.threshold:
            continue
        if costs[project] <= remaining:
            winners.append(project)
            remaining -= costs[project]
        elif rules.rule == "greedy-no-skip":
            break
    return Outcome(tuple(winners), budget - remaining)


def count(
    scores: Mapping[str, int], costs: Mapping[str, int], budget: int, rules: VoteRules, closing_entry: str
) -> Outcome:
    """The winners of a closed vote with final `scores`, whose `VotingClosed` entry hash is `closing_entry`."""
    order = order_projects(scores, costs, rules.tie_break, closing_entry)
    return select_projects(order, scores, costs, budget, rules)
