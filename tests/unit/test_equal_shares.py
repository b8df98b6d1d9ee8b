"""The counting rules added to the greedy family (log-format §5.1, §5.2) on elections counted by hand.

greedy-exclusive, greedy-custom (Poznań's 80 % rule), the Method of Equal Shares, its Add1 completion and the
comparison step; the rules' new optional members; the trace.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from pb_ledger.domain.counting import count
from pb_ledger.domain.equal_shares import EqualShares
from pb_ledger.domain.rules import InvalidRules, Rules
from pb_ledger.pabulib import UnsupportedRule, rules_from_meta

CLOSING = "ab" * 32
APPROVAL = Rules(vote_type="approval", min_length=0)


def approvals(*ballots: str) -> list[tuple[list[str], None]]:
    """One ballot per string, one single-letter project id per character."""
    return [(list(ballot), None) for ballot in ballots]


def times(count_: int, ballot: str) -> list[str]:
    return [ballot] * count_


# --- greedy-exclusive ----------------------------------------------------------------------------------------------

EXCLUSIVE_PROJECTS = {"a": 300, "b": 200, "c": 400, "d": 100}
EXCLUSIVE_BALLOTS = approvals("abcd", "abc", "ab", "a")  # a 4, b 3, c 2, d 1


def test_greedy_exclusive_skips_a_project_whose_rival_was_selected() -> None:
    rules = replace(APPROVAL, rule="greedy-exclusive", exclusive=(("a", "b"),))
    result = count(rules, EXCLUSIVE_PROJECTS, EXCLUSIVE_BALLOTS, 1000, CLOSING)
    assert result.winners == ["a", "c", "d"]
    assert result.trace[1] == (
        "b: score 3, cost 200, skipped: excluded by a, selected before it in the same exclusive group"
    )
    assert result.spent == 800


def test_greedy_exclusive_without_groups_is_greedy() -> None:
    exclusive = count(replace(APPROVAL, rule="greedy-exclusive"), EXCLUSIVE_PROJECTS, EXCLUSIVE_BALLOTS, 700, CLOSING)
    greedy = count(APPROVAL, EXCLUSIVE_PROJECTS, EXCLUSIVE_BALLOTS, 700, CLOSING)
    assert exclusive.winners == greedy.winners == ["a", "b", "d"]


def test_a_rival_that_did_not_fit_excludes_nothing() -> None:
    # a (300) does not fit in 250: b, its rival, is still eligible
    rules = replace(APPROVAL, rule="greedy-exclusive", exclusive=(("a", "b", "z"),))
    assert count(rules, EXCLUSIVE_PROJECTS, EXCLUSIVE_BALLOTS, 250, CLOSING).winners == ["b"]


# --- greedy-custom (Poznań's 80 % rule) ----------------------------------------------------------------------------

CUSTOM_PROJECTS = {"a": 600, "b": 500, "c": 100}
CUSTOM_BALLOTS = approvals("abc", "ab", "a")  # a 3, b 2, c 1


def test_greedy_custom_funds_the_project_it_stops_at_from_the_reserve_when_80_percent_is_left() -> None:
    rules = replace(APPROVAL, rule="greedy-custom")
    result = count(rules, CUSTOM_PROJECTS, CUSTOM_BALLOTS, 1000, CLOSING)  # 400 left = 80 % of b's 500
    assert (result.winners, result.reserve, result.spent) == (["a"], ["b"], 600)
    assert result.trace == [
        "a: score 3, cost 600, selected (remaining 400)",
        (
            "b: score 2, cost 500, stopped: cost 500 exceeds remaining 400, which covers at least 80 % of it: "
            "funded from the reserve, outside the budget"
        ),
        "c: score 1, cost 100, not reached: greedy-custom stopped at b",
    ]


def test_greedy_custom_below_80_percent_stops_like_greedy_no_skip() -> None:
    result = count(replace(APPROVAL, rule="greedy-custom"), CUSTOM_PROJECTS, CUSTOM_BALLOTS, 999, CLOSING)
    assert (result.winners, result.reserve) == (["a"], [])
    assert result.trace[1].endswith("which covers less than 80 % of it")


def test_greedy_custom_funds_everything_that_fits_before_it_stops() -> None:
    result = count(replace(APPROVAL, rule="greedy-custom"), CUSTOM_PROJECTS, CUSTOM_BALLOTS, 1200, CLOSING)
    assert (result.winners, result.reserve, result.spent) == (["a", "b", "c"], [], 1200)


def test_the_other_rules_have_no_reserve() -> None:
    assert count(APPROVAL, CUSTOM_PROJECTS, CUSTOM_BALLOTS, 1000, CLOSING).reserve == []


# --- the Method of Equal Shares ------------------------------------------------------------------------------------

# 6 voters, 100 each with a budget of 600: three approve a and c, three approve b.
# Round 1: a, b and c all cost their supporters the same share of their cost (rho / cost = 1/3); the tie goes to the
# lower cost: c, paid 33.33 by each of its supporters. Round 2: a's supporters have 200 left, less than 300: dropped;
# b (66.67 each) is selected. Greedy by score would take a (300), b (200), c (100) in the order of ids.
MES_PROJECTS = {"a": 300, "b": 200, "c": 100}
MES_BALLOTS = approvals(*times(3, "ac"), *times(3, "b"))
MES = replace(APPROVAL, rule="equalshares")


def test_equal_shares_gives_each_group_of_voters_its_share() -> None:
    result = count(MES, MES_PROJECTS, MES_BALLOTS, 600, CLOSING)
    assert result.winners == ["c", "b"]
    assert result.spent == 300
    assert result.scores == {"a": 3, "b": 3, "c": 3}
    assert result.trace == [
        (
            "c: score 3, cost 100, selected in round 1: each of its 3 supporters paid at most ~33.33 (equal shares "
            "of the cost, or all they had left)"
        ),
        (
            "b: score 3, cost 200, selected in round 2: each of its 3 supporters paid at most ~66.67 (equal shares "
            "of the cost, or all they had left)"
        ),
        "a: score 3, cost 300, not selected: in round 2 its supporters had 200 left in total, less than its cost",
    ]
    assert result.summary == ["equal shares: every one of the 6 voters starts with 100 (budget 600 / 6)"]


def test_poorer_supporters_pay_what_they_have_and_the_others_share_the_rest() -> None:
    projects = {"x": 60, "y": 90}
    ballots = approvals("x", "xy", "xy", "y", "y")  # 5 voters, 40 each (budget 200)
    result = count(MES, projects, ballots, 200, CLOSING)
    # round 1: x costs 3 supporters 20 each (rho / cost = 1/3); y costs 4 supporters 22.5 each (1/4): y first.
    # round 2: x's supporters hold 40, 17.5, 17.5 = 75 >= 60; the two poorer pay 17.5 each, the richer 25 (> 17.5).
    assert result.winners == ["y", "x"]
    assert "paid at most 25 " in result.trace[1]


def test_a_project_nobody_approves_is_never_selected_by_equal_shares() -> None:
    result = count(MES, {"a": 10, "z": 1}, approvals("a"), 100, CLOSING)
    assert result.winners == ["a"]
    assert result.trace[1] == "z: score 0, cost 1, not selected: no voter approves it"


def test_empty_ballots_hold_a_share_of_the_budget() -> None:
    # 2 voters, 50 each: a (costs 60) is out of reach of its single supporter
    assert count(MES, {"a": 60}, approvals("a", ""), 100, CLOSING).winners == []
    assert count(MES, {"a": 60}, approvals("a"), 100, CLOSING).winners == ["a"]


def test_without_ballots_equal_shares_selects_nothing() -> None:
    assert count(MES, {"a": 1}, [], 100, CLOSING).winners == []


def test_the_threshold_removes_candidates_from_equal_shares() -> None:
    result = count(replace(MES, threshold=4), MES_PROJECTS, MES_BALLOTS, 600, CLOSING)
    assert result.winners == []
    assert result.trace[0].endswith("skipped: below threshold 4")


def test_equal_shares_ties_go_to_the_lower_cost_then_the_score_then_the_tie_break() -> None:
    projects = {"p": 50, "q": 50}
    ballots = approvals("pq", "pq")  # p and q cost the same, share the same supporters: only the tie-break decides
    for tie_break in ("lower-cost", "lexicographic"):
        assert count(replace(MES, tie_break=tie_break), projects, ballots, 50, CLOSING).winners == ["p"]

    def ticket(project: str) -> bytes:
        return hashlib.sha256(f"{CLOSING}\n{project}".encode()).digest()

    lottery = count(replace(MES, tie_break="lottery"), projects, ballots, 50, CLOSING)
    assert lottery.winners == [min(projects, key=ticket)]


def test_the_run_is_exact() -> None:
    # 3 voters with 100/3 each: a (cost 100) needs every third of it
    election = EqualShares(["a"], {"a": 100}, {frozenset("a"): 3}, {"a": 0})
    run = election.run(Fraction(100, 3))
    assert run.winners == ["a"]
    assert run.purchases[0].price == Fraction(100, 3)


# --- Add1 ----------------------------------------------------------------------------------------------------------

ADD1 = replace(APPROVAL, rule="equalshares/add1", voter_budget_increment=1)


def test_add1_selects_every_candidate_when_they_fit_the_budget() -> None:
    result = count(ADD1, MES_PROJECTS, MES_BALLOTS, 600, CLOSING)
    assert result.winners == ["c", "b", "a"]  # in the order of §5.2: equal scores, so the lower cost first
    assert result.summary[0].startswith("the 3 candidate(s) cost 600 together, within the budget 600")


def test_add1_raises_the_per_voter_budget_on_the_checker_grid_while_the_outcome_fits() -> None:
    # B = 550, n = 6: MES(91.67) selects c, b. The grid is floor(550 / 6) + k = 92, 93, ...: a becomes affordable
    # after c when its 3 supporters hold 300 + 3 * 33.33, from 134 on; the outcome a, b, c then costs 600 > 550,
    # so the run with 133 (k = 42) is kept.
    result = count(ADD1, MES_PROJECTS, MES_BALLOTS, 550, CLOSING)
    assert result.winners == ["c", "b"]
    assert result.summary == [
        (
            "add1: kept step 42: every voter starts with 133 (increment 1); the next step would spend 600, more than "
            "the budget 550"
        )
    ]


def test_add1_steps_by_the_declared_increment() -> None:
    result = count(replace(ADD1, voter_budget_increment=10), MES_PROJECTS, MES_BALLOTS, 550, CLOSING)
    # floor(550 / 60) = 9: per-voter budgets 100, 110, 120, 130, then 140 would buy a too
    assert result.summary[0].startswith("add1: kept step 4: every voter starts with 130 (increment 10)")


def test_add1_keeps_the_first_run_when_the_first_step_overspends() -> None:
    projects = {"a": 60, "b": 60}
    ballots = approvals("a", "b")  # 2 voters with 59.5: nothing; with 60 (the first step): a and b, 120 > 119
    result = count(ADD1, projects, ballots, 119, CLOSING)
    assert result.winners == []
    assert result.summary[0].startswith("add1: no increment kept: every voter starts with ~59.50")


def test_add1_runs_on_the_add1_grid_not_on_budget_over_voters_plus_k() -> None:
    # pabutools would try 59.5 + 1 = 60.5 per voter; the checker's grid tries floor(59.5) + 1 = 60
    election = EqualShares(["a", "b"], {"a": 60, "b": 60}, {frozenset("a"): 1, frozenset("b"): 1}, {"a": 0, "b": 1})
    outcome = election.add1(119, 1)
    assert outcome.steps == 0 and outcome.next_spent == 120


# --- the comparison step -------------------------------------------------------------------------------------------

# 10 voters, 10 each: six approve p and q (50 each), four approve r (40). Greedy: p, q (100). Equal shares: p (the
# tie with q goes to the id), then q is out of reach (10 left), r (40). Six voters prefer greedy (2 > 1), four
# prefer equal shares (1 > 0): greedy wins the comparison.
COMPARED_PROJECTS = {"p": 50, "q": 50, "r": 40}
COMPARED_BALLOTS = approvals(*times(6, "pq"), *times(4, "r"))


def test_the_comparison_step_keeps_the_outcome_more_voters_prefer() -> None:
    assert count(MES, COMPARED_PROJECTS, COMPARED_BALLOTS, 100, CLOSING).winners == ["p", "r"]
    compared = count(replace(MES, rule="equalshares-comparison"), COMPARED_PROJECTS, COMPARED_BALLOTS, 100, CLOSING)
    assert compared.winners == ["p", "q"]
    assert compared.trace[0] == "p: score 6, cost 50, selected (remaining 50)"
    assert compared.summary[-1] == (
        "comparison step: 4 voter(s) have more approved projects funded by equal shares, 6 by greedy; "
        "the greedy outcome replaces it"
    )


def test_a_tie_in_the_comparison_keeps_equal_shares() -> None:
    # every project costs 50; greedy takes p and q, equal shares p and r: 5 voters prefer each outcome
    projects = {"p": 50, "q": 50, "r": 50}
    ballots = approvals(*times(5, "pq"), *times(5, "r"))
    rules = replace(ADD1, rule="equalshares/add1-comparison")
    result = count(rules, projects, ballots, 100, CLOSING)
    assert result.summary[-1].endswith("5 by greedy; the equal-shares outcome stands")
    assert result.winners == count(ADD1, projects, ballots, 100, CLOSING).winners == ["p", "r"]


# --- the rules' new members ----------------------------------------------------------------------------------------


def payload(**changes: Any) -> dict[str, Any]:
    return {**APPROVAL.to_payload(), **changes}


def test_old_payloads_stay_valid_and_new_members_appear_only_when_used() -> None:
    assert "exclusive" not in APPROVAL.to_payload() and "voter_budget_increment" not in APPROVAL.to_payload()
    assert Rules.from_payload(payload()) == APPROVAL
    add1 = Rules.from_payload(payload(rule="equalshares/add1", voter_budget_increment=100))
    assert add1.to_payload()["voter_budget_increment"] == 100
    exclusive = Rules.from_payload(payload(rule="greedy-exclusive", exclusive=[["a", "b"], ["c", "d", "e"]]))
    assert exclusive.exclusive == (("a", "b"), ("c", "d", "e"))
    assert exclusive.to_payload()["exclusive"] == [["a", "b"], ["c", "d", "e"]]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"rule": "equalshares/add1"}, "missing_field"),
        ({"rule": "equalshares/add1-comparison", "voter_budget_increment": 0}, "wrong_field_type"),
        ({"rule": "equalshares/add1", "voter_budget_increment": True}, "wrong_field_type"),
        ({"rule": "equalshares", "voter_budget_increment": 100}, "unexpected_field"),
        ({"rule": "equalshares/add1", "voter_budget_increment": None}, "wrong_field_type"),
        ({"rule": "greedy", "exclusive": [["a", "b"]]}, "unexpected_field"),
        ({"rule": "greedy", "exclusive": []}, "unexpected_field"),
        ({"rule": "greedy-exclusive", "exclusive": [["a"]]}, "wrong_field_type"),
        ({"rule": "greedy-exclusive", "exclusive": [["a", "a"]]}, "wrong_field_type"),
        ({"rule": "greedy-exclusive", "exclusive": ["ab"]}, "wrong_field_type"),
        ({"rule": "greedy-exclusive", "exclusive": [["a", 1]]}, "wrong_field_type"),
        ({"rule": "equalshares", "vote_type": "ordinal", "min_length": 1}, "unknown_rule"),
    ],
)
def test_malformed_new_members_are_refused(changes: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidRules) as caught:
        Rules.from_payload(payload(**changes))
    assert caught.value.code == code


def test_pabulib_rules_map_to_the_new_rules() -> None:
    costs = {"a": 100, "b": 200}
    meta = {"vote_type": "approval", "budget": "300"}
    add1 = rules_from_meta({**meta, "rule": "equalshares/add1-comparison"}, costs)
    assert add1.voter_budget_increment == 100  # one unit of currency, exponent 2
    assert rules_from_meta({**meta, "rule": "equalshares/add1"}, costs, exponent=0).voter_budget_increment == 1
    assert rules_from_meta({**meta, "rule": "equalshares"}, costs).voter_budget_increment is None
    assert rules_from_meta({**meta, "rule": "greedy-custom"}, costs).rule == "greedy-custom"
    exclusive = rules_from_meta({**meta, "rule": "greedy-exclusive"}, costs, exclusive=[["a", "b"]])
    assert exclusive.exclusive == (("a", "b"),)
    with pytest.raises(UnsupportedRule):
        rules_from_meta({"vote_type": "cumulative", "rule": "equalshares", "budget": "300"}, costs)
