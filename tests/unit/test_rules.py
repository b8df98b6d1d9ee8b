"""Vote rules (log-format §5.1): the payload, the rules' own consistency, and ballot validity."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from pb_ledger.domain.rules import InvalidBallot, InvalidRules, Rules, validate_ballot

SECTION_5_1_KEYS = {
    "vote_type",
    "min_length",
    "max_length",
    "max_sum_cost",
    "max_points",
    "min_sum_points",
    "max_sum_points",
    "rule",
    "threshold",
    "tie_break",
}

PROJECTS = {"a": 100, "b": 200, "c": 300, "d": 400}
APPROVAL = Rules(vote_type="approval", min_length=1, max_length=3)
CUMULATIVE = Rules(vote_type="cumulative", max_points=3, min_sum_points=2, max_sum_points=5)


def full_payload(**changes: Any) -> dict[str, Any]:
    return {**Rules(vote_type="cumulative", max_points=3, max_sum_points=7).to_payload(), **changes}


# --- payload ------------------------------------------------------------------------------------------------------


def test_the_payload_has_exactly_the_keys_of_section_5_1() -> None:
    assert set(APPROVAL.to_payload()) == SECTION_5_1_KEYS


def test_the_payload_survives_a_json_round_trip_unchanged() -> None:
    rules = Rules("approval", 2, 5, 30000000, None, None, None, "greedy-threshold", 100, "lottery")
    payload = json.loads(json.dumps(rules.to_payload()))
    assert payload == rules.to_payload()
    assert Rules.from_payload(payload) == rules


def test_the_payload_uses_null_for_absent_bounds() -> None:
    assert Rules(vote_type="ordinal").to_payload() == {
        "vote_type": "ordinal",
        "min_length": 1,
        "max_length": None,
        "max_sum_cost": None,
        "max_points": None,
        "min_sum_points": None,
        "max_sum_points": None,
        "rule": "greedy",
        "threshold": None,
        "tie_break": "lower-cost",
    }


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({k: v for k, v in full_payload().items() if k != "threshold"}, "missing_field"),
        (full_payload(min_sum_cost=0), "unexpected_field"),
        (full_payload(min_length=True), "wrong_field_type"),
        (full_payload(max_points=2.0), "wrong_field_type"),
        (full_payload(max_length="3"), "wrong_field_type"),
        (full_payload(rule=None), "wrong_field_type"),
        (full_payload(min_length=None), "wrong_field_type"),
        (full_payload(tie_break="coin"), "unknown_tie_break"),
    ],
    ids=["missing", "extra", "bool", "float", "string-int", "null-rule", "null-min-length", "bad-tie-break"],
)
def test_a_malformed_payload_is_refused_with_a_stable_code(payload: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidRules) as caught:
        Rules.from_payload(payload)
    assert caught.value.code == code


# --- the rules' own consistency -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "code"),
    [
        (Rules(vote_type="scoring"), "unknown_vote_type"),
        (Rules(vote_type="approval", rule="phragmen"), "unknown_rule"),
        (Rules(vote_type="approval", tie_break="random"), "unknown_tie_break"),
        (Rules(vote_type="approval", rule="greedy-threshold"), "threshold_required"),
        (Rules(vote_type="approval", min_length=4, max_length=3), "min_length_above_max_length"),
        (Rules(vote_type="approval", min_length=-1), "negative_value"),
        (Rules(vote_type="approval", threshold=-5), "negative_value"),
        (Rules(vote_type="approval", min_length=None), "wrong_field_type"),  # type: ignore[arg-type]
        (Rules(vote_type="approval", max_sum_cost=1.5), "wrong_field_type"),  # type: ignore[arg-type]
        (Rules(vote_type="choose-1", min_length=2, max_length=2), "lengths_exclude_one"),
        (Rules(vote_type="choose-1", min_length=0, max_length=0), "lengths_exclude_one"),
        (Rules(vote_type="approval", max_points=3), "points_rule_not_allowed"),
        (Rules(vote_type="ordinal", max_sum_points=3), "points_rule_not_allowed"),
        (Rules(vote_type="cumulative", max_sum_cost=100), "cost_limit_not_allowed"),
        (Rules(vote_type="cumulative", min_sum_points=4, max_sum_points=3), "min_sum_points_above_max_sum_points"),
    ],
)
def test_rules_that_cannot_be_applied_are_refused(rules: Rules, code: str) -> None:
    with pytest.raises(InvalidRules) as caught:
        rules.validate()
    assert caught.value.code == code
    assert caught.value.message


@pytest.mark.parametrize(
    "rules",
    [
        Rules(vote_type="approval", min_length=2, max_sum_cost=300),
        Rules(vote_type="approval", rule="greedy-no-skip", threshold=50),
        Rules(vote_type="approval", rule="greedy-threshold", threshold=0),
        Rules(vote_type="choose-1", min_length=1, max_length=1),
        Rules(vote_type="cumulative", min_sum_points=1, max_sum_points=3, tie_break="lottery"),
        Rules(vote_type="ordinal", min_length=3, max_length=3, tie_break="lexicographic"),
    ],
)
def test_consistent_rules_pass_validation(rules: Rules) -> None:
    rules.validate()


def test_the_error_names_its_code_and_message() -> None:
    error = InvalidRules("threshold_required", "the rule greedy-threshold needs a threshold")
    assert str(error) == "threshold_required: the rule greedy-threshold needs a threshold"


# --- ballots ------------------------------------------------------------------------------------------------------


def reject_code(rules: Rules, vote: list[str], points: list[int] | None = None) -> str:
    with pytest.raises(InvalidBallot) as caught:
        validate_ballot(rules, vote, points, PROJECTS)
    assert caught.value.message
    return caught.value.code


def test_a_valid_approval_ballot_passes() -> None:
    validate_ballot(APPROVAL, ["a", "c"], None, PROJECTS)


def test_an_approval_ballot_may_carry_an_empty_points_list() -> None:
    validate_ballot(APPROVAL, ["a"], [], PROJECTS)


def test_a_project_not_on_the_ballot_is_refused() -> None:
    assert reject_code(APPROVAL, ["a", "z"]) == "unknown_project"


def test_a_project_chosen_twice_is_refused() -> None:
    assert reject_code(APPROVAL, ["a", "b", "a"]) == "duplicate_project"


def test_an_unknown_project_is_reported_before_a_length_problem() -> None:
    assert reject_code(APPROVAL, ["a", "b", "c", "z"]) == "unknown_project"


def test_fewer_choices_than_min_length_are_refused() -> None:
    assert reject_code(replace(APPROVAL, min_length=2), ["a"]) == "too_few_choices"


def test_an_empty_ballot_is_refused_under_the_default_min_length() -> None:
    assert reject_code(APPROVAL, []) == "too_few_choices"


def test_an_empty_ballot_is_valid_when_min_length_is_zero() -> None:
    validate_ballot(replace(APPROVAL, min_length=0), [], None, PROJECTS)


def test_more_choices_than_max_length_are_refused() -> None:
    assert reject_code(APPROVAL, ["a", "b", "c", "d"]) == "too_many_choices"


def test_without_max_length_any_number_of_projects_may_be_chosen() -> None:
    validate_ballot(Rules(vote_type="approval"), ["a", "b", "c", "d"], None, PROJECTS)


def test_a_choose_one_ballot_holds_exactly_one_project() -> None:
    choose_one = Rules(vote_type="choose-1", min_length=0)
    validate_ballot(choose_one, ["b"], None, PROJECTS)
    assert reject_code(choose_one, ["a", "b"]) == "too_many_choices"
    assert reject_code(choose_one, []) == "too_few_choices"


def test_an_approval_ballot_over_the_cost_limit_is_refused() -> None:
    knapsack = replace(APPROVAL, max_sum_cost=500)
    validate_ballot(knapsack, ["b", "c"], None, PROJECTS)
    assert reject_code(knapsack, ["a", "d", "b"]) == "over_cost_limit"


def test_approval_ballots_carry_no_points() -> None:
    assert reject_code(APPROVAL, ["a"], [1]) == "points_not_allowed"
    assert reject_code(Rules(vote_type="ordinal"), ["a", "b"], [2, 1]) == "points_not_allowed"


def test_an_ordinal_ballot_is_an_ordered_list_without_repeats() -> None:
    ordinal = Rules(vote_type="ordinal", min_length=3, max_length=3)
    validate_ballot(ordinal, ["c", "a", "b"], None, PROJECTS)
    assert reject_code(ordinal, ["c", "a", "c"]) == "duplicate_project"


def test_a_valid_cumulative_ballot_passes() -> None:
    validate_ballot(CUMULATIVE, ["a", "b"], [3, 2], PROJECTS)


def test_a_cumulative_ballot_needs_points() -> None:
    assert reject_code(CUMULATIVE, ["a"], None) == "points_required"


def test_cumulative_points_must_align_with_the_vote() -> None:
    assert reject_code(CUMULATIVE, ["a", "b"], [2]) == "points_mismatch"


@pytest.mark.parametrize("bad", [0, -1, 4])
def test_each_cumulative_point_lies_between_one_and_max_points(bad: int) -> None:
    assert reject_code(CUMULATIVE, ["a", "b"], [2, bad]) == "points_out_of_range"


@pytest.mark.parametrize("bad", [True, "2", None, 1.0])
def test_a_point_that_is_not_a_whole_number_makes_the_ballot_malformed(bad: object) -> None:
    assert reject_code(CUMULATIVE, ["a", "b"], [2, bad]) == "invalid_ballot_shape"  # type: ignore[list-item]


@pytest.mark.parametrize("vote", ["ab", None, ["a", 1], {"a": 1}])
def test_a_vote_that_is_not_a_list_of_ids_makes_the_ballot_malformed(vote: object) -> None:
    assert reject_code(CUMULATIVE, vote, [2]) == "invalid_ballot_shape"  # type: ignore[arg-type]


def test_without_max_points_a_single_project_may_take_many_points() -> None:
    validate_ballot(replace(CUMULATIVE, max_points=None, max_sum_points=None), ["a"], [100], PROJECTS)


@pytest.mark.parametrize(("points", "message"), [([1], "at least 2 needed"), ([3, 3], "at most 5 allowed")])
def test_the_sum_of_points_lies_within_its_bounds(points: list[int], message: str) -> None:
    with pytest.raises(InvalidBallot) as caught:
        validate_ballot(CUMULATIVE, ["a", "b"][: len(points)], points, PROJECTS)
    assert caught.value.code == "points_sum_out_of_range"
    assert message in caught.value.message
