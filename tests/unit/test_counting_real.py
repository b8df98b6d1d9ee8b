"""Every real election in ../shared/data/pabulib with a `selected` column, counted with the rule its META declares.

The folder is read when the tests are collected, so a file added there is checked too. Each file is parsed with
`pb_ledger.pabulib`, its META mapped with `rules_from_meta` (ties to the lower cost: pabulib declares none) and
counted with `pb_ledger.domain.counting.count`; the winners must be exactly the projects with `selected == 1`.
Projects with `selected == 2` were funded for another reason: under `greedy-custom` (Poznań's 80 % rule) they are the
projects the rule funds from the reserve, so they must be exactly the count's `reserve`; under the other rules they
are not winners of the count (Gdynia's turnout award is not part of its greedy-no-skip).
"""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path

import pytest

from pb_ledger.domain.counting import CountResult, count
from pb_ledger.pabulib import PabulibElection, UnsupportedRule, parse_pabulib, rules_from_meta, to_minor_units

PABULIB_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib"
FILES = sorted(path.name for path in PABULIB_DIR.glob("*.pb")) if PABULIB_DIR.is_dir() else []
CLOSING = "5e" * 32


def _missing_folder() -> None:
    message = f"the real pabulib elections are missing: {PABULIB_DIR} does not exist"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@functools.cache
def parsed(name: str) -> PabulibElection:
    return parse_pabulib(PABULIB_DIR / name)


def costs_of(election: PabulibElection) -> dict[str, int]:
    return {project.project_id: to_minor_units(project.cost) for project in election.projects}


def recount(election: PabulibElection) -> CountResult:
    costs = costs_of(election)
    rules = rules_from_meta(election.meta, costs, tie_break="lower-cost")
    ballots = [(vote.vote, vote.points) for vote in election.votes]
    return count(rules, costs, ballots, to_minor_units(election.meta["budget"]), CLOSING)


def selected(election: PabulibElection, value: int) -> set[str]:
    return {project.project_id for project in election.projects if project.selected == value}


def test_the_folder_of_real_elections_is_there() -> None:
    if not FILES:
        _missing_folder()
    assert len(FILES) >= 13


@pytest.mark.slow
@pytest.mark.parametrize("name", FILES)
def test_the_count_of_a_real_election_reproduces_its_official_winners(name: str) -> None:
    election = parsed(name)
    if "selected" not in election.projects[0].fields:
        pytest.skip(f"{name} has no selected column (rule {election.meta.get('rule')})")
    if election.meta.get("rule", "unknown") == "unknown":
        pytest.skip(f"{name} declares the rule 'unknown': there is nothing to reproduce")
    try:
        result = recount(election)
    except UnsupportedRule as refused:
        pytest.fail(f"{name}: {refused}")
    official = selected(election, 1)
    winners = set(result.winners)
    assert winners == official, f"extra {sorted(winners - official)}, missing {sorted(official - winners)}"
    assert len(result.winners) == len(winners)
    assert result.spent == sum(costs_of(election)[project] for project in official)
    if election.meta["rule"] == "greedy-custom":
        assert set(result.reserve) == selected(election, 2)
    else:
        assert result.reserve == []
    assert len(result.trace) == len(election.projects)


@pytest.mark.slow
def test_equal_shares_with_add1_counts_lodz_2022_in_under_5_seconds() -> None:
    """The largest election (90,494 ballots, 160 projects) under the heaviest rule, parsing excluded."""
    if "Poland_Lodz_2022.pb" not in FILES:
        _missing_folder()
    election = parsed("Poland_Lodz_2022.pb")
    costs = costs_of(election)
    meta = {key: value for key, value in election.meta.items() if key != "min_project_score_threshold"}
    meta["rule"] = "equalshares/add1"  # every project a candidate: the heaviest case
    rules = rules_from_meta(meta, costs)
    ballots = [(vote.vote, vote.points) for vote in election.votes]
    started = time.perf_counter()
    result = count(rules, costs, ballots, to_minor_units(meta["budget"]), CLOSING)
    elapsed = time.perf_counter() - started
    assert result.spent <= to_minor_units(meta["budget"])
    assert elapsed < 5, f"equalshares/add1 on Łódź 2022 took {elapsed:.1f} s"
