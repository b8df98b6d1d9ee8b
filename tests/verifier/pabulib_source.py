"""Real elections from pabulib `.pb` files (../shared/data/pabulib), turned into pb-ledger exports by logbuilder.

Only what these tests need: META, PROJECTS (cost, selected) and VOTES (vote, points), read with the csv module.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from .logbuilder import LogBuilder, ballot, rules

MINOR_UNITS = 100
SECTIONS = ("META", "PROJECTS", "VOTES")


@dataclass
class Election:
    meta: dict[str, str]
    costs: dict[str, int]
    selected: set[str]
    votes: list[tuple[list[str], list[int] | None]]


def read_election(path: Path) -> Election:
    sections: dict[str, list[dict[str, str]]] = {name: [] for name in SECTIONS}
    section, header = "", list[str]()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.reader(stream, delimiter=";"):
            if len(row) == 1 and row[0].strip() in SECTIONS:
                section, header = row[0].strip(), []
            elif row and not header:
                header = [name.strip() for name in row]
            elif row:
                sections[section].append(dict(zip(header, (cell.strip() for cell in row), strict=False)))
    projects = sections["PROJECTS"]
    return Election(
        meta={row["key"]: row["value"] for row in sections["META"]},
        costs={row["project_id"]: _minor_units(row["cost"]) for row in projects},
        selected={row["project_id"] for row in projects if row.get("selected") == "1"},
        votes=[_vote(row) for row in sections["VOTES"]],
    )


def _minor_units(amount: str) -> int:
    value = Fraction(amount.replace(",", ".")) * MINOR_UNITS
    assert value.denominator == 1, amount
    return int(value)


def _vote(row: dict[str, str]) -> tuple[list[str], list[int] | None]:
    vote = [item.strip() for item in row.get("vote", "").split(",") if item.strip() not in ("", "None")]
    points = row.get("points")
    return vote, None if points is None else [int(item) for item in points.split(",") if item.strip()]


def _optional(meta: dict[str, str], key: str) -> int | None:
    return int(meta[key]) if key in meta else None


def election_rules(meta: dict[str, str]) -> dict[str, object]:
    """The election's vote rules as a RulesFixed payload; ties broken lexicographically (pabulib declares none)."""
    return rules(
        meta["vote_type"],
        min_length=int(meta.get("min_length", "0")),
        max_length=_optional(meta, "max_length"),
        max_sum_cost=None if "max_sum_cost" not in meta else _minor_units(meta["max_sum_cost"]),
        max_points=_optional(meta, "max_points"),
        min_sum_points=_optional(meta, "min_sum_points"),
        max_sum_points=_optional(meta, "max_sum_points"),
        rule=meta["rule"],
        threshold=_optional(meta, "min_project_score_threshold"),
        tie_break="lexicographic",
    )


def election_log(election: Election) -> LogBuilder:
    """Genesis, then the election as one cycle: its projects, its rules, every ballot, and the close of the vote."""
    cycle = election.meta.get("instance", "cycle")
    builder = LogBuilder()
    builder.genesis()
    budget = {"amount": _minor_units(election.meta["budget"]), "currency": "PLN", "exponent": 2}
    builder.append("CycleCreated", {"title": election.meta["description"], "budget": budget, "source": None}, cycle)
    builder.append("RulesFixed", election_rules(election.meta), cycle)
    for number, (project, cost) in enumerate(election.costs.items()):
        accepted = {"idea": f"idea-{number}", "project": project, "cost": cost, "reason": "imported"}
        builder.append("IdeaAccepted", accepted, cycle)
    builder.append("VotingOpened", {"projects": list(election.costs)}, cycle)
    cumulative = election.meta["vote_type"] == "cumulative"
    for vote, points in election.votes:
        builder.append("BallotCast", ballot(*vote, points=points if cumulative else None, channel="paper"), cycle)
    builder.append("VotingClosed", {"ballots": len(election.votes)}, cycle)
    builder.checkpoint()
    return builder
