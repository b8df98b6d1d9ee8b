"""The count of a cycle (log-format §5.2): scores, order, greedy selection, and a readable trace.

Pure domain code: standard library only, no I/O. Ballots are assumed valid (see `rules.validate_ballot`);
the count only refuses what it cannot score.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pb_ledger.domain.rules import InvalidBallot, Rules

Ballot = tuple[Sequence[str], Sequence[int] | None]

_ENTRY_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class CountResult:
    """`winners` in selection order, every project's score, the money spent, one trace line per project."""

    winners: list[str]
    scores: dict[str, int]
    spent: int
    trace: list[str]


def count(
    rules: Rules, projects: Mapping[str, int], ballots: Iterable[Ballot], budget: int, closing_entry_hash: str
) -> CountResult:
    """Count the ballots under `rules`; `projects` maps project id to cost, `budget` is the amount to spend.

    `closing_entry_hash` is the lowercase hex entry hash of the cycle's `VotingClosed`; only the lottery
    tie-break reads it.
    """
    rules.validate()
    scores = score_projects(rules, projects, ballots)
    order = rank_projects(rules, projects, scores, closing_entry_hash)
    return _select(rules, projects, scores, order, budget)


def score_projects(rules: Rules, projects: Mapping[str, int], ballots: Iterable[Ballot]) -> dict[str, int]:
    """Every project's score (§5.2): approvals, points, or `len - index` for ordinal ballots."""
    scores = dict.fromkeys(projects, 0)
    for vote, points in ballots:
        for project, gained in zip(vote, _ballot_points(rules, vote, points), strict=True):
            if project not in scores:
                raise InvalidBallot("unknown_project", f"project {project!r} is not on the ballot")
            scores[project] += gained
    return scores


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


def _tie_key(tie_break: str, projects: Mapping[str, int], closing_entry_hash: str) -> Callable[[str], object]:
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
    remaining = budget
    winners: list[str] = []
    trace: list[str] = []
    stopped_at: str | None = None
    for project in order:
        cost, score = projects[project], scores[project]
        head = f"{project}: score {score}, cost {cost}, "
        if stopped_at is not None:
            trace.append(head + f"not reached: greedy-no-skip stopped at {stopped_at}")
        elif rules.threshold is not None and score < rules.threshold:
            trace.append(head + f"skipped: below threshold {rules.threshold}")
        elif cost <= remaining:
            remaining -= cost
            winners.append(project)
            trace.append(head + f"selected (remaining {remaining})")
        elif rules.rule == "greedy-no-skip":
            stopped_at = project
            trace.append(head + f"stopped: cost {cost} exceeds remaining {remaining}")
        else:
            trace.append(head + f"skipped: cost {cost} exceeds remaining {remaining}")
    return CountResult(winners, dict(scores), sum(projects[project] for project in winners), trace)
