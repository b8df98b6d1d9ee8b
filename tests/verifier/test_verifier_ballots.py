"""Ballot validity and the order of cycle events (log-format §5, §5.1): a ballot over the limits fails at its seq."""

from __future__ import annotations

from typing import Any

import pytest

from .logbuilder import LogBuilder, add_cycle, ballot, rules
from .verifying import VerifyBytes

COSTS = {"p1": 400, "p2": 300, "p3": 500, "p4": 200, "p5": 100}


def cycle_with_last_ballot(
    vote_rules: dict[str, object], valid: list[dict[str, object]], last: dict[str, object]
) -> tuple[LogBuilder, int]:
    builder = LogBuilder()
    builder.genesis()
    seqs = add_cycle(builder, vote_rules=vote_rules, ballots=[*valid, last], announce=False)
    return builder, seqs.ballots[-1]


INVALID_BALLOTS = {
    "unknown-project": (rules(), ballot("p9"), "the vote names 'p9', which is not a project on the ballot"),
    "repeated-project": (rules(), ballot("p1", "p1"), "the vote names 'p1' twice"),
    "too-many-projects": (
        rules(max_length=2),
        ballot("p1", "p2", "p3"),
        "the vote names 3 projects, more than max_length 2",
    ),
    "too-few-projects": (rules(min_length=2), ballot("p1"), "the vote names 1 projects, fewer than min_length 2"),
    "empty-vote": (rules(), ballot(), "the vote names 0 projects, fewer than min_length 1"),
    "over-max-sum-cost": (
        rules(max_sum_cost=700),
        ballot("p1", "p3"),
        "the voted projects cost 900 in total, more than max_sum_cost 700",
    ),
    "choose-1-with-two": (
        rules("choose-1", max_length=None),
        ballot("p1", "p2"),
        "a choose-1 ballot names 2 projects instead of 1",
    ),
    "cumulative-over-max-points": (
        rules("cumulative", max_points=3, max_sum_points=10),
        ballot("p1", "p2", points=[4, 1]),
        "'p1' gets 4 points, more than max_points 3",
    ),
    "cumulative-over-max-sum": (
        rules("cumulative", max_sum_points=5),
        ballot("p1", "p2", points=[3, 3]),
        "the points sum to 6, more than max_sum_points 5",
    ),
    "cumulative-under-min-sum": (
        rules("cumulative", min_sum_points=4),
        ballot("p1", points=[3]),
        "the points sum to 3, less than min_sum_points 4",
    ),
    "cumulative-zero-points": (
        rules("cumulative"),
        ballot("p1", "p2", points=[2, 0]),
        "'p2' gets 0 points; each voted project gets at least 1",
    ),
    "cumulative-misaligned-points": (
        rules("cumulative"),
        ballot("p1", "p2", points=[2]),
        "the ballot gives 1 points values for 2 projects",
    ),
    "cumulative-without-points": (rules("cumulative"), ballot("p1"), "a cumulative ballot has no points"),
    "approval-with-points": (
        rules(),
        ballot("p1", points=[1]),
        "a approval ballot carries points; only cumulative ballots do",
    ),
    "ordinal-too-long": (
        rules("ordinal", max_length=2),
        ballot("p3", "p1", "p2"),
        "the vote names 3 projects, more than max_length 2",
    ),
    "other-channel": (rules(), ballot("p1", channel="sms"), "BallotCast payload.channel is 'sms'"),
    "unknown-member": (rules(), {**ballot("p1"), "weight": 2}, "BallotCast payload has unknown member 'weight'"),
    "boolean-points": (
        rules("cumulative"),
        ballot("p1", points=[True]),
        "BallotCast payload.points is not a list of integers",
    ),
}


@pytest.mark.parametrize("case", INVALID_BALLOTS.values(), ids=INVALID_BALLOTS.keys())
def test_a_ballot_that_breaks_the_rules_fails_at_its_seq(
    verify_bytes: VerifyBytes, case: tuple[dict[str, object], dict[str, object], str]
) -> None:
    vote_rules, last, message = case
    valid = {"cumulative": ballot("p4", "p5", points=[2, 2]), "choose-1": ballot("p4")}.get(
        str(vote_rules["vote_type"]), ballot("p4", "p5")
    )
    builder, seq = cycle_with_last_ballot(vote_rules, [valid], last)
    report = verify_bytes(builder)
    assert report.error is not None
    assert (report.error.seq, report.error.code) == (seq, "invalid-ballot")
    assert report.error.message.startswith(message)
    checks = {check.id: check.status for check in report.checks}
    assert checks["V4"] == "pass" and checks["V5"] == "fail" and checks["V6"] == "not-checked"


VALID_BALLOTS = {
    "approval-at-max-sum-cost": (rules(max_sum_cost=700), ballot("p1", "p2")),
    "choose-1": (rules("choose-1", max_length=1), ballot("p3")),
    "cumulative-within-bounds": (
        rules("cumulative", max_points=3, min_sum_points=2, max_sum_points=5),
        ballot("p1", "p2", points=[3, 2]),
    ),
    "ordinal-ranking": (rules("ordinal", min_length=3), ballot("p5", "p3", "p1")),
    "approval-with-empty-points": (rules(), ballot("p1", points=[])),
    "paper": (rules(), ballot("p1", channel="paper")),
}


