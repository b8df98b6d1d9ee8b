"""The pabulib `.pb` parser, amounts in minor units, and the mapping of META onto our rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pb_ledger.domain.rules import InvalidRules, Rules
from pb_ledger.pabulib import (
    PabulibFormatError,
    PabulibProject,
    PabulibVote,
    UnsupportedRule,
    parse_pabulib,
    parse_pabulib_text,
    rules_from_meta,
    to_minor_units,
)

# Line numbers in the tests below refer to this file: line 1 is "META".
VALID = '''\
META
key;value
description;Test election
num_projects;3
num_votes;3
budget;1000.50
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name;selected
p1;500;"Park; with ""benches""";1
p2;600,25;Library;0
p3;100;Bikes;None
VOTES
voter_id;vote
v1;p1, p2
v2;None
v3;
'''

CUMULATIVE = """\
META
key;value
num_projects;2
num_votes;2
budget;10
vote_type;cumulative
rule;greedy
PROJECTS
project_id;cost
a;5
b;5
VOTES
voter_id;vote;points
1;a,b;2,1
2;;
"""


def edited(text: str, line: int, new: str | None) -> str:
    """`text` with its 1-based `line` replaced by `new` (removed when `new` is None)."""
    lines = text.splitlines()
    lines[line - 1 : line] = [] if new is None else [new]
    return "\n".join(lines) + "\n"


def inserted(text: str, before: int, new: str) -> str:
    lines = text.splitlines()
    lines.insert(before - 1, new)
    return "\n".join(lines) + "\n"


def format_error(text: str) -> PabulibFormatError:
    with pytest.raises(PabulibFormatError) as caught:
        parse_pabulib_text(text)
    return caught.value


# --- a well-formed file -------------------------------------------------------------------------------------------


def test_meta_is_read_as_key_value_strings() -> None:
    election = parse_pabulib_text(VALID)
    assert election.meta == {
        "description": "Test election",
        "num_projects": "3",
        "num_votes": "3",
        "budget": "1000.50",
        "vote_type": "approval",
        "rule": "greedy",
    }


def test_projects_keep_their_raw_cost_every_column_and_their_line() -> None:
    first, second, third = parse_pabulib_text(VALID).projects
    assert first == PabulibProject(
        project_id="p1",
        cost="500",
        name='Park; with "benches"',
        selected=1,
        fields={"project_id": "p1", "cost": "500", "name": 'Park; with "benches"', "selected": "1"},
        line=11,
    )
    assert (second.cost, second.selected, second.line) == ("600,25", 0, 12)
    assert third.selected is None


def test_votes_are_trimmed_lists_and_empty_or_none_is_an_empty_ballot() -> None:
    assert parse_pabulib_text(VALID).votes == [
        PabulibVote(voter_id="v1", vote=["p1", "p2"], points=None, line=16),
        PabulibVote(voter_id="v2", vote=[], points=None, line=17),
        PabulibVote(voter_id="v3", vote=[], points=None, line=18),
    ]


def test_cumulative_votes_carry_aligned_integer_points() -> None:
    votes = parse_pabulib_text(CUMULATIVE).votes
    assert [(vote.vote, vote.points) for vote in votes] == [(["a", "b"], [2, 1]), ([], [])]


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted() -> None:
    crlf = "\ufeff" + VALID.replace("\n", "\r\n")
    assert parse_pabulib_text(crlf) == parse_pabulib_text(VALID)


def test_section_titles_are_matched_case_insensitively() -> None:
    text = edited(edited(VALID, 1, "meta"), 9, " Projects ")
    assert len(parse_pabulib_text(text).projects) == 3


def test_a_file_without_a_selected_column_has_no_selection() -> None:
    text = edited(VALID, 10, "project_id;cost;name")
    for line, row in ((11, 'p1;500;"Park"'), (12, "p2;600;Library"), (13, "p3;100;Bikes")):
        text = edited(text, line, row)
    assert [project.selected for project in parse_pabulib_text(text).projects] == [None, None, None]


def test_blank_lines_at_the_very_end_are_tolerated() -> None:
    assert len(parse_pabulib_text(VALID + "\n\n").votes) == 3


def test_a_file_is_read_from_disk_as_utf8_with_an_optional_bom(tmp_path: Path) -> None:
    path = tmp_path / "election.pb"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.replace("Bikes", "Rowery ł").encode("utf-8"))
    assert parse_pabulib(path).projects[2].name == "Rowery ł"


# --- errors, each with its line -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (edited(VALID, 1, "PROJECTS"), 1, "found PROJECTS section, expected META (order: META, PROJECTS, VOTES)"),
        (inserted(VALID, 1, "hello"), 1, "expected the META section title"),
        (edited(VALID, 14, "META"), 14, "found META section, expected VOTES (order: META, PROJECTS, VOTES)"),
        (VALID + "VOTES\n", 19, "found VOTES section, expected no further section (order: META, PROJECTS, VOTES)"),
        (VALID.split("VOTES")[0], 14, "missing VOTES section"),
        (VALID.split("PROJECTS")[0] + "PROJECTS\n", 9, "the PROJECTS section has no header line"),
        (edited(VALID, 2, "key;val"), 2, "the META header must be 'key;value', found 'key;val'"),
        (edited(VALID, 3, "description"), 3, "expected 2 fields (key;value), found 1"),
        (edited(VALID, 3, "rule;greedy"), 8, "META key 'rule' repeats line 3"),
        (edited(VALID, 6, None), 1, "META lacks the required key 'budget'"),
        (edited(VALID, 7, "vote_type;"), 7, "META vote_type is empty"),
        (edited(VALID, 4, "num_projects;three"), 4, "META num_projects 'three' is not a non-negative integer"),
        (edited(VALID, 6, "budget;1e6"), 6, "budget '1e6' is not a number"),
        (edited(VALID, 4, "num_projects;4"), 4, "num_projects is 4 but the PROJECTS section has 3 rows"),
        (edited(VALID, 5, "num_votes;2"), 5, "num_votes is 2 but the VOTES section has 3 rows"),
        (edited(VALID, 10, "project_id;price;name;selected"), 10, "the PROJECTS header lacks the column 'cost'"),
        (edited(VALID, 10, "id;cost;name;selected"), 10, "the PROJECTS header lacks the column 'project_id'"),
        (edited(VALID, 10, "project_id;cost;name;name"), 10, "the PROJECTS header repeats the column 'name'"),
        (edited(VALID, 12, "p2;600;Library"), 12, "expected 4 fields (project_id;cost;name;selected), found 3"),
        (edited(VALID, 12, "p1;600;Library;0"), 12, "duplicate project_id 'p1' (first on line 11)"),
        (edited(VALID, 12, ";600;Library;0"), 12, "empty project_id"),
        (edited(VALID, 12, "p2;abc;Library;0"), 12, "cost 'abc' is not a number"),
        (edited(VALID, 12, "p2;-600;Library;0"), 12, "cost '-600' is negative"),
        (edited(VALID, 12, "p2;600;Library;yes"), 12, "selected 'yes' is not a non-negative integer"),
        (edited(VALID, 15, "voter;vote"), 15, "the VOTES header lacks the column 'voter_id'"),
        (edited(VALID, 16, "v1;p1,p9"), 16, "vote refers to unknown project 'p9'"),
        (edited(VALID, 16, "v1;p1,p2,p1"), 16, "project 'p1' appears twice in one ballot"),
        (edited(VALID, 16, "v1;p1,,p2"), 16, "empty item in vote 'p1,,p2'"),
        (edited(VALID, 16, "v1;p1;extra"), 16, "expected 2 fields (voter_id;vote), found 3"),
        (edited(VALID, 17, "v1;p3"), 17, "duplicate voter_id 'v1' (first on line 16)"),
        (edited(VALID, 17, ";p3"), 17, "empty voter_id"),
        (inserted(VALID, 12, ""), 12, "empty line inside the PROJECTS section"),
        (inserted(VALID, 9, "  "), 9, "empty line inside the META section"),
        (inserted(VALID, 17, ""), 17, "empty line inside the VOTES section"),
        (inserted(VALID, 1, ""), 1, "empty line before the META section"),
    ],
)
def test_a_malformed_file_is_refused_at_the_right_line(text: str, line: int, reason: str) -> None:
    error = format_error(text)
    assert (error.line, error.reason) == (line, reason)
    assert str(error) == f"line {line}: {reason}"


@pytest.mark.parametrize("row", ['p3;100;"Bi"kes;1', 'p3;100;"Bikes;1'], ids=["text-after-quote", "unclosed-quote"])
def test_malformed_quoting_is_reported_at_the_row_where_it_starts(row: str) -> None:
    error = format_error(edited(VALID, 13, row))
    assert error.line == 13
    assert error.reason.startswith("malformed quoting (")


@pytest.mark.parametrize(
    ("line", "row", "reason"),
    [
        (14, "1;a,b;2", "1 points for 2 voted projects"),
        (14, "1;a,b;2,1,3", "3 points for 2 voted projects"),
        (14, "1;a,b;2,1.5", "points '1.5' is not an integer"),
        (14, "1;a,b;2,x", "points 'x' is not an integer"),
        (15, "2;a;", "0 points for 1 voted projects"),
        (13, "voter_id;vote", "the VOTES header lacks the column 'points' (cumulative votes)"),
    ],
)
def test_malformed_points_are_refused_at_the_right_line(line: int, row: str, reason: str) -> None:
    error = format_error(edited(CUMULATIVE, line, row))
    assert (error.line, error.reason) == (line, reason)


def test_the_error_is_a_value_error() -> None:
    assert isinstance(format_error(edited(VALID, 12, "p2;abc;Library;0")), ValueError)


# --- amounts ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "exponent", "minor"),
    [
        ("2458488.22", 2, 245848822),
        ("1000000", 2, 100000000),
        ("1,5", 2, 150),
        ("0.05", 2, 5),
        ("999999999", 2, 99999999900),
        ("7", 0, 7),
        ("1.234", 3, 1234),
        (" 12 ", 2, 1200),
    ],
)
def test_amounts_convert_exactly_to_minor_units(amount: str, exponent: int, minor: int) -> None:
    assert to_minor_units(amount, exponent) == minor


@pytest.mark.parametrize(
    ("amount", "exponent", "problem"),
    [
        ("1.005", 2, "more than 2 fractional digit(s)"),
        ("1,000", 2, "more than 2 fractional digit(s)"),
        ("1.5", 0, "more than 0 fractional digit(s)"),
        ("-5", 2, "is negative"),
        ("abc", 2, "is not a number"),
        ("", 2, "is not a number"),
        ("1e6", 2, "is not a number"),
        ("1.", 2, "is not a number"),
        (".5", 2, "is not a number"),
        ("1 000", 2, "is not a number"),
        ("1,000,000", 2, "is not a number"),
        ("\u0661\u0660", 2, "is not a number"),  # Arabic-Indic digits: int() would accept them
    ],
)
def test_inexact_or_malformed_amounts_are_refused(amount: str, exponent: int, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        to_minor_units(amount, exponent)


def test_a_negative_exponent_is_refused() -> None:
    with pytest.raises(ValueError, match="exponent"):
        to_minor_units("1", -1)


# --- META to rules ------------------------------------------------------------------------------------------------

COSTS = {"a": 100, "b": 200, "c": 300}


def test_meta_maps_onto_rules_with_pabulib_defaults() -> None:
    rules = rules_from_meta({"vote_type": "approval", "rule": "greedy", "budget": "1000"}, COSTS)
    assert rules == Rules(vote_type="approval", min_length=1, max_length=None, rule="greedy", tie_break="lower-cost")


def test_every_supported_meta_key_is_mapped() -> None:
    meta = {
        "vote_type": "approval",
        "rule": "greedy-threshold",
        "min_length": "2",
        "max_length": "3",
        "max_sum_cost": "250.5",
        "min_project_score_threshold": "100",
    }
    assert rules_from_meta(meta, COSTS, tie_break="lottery") == Rules(
        vote_type="approval",
        min_length=2,
        max_length=3,
        max_sum_cost=25050,
        rule="greedy-threshold",
        threshold=100,
        tie_break="lottery",
    )


def test_cumulative_point_bounds_are_mapped() -> None:
    meta = {
        "vote_type": "cumulative",
        "rule": "greedy",
        "max_points": "3",
        "min_sum_points": "1",
        "max_sum_points": "7",
    }
    rules = rules_from_meta(meta, COSTS)
    assert (rules.max_points, rules.min_sum_points, rules.max_sum_points) == (3, 1, 7)


def test_max_sum_cost_uses_the_currency_exponent() -> None:
    meta = {"vote_type": "approval", "rule": "greedy", "max_sum_cost": "300"}
    assert rules_from_meta(meta, COSTS, exponent=0).max_sum_cost == 300


def test_a_threshold_is_kept_for_greedy_no_skip() -> None:
    meta = {"vote_type": "approval", "rule": "greedy-no-skip", "min_project_score_threshold": "50"}
    assert rules_from_meta(meta, COSTS).threshold == 50


def test_none_in_meta_means_absent() -> None:
    meta = {"vote_type": "approval", "rule": "greedy", "max_length": "None", "min_length": ""}
    rules = rules_from_meta(meta, COSTS)
    assert (rules.min_length, rules.max_length) == (1, None)


@pytest.mark.parametrize("rule", ["unknown", "phragmen"])
def test_a_rule_we_do_not_count_is_refused_by_name(rule: str) -> None:
    with pytest.raises(UnsupportedRule) as caught:
        rules_from_meta({"vote_type": "approval", "rule": rule}, COSTS)
    assert str(caught.value) == (
        f"unsupported rule '{rule}' (supported: greedy, greedy-no-skip, greedy-threshold, greedy-exclusive, "
        "greedy-custom, equalshares, equalshares/add1, equalshares-comparison, equalshares/add1-comparison)"
    )
    assert caught.value.value == rule


def test_a_missing_rule_is_refused_as_unknown() -> None:
    with pytest.raises(UnsupportedRule, match="'unknown'"):
        rules_from_meta({"vote_type": "approval"}, COSTS)


def test_a_vote_type_we_do_not_count_is_refused() -> None:
    with pytest.raises(UnsupportedRule) as caught:
        rules_from_meta({"vote_type": "scoring", "rule": "greedy"}, COSTS)
    assert str(caught.value) == "unsupported vote_type 'scoring' (supported: approval, choose-1, cumulative, ordinal)"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("min_sum_cost", "100", "unsupported min_sum_cost '100' (supported: 0)"),
        ("min_points", "2", "unsupported min_points '2' (supported: 0, 1)"),
    ],
)
def test_ballot_constraints_that_rules_cannot_express_are_refused(key: str, value: str, message: str) -> None:
    with pytest.raises(UnsupportedRule) as caught:
        rules_from_meta({"vote_type": "approval", "rule": "greedy", key: value}, COSTS)
    assert str(caught.value) == message


def test_constraints_set_to_their_no_op_value_are_accepted() -> None:
    meta = {"vote_type": "cumulative", "rule": "greedy", "min_sum_cost": "0", "min_points": "1"}
    assert rules_from_meta(meta, COSTS).vote_type == "cumulative"


def test_a_hand_made_meta_with_a_non_integer_bound_is_refused() -> None:
    with pytest.raises(ValueError, match=re.escape("META max_length '3.5' is not a non-negative integer")):
        rules_from_meta({"vote_type": "approval", "rule": "greedy", "max_length": "3.5"}, COSTS)


def test_greedy_threshold_without_a_threshold_is_invalid() -> None:
    with pytest.raises(InvalidRules) as caught:
        rules_from_meta({"vote_type": "approval", "rule": "greedy-threshold"}, COSTS)
    assert caught.value.code == "threshold_required"


def test_a_min_length_above_the_number_of_projects_is_invalid() -> None:
    with pytest.raises(InvalidRules) as caught:
        rules_from_meta({"vote_type": "approval", "rule": "greedy", "min_length": "4"}, COSTS)
    assert caught.value.code == "min_length_above_project_count"


def test_parsed_meta_maps_onto_rules() -> None:
    election = parse_pabulib_text(CUMULATIVE)
    costs = {project.project_id: to_minor_units(project.cost) for project in election.projects}
    assert rules_from_meta(election.meta, costs) == Rules(vote_type="cumulative")
