"""The verifier's own counting on every real election of ../shared/data/pabulib with a `selected` column.

A minimal adapter in this file reads each `.pb` file (csv module only) into the verifier's inputs: the costs, the
scores added ballot by ballot with `add_ballot`, the merged ballots for the equal-shares rules, and a `VoteRules` for
the rule the file declares. `verifier.counting.count` must select exactly the projects with `selected == 1`; under
`greedy-custom` (Poznań's 80 % rule) its reserve must be exactly the projects with `selected == 2`.

The files whose rule is new (the equal-shares rules, greedy-custom) also go through the whole verifier: written as a
pb-ledger export, with the announcement the recount gives, and verified from the first entry.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from verifier.ballots import Ballot, VoteRules
from verifier.counting import Outcome, add_ballot, count
from verifier.verification import verify_export

from .logbuilder import ROOT, LogBuilder, ballot, rules

PABULIB_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib"
FILES = sorted(path.name for path in PABULIB_DIR.glob("*.pb")) if PABULIB_DIR.is_dir() else []
CLOSING = "0d" * 32
NEW_RULES = (
    "greedy-custom",
    "equalshares",
    "equalshares/add1",
    "equalshares-comparison",
    "equalshares/add1-comparison",
)


@dataclass
class RealElection:
    meta: dict[str, str]
    costs: dict[str, int]
    selected: dict[str, int]  # project -> its `selected` value, when the file has the column
    votes: list[tuple[tuple[str, ...], tuple[int, ...] | None]]


def minor_units(amount: str) -> int:
    value = Fraction(amount.replace(",", ".")) * 100
    assert value.denominator == 1, amount
    return int(value)


def read(name: str) -> RealElection:
    sections: dict[str, list[dict[str, str]]] = {"META": [], "PROJECTS": [], "VOTES": []}
    section, header = "", list[str]()
    with (PABULIB_DIR / name).open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.reader(stream, delimiter=";"):
            if len(row) == 1 and row[0].strip() in sections:
                section, header = row[0].strip(), []
            elif row and not header:
                header = [cell.strip() for cell in row]
            elif row:
                sections[section].append({key: cell.strip() for key, cell in zip(header, row, strict=False)})
    votes = []
    for row in sections["VOTES"]:
        vote = tuple(item.strip() for item in row.get("vote", "").split(",") if item.strip() not in ("", "None"))
        points = row.get("points")
        votes.append((vote, None if not points else tuple(int(item) for item in points.split(","))))
    projects = sections["PROJECTS"]
    return RealElection(
        meta={row["key"]: row["value"] for row in sections["META"]},
        costs={row["project_id"]: minor_units(row["cost"]) for row in projects},
        selected={row["project_id"]: int(row["selected"]) for row in projects if row.get("selected", "") != ""},
        votes=votes,
    )


def declared_rule(name: str) -> str:
    """The META `rule` of a file, read without the rest of it."""
    with (PABULIB_DIR / name).open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.reader(stream, delimiter=";"):
            if row and row[0].strip() == "PROJECTS":
                break
            if len(row) == 2 and row[0].strip() == "rule":
                return row[1].strip()
    return "unknown"


def vote_rules(meta: dict[str, str]) -> VoteRules:
    """The rules the file declares, as the verifier reads them; ties to the lower cost (pabulib declares none)."""
    threshold = meta.get("min_project_score_threshold")
    rule = meta["rule"]
    increment = 100 if rule in ("equalshares/add1", "equalshares/add1-comparison") else None
    return VoteRules(
        meta["vote_type"],
        0,
        None,
        None,
        None,
        None,
        None,
        rule,
        int(threshold) if threshold else None,
        "lower-cost",
        (),
        increment,
    )


def recount(election: RealElection) -> Outcome:
    kind = election.meta["vote_type"]
    scores = dict.fromkeys(election.costs, 0)
    profile: Counter[frozenset[str]] = Counter()
    for vote, points in election.votes:
        add_ballot(scores, Ballot(vote, points if kind == "cumulative" else None), kind)
        profile[frozenset(vote)] += 1
    budget = minor_units(election.meta["budget"])
    return count(scores, election.costs, budget, vote_rules(election.meta), CLOSING, profile)


def test_the_folder_of_real_elections_is_there() -> None:
    if not FILES:
        message = f"the real pabulib elections are missing: {PABULIB_DIR} does not exist"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.slow
@pytest.mark.parametrize("name", FILES)
def test_the_verifier_recount_reproduces_the_official_winners(name: str) -> None:
    election = read(name)
    if not election.selected:
        pytest.skip(f"{name} has no selected column")
    if election.meta.get("rule", "unknown") == "unknown":
        pytest.skip(f"{name} declares the rule 'unknown'")
    outcome = recount(election)
    official = {project for project, value in election.selected.items() if value == 1}
    assert set(outcome.winners) == official
    assert outcome.spent == sum(election.costs[project] for project in official)
    others = {project for project, value in election.selected.items() if value == 2}
    assert set(outcome.reserve) == (others if election.meta["rule"] == "greedy-custom" else set())


def export(election: RealElection, outcome: Outcome, tmp_path: Path) -> Path:
    """The election as one cycle of a pb-ledger export, announced with `outcome`."""
    meta, cycle = election.meta, election.meta.get("instance", "cycle")
    fixed = rules(meta["vote_type"], min_length=0, max_length=None, rule=meta["rule"])
    if meta["rule"] in ("equalshares/add1", "equalshares/add1-comparison"):
        fixed["voter_budget_increment"] = 100
    builder = LogBuilder()
    builder.genesis()
    budget = {"amount": minor_units(meta["budget"]), "currency": "PLN", "exponent": 2}
    builder.append("CycleCreated", {"title": meta.get("description", ""), "budget": budget, "source": None}, cycle)
    builder.append("RulesFixed", fixed, cycle)
    for number, (project, cost) in enumerate(election.costs.items()):
        builder.append("IdeaAccepted", {"idea": f"i{number}", "project": project, "cost": cost, "reason": "-"}, cycle)
    builder.append("VotingOpened", {"projects": list(election.costs)}, cycle)
    for vote, _ in election.votes:
        builder.append("BallotCast", ballot(*vote, channel="paper"), cycle)
    closed = builder.append("VotingClosed", {"ballots": len(election.votes)}, cycle)
    scores = Counter(project for vote, _ in election.votes for project in vote)
    announcement: dict[str, object] = {
        "rule": meta["rule"],
        "winners": list(outcome.winners),
        "scores": {project: scores[project] for project in election.costs},
        "spent": outcome.spent,
        "closing_entry": closed.hash,
    }
    if outcome.reserve:
        announcement["reserve"] = list(outcome.reserve)
    builder.append("ResultsAnnounced", announcement, cycle)
    builder.checkpoint()
    return builder.write(tmp_path / "election.jsonl")


@pytest.mark.slow
@pytest.mark.parametrize("name", [name for name in FILES if declared_rule(name) in NEW_RULES])
def test_a_real_election_under_a_new_rule_verifies_end_to_end(name: str, tmp_path: Path) -> None:
    election = read(name)
    outcome = recount(election)
    report = verify_export(export(election, outcome, tmp_path), ROOT.public)
    assert report.ok, report.error
    (cycle,) = report.cycles
    assert set(cycle.recomputed_winners or []) == {p for p, value in election.selected.items() if value == 1}
