"""The count (log-format §5.2) on hand-made elections, and on the real pabulib elections with official results."""

from __future__ import annotations

import functools
import hashlib
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from pb_ledger.domain.counting import CountResult, count, lottery_ticket
from pb_ledger.domain.rules import InvalidBallot, InvalidRules, Rules
from pb_ledger.pabulib import PabulibElection, parse_pabulib, rules_from_meta, to_minor_units

CLOSING = "9f" * 32
APPROVAL = Rules(vote_type="approval")
PABULIB_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib"
GREEDY_FAMILY = ("greedy", "greedy-no-skip", "greedy-threshold")


def approvals(*ballots: str) -> list[tuple[list[str], None]]:
    """`approvals("ab", "b")`: one ballot per string, one single-letter project id per character."""
    return [(list(ballot), None) for ballot in ballots]


# --- scores -------------------------------------------------------------------------------------------------------


def test_an_approval_score_is_the_number_of_ballots_naming_the_project() -> None:
    result = count(APPROVAL, {"a": 1, "b": 1, "c": 1}, approvals("ab", "b", "bc"), 10, CLOSING)
    assert result.scores == {"a": 1, "b": 3, "c": 1}


def test_every_project_has_a_score_even_without_votes() -> None:
    result = count(APPROVAL, {"a": 1, "z": 1}, approvals("a"), 10, CLOSING)
    assert result.scores == {"a": 1, "z": 0}


def test_a_choose_one_score_counts_ballots() -> None:
    rules = Rules(vote_type="choose-1", max_length=1)
    result = count(rules, {"a": 5, "b": 5}, approvals("a", "b", "b"), 5, CLOSING)
    assert result.scores == {"a": 1, "b": 2}
    assert result.winners == ["b"]


def test_a_cumulative_score_is_the_sum_of_points() -> None:
    rules = Rules(vote_type="cumulative", max_sum_points=5)
    ballots = [(["a", "b"], [4, 1]), (["b"], [5]), (["c", "a"], [3, 2])]
    result = count(rules, {"a": 1, "b": 1, "c": 1}, ballots, 2, CLOSING)
    assert result.scores == {"a": 6, "b": 6, "c": 3}


def test_an_ordinal_ballot_gives_its_length_minus_the_position() -> None:
    rules = Rules(vote_type="ordinal")
    ballots = approvals("abc", "ca", "b")
    result = count(rules, {"a": 1, "b": 1, "c": 1, "d": 1}, ballots, 1, CLOSING)
    assert result.scores == {"a": 3 + 1, "b": 2 + 1, "c": 1 + 2, "d": 0}


def test_empty_ballots_count_for_nothing() -> None:
    result = count(replace(APPROVAL, min_length=0), {"a": 1}, approvals("", "a"), 1, CLOSING)
    assert result.scores == {"a": 1}


def test_a_ballot_naming_an_unknown_project_is_refused() -> None:
    with pytest.raises(InvalidBallot) as caught:
        count(APPROVAL, {"a": 1}, approvals("ax"), 1, CLOSING)
    assert caught.value.code == "unknown_project"


def test_a_cumulative_ballot_without_points_is_refused() -> None:
    with pytest.raises(InvalidBallot) as caught:
        count(Rules(vote_type="cumulative"), {"a": 1}, [(["a"], None)], 1, CLOSING)
    assert caught.value.code == "points_required"


def test_the_ballots_may_be_a_one_pass_iterator() -> None:
    result = count(APPROVAL, {"a": 1, "b": 1}, iter(approvals("a", "ab")), 1, CLOSING)
    assert result.winners == ["a"]


# --- selection ----------------------------------------------------------------------------------------------------

PROJECTS = {"a": 600, "b": 500, "c": 300, "d": 200}
BALLOTS = approvals("abcd", "abc", "ab", "a")  # scores a 4, b 3, c 2, d 1


def test_greedy_skips_a_project_that_does_not_fit_and_goes_on() -> None:
    result = count(APPROVAL, PROJECTS, BALLOTS, 1000, CLOSING)
    assert result == CountResult(
        winners=["a", "c"],
        scores={"a": 4, "b": 3, "c": 2, "d": 1},
        spent=900,
        trace=[
            "a: score 4, cost 600, selected (remaining 400)",
            "b: score 3, cost 500, skipped: cost 500 exceeds remaining 400",
            "c: score 2, cost 300, selected (remaining 100)",
            "d: score 1, cost 200, skipped: cost 200 exceeds remaining 100",
        ],
    )


