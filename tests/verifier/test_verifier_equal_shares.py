"""The verifier's new counting rules (log-format §5.1, §5.2): greedy-exclusive, greedy-custom and its reserve, the
Method of Equal Shares with Add1 and the comparison step; their rules members; and whole logs that use them.

Every expected outcome is counted by hand from the document.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from verifier.ballots import Ballot, VoteRules, parse_rules
from verifier.counting import Outcome, add_ballot, count
from verifier.errors import RulesViolation

from .logbuilder import LogBuilder, add_cycle, ballot, rules
from .verifying import VerifyBytes

CLOSING = "e1" * 32


def vote_rules(rule: str, **changes: Any) -> VoteRules:
    fields: dict[str, Any] = {
        "vote_type": "approval",
        "min_length": 0,
        "max_length": None,
        "max_sum_cost": None,
        "max_points": None,
        "min_sum_points": None,
        "max_sum_points": None,
        "rule": rule,
        "threshold": None,
        "tie_break": "lower-cost",
    }
    fields.update(changes)
    return VoteRules(**fields)


def tally(ballots: list[str], costs: dict[str, int], budget: int, rules_: VoteRules) -> Outcome:
    """Count approval ballots written one string each, one single-letter project id per character."""
    scores = dict.fromkeys(costs, 0)
    profile: Counter[frozenset[str]] = Counter()
    for text in ballots:
        add_ballot(scores, Ballot(tuple(text)), "approval")
        profile[frozenset(text)] += 1
    return count(scores, costs, budget, rules_, CLOSING, profile)


# --- greedy-exclusive and greedy-custom ----------------------------------------------------------------------------


def test_greedy_exclusive_skips_the_rivals_of_a_selected_project() -> None:
    scores, costs = {"a": 4, "b": 3, "c": 2, "d": 1}, {"a": 300, "b": 200, "c": 400, "d": 100}
    exclusive = (frozenset({"a", "b"}),)
    outcome = count(scores, costs, 1000, vote_rules("greedy-exclusive", exclusive=exclusive), CLOSING)
    assert outcome == Outcome(("a", "c", "d"), 800)


def test_greedy_custom_funds_the_project_it_stops_at_from_the_reserve_at_80_percent() -> None:
    scores, costs = {"a": 3, "b": 2, "c": 1}, {"a": 600, "b": 500, "c": 100}
    assert count(scores, costs, 1000, vote_rules("greedy-custom"), CLOSING) == Outcome(("a",), 600, ("b",))
    assert count(scores, costs, 999, vote_rules("greedy-custom"), CLOSING) == Outcome(("a",), 600, ())


# --- the Method of Equal Shares ------------------------------------------------------------------------------------

MES_COSTS = {"a": 300, "b": 200, "c": 100}
MES_BALLOTS = ["ac"] * 3 + ["b"] * 3  # 6 voters


def test_equal_shares_selects_by_the_lowest_price_per_unit_of_cost() -> None:
    # 100 per voter: a, b and c all cost their supporters a third of their cost; c is cheaper. Then a's supporters
    # hold 3 x 66.67 < 300.
    assert tally(MES_BALLOTS, MES_COSTS, 600, vote_rules("equalshares")) == Outcome(("c", "b"), 300)


def test_add1_with_every_candidate_within_the_budget_selects_them_all_in_score_order() -> None:
    outcome = tally(MES_BALLOTS, MES_COSTS, 600, vote_rules("equalshares/add1", voter_budget_increment=1))
    assert outcome.winners == ("c", "b", "a")


def test_add1_stops_before_the_first_step_that_overspends() -> None:
    # 91.67 per voter, then 92, 93, ...: from 134, a is also affordable after c, and a, b, c cost 600 > 550
    outcome = tally(MES_BALLOTS, MES_COSTS, 550, vote_rules("equalshares/add1", voter_budget_increment=1))
    assert outcome == Outcome(("c", "b"), 300)


def test_the_comparison_step_takes_greedy_when_more_voters_prefer_it() -> None:
    costs = {"p": 50, "q": 50, "r": 40}
    ballots = ["pq"] * 6 + ["r"] * 4  # equal shares: p, r; greedy: p, q; 6 voters prefer greedy, 4 equal shares
    assert tally(ballots, costs, 100, vote_rules("equalshares")).winners == ("p", "r")
    assert tally(ballots, costs, 100, vote_rules("equalshares-comparison")).winners == ("p", "q")


def test_empty_ballots_count_as_voters_in_equal_shares() -> None:
    assert tally(["a", ""], {"a": 60}, 100, vote_rules("equalshares")).winners == ()
    assert tally(["a"], {"a": 60}, 100, vote_rules("equalshares")).winners == ("a",)


def test_equal_shares_needs_the_ballots() -> None:
    with pytest.raises(ValueError, match="ballots"):
        count({"a": 1}, {"a": 1}, 1, vote_rules("equalshares"), CLOSING)


# --- rules members -------------------------------------------------------------------------------------------------


def test_the_new_members_are_read_when_present() -> None:
    exclusive = parse_rules(rules(rule="greedy-exclusive", exclusive=[["a", "b"]]), 3)
    assert exclusive.exclusive == (frozenset({"a", "b"}),)
    add1 = parse_rules(rules(rule="equalshares/add1", voter_budget_increment=100), 3)
    assert add1.voter_budget_increment == 100
    assert parse_rules(rules(rule="equalshares-comparison"), 3).voter_budget_increment is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rule": "equalshares/add1"}, "needs a voter_budget_increment"),
        ({"rule": "equalshares/add1", "voter_budget_increment": 0}, "less than 1"),
        ({"rule": "equalshares/add1", "voter_budget_increment": None}, "is not an integer"),
        ({"rule": "equalshares", "voter_budget_increment": 1}, "takes no voter_budget_increment"),
        ({"rule": "greedy", "exclusive": []}, "takes no exclusive groups"),
        ({"rule": "greedy-exclusive", "exclusive": [["a"]]}, "does not name two or more distinct projects"),
        ({"rule": "greedy-exclusive", "exclusive": "ab"}, "is not a list of groups"),
        ({"rule": "equalshares", "vote_type": "cumulative"}, "counts approvals"),
    ],
)
def test_malformed_new_members_are_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(RulesViolation, match=message):
        parse_rules(rules(**overrides), 3)


# --- whole logs ----------------------------------------------------------------------------------------------------


def custom_log(reserve: list[str] | None) -> LogBuilder:
    """Greedy-custom, budget 1000: a (600) is selected, b (500) is funded from the reserve (400 >= 80 % of 500)."""
    builder = LogBuilder()
    builder.genesis()
    seqs = add_cycle(
        builder,
        costs={"a": 600, "b": 500, "c": 100},
        vote_rules=rules(rule="greedy-custom"),
        ballots=[ballot("a", "b", "c"), ballot("a", "b"), ballot("a")],
        announce=False,
    )
    announcement: dict[str, Any] = {
        "rule": "greedy-custom",
        "winners": ["a"],
        "scores": {"a": 3, "b": 2, "c": 1},
        "spent": 600,
        "closing_entry": builder.entries[seqs.closed].hash,
    }
    if reserve is not None:
        announcement["reserve"] = reserve
    builder.append("ResultsAnnounced", announcement, "2026", role="pb-team")
    builder.checkpoint()
    return builder


def test_an_announced_reserve_that_matches_the_recount_verifies(verify_bytes: VerifyBytes) -> None:
    report = verify_bytes(custom_log(["b"]))
    assert report.ok, report.error


@pytest.mark.parametrize("reserve", [None, [], ["c"]])
def test_an_announced_reserve_that_differs_from_the_recount_fails(verify_bytes: VerifyBytes, reserve: Any) -> None:
    report = verify_bytes(custom_log(reserve))
    assert report.error is not None
    assert "reserve" in report.error.message


def test_an_equal_shares_cycle_verifies_and_a_wrong_announcement_fails(verify_bytes: VerifyBytes) -> None:
    def log(winners: list[str]) -> LogBuilder:
        builder = LogBuilder()
        builder.genesis()
        add_cycle(
            builder,
            costs=MES_COSTS,
            vote_rules=rules(rule="equalshares/add1", voter_budget_increment=1, min_length=1),
            ballots=[ballot(*text) for text in MES_BALLOTS],
            budget=550,
            winners=winners,
            scores={"a": 3, "b": 3, "c": 3},
        )
        builder.checkpoint()
        return builder

    assert verify_bytes(log(["c", "b"])).ok
    wrong = verify_bytes(log(["b", "c"]))  # the right set in the wrong order
    assert wrong.error is not None and "selection order" in wrong.error.message