@pytest.mark.parametrize("case", VALID_BALLOTS.values(), ids=VALID_BALLOTS.keys())
def test_a_ballot_within_the_limits_is_accepted(
    verify_bytes: VerifyBytes, case: tuple[dict[str, object], dict[str, object]]
) -> None:
    vote_rules, valid = case
    builder, _ = cycle_with_last_ballot(vote_rules, [], valid)
    report = verify_bytes(builder)
    assert report.ok, report.error


def test_the_last_rules_fixed_before_voting_opens_are_in_force(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    builder.append(
        "CycleCreated",
        {"title": "t", "budget": {"amount": 1000, "currency": "MAD", "exponent": 2}, "source": None},
        "c",
    )
    builder.append("RulesFixed", rules(max_length=1), "c")
    builder.append("RulesFixed", rules(max_length=3), "c")
    builder.append("IdeaAccepted", {"idea": "i1", "project": "p1", "cost": 10, "reason": "ok"}, "c")
    builder.append("IdeaAccepted", {"idea": "i2", "project": "p2", "cost": 10, "reason": "ok"}, "c")
    builder.append("VotingOpened", {"projects": ["p1", "p2"]}, "c")
    builder.append("BallotCast", ballot("p1", "p2"), "c")
    assert verify_bytes(builder).ok


def event_after_standard_cycle(type: str, payload: dict[str, object]) -> LogBuilder:
    builder = LogBuilder()
    builder.genesis()
    add_cycle(builder, announce=False)
    builder.append(type, payload, "2026")
    return builder


@pytest.mark.parametrize(
    "type, payload, message",
    [
        ("RulesFixed", rules(), "RulesFixed in cycle '2026' while it is closed for voting"),
        ("BallotCast", ballot("p1"), "BallotCast in cycle '2026' while it is closed for voting"),
        ("VotingOpened", {"projects": ["p1"]}, "VotingOpened in cycle '2026' while it is closed for voting"),
        (
            "IdeaAccepted",
            {"idea": "i", "project": "p9", "cost": 5, "reason": "r"},
            "IdeaAccepted in cycle '2026' while it is closed for voting",
        ),
        ("IdeaRejected", {"idea": "i", "reason": " ", "criterion": "c"}, "IdeaRejected gives no public reason"),
    ],
    ids=["rules-after-voting", "ballot-after-closing", "second-opening", "project-after-opening", "no-reason"],
)
def test_a_cycle_event_out_of_order_fails_at_its_seq(
    verify_bytes: VerifyBytes, type: str, payload: dict[str, object], message: str
) -> None:
    builder = event_after_standard_cycle(type, payload)
    report = verify_bytes(builder)
    assert report.error is not None
    assert (report.error.seq, report.error.code, report.error.message) == (24, "rules-violation", message)


def test_a_ballot_before_voting_opens_fails(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    builder.append(
        "CycleCreated", {"title": "t", "budget": {"amount": 10, "currency": "MAD", "exponent": 2}, "source": None}, "c"
    )
    builder.append("BallotCast", ballot("p1"), "c")
    report = verify_bytes(builder)
    assert report.error is not None and (report.error.seq, report.error.code) == (2, "rules-violation")


def test_voting_cannot_open_without_rules_or_with_a_project_that_has_no_cost(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    builder.append(
        "CycleCreated", {"title": "t", "budget": {"amount": 10, "currency": "MAD", "exponent": 2}, "source": None}, "c"
    )
    builder.append("VotingOpened", {"projects": []}, "c")
    report = verify_bytes(builder)
    assert report.error is not None and report.error.message == "voting opens before any RulesFixed"
    builder.entries.pop()
    builder.append("RulesFixed", rules(), "c")
    builder.append("VotingOpened", {"projects": ["p1"]}, "c")
    report = verify_bytes(builder)
    assert report.error is not None
    assert report.error.message == "project 'p1' is on the ballot but no IdeaAccepted gives its cost"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"rule": "greedy-threshold"}, "rule greedy-threshold needs a threshold, and threshold is null"),
        ({"rule": "phragmen"}, "RulesFixed payload.rule is 'phragmen'"),
        ({"tie_break": "coin"}, "RulesFixed payload.tie_break is 'coin'"),
        ({"vote_type": "scoring"}, "RulesFixed payload.vote_type is 'scoring'"),
        ({"min_length": 4, "max_length": 3}, "max_length 3 is less than min_length 4"),
        ({"revote": True}, "RulesFixed payload has unknown member 'revote'"),
    ],
    ids=["threshold-missing", "unknown-rule", "unknown-tie-break", "unknown-vote-type", "lengths", "unknown-member"],
)
def test_rules_the_verifier_cannot_apply_fail_at_their_seq(
    verify_bytes: VerifyBytes, overrides: dict[str, Any], message: str
) -> None:
    builder = LogBuilder()
    builder.genesis()
    seqs = add_cycle(builder, vote_rules=rules(**overrides), announce=False)
    report = verify_bytes(builder)
    assert report.error is not None
    assert (report.error.seq, report.error.code) == (seqs.rules, "rules-violation")
    assert report.error.message.startswith(message)