def test_greedy_no_skip_stops_at_the_first_project_that_does_not_fit() -> None:
    result = count(replace(APPROVAL, rule="greedy-no-skip"), PROJECTS, BALLOTS, 1000, CLOSING)
    assert result.winners == ["a"]
    assert result.spent == 600
    assert result.trace == [
        "a: score 4, cost 600, selected (remaining 400)",
        "b: score 3, cost 500, stopped: cost 500 exceeds remaining 400",
        "c: score 2, cost 300, not reached: greedy-no-skip stopped at b",
        "d: score 1, cost 200, not reached: greedy-no-skip stopped at b",
    ]


def test_greedy_threshold_skips_projects_scoring_below_the_threshold() -> None:
    rules = replace(APPROVAL, rule="greedy-threshold", threshold=3)
    result = count(rules, PROJECTS, BALLOTS, 2000, CLOSING)
    assert result.winners == ["a", "b"]
    assert result.trace[2:] == [
        "c: score 2, cost 300, skipped: below threshold 3",
        "d: score 1, cost 200, skipped: below threshold 3",
    ]


def test_a_project_scoring_exactly_the_threshold_is_eligible() -> None:
    rules = replace(APPROVAL, rule="greedy-threshold", threshold=2)
    assert count(rules, PROJECTS, BALLOTS, 2000, CLOSING).winners == ["a", "b", "c"]


def test_a_threshold_applies_under_plain_greedy_too() -> None:
    rules = replace(APPROVAL, threshold=2)
    assert count(rules, PROJECTS, BALLOTS, 2000, CLOSING).winners == ["a", "b", "c"]


def test_greedy_no_skip_passes_over_ineligible_projects_without_stopping() -> None:
    projects = {"a": 600, "b": 5000, "c": 300}
    ballots = approvals("ab", "a", "ac", "ac")  # a 4, c 2, b 1; b would not fit but is below the threshold
    rules = replace(APPROVAL, rule="greedy-no-skip", threshold=2)
    result = count(rules, projects, ballots, 1000, CLOSING)
    assert result.winners == ["a", "c"]
    assert result.trace[2] == "b: score 1, cost 5000, skipped: below threshold 2"


def test_greedy_threshold_without_a_threshold_is_refused() -> None:
    with pytest.raises(InvalidRules) as caught:
        count(replace(APPROVAL, rule="greedy-threshold"), PROJECTS, BALLOTS, 1000, CLOSING)
    assert caught.value.code == "threshold_required"


def test_a_project_costing_exactly_the_remaining_budget_is_selected() -> None:
    result = count(APPROVAL, PROJECTS, BALLOTS, 900 + 500, CLOSING)
    assert result.winners == ["a", "b", "c"]
    assert result.trace[2] == "c: score 2, cost 300, selected (remaining 0)"


def test_winners_are_in_selection_order_not_in_project_order() -> None:
    result = count(APPROVAL, {"z": 1, "y": 1, "x": 1}, approvals("x", "xy", "xyz"), 10, CLOSING)
    assert result.winners == ["x", "y", "z"]
    assert list(result.scores) == ["z", "y", "x"]


def test_with_no_ballots_every_score_is_zero_and_ties_decide_the_order() -> None:
    result = count(APPROVAL, {"b": 2, "a": 3, "c": 2}, [], 5, CLOSING)
    assert result.winners == ["b", "c"]
    assert result.scores == {"b": 0, "a": 0, "c": 0}


# --- tie-breaks ---------------------------------------------------------------------------------------------------

TIED = {"b": 300, "a": 500, "c": 300, "é": 100, "Z": 400}  # every project gets the same score below


def order_under(tie_break: str) -> list[str]:
    rules = replace(APPROVAL, tie_break=tie_break)
    result = count(rules, TIED, [(list(TIED), None)], 10_000, CLOSING)
    return result.winners


def test_lower_cost_puts_the_cheaper_project_first_then_the_smaller_id() -> None:
    assert order_under("lower-cost") == ["é", "b", "c", "Z", "a"]


def test_lexicographic_orders_ids_by_their_utf8_bytes() -> None:
    assert order_under("lexicographic") == ["Z", "a", "b", "c", "é"]


