"""The verifier on the vote options of the rules (log-format §5.1-§5.3): a vote by district, each district counted on
its own budget, and re-voting, where only the last ballot of each token counts."""

from __future__ import annotations

from typing import Any

import pytest

from .logbuilder import LogBuilder, add_cycle, ballot, rules
from .verifying import VerifyBytes

DISTRICT_OF = {"p1": "a", "p2": "a", "p3": "a", "p4": "b", "p5": "b"}
BUDGETS = {"a": 700, "b": 300}
TOKENS = sorted(f"{n:064x}" for n in range(1, 11))


def in_district(district: str, *vote: str) -> dict[str, object]:
    return {**ballot(*vote), "district": district}


DISTRICT_BALLOTS = [in_district("a", "p1", "p2"), in_district("a", "p1", "p3"), in_district("a", "p2"),
                    in_district("a", "p1"), in_district("b", "p4", "p5"), in_district("b", "p5")]
# by hand: a (700) scores p1 3, p2 2, p3 1: p1 (400) then p2 (300), nothing left; b (300): p5 2 (100), p4 1 (200)
DISTRICT_RESULTS: dict[str, Any] = {
    "winners": ["p1", "p2", "p5", "p4"],
    "scores": {"p1": 3, "p2": 2, "p3": 1, "p4": 1, "p5": 2},
    "announced": {"districts": {"a": {"budget": 700, "winners": ["p1", "p2"], "spent": 700, "ballots": 4},
                                "b": {"budget": 300, "winners": ["p5", "p4"], "spent": 300, "ballots": 2}}},
}


def district_log(ballots: list[dict[str, object]] = DISTRICT_BALLOTS, opened: dict[str, object] | None = None,
                 **results: Any) -> LogBuilder:
    builder = LogBuilder()
    builder.genesis()
    add_cycle(builder, vote_rules=rules(district_vote="any"), ballots=ballots,
              opened={"districts": DISTRICT_OF, "budgets": BUDGETS} if opened is None else opened,
              **{**DISTRICT_RESULTS, **results})
    return builder


def test_a_vote_by_district_verifies_district_by_district(verify_bytes: VerifyBytes) -> None:
    report = verify_bytes(district_log())
    assert report.ok, report.error
    assert list(report.cycles[0].recomputed_winners or []) == ["p1", "p2", "p5", "p4"]


@pytest.mark.parametrize("change, message", [
    ({"ballots": [*DISTRICT_BALLOTS[:-1], in_district("b", "p1")]}, "a project of district 'a'"),
    ({"ballots": [*DISTRICT_BALLOTS[:-1], ballot("p5")]}, "has no budget in this vote"),
    ({"opened": {"districts": DISTRICT_OF}}, "VotingOpened payload"),
    ({"opened": {"districts": DISTRICT_OF, "budgets": {"a": 900, "b": 300}}}, "add up to more than"),
    ({"opened": {"districts": {**DISTRICT_OF, "p5": "c"}, "budgets": BUDGETS}}, "which has no budget"),
    ({"announced": {"districts": {**DISTRICT_RESULTS["announced"]["districts"],
                                  "b": {"budget": 300, "winners": ["p5"], "spent": 100, "ballots": 2}}}},
     "district 'b': announced winners [p5]"),
], ids=["project-of-another-district", "no-district", "no-budgets", "budgets-over-the-budget", "unknown-district",
        "wrong-district-result"])
def test_a_district_problem_is_found(verify_bytes: VerifyBytes, change: dict[str, Any], message: str) -> None:
    report = verify_bytes(district_log(**change))
    assert not report.ok and report.error is not None
    assert message in report.error.message, report.error.message


def revoting_log(scores: dict[str, int], winners: list[str], revoting: bool = True) -> LogBuilder:
    builder = LogBuilder()
    builder.genesis()
    voted = [("p1", TOKENS[0]), ("p2", TOKENS[1]), ("p3", TOKENS[0]), ("p3", TOKENS[2]), ("p4", TOKENS[1])]
    ballots = [{**ballot(project), "token": token} for project, token in voted]
    extra = {"revoting": "last-ballot-counts"} if revoting else {}
    add_cycle(builder, vote_rules=rules(**extra), ballots=ballots, register=TOKENS, scores=scores, winners=winners)
    return builder


def test_under_revoting_only_the_last_ballot_of_each_token_counts(verify_bytes: VerifyBytes) -> None:
    # tokens 0 and 1 vote twice: p1 and p2 are replaced by p3 and p4
    counted = {"p1": 0, "p2": 0, "p3": 2, "p4": 1, "p5": 0}
    report = verify_bytes(revoting_log(counted, ["p3", "p4", "p5"]))
    assert report.ok, report.error
    everything = {"p1": 1, "p2": 1, "p3": 2, "p4": 1, "p5": 0}
    report = verify_bytes(revoting_log(everything, ["p3", "p4", "p5"]))
    assert not report.ok and report.error is not None and "announced score of 'p1' is 1" in report.error.message
    report = verify_bytes(revoting_log(counted, ["p3", "p4", "p5"], revoting=False))
    assert not report.ok and report.error is not None and "a second ballot with the same token" in report.error.message


def test_revoting_without_a_register_is_refused(verify_bytes: VerifyBytes) -> None:
    builder = LogBuilder()
    builder.genesis()
    add_cycle(builder, vote_rules=rules(revoting="last-ballot-counts"))
    report = verify_bytes(builder)
    assert not report.ok and report.error is not None and "published no register" in report.error.message

