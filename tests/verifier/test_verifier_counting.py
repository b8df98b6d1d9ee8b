"""Counting (log-format §5.2), each rule, vote type and tie-break against results counted by hand."""

from __future__ import annotations

import pytest

from verifier.ballots import Ballot, VoteRules
from verifier.counting import add_ballot, count, lottery_ticket, order_projects

CLOSING = "c0ffee" + "0" * 58


def vote_rules(
    vote_type: str = "approval", rule: str = "greedy", threshold: int | None = None, tie_break: str = "lexicographic"
) -> VoteRules:
    return VoteRules(vote_type, 0, None, None, None, None, None, rule, threshold, tie_break)


def tally(vote_type: str, ballots: list[Ballot], projects: list[str]) -> dict[str, int]:
    scores = dict.fromkeys(projects, 0)
    for ballot in ballots:
        add_ballot(scores, ballot, vote_type)
    return scores


def test_approval_scores_count_the_ballots_that_name_a_project() -> None:
    ballots = [Ballot(("a", "b")), Ballot(("b",)), Ballot(("b", "c")), Ballot(())]
    assert tally("approval", ballots, ["a", "b", "c", "d"]) == {"a": 1, "b": 3, "c": 1, "d": 0}


def test_choose_1_scores_count_the_ballots_that_chose_a_project() -> None:
    ballots = [Ballot(("a",)), Ballot(("b",)), Ballot(("a",))]
    assert tally("choose-1", ballots, ["a", "b", "c"]) == {"a": 2, "b": 1, "c": 0}


def test_cumulative_scores_sum_the_points_given() -> None:
    ballots = [Ballot(("a", "b"), (3, 2)), Ballot(("b",), (5,)), Ballot(("c", "a"), (1, 4))]
    assert tally("cumulative", ballots, ["a", "b", "c"]) == {"a": 7, "b": 7, "c": 1}


def test_ordinal_scores_give_k_minus_rank_points_on_a_ballot_of_length_k() -> None:
    ballots = [Ballot(("a", "b", "c")), Ballot(("c", "a")), Ballot(("b",))]
    # a: 3 + 1, b: 2 + 1, c: 1 + 2
    assert tally("ordinal", ballots, ["a", "b", "c", "d"]) == {"a": 4, "b": 3, "c": 3, "d": 0}


SCORES = {"a": 10, "b": 8, "c": 8, "d": 5, "e": 3}
COSTS = {"a": 50, "b": 40, "c": 30, "d": 20, "e": 10}


def test_greedy_skips_a_project_that_does_not_fit_and_goes_on() -> None:
    # order a b c d e; budget 100: a (50), b (40, left 10), c (30) skipped, d (20) skipped, e (10, left 0)
    outcome = count(SCORES, COSTS, 100, vote_rules(), CLOSING)
    assert outcome.winners == ("a", "b", "e") and outcome.spent == 100


def test_greedy_no_skip_stops_at_the_first_project_that_does_not_fit() -> None:
    outcome = count(SCORES, COSTS, 100, vote_rules(rule="greedy-no-skip"), CLOSING)
    assert outcome.winners == ("a", "b") and outcome.spent == 90


def test_greedy_threshold_skips_projects_below_the_threshold() -> None:
    # threshold 6 leaves a b c; budget 100: a, b, c (30) does not fit; d and e are below the threshold
    outcome = count(SCORES, COSTS, 100, vote_rules(rule="greedy-threshold", threshold=6), CLOSING)
    assert outcome.winners == ("a", "b") and outcome.spent == 90


def test_a_project_whose_score_equals_the_threshold_is_eligible() -> None:
    outcome = count(SCORES, COSTS, 1000, vote_rules(rule="greedy-threshold", threshold=5), CLOSING)
    assert outcome.winners == ("a", "b", "c", "d")


@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip"])
def test_a_threshold_applies_to_every_rule(rule: str) -> None:
    outcome = count(SCORES, COSTS, 1000, vote_rules(rule=rule, threshold=8), CLOSING)
    assert outcome.winners == ("a", "b", "c")


def test_greedy_no_skip_with_a_threshold_stops_only_at_an_eligible_project() -> None:
    scores = {"a": 9, "b": 1, "c": 7}
    costs = {"a": 50, "b": 999, "c": 50}
    # b does not fit but is below the threshold, so it is skipped, not a reason to stop
    outcome = count(scores, costs, 100, vote_rules(rule="greedy-no-skip", threshold=5), CLOSING)
    assert outcome.winners == ("a", "c")


def test_nothing_fits_a_budget_smaller_than_every_cost() -> None:
    assert count(SCORES, COSTS, 5, vote_rules(), CLOSING).winners == ()


def test_a_project_costing_exactly_what_is_left_is_selected() -> None:
    assert count({"a": 2, "b": 1}, {"a": 60, "b": 40}, 100, vote_rules(), CLOSING).winners == ("a", "b")


TIED = {"x": 5, "b2": 5, "b10": 5, "top": 9}
TIED_COSTS = {"x": 10, "b2": 30, "b10": 30, "top": 100}


def test_lower_cost_breaks_ties_by_cost_then_by_id() -> None:
    # x is cheapest; b10 and b2 cost the same, and "b10" < "b2" byte by byte
    order = order_projects(TIED, TIED_COSTS, "lower-cost", CLOSING)
    assert order == ["top", "x", "b10", "b2"]


def test_lexicographic_breaks_ties_by_the_utf8_bytes_of_the_ids() -> None:
    order = order_projects(TIED, TIED_COSTS, "lexicographic", CLOSING)
    assert order == ["top", "b10", "b2", "x"]


def test_lexicographic_order_is_by_utf8_bytes_not_by_utf16() -> None:
    # U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16 (FF21 > D83D)
    scores = {"\U0001f600": 1, "\uff21": 1}
    assert order_projects(scores, {"\U0001f600": 1, "\uff21": 1}, "lexicographic", CLOSING) == ["\uff21", "\U0001f600"]


def test_the_lottery_orders_ties_by_sha256_of_the_closing_hash_a_line_feed_and_the_id() -> None:
    # SHA-256(CLOSING + "\n" + id), computed once with sha256sum:
    #   x   6aeab1256c19a10351f3873e8a9c6e630761511e21899cb40e0463599678fc9c
    #   b2  7394aac657eb5ad39bbc39f249f5e4f6ad6c99e2b7c73dcfe93526c5798c826d
    #   b10 ed4aa0df12c55b4bc704d291cff39b5567dc86963c29d4732424aed479bb53d5
    # so the tied projects go x, b2, b10: neither the lower-cost nor the lexicographic order.
    assert lottery_ticket(CLOSING, "x").hex() == "6aeab1256c19a10351f3873e8a9c6e630761511e21899cb40e0463599678fc9c"
    assert order_projects(TIED, TIED_COSTS, "lottery", CLOSING) == ["top", "x", "b2", "b10"]


def test_the_lottery_depends_on_the_closing_entry() -> None:
    orders = {tuple(order_projects(TIED, TIED_COSTS, "lottery", f"{n:064x}")) for n in range(20)}
    assert len(orders) > 1


def test_selection_follows_the_tie_break_when_tied_projects_compete_for_the_budget() -> None:
    scores, costs = {"a": 3, "b": 3}, {"a": 70, "b": 60}
    assert count(scores, costs, 100, vote_rules(tie_break="lower-cost"), CLOSING).winners == ("b",)
    assert count(scores, costs, 100, vote_rules(tie_break="lexicographic"), CLOSING).winners == ("a",)