def test_lottery_orders_by_the_hash_of_the_closing_entry_and_the_project_id() -> None:
    def ticket(project: str) -> bytes:
        return hashlib.sha256((CLOSING + "\n" + project).encode("utf-8")).digest()

    assert order_under("lottery") == sorted(TIED, key=ticket)
    assert lottery_ticket(CLOSING, "é") == ticket("é")


def test_the_lottery_changes_with_the_closing_entry() -> None:
    rules = replace(APPROVAL, tie_break="lottery")
    projects = {str(n): 1 for n in range(20)}
    first = count(rules, projects, [], 20, "00" * 32).winners
    second = count(rules, projects, [], 20, "01" * 32).winners
    assert sorted(first) == sorted(second)
    assert first != second


@pytest.mark.parametrize("bad_hash", ["", "AB" * 32, "ab" * 31, "zz" * 32])
def test_the_lottery_needs_a_lowercase_hex_entry_hash(bad_hash: str) -> None:
    with pytest.raises(ValueError, match="closing_entry_hash"):
        count(replace(APPROVAL, tie_break="lottery"), {"a": 1}, [], 1, bad_hash)


def test_a_tie_break_only_orders_projects_with_equal_scores() -> None:
    projects = {"a": 100, "b": 1}
    ballots = approvals("a", "ab", "a")
    for tie_break in ("lower-cost", "lexicographic", "lottery"):
        assert count(replace(APPROVAL, tie_break=tie_break), projects, ballots, 101, CLOSING).winners == ["a", "b"]


def test_a_tie_can_decide_who_is_funded() -> None:
    projects = {"a": 300, "b": 200}
    ballots = approvals("ab")
    assert count(replace(APPROVAL, tie_break="lower-cost"), projects, ballots, 300, CLOSING).winners == ["b"]
    assert count(replace(APPROVAL, tie_break="lexicographic"), projects, ballots, 300, CLOSING).winners == ["a"]


# --- real elections -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RealElection:
    name: str
    official: set[str] | None  # projects with selected == 1, None without a `selected` column
    result: CountResult  # counted with tie_break lower-cost


@functools.cache
def real_greedy_elections() -> list[RealElection]:
    """The greedy-family elections of the shared pabulib folder, each parsed and counted once."""
    if not PABULIB_DIR.is_dir():
        message = f"the real pabulib elections are missing: {PABULIB_DIR} does not exist"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    elections = []
    for path in sorted(PABULIB_DIR.glob("*.pb")):
        election = parse_pabulib(path)
        if election.meta.get("rule") in GREEDY_FAMILY:
            elections.append(RealElection(path.name, official_winners(election), recount(election)))
    return elections


def official_winners(election: PabulibElection) -> set[str] | None:
    if "selected" not in election.projects[0].fields:
        return None
    return {project.project_id for project in election.projects if project.selected == 1}


def recount(election: PabulibElection) -> CountResult:
    costs = {project.project_id: to_minor_units(project.cost) for project in election.projects}
    rules = rules_from_meta(election.meta, costs, tie_break="lower-cost")
    ballots = [(vote.vote, vote.points) for vote in election.votes]
    return count(rules, costs, ballots, to_minor_units(election.meta["budget"]), CLOSING)


@pytest.mark.slow
def test_real_elections() -> None:
    """Every greedy-family election with a `selected` column reproduces its official winners.

    `selected == 2` (Gdynia's "Projekt +1", funded from outside the budget) is not a winner of the count: Gdynia's
    greedy-no-skip stops exactly at that project.
    """
    compared = [election for election in real_greedy_elections() if election.official is not None]
    mismatches = [
        f"{election.name}: extra {sorted(set(election.result.winners) - election.official)}, "
        f"missing {sorted(election.official - set(election.result.winners))}"
        for election in compared
        if election.official is not None and set(election.result.winners) != election.official
    ]
    assert not mismatches, "\n".join(mismatches)
    assert len(compared) >= 1, f"no greedy-family election with a selected column in {PABULIB_DIR}"


@pytest.mark.slow
def test_no_tie_in_the_real_elections_can_change_the_winners() -> None:
    """No project that shares its score with another is funded.

    Tied projects then all meet the same remaining budget and none fits (or passes the threshold), so every
    tie-break order, lottery draws included, gives the same winners.
    """
    for election in real_greedy_elections():
        scores = election.result.scores
        sharing = Counter(scores.values())
        tied = {project for project, score in scores.items() if sharing[score] > 1}
        assert not tied & set(election.result.winners), f"{election.name}: a tie decides {tied}"
